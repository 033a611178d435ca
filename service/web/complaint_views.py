"""Klachten: the list with filters, the intake of a new complaint, and the complaint file with its actions."""

import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from service import clock, complaints, privacy
from service.api.auth import current_user
from service.api.presenters import complaint_dict, is_overdue
from service.complaints import attachments, classification, queries, timers
from service.complaints.access import may_act
from service.complaints.notes import FILES_FIELD
from service.errors import Conflict, InvalidInput, NotFound
from service.models import Complaint
from service.web import bp, public_views
from service.web.common import ctx, handler_label, page, show_page, uploaded_files, users_with_role
from service.web.formatting import NOTE_KIND_LABELS, STATUS_LABELS, field_value, today
from service.web.intake import (
    UPLOAD_ACCEPT,
    client_details_payload,
    complaint_payload,
    delay_notice_payload,
    escalation_payload,
    extension_payload,
    handler_payload,
    input_name,
    note_payload,
    registration_correction_payload,
    withdrawal_payload,
)
from service.web.process_views import complaint_route
from service.workflow.version_files import forms_for

ACCESS_SHOWN = 50  # entries of the access log on the complaint page
OVERDUE_FILTERS = {"ja": "alleen te laat", "nee": "niet te laat"}
# The orders of the list (queries.complaint_page), with what the page calls them.
SORTS = {"received": "ontvangstdatum (nieuwste eerst)", "due": "termijn (eerstvolgende eerst)",
         "status": "status (open eerst)"}


@bp.get("/klachten")
@page()
def complaint_list():
    """List a page of the complaints the caller may see, filtered by status, overdue and a search text, sorted."""
    status = request.args.get("status", "")
    overdue = request.args.get("overdue", "")
    q = request.args.get("q", "").strip()
    sort = request.args.get("sort", "")
    sort = sort if sort in SORTS else "received"
    query = queries.filtered_complaints(current_user(), status=status if status in STATUS_LABELS else None,
                                        overdue=overdue == "ja" if overdue in OVERDUE_FILTERS else None, search=q)
    pages, rows = show_page(request.args.get("pagina", ""), current_app.config["COMPLAINTS_PER_PAGE"],
                            lambda limit, offset: queries.complaint_page(query, limit=limit, offset=offset, sort=sort))
    filters = {key: value for key, value in (("q", q), ("status", status if status in STATUS_LABELS else ""),
                                             ("overdue", overdue if overdue in OVERDUE_FILTERS else ""),
                                             ("sort", "" if sort == "received" else sort)) if value}
    steps = queries.open_steps([c.id for c in rows])
    return render_template("complaints.html", rows=[(c, is_overdue(c)) for c in rows], pages=pages, steps=steps,
                           filters=filters, q=q, status=filters.get("status", ""),
                           overdue=filters.get("overdue", ""), overdue_filters=OVERDUE_FILTERS, sort=sort,
                           sorts=SORTS)


# ---------------------------------------------------------------- intake


def _render_intake(values: MultiDict, errors: dict, status: int = 200, message: str | None = None):
    return render_template("complaint_new.html", values=values, errors=errors, message=message,
                           coaches=users_with_role("coach"), today=today(), accept=UPLOAD_ACCEPT,
                           categories=classification.list_categories(active_only=True)), status


@bp.get("/klachten/nieuw")
@page("practice")
def new_complaint():
    """Show the intake form of the standard complaints form."""
    return _render_intake(MultiDict(), {})


@bp.post("/klachten/nieuw")
@page("practice")
def register_complaint():
    """Register a complaint from the intake form; on errors show the form again with every value kept."""
    uploads = uploaded_files("written_complaint")
    try:
        payload = complaint_payload(request.form)
    except InvalidInput as err:
        errors = dict(err.errors)
        try:  # report a bad file together with the other fields
            attachments.check_uploads(uploads, ctx())
        except InvalidInput as file_err:
            errors.update(file_err.errors)
        return _render_intake(request.form, errors, 422, err.message)
    try:
        complaint = complaints.register_complaint(payload, actor=current_user(), now=clock.now(), ctx=ctx(),
                                                  uploads=uploads)
    except InvalidInput as err:
        return _render_intake(request.form, err.errors, 422, err.message)
    flash(f"Klacht {complaint.reference} is geregistreerd.", "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint.id), code=303)


# ---------------------------------------------------------------- the complaint file


def recorded_steps(complaint: Complaint) -> list[dict]:
    """Return every submitted task of the complaint with Dutch labels, in the order they were done."""
    rows = queries.submissions(complaint)
    forms = forms_for(complaint.process_version, ctx())
    files = {str(a.id): a.filename for a in complaint.attachments}
    # One name per task: the name the diagram gives it (the worklist's), the form's title only for lack of one.
    names = {task.id: task.name for task in complaint.tasks if task.name}
    steps = []
    for row in rows:
        form = forms.get(row.task)
        fields = form.fields if form is not None else ()
        known = {field.name for field in fields}
        items = [(field.label, files.get(str(row.fields[field.name]), "") if field.type == "file"
                  else field_value(field, row.fields[field.name])) for field in fields if field.name in row.fields]
        items += [(name, str(value)) for name, value in row.fields.items() if name not in known]
        title = names.get(row.task_id) or (form.title if form is not None else row.task)
        steps.append({"title": title, "actor": row.actor,
                      "at": row.submitted_at, "items": items})
    return steps


def _may_act(complaint: Complaint) -> bool:
    """Return whether the caller may extend, escalate or add files: the practice or its handler, never its coach."""
    return may_act(current_user(), complaint)


def _render_file(complaint_id: int, *, form: str | None = None, values: MultiDict | None = None,
                 errors: dict | None = None, status: int = 200, message: str | None = None):
    user = current_user()
    complaint = complaints.get_complaint(complaint_id, user, whole=True)
    may_act = _may_act(complaint)
    open_tasks = [(task, complaints.may_complete(user, task, complaint))
                  for task in complaint.tasks if task.state == "open"]
    resource = complaint_dict(complaint)
    return render_template(
        "complaint.html", complaint=complaint, c=resource, steps=recorded_steps(complaint),
        open_tasks=open_tasks, accept=UPLOAD_ACCEPT,
        show_extension=may_act and complaint.status == "open" and complaint.handler_username is not None
        and not _call_report_settled(complaint) and not _call_report_passed(complaint),
        show_escalation=may_act and (complaint.status in ("resolved", "closed") or is_overdue(complaint)),
        show_upload=may_act,
        show_client_form=may_act and complaint.commissioning_client_kind != "none" and complaint.coach_username
        != user.username,
        show_withdrawal=may_act and complaint.status in ("open", "resolved"),
        show_handler=user.has_role("practice") and complaint.coach_username != user.username
        and complaint.handler_username is not None and complaint.status in ("open", "resolved"),
        handlers=[(u.username, handler_label(u)) for u in users_with_role("handler")
                  if u.username not in (complaint.coach_username, complaint.handler_username)],
        show_delay_notice=may_act and _call_report_passed(complaint),
        call_report_due=complaints.current_due_on(complaint, complaints.EXTENDABLE_DEADLINE),
        form=form, values=values or MultiDict(), errors=errors or {}, message=message, today=today(),
        route=complaint_route(complaint), categories=classification.list_categories(active_only=True),
        may_retry=user.has_role("practice", "process_owner"),
        show_registration_form=user.has_role("practice") and complaint.coach_username != user.username,
        show_note_form=may_act and complaint.coach_username != user.username,
        show_letter_upload=may_act and complaint.coach_username != user.username,
        notes=sorted(resource["notes"], key=lambda n: (n["noted_on"], n["id"]), reverse=True),  # newest first
        note_kinds=[(kind, label) for kind, label in NOTE_KIND_LABELS.items() if kind != "message"],
        online=public_views.file_context(complaint),  # the complainant's side (issue 18)
        # the practice sees who looked at the file (AVG): the latest entries, newest first
        access=privacy.access_entries(complaint.id, latest=ACCESS_SHOWN)[::-1] if user.has_role("practice") else None,
    ), status


@bp.get("/klachten/<int:complaint_id>")
@page()
def complaint_file(complaint_id: int):
    """Show the complaint file: registration, recorded steps, deadlines, tasks, letters and history (logged)."""
    page_and_status = _render_file(complaint_id)
    privacy.record_access(complaint_id, actor=current_user().username, action="view", now=clock.now(), via="web")
    return page_and_status


def _act(complaint_id: int, form: str, make_payload, action, done: str):
    """Run an action of the file page; errors show the file again with the input kept."""
    try:
        action(complaint_id, make_payload(request.form), actor=current_user(), now=clock.now(), ctx=ctx())
    except InvalidInput as err:  # a domain error names a field path ("commissioning_client.name"): the input's name
        return _render_file(complaint_id, form=form, values=request.form, status=422, message=err.message,
                            errors={input_name(key): value for key, value in err.errors.items()})
    except Conflict as err:
        flash(err.message, "error")
        return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)
    flash(done, "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)


@bp.post("/klachten/<int:complaint_id>/verlenging")
@page("practice", "handler")
def extend(complaint_id: int):
    """Extend the call-report term from the file page."""
    return _act(complaint_id, "extension", extension_payload, complaints.extend_deadline, "De termijn is verlengd.")


@bp.post("/klachten/<int:complaint_id>/escalatie")
@page("practice", "handler")
def escalate(complaint_id: int):
    """Register an escalation from the file page."""
    return _act(complaint_id, "escalation", escalation_payload, complaints.register_escalation,
                "De escalatie is vastgelegd.")


@bp.post("/klachten/<int:complaint_id>/opdrachtgever")
@page("practice", "handler")
def update_client_details(complaint_id: int):
    """Record the commissioning client's address and contact person from the file page."""
    return _act(complaint_id, "client", client_details_payload, complaints.update_client_details,
                "De gegevens van de opdrachtgever zijn vastgelegd.")


@bp.post("/klachten/<int:complaint_id>/registratie")
@page("practice")
def correct_registration(complaint_id: int):
    """Correct the registration from the file page, with a reason."""
    return _act(complaint_id, "registration", registration_correction_payload, complaints.correct_registration,
                "De registratie is gecorrigeerd.")


@bp.post("/klachten/<int:complaint_id>/notities")
@page("practice", "handler")
def add_note(complaint_id: int):
    """Add a dated note with optional files from the file page; errors show the file again with the input kept."""
    uploads = uploaded_files(FILES_FIELD)
    try:
        payload = note_payload(request.form)
        complaints.add_note(complaint_id, payload, actor=current_user(), now=clock.now(), ctx=ctx(), uploads=uploads)
    except InvalidInput as err:
        errors = dict(err.errors)
        try:  # report a bad file together with the other fields
            attachments.check_uploads(uploads, ctx(), field=FILES_FIELD)
        except InvalidInput as file_err:
            errors.update(file_err.errors)
        return _render_file(complaint_id, form="note", values=request.form, errors=errors, status=422,
                            message=err.message)
    flash("De notitie is toegevoegd.", "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id, _anchor="notes-heading"), code=303)


@bp.post("/klachten/<int:complaint_id>/brieven/<int:letter_id>/upload")
@page("practice", "handler")
def upload_letter(complaint_id: int, letter_id: int):
    """Keep an uploaded .docx as the new version of a letter, from the file page's letter list."""
    uploads = uploaded_files("file")
    try:
        complaints.upload_letter(complaint_id, letter_id, request.form.get("reason"), uploads[0] if uploads else None,
                                 actor=current_user(), now=clock.now(), ctx=ctx())
    except InvalidInput as err:
        return _render_file(complaint_id, form=f"letter-{letter_id}", values=request.form, errors=err.errors,
                            status=422, message=err.message)
    except Conflict as err:
        flash(err.message, "error")
        return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)
    flash("De gecorrigeerde brief is opgeslagen als nieuwe versie; de vorige versie blijft bewaard.", "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id, _anchor="letters-heading"), code=303)


@bp.post("/klachten/<int:complaint_id>/intrekking")
@page("practice", "handler")
def withdraw(complaint_id: int):
    """Record the complainant's withdrawal from the file page: the process stops."""
    return _act(complaint_id, "withdrawal", withdrawal_payload, complaints.withdraw_complaint,
                "De intrekking is vastgelegd; de klacht wordt niet verder behandeld.")


@bp.post("/klachten/<int:complaint_id>/behandelaar")
@page("practice")
def replace_handler(complaint_id: int):
    """Appoint another handler from the file page, with a reason."""
    return _act(complaint_id, "handler", handler_payload, complaints.replace_handler,
                "Er is een andere behandelaar aangesteld; de open taken gaan naar hem of haar.")


@bp.post("/klachten/<int:complaint_id>/vertraging")
@page("practice", "handler")
def delay_notice(complaint_id: int):
    """Send the delay notice of a passed call-report term from the file page."""
    return _act(complaint_id, "delay", delay_notice_payload, complaints.send_delay_notice,
                "Het vertragingsbericht is gemaakt.")


def _call_report_settled(complaint: Complaint) -> bool:
    """The call-report term is met or cancelled: it can no longer be extended."""
    deadline = complaint.deadline(complaints.EXTENDABLE_DEADLINE)
    return deadline is not None and not deadline.applies


def _call_report_passed(complaint: Complaint) -> bool:
    """The call-report term passed without the report: a delay notice is what is left to send."""
    deadline = complaint.deadline(complaints.EXTENDABLE_DEADLINE)
    return deadline is not None and deadline.passed_at is not None and not _call_report_settled(complaint) \
        and complaint.status == "open"


@bp.post("/klachten/<int:complaint_id>/storing")
@page("practice", "process_owner")
def retry_incident(complaint_id: int):
    """Retry the failed timer step of a complaint now (the incident notice's button)."""
    complaint = complaints.get_complaint(complaint_id, current_user())
    if complaint.incident is None:
        flash("Deze klacht heeft geen storing; er is niets gewijzigd.", "error")
    else:
        complaint = timers.retry_incident_now(complaint, actor=current_user().username, now=clock.now(), ctx=ctx())
        if complaint.incident is None:
            flash("Opnieuw geprobeerd: de storing is opgelost.", "success")
        else:
            flash(f"Opnieuw geprobeerd, maar de stap mislukt nog: {complaint.incident}", "error")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)


@bp.post("/klachten/<int:complaint_id>/bijlagen")
@page("practice", "handler")
def add_attachment(complaint_id: int):
    """Keep one more file with the complaint."""
    complaint = complaints.get_complaint(complaint_id, current_user())
    uploads = uploaded_files("file")
    try:
        if not uploads:
            raise InvalidInput(errors={"file": ["Kies een bestand."]})
        attachments.add_attachment(complaint, uploads[0], actor=current_user(), now=clock.now(), ctx=ctx())
    except InvalidInput as err:
        return _render_file(complaint_id, form="attachment", errors=err.errors, status=422, message=err.message)
    flash(f"Het bestand {uploads[0].filename} is toegevoegd.", "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)


@bp.get("/klachten/<int:complaint_id>/bijlagen/<int:attachment_id>")
@page()
def download_attachment(complaint_id: int, attachment_id: int):
    """Download a file kept with the complaint."""
    complaint = complaints.get_complaint(complaint_id, current_user())
    found = next((a for a in complaint.attachments if a.id == attachment_id), None)
    if found is None:
        raise NotFound("Bijlage niet gevonden.")
    content = privacy.attachment_content(found, ctx())  # empty once retention erased it
    privacy.record_access(complaint_id, actor=current_user().username, action="attachment", now=clock.now(),
                          via="web", attachment_id=found.id, filename=found.filename)
    return send_file(io.BytesIO(content), mimetype=found.content_type, as_attachment=True,
                     download_name=attachments.download_name(found))
