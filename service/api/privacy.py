"""The AVG endpoints (CONTRACT.md "Privacy (AVG)"): the complainant's export, the access log and the hold."""

from flask import Blueprint, current_app

from service import clock, complaints, privacy
from service.api.auth import current_user, login_required
from service.api.http import json_body
from service.api.presenters import complaint_dict
from service.api.schemas import AccessLogOut, RetentionHoldSchema, load

bp = Blueprint("privacy_api", __name__, url_prefix="/api")
_access_out = AccessLogOut(many=True)


@bp.get("/complaints/<int:complaint_id>/export")
@login_required("practice")
def export_complaint(complaint_id: int):
    """Everything stored about the complainant in this complaint, letters and attachments as base64; logged."""
    return privacy.export_complaint(complaint_id, actor=current_user(), now=clock.now(),
                                    ctx=current_app.extensions["klachten"])


@bp.get("/complaints/<int:complaint_id>/access-log")
@login_required("practice")
def access_log(complaint_id: int):
    """Who viewed the complaint, downloaded its letters or attachments, or exported it; oldest first."""
    complaint = complaints.get_complaint(complaint_id, current_user())
    return _access_out.dump(privacy.access_entries(complaint.id))


@bp.put("/complaints/<int:complaint_id>/hold")
@login_required("practice")
def set_hold(complaint_id: int):
    """Keep the complaint from retention (`hold` true, with a `reason`) or release it."""
    payload = load(RetentionHoldSchema(), json_body())
    complaint = privacy.set_hold(complaint_id, payload, actor=current_user(), now=clock.now())
    return complaint_dict(complaint)


def _rows(description: str, extra: dict | None = None) -> dict:
    """A list of stored rows, each with its columns (and extra properties) as in the database."""
    return {"type": "array", "description": description,
            "items": {"type": "object", "additionalProperties": True, "properties": extra or {}}}


_BASE64 = {"content_base64": {"type": "string", "format": "byte", "description": "the file's bytes, base64"}}
EXPORT_SCHEMA = {
    "type": "object",
    "required": ["exported_at", "complaint", "submissions", "history", "deadlines", "escalations", "notes",
                 "letters", "attachments"],
    "properties": {
        "exported_at": {"type": "string", "format": "date-time"},
        "exported_by": {"type": "string"},
        "complaint": {"type": "object", "additionalProperties": True,
                      "description": "every column of the complaint: the registration, status, dates, outcome"},
        "category": {"type": "string", "nullable": True},
        "submissions": _rows("every task's submitted fields, in order"),
        "history": _rows("the audit trail"),
        "deadlines": _rows("the deadlines"),
        "extensions": _rows("extensions of the call-report term"),
        "delay_notices": _rows("delay notices"),
        "escalations": _rows("escalations"),
        "notes": _rows("dated notes on the case"),
        "letters": _rows("every letter: its metadata and the .docx", _BASE64),
        "attachments": _rows("every kept file: its metadata and its bytes", _BASE64),
        "access_log": _rows("who viewed, downloaded or exported the complaint"),
    },
}


def describe(spec, errors, answer) -> None:
    """Add this module's paths to the OpenAPI document (errors, answer: openapi._errors, openapi._answer)."""
    spec.components.schema("RetentionHold", schema=RetentionHoldSchema)
    spec.components.schema("AccessLogEntry", schema=AccessLogOut)
    spec.components.schema("ComplaintExport", EXPORT_SCHEMA)
    complaint_id = {"name": "complaint_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    spec.path("/api/complaints/{complaint_id}/export", operations={"get": {
        "summary": "Everything stored about the complainant in this complaint, letters and attachments as base64 "
                   "(practice); the export is logged in the access log",
        "parameters": [complaint_id],
        "responses": {"200": answer("The export", "ComplaintExport"), **errors(401, 403, 404)}}})
    spec.path("/api/complaints/{complaint_id}/access-log", operations={"get": {
        "summary": "Who viewed the complaint, downloaded its letters or attachments, or exported it; oldest first "
                   "(practice)",
        "parameters": [complaint_id],
        "responses": {"200": answer("The access log", "AccessLogEntry", many=True), **errors(401, 403, 404)}}})
    spec.path("/api/complaints/{complaint_id}/hold", operations={"put": {
        "summary": "Keep the complaint from retention (hold true, reason required) or release it (practice); "
                   "history event retention_hold",
        "parameters": [complaint_id],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/RetentionHold"}}}},
        "responses": {"200": answer("The complaint", "Complaint"), **errors(400, 401, 403, 404, 409, 422)}}})
