"""Mijn taken and the task page: a form generated from the task's form definition."""

import io
import zipfile
from dataclasses import dataclass, replace

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from service import clock, complaints
from service.analysis import quarterly_reviews
from service.api.auth import current_user
from service.complaints import queries
from service.dutch import field_value
from service.errors import Conflict, InvalidInput, TaskNotOpen
from service.forms.definition import FormDefinition
from service.models import Complaint, Task, User
from service.web import bp
from service.web.common import ctx, handler_label, page, show_page, uploaded_files, users_with_role
from service.web.complaint_views import recorded_steps
from service.web.csrf import FIELD
from service.web.formatting import days_left, today
from service.workflow.version_files import forms_for

SORTS = {"due": "termijn", "reference": "kenmerk"}
# Appointing a handler takes these from the chosen handler's profile when left empty (complaints.tasks.TASK_PREFILLS).
FROM_PROFILE = {
    "handler_name": "Leeg laten: de naam uit het profiel van de behandelaar (Praktijkgegevens).",
    "handler_function": "Leeg laten: de functie uit het profiel van de behandelaar.",
    "handler_noloc_member": "Leeg laten als het profiel van de behandelaar een NOLOC-lidnummer vermeldt.",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class TaskRow:
    """One line of a task table."""

    task: Task
    complaint: Complaint
    days_left: int | None
    overdue: bool
    may_complete: bool


def _row(task: Task, user: User) -> TaskRow:
    complaint = task.complaint
    left = days_left(task.due_on)
    flagged = any(d.name == task.deadline and d.late for d in complaint.deadlines)
    return TaskRow(task, complaint, left, flagged or (left is not None and left < 0),
                   complaints.may_complete(user, task, complaint))


@bp.get("/taken")
@page()
def my_tasks():
    """List a page of the caller's open tasks with their deadlines; practice and process owner also see (a page of)
    all others."""
    user = current_user()
    sort = request.args.get("sort", "due")
    sort = sort if sort in SORTS else "due"
    size = current_app.config["TASKS_PER_PAGE"]

    def rows(mine: bool, param: str):
        pages, tasks = show_page(request.args.get(param, ""), size, lambda limit, offset: queries.task_page(
            user, limit=limit, offset=offset, sort=sort, mine=mine))
        return pages, [_row(task, user) for task in tasks]

    mine_pages, mine = rows(True, "pagina")
    others_pages = others = None
    if user.has_role("practice", "process_owner"):
        others_pages, others = rows(False, "pagina_andere")
    reviews = None
    if user.has_role(*quarterly_reviews.VIEW_ROLES):
        reviews = [review for review in quarterly_reviews.list_reviews() if review.status == "open"]
    # Each pager keeps the sort order and the page shown of the other list.
    keep = {key: request.args[key] for key in ("pagina", "pagina_andere") if request.args.get(key)}
    if sort != "due":
        keep["sort"] = sort
    return render_template("tasks.html", mine=mine, others=others, mine_pages=mine_pages, others_pages=others_pages,
                           keep_mine={k: v for k, v in keep.items() if k != "pagina"},
                           keep_others={k: v for k, v in keep.items() if k != "pagina_andere"},
                           sort=sort, sorts=SORTS, reviews=reviews,
                           may_review=user.has_role(quarterly_reviews.ROLE))


def _open_task(task_id: str) -> Task:
    """Return the task the caller may complete, or raise NotFound/Forbidden."""
    return complaints.task_and_form(task_id, current_user(), ctx())[0]


def _submitted(form: FormDefinition) -> dict:
    """Return the task's fields from the posted form: strings, and lists for multiple choice."""
    multiple = {field.name for field in form.fields if field.type == "multiple_choice"}
    data = {key: request.form[key] for key in request.form if key != FIELD and key not in multiple}
    data.update({name: request.form.getlist(name) for name in multiple})
    return data


def _uploads(form: FormDefinition) -> dict:
    """Return the files posted in the form's file fields, by field name."""
    return {field.name: uploaded_files(field.name) for field in form.fields if field.type == "file"}


# What a task's page shows above its form, so the person decides with what the decision is about in view:
# (heading, the earlier task whose latest submission must exist for the block to show, [(task, [fields])]).
BACKGROUND = {
    "coach_agreement": ("De samenvatting waarover u beslist", "hear_coach",
                        [("hear_coach", ["coach_reaction_summary"])]),
    "hear_coach": ("De vorige ronde", "hear_coach",
                   [("hear_coach", ["coach_reaction_summary"]), ("coach_agreement", ["agrees", "remarks"]),
                    ("reconsider", ["next_step"])]),
    "decide_measures": ("Het vorige aanbod en de reactie van de klager", "decide_measures",
                        [("decide_measures", ["offer_types", "offer_description"]),
                         ("offer_call", ["called_on", "complainant_satisfied", "complainant_reaction"]),
                         ("reconsider", ["next_step"])]),
}
# A second round starts from what was written in the first: the field is filled in with the latest value.
CARRIED_OVER = {"hear_coach": ["coach_reaction_summary"]}


def task_background(task: Task, complaint: Complaint) -> tuple[dict | None, dict]:
    """Return the block shown above the task's form ({heading, parts: [{title, at, actor, items}]}, or None) and
    the values a repeated task starts with."""
    wanted = BACKGROUND.get(task.task)
    if wanted is None:
        return None, {}
    heading, needs, sources = wanted
    latest = {row.task: row for row in queries.submissions(complaint)}
    if needs not in latest:
        return None, {}
    forms = forms_for(complaint.process_version, ctx())
    parts = []
    for name, fields in sources:
        row, form = latest.get(name), forms.get(name)
        if row is None or form is None or (name != needs and row.id < latest[needs].id):
            continue  # only what belongs to the latest round
        names = {t.id: t.name for t in complaint.tasks if t.name}
        by_name = {field.name: field for field in form.fields}
        items = [(by_name[f].label, field_value(by_name[f], row.fields[f])) for f in fields
                 if f in by_name and row.fields.get(f) not in (None, "")]
        if items:
            parts.append({"title": names.get(row.task_id) or form.title, "at": row.submitted_at,
                          "actor": row.actor, "items": items})
    prefill = {f: latest[task.task].fields[f] for f in CARRIED_OVER.get(task.task, [])
               if task.task in latest and latest[task.task].fields.get(f)}
    return ({"heading": heading, "parts": parts} if parts else None), prefill


def _render_task(task: Task, form: FormDefinition, values: MultiDict, errors: dict, status: int = 200,
                 message: str | None = None):
    complaint = task.complaint
    background, prefill = task_background(task, complaint)
    if not values and prefill:
        values = MultiDict(prefill)
    suggestions = {}
    if task.task == "appoint_handler":
        suggestions["handler_username"] = [(u.username, handler_label(u)) for u in users_with_role("handler")
                                           if u.username != complaint.coach_username]
        form = _with_profile_fields(form)
    return render_template(
        "task.html", task=task, form=form, complaint=complaint, values=values, errors=errors,
        message=message, days_left=days_left(task.due_on), today=today(), steps=recorded_steps(complaint),
        background=background,
        suggestions=suggestions, makes_letter=complaints.task_makes_letter(task),
        multipart=any(field.type == "file" for field in form.fields),
    ), status


def _with_profile_fields(form: FormDefinition) -> FormDefinition:
    """The form as shown: the fields the handler's profile can fill are optional, with a help text saying so."""
    return replace(form, fields=tuple(
        replace(field, required=False, help=" ".join(filter(None, (field.help, FROM_PROFILE[field.name]))))
        if field.name in FROM_PROFILE else field for field in form.fields))


@bp.get("/taken/<task_id>")
@page()
def task_page(task_id: str):
    """Show the form of an open task beside the complaint's context."""
    task, form = complaints.task_and_form(task_id, current_user(), ctx())
    if task.state != "open":
        flash(f"{TaskNotOpen.message} Er is niets gewijzigd.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=task.complaint_id))
    return _render_task(task, form, MultiDict(), {})


@bp.post("/taken/<task_id>")
@page()
def complete_task(task_id: str):
    """Complete a task with the posted form; on errors show the form again with the input kept (422)."""
    task, form = complaints.task_and_form(task_id, current_user(), ctx())
    complaint_id = task.complaint_id
    try:
        complaints.complete_task(task_id, _submitted(form), actor=current_user(), now=clock.now(), ctx=ctx(),
                                 uploads=_uploads(form))
    except TaskNotOpen as err:
        flash(f"{err.message} Er is niets gewijzigd.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)
    except InvalidInput as err:
        task = _open_task(task_id)
        return _render_task(task, form, request.form, err.errors, 422, err.message)
    except Conflict as err:
        task = _open_task(task_id)
        return _render_task(task, form, request.form, {}, err.status, err.message)
    flash("Taak afgerond.", "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)


@bp.post("/taken/<task_id>/voorbeeld")
@page()
def preview_task_letter(task_id: str):
    """Download the letter that completing the task with the posted form would make; nothing is kept.

    One letter comes as its .docx (named concept-...), several as a .zip; refused input shows the form again.
    """
    task, form = complaints.task_and_form(task_id, current_user(), ctx())
    if task.state != "open":
        flash(f"{TaskNotOpen.message} Er is niets gewijzigd.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=task.complaint_id), code=303)
    try:
        letters = complaints.preview_task_letters(task_id, _submitted(form), actor=current_user(),
                                                  now=clock.now(), ctx=ctx())
    except InvalidInput as err:
        return _render_task(_open_task(task_id), form, request.form, err.errors, 422, err.message)
    except Conflict as err:
        return _render_task(_open_task(task_id), form, request.form, {}, err.status, err.message)
    task = _open_task(task_id)
    if not letters:
        return _render_task(task, form, request.form, {}, 200, "Met deze gegevens maakt deze stap geen brief.")
    if len(letters) == 1:
        return send_file(io.BytesIO(letters[0].content), mimetype=DOCX, as_attachment=True,
                         download_name=letters[0].filename)
    bundle = io.BytesIO()
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as archive:
        for letter in letters:
            archive.writestr(letter.filename, letter.content)
    return send_file(io.BytesIO(bundle.getvalue()), mimetype="application/zip", as_attachment=True,
                     download_name=f"concept-{task.complaint.reference}-brieven.zip")
