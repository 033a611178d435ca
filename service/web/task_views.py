"""Mijn taken and the task page: a form generated from the task's form definition."""

import io
import zipfile
from dataclasses import dataclass
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import MultiDict

from .. import attachments, clock, complaints, quarterly_reviews
from ..auth import current_user
from ..errors import Conflict, Forbidden, InvalidInput, NotFound, TaskNotOpen
from ..extensions import db
from ..forms import FormDefinition
from ..models import Complaint, Task, User
from ..version_files import forms_for
from . import bp
from .common import ctx, page, uploaded_files, users_with_role
from .complaint_views import recorded_steps
from .csrf import FIELD
from .formatting import days_left, today

SORTS = {"due": "termijn", "reference": "kenmerk"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FAR_FUTURE = date.max


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
    flagged = any(d.name == task.deadline and d.overdue and d.met_on is None for d in complaint.deadlines)
    return TaskRow(task, complaint, left, flagged or (left is not None and left < 0),
                   complaints.may_complete(user, task, complaint))


def _sorted(rows: list[TaskRow], sort: str) -> list[TaskRow]:
    if sort == "reference":
        return sorted(rows, key=lambda r: (r.complaint.reference, r.task.due_on or FAR_FUTURE, r.task.created_at))
    return sorted(rows, key=lambda r: (r.task.due_on or FAR_FUTURE, r.complaint.reference, r.task.created_at))


@bp.get("/taken")
@page()
def my_tasks():
    """List the caller's open tasks with their deadlines; practice and process owner also see all others."""
    user = current_user()
    sort = request.args.get("sort", "due")
    sort = sort if sort in SORTS else "due"
    mine = _sorted([_row(task, user) for task in complaints.open_tasks_for(user)], sort)
    others: list[TaskRow] | None = None
    if user.has_role("practice", "process_owner"):
        mine_ids = {row.task.id for row in mine}
        every = db.session.scalars(
            select(Task).where(Task.state == "open").options(joinedload(Task.complaint))
        ).all()
        others = _sorted([_row(task, user) for task in every if task.id not in mine_ids], sort)
    reviews = None
    if user.has_role(*quarterly_reviews.VIEW_ROLES):
        reviews = [review for review in quarterly_reviews.list_reviews() if review.status == "open"]
    return render_template("tasks.html", mine=mine, others=others, sort=sort, sorts=SORTS, reviews=reviews,
                           may_review=user.has_role(quarterly_reviews.ROLE))


def _open_task(task_id: str) -> Task:
    """Return the task the caller may complete, or raise NotFound/Forbidden."""
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound("Taak niet gevonden.")
    if not complaints.may_complete(current_user(), task, task.complaint):
        raise Forbidden("Deze taak is niet voor u.")
    return task


def _form_of(task: Task) -> FormDefinition:
    form = forms_for(task.complaint.process_version, ctx()).get(task.task)
    if form is None:
        abort(404)
    return form


def _submitted(form: FormDefinition, task: Task) -> dict:
    """Return the task's fields from the posted form: strings, and lists for multiple choice."""
    multiple = {field.name for field in form.fields if field.type == "multiple_choice"}
    data = {key: request.form[key] for key in request.form if key != FIELD and key not in multiple}
    data.update({name: request.form.getlist(name) for name in multiple})
    return data


def _attach_files(form: FormDefinition, task: Task, data: dict) -> None:
    """Keep the files of the form's file fields with the complaint and put their ids in data.

    The rows are only flushed: completing the task commits them, and a refused task rolls them back.
    """
    errors: dict[str, list[str]] = {}
    for field in form.fields:
        uploads = uploaded_files(field.name)[:1] if field.type == "file" else []
        if not uploads:
            continue
        try:
            checked = attachments.check_uploads(uploads, ctx(), field=field.name)
        except InvalidInput as err:
            errors.update(err.errors)
            continue
        row = attachments.store(task.complaint, checked, actor=current_user(), now=clock.now(), ctx=ctx())[0]
        db.session.flush()
        data[field.name] = str(row.id)
    if errors:  # report the other fields' problems at the same time
        _, others = form.validate({**data, **dict.fromkeys(errors, "-")}, today=today())
        raise InvalidInput(errors={**others, **errors})


def _render_task(task: Task, form: FormDefinition, values: MultiDict, errors: dict, status: int = 200,
                 message: str | None = None):
    complaint = task.complaint
    suggestions = {}
    if task.task == "appoint_handler":
        suggestions["handler_username"] = [(u.username, u.display_name) for u in users_with_role("handler")
                                           if u.username != complaint.coach_username]
    return render_template(
        "task.html", task=task, form=form, complaint=complaint, values=values, errors=errors,
        message=message, days_left=days_left(task.due_on), today=today(), steps=recorded_steps(complaint),
        suggestions=suggestions, makes_letter=complaints.task_makes_letter(task),
        multipart=any(field.type == "file" for field in form.fields),
    ), status


@bp.get("/taken/<task_id>")
@page()
def task_page(task_id: str):
    """Show the form of an open task beside the complaint's context."""
    task = _open_task(task_id)
    if task.state != "open":
        flash(f"{TaskNotOpen.message} Er is niets gewijzigd.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=task.complaint_id))
    return _render_task(task, _form_of(task), MultiDict(), {})


@bp.post("/taken/<task_id>")
@page()
def complete_task(task_id: str):
    """Complete a task with the posted form; on errors show the form again with the input kept (422)."""
    task = _open_task(task_id)
    complaint_id = task.complaint_id
    form = _form_of(task)
    data = _submitted(form, task)
    try:
        if task.state == "open":
            _attach_files(form, task, data)
        complaints.complete_task(task_id, data, actor=current_user(), now=clock.now(), ctx=ctx())
    except TaskNotOpen as err:
        flash(f"{err.message} Er is niets gewijzigd.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)
    except InvalidInput as err:
        db.session.rollback()
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
    task = _open_task(task_id)
    form = _form_of(task)
    if task.state != "open":
        flash(f"{TaskNotOpen.message} Er is niets gewijzigd.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=task.complaint_id), code=303)
    try:
        letters = complaints.preview_task_letters(task_id, _submitted(form, task), actor=current_user(),
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
