"""The JSON API of CONTRACT.md: thin views that parse, call one domain function, and render."""

import base64
import io

from flask import Blueprint, current_app, request, send_file

from service import analysis, clock, complaints, privacy
from service.api.auth import current_user, login_required
from service.api.http import analysis_csv_response, json_body, jsonable, page_args, paged, parse_filters, secret_bytes
from service.api.presenters import complaint_dict, complaint_summary, tasks_list
from service.api.schemas import (
    CategorySchema,
    ClassificationSchema,
    ClientDetailsSchema,
    ComplaintCreateSchema,
    DelayNoticeCreateSchema,
    EscalationCreateSchema,
    ExtensionCreateSchema,
    HandlerReplaceSchema,
    LetterOut,
    NoteCreateSchema,
    ProcessVersionOut,
    RegistrationCorrectionSchema,
    SignalCreateSchema,
    SignalOut,
    WithdrawalCreateSchema,
    load,
)
from service.complaints import attachments, classification, queries, signals, timers
from service.errors import InvalidInput, NotFound
from service.process import deploy
from service.workflow import versions

bp = Blueprint("api", __name__, url_prefix="/api")

STATUSES = ("open", "resolved", "closed", "withdrawn")


def _ctx():
    return current_app.extensions["klachten"]


@bp.post("/complaints")
@login_required("practice")
def create_complaint():
    """Register a complaint and start its process."""
    payload = load(ComplaintCreateSchema(), json_body())
    complaint = complaints.register_complaint(payload, actor=current_user(), now=clock.now(), ctx=_ctx())
    return complaint_dict(complaint), 201


@bp.get("/complaints")
@login_required()
def list_complaints():
    """List a page of the complaints the caller may see, newest received first, filtered by status and overdue."""
    errors = {}
    status = request.args.get("status")
    if status is not None and status not in STATUSES:
        errors["status"] = [f"Kies een van: {', '.join(STATUSES)}."]
    overdue = request.args.get("overdue")
    if overdue is not None and overdue not in ("true", "false"):
        errors["overdue"] = ["Kies true of false."]
    sort = request.args.get("sort", "received")
    if sort not in queries.COMPLAINT_SORTS:
        errors["sort"] = [f"Kies een van: {', '.join(queries.COMPLAINT_SORTS)}."]
    try:
        limit, offset = page_args(request.args)
    except InvalidInput as err:
        errors.update(err.errors)
    if errors:
        raise InvalidInput(errors=errors)
    query = queries.filtered_complaints(current_user(), status=status,
                                        overdue=None if overdue is None else overdue == "true")
    page = queries.complaint_page(query, limit=limit, offset=offset, sort=sort)
    return paged([complaint_summary(c) for c in page.rows], total=page.total, limit=limit, offset=offset)


@bp.get("/complaints/<int:complaint_id>")
@login_required()
def get_complaint(complaint_id: int):
    """Return one complaint with its tasks, deadlines, letters, data and history (the view is logged)."""
    resource = complaint_dict(complaints.get_complaint(complaint_id, current_user(), whole=True))
    privacy.record_access(complaint_id, actor=current_user().username, action="view", now=clock.now(), via="api")
    return resource


@bp.get("/tasks")
@login_required()
def list_tasks():
    """Return a page of the open tasks the caller may complete, earliest due first."""
    limit, offset = page_args(request.args)
    page = queries.task_page(current_user(), limit=limit, offset=offset)
    return paged(tasks_list(page.rows), total=page.total, limit=limit, offset=offset)


@bp.post("/tasks/<task_id>")
@login_required()
def complete_task(task_id: str):
    """Complete a task with its form's fields."""
    complaint = complaints.complete_task(task_id, json_body(), actor=current_user(), now=clock.now(), ctx=_ctx())
    return complaint_dict(complaint)


@bp.post("/tasks/<task_id>/letter-preview")
@login_required()
def preview_task_letters(task_id: str):
    """The letters completing the task with these fields would make (base64 .docx); nothing is kept."""
    letters = complaints.preview_task_letters(task_id, json_body(), actor=current_user(), now=clock.now(),
                                              ctx=_ctx())
    return {"letters": [{"kind": letter.kind, "filename": letter.filename,
                         "content_base64": base64.b64encode(letter.content).decode("ascii")} for letter in letters]}


@bp.post("/complaints/<int:complaint_id>/extensions")
@login_required("practice", "handler")
def extend(complaint_id: int):
    """Extend the call-report term with a reason."""
    payload = load(ExtensionCreateSchema(), json_body())
    complaint = complaints.extend_deadline(complaint_id, payload, actor=current_user(), now=clock.now(),
                                           ctx=_ctx())
    return complaint_dict(complaint), 201


@bp.post("/complaints/<int:complaint_id>/delay-notices")
@login_required("practice", "handler")
def send_delay_notice(complaint_id: int):
    """Tell the complainant why the call report is late and when it is expected (after the term passed)."""
    payload = load(DelayNoticeCreateSchema(), json_body())
    complaint = complaints.send_delay_notice(complaint_id, payload, actor=current_user(), now=clock.now(),
                                             ctx=_ctx())
    return complaint_dict(complaint), 201


@bp.post("/signals")
@login_required("practice")
def record_signal():
    """Record an informal signal or a complaint resolved early (no process; analysis only)."""
    payload = load(SignalCreateSchema(), json_body())
    return SignalOut().dump(signals.record_signal(payload, actor=current_user(), now=clock.now())), 201


@bp.get("/signals")
@login_required("practice", "process_owner")
def list_signals():
    """Return the latest informal signals and complaints resolved early."""
    return SignalOut(many=True).dump(signals.list_signals())


@bp.post("/complaints/<int:complaint_id>/handler")
@login_required("practice")
def replace_handler(complaint_id: int):
    """Appoint another handler for a complaint, with a reason."""
    payload = load(HandlerReplaceSchema(), json_body())
    complaint = complaints.replace_handler(complaint_id, payload, actor=current_user(), now=clock.now(), ctx=_ctx())
    return complaint_dict(complaint)


@bp.put("/complaints/<int:complaint_id>/commissioning-client")
@login_required("practice", "handler")
def update_client_details(complaint_id: int):
    """Record the commissioning client's postal address and contact person."""
    payload = load(ClientDetailsSchema(), json_body())
    complaint = complaints.update_client_details(complaint_id, payload, actor=current_user(), now=clock.now(),
                                                 ctx=_ctx())
    return complaint_dict(complaint)


@bp.patch("/complaints/<int:complaint_id>/registration")
@login_required("practice")
def correct_registration(complaint_id: int):
    """Correct the registration (contact details, commissioning client, personal data) with a reason."""
    payload = load(RegistrationCorrectionSchema(), json_body())
    complaint = complaints.correct_registration(complaint_id, payload, actor=current_user(), now=clock.now(),
                                                ctx=_ctx())
    return complaint_dict(complaint)


@bp.post("/complaints/<int:complaint_id>/notes")
@login_required("practice", "handler")
def add_note(complaint_id: int):
    """Add a dated note to the case: a phone call, an e-mail, a meeting, a letter or something else."""
    payload = load(NoteCreateSchema(), json_body())
    complaint = complaints.add_note(complaint_id, payload, actor=current_user(), now=clock.now(), ctx=_ctx())
    return complaint_dict(complaint), 201


@bp.post("/complaints/<int:complaint_id>/withdrawal")
@login_required("practice", "handler")
def withdraw(complaint_id: int):
    """Record that the complainant withdrew the complaint: the process stops and nothing more falls due."""
    payload = load(WithdrawalCreateSchema(), json_body())
    complaint = complaints.withdraw_complaint(complaint_id, payload, actor=current_user(), now=clock.now(),
                                              ctx=_ctx())
    return complaint_dict(complaint), 201


@bp.post("/complaints/<int:complaint_id>/escalations")
@login_required("practice", "handler")
def escalate(complaint_id: int):
    """Register an escalation to the commissioning client, the ombudsman or the AP."""
    payload = load(EscalationCreateSchema(), json_body())
    complaint = complaints.register_escalation(complaint_id, payload, actor=current_user(), now=clock.now(),
                                               ctx=_ctx())
    return complaint_dict(complaint), 201


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _letter(complaint_id: int, letter_id: int):
    return complaints.get_letter(complaint_id, letter_id, current_user())


@bp.get("/complaints/<int:complaint_id>/letters/<int:letter_id>")
@login_required()
def get_letter(complaint_id: int, letter_id: int):
    """Download a letter of a complaint as .docx, named like KL-2026-0001-ontvangstbevestiging.docx."""
    _, found = _letter(complaint_id, letter_id)
    content = found.content or b""  # empty once retention erased it
    privacy.record_access(complaint_id, actor=current_user().username, action="letter", now=clock.now(), via="api",
                          letter_id=found.id, kind=found.kind, version=found.version)
    return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True, download_name=found.filename)


@bp.post("/complaints/<int:complaint_id>/letters/<int:letter_id>/versions")
@login_required("practice", "handler")
def correct_letter(complaint_id: int, letter_id: int):
    """Make a corrected version of a letter from the case as it is now; the old one stays as it was."""
    complaint, found = _letter(complaint_id, letter_id)
    complaints.correct_letter(complaint, found, actor=current_user(), now=clock.now(), ctx=_ctx())
    return complaint_dict(complaint), 201


@bp.post("/complaints/<int:complaint_id>/letters/<int:letter_id>/upload")
@login_required("practice", "handler")
def upload_letter(complaint_id: int, letter_id: int):
    """Keep an uploaded .docx (multipart `file`, with `reason`) as the new version of a letter."""
    received = request.files.get("file")
    upload = attachments.Upload(received.filename or "", received.read()) if received else None
    letter = complaints.upload_letter(complaint_id, letter_id, request.form.get("reason"), upload,
                                      actor=current_user(), now=clock.now(), ctx=_ctx())
    return LetterOut().dump(letter), 201


@bp.post("/complaints/<int:complaint_id>/incident/retry")
@login_required("practice", "process_owner")
def retry_incident(complaint_id: int):
    """Retry the timers of a complaint whose timer step failed."""
    complaint = complaints.get_complaint(complaint_id, current_user())
    if complaint.incident is None:
        raise InvalidInput(errors={"incident": ["Deze klacht heeft geen storing."]})
    timers.retry_incident(complaint, actor=current_user().username, now=clock.now())
    return complaint_dict(complaint)


@bp.get("/process-versions")
@login_required("practice", "process_owner")
def list_versions():
    """List the deployed process versions."""
    rows = versions.all_versions()
    return ProcessVersionOut(many=True).dump(rows)


@bp.post("/process-versions")
@login_required("process_owner")
def deploy_version():
    """Validate a BPMN file (the request body) and deploy it as the next version."""
    version = deploy.deploy(request.get_data(), actor=current_user().username, now=clock.now(), ctx=_ctx(),
                            comment=request.args.get("comment", ""))
    return ProcessVersionOut().dump(version), 201


@bp.post("/complaints/<int:complaint_id>/attachments")
@login_required("practice", "handler")
def add_attachment(complaint_id: int):
    """Keep a file with a complaint (multipart field `file`: PDF, DOCX, PNG or JPEG)."""
    complaint = complaints.get_complaint(complaint_id, current_user())
    received = request.files.get("file")
    if received is None:
        raise InvalidInput(errors={"file": ["Kies een bestand."]})
    attachments.add_attachment(complaint, attachments.Upload(received.filename or "", received.read()),
                               actor=current_user(), now=clock.now(), ctx=_ctx())
    return complaint_dict(complaint), 201


@bp.get("/complaints/<int:complaint_id>/attachments/<int:attachment_id>")
@login_required()
def get_attachment(complaint_id: int, attachment_id: int):
    """Download a file kept with a complaint."""
    complaint = complaints.get_complaint(complaint_id, current_user())
    found = next((a for a in complaint.attachments if a.id == attachment_id), None)
    if found is None:
        raise NotFound("Bijlage niet gevonden.")
    content = privacy.attachment_content(found, _ctx())  # empty once retention erased it
    privacy.record_access(complaint_id, actor=current_user().username, action="attachment", now=clock.now(),
                          via="api", attachment_id=found.id, filename=found.filename)
    return send_file(io.BytesIO(content), mimetype=found.content_type, as_attachment=True,
                     download_name=attachments.download_name(found))


# ---------------------------------------------------------------- classification and analysis


@bp.put("/complaints/<int:complaint_id>/classification")
@login_required("practice")
def classify(complaint_id: int):
    """Set the category and/or outcome of a complaint (practice)."""
    payload = load(ClassificationSchema(), json_body())
    complaint = classification.classify(complaint_id, payload, actor=current_user(), now=clock.now())
    return complaint_dict(complaint)


@bp.get("/categories")
@login_required()
def list_categories():
    """The practice's complaint categories, in order (active and inactive)."""
    return [{"id": c.id, "name": c.name, "active": c.active} for c in classification.list_categories()]


@bp.post("/categories")
@login_required("practice")
def add_category():
    """Add a category (practice)."""
    payload = load(CategorySchema(partial=("active",)), json_body())
    category = classification.add_category(payload["name"], actor=current_user(), now=clock.now())
    return {"id": category.id, "name": category.name, "active": category.active}, 201


@bp.put("/categories/<int:category_id>")
@login_required("practice")
def change_category(category_id: int):
    """Rename and/or (de)activate a category (practice)."""
    payload = load(CategorySchema(partial=True), json_body())
    category = classification.change_category(category_id, name=payload.get("name"), active=payload.get("active"),
                                               actor=current_user(), now=clock.now())
    return {"id": category.id, "name": category.name, "active": category.active}


def _analysis_figures():
    filters = parse_filters(request.args)
    figures = analysis.figures(filters, recurrence_months=_ctx().recurrence_months)
    return analysis.for_viewer(figures, current_user())


@bp.get("/analysis")
@login_required("practice", "process_owner")
def get_analysis():
    """The figures of the quality analysis for a period and filters; small counts as "<5" outside the practice."""
    return jsonable(_analysis_figures())


@bp.get("/analysis/export.csv")
@login_required("practice")
def export_analysis():
    """One anonymised row per complaint received in the period (CSV): exact, so for the practice only."""
    filters = parse_filters(request.args)
    return analysis_csv_response(analysis.export_rows(filters, secret_bytes()))
