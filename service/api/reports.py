"""JSON API of the annual complaints report: its figures as the report shows them, the .docx, the draft the
practice edits and the final versions it fixes."""

import io

from apispec import APISpec
from flask import Blueprint, current_app, request, send_file, url_for

from service import clock
from service.analysis import annual_report, annual_reports
from service.api.auth import current_user, login_required
from service.api.http import json_body
from service.errors import BadRequest
from service.models import AnnualReport

bp = Blueprint("report_api", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR = annual_reports.FIRST_YEAR


def _ctx():
    return current_app.extensions["klachten"]


@bp.get("/api/analysis/annual-report/<int:year>")
@login_required("practice")  # exact figures: for the practice only (analysis/disclosure.py)
def annual_report_of(year: int):
    """The annual report's context (JSON) from the year's draft; with ?format=docx the draft's Word document."""
    if request.args.get("format") == "docx":
        content = annual_reports.render_draft(year, actor=current_user(), now=clock.now(), ctx=_ctx())
        return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True,
                         download_name=annual_report.filename(year))
    return annual_reports.draft_context(year, actor=current_user(), now=clock.now(), ctx=_ctx())


def report_dict(report: AnnualReport | None) -> dict | None:
    """A draft or final version as the API shows it (without its bytes)."""
    if report is None:
        return None
    final = report.status == "final"
    return {
        "year": report.year, "version": report.version, "status": report.status,
        "conclusions": report.conclusions, "signed_by_name": report.signed_by_name,
        "signed_by_function": report.signed_by_function, "place": report.place,
        "fixed_on": report.fixed_on.isoformat() if report.fixed_on else None,
        "sha256": report.sha256, "created_at": report.created_at.isoformat(), "created_by": report.created_by,
        "finalised_at": report.finalised_at.isoformat() if report.finalised_at else None,
        "finalised_by": report.finalised_by,
        "download": url_for("report_api.annual_report_version", year=report.year, number=report.version)
        if final else None,
    }


@bp.get("/api/analysis/annual-reports/<int:year>")
@login_required(annual_reports.ROLE)
def annual_report_versions(year: int):
    """The year's draft (or null, with the values a new draft would start from) and its final versions."""
    draft, finals, values = annual_reports.overview(year, actor=current_user(), today=clock.local_date(clock.now()))
    return {"year": year, "draft": report_dict(draft), "proposal": None if draft is not None else values,
            "versions": [report_dict(report) for report in finals]}


@bp.put("/api/analysis/annual-reports/<int:year>/draft")
@login_required(annual_reports.ROLE)
def save_annual_report_draft(year: int):
    """Start or update the year's draft: conclusions, signed_by_name, signed_by_function, place."""
    body = json_body()
    if not isinstance(body, dict):
        raise BadRequest("Stuur een JSON-object.")
    draft = annual_reports.save_draft(year, body, actor=current_user(), now=clock.now())
    return report_dict(draft)


@bp.post("/api/analysis/annual-reports/<int:year>/final")
@login_required(annual_reports.ROLE)
def finalise_annual_report(year: int):
    """Make the year's draft final: the report is rendered once and kept as it is."""
    report = annual_reports.finalise(year, actor=current_user(), now=clock.now(), ctx=_ctx())
    return report_dict(report), 201, {"Location": url_for("report_api.annual_report_version", year=year,
                                                          number=report.version)}


@bp.get("/api/analysis/annual-reports/<int:year>/versions/<int:number>.docx")
@login_required(annual_reports.ROLE)
def annual_report_version(year: int, number: int):
    """A final version's Word document, exactly as it was made final."""
    report = annual_reports.final_version(year, number, actor=current_user())
    response = send_file(io.BytesIO(report.content), mimetype=DOCX, as_attachment=True,
                         download_name=annual_report.filename(year, number))
    response.headers["X-Content-SHA256"] = report.sha256
    return response


_YEAR = {"name": "year", "in": "path", "required": True, "schema": {"type": "integer", "minimum": FIRST_YEAR}}
_TEXT = {"type": "string"}
_REPORT = {"type": "object", "properties": {
    "year": {"type": "integer"}, "version": {"type": "integer"},
    "status": {"type": "string", "enum": ["draft", "final"]},
    "conclusions": {"type": "string", "maxLength": annual_reports.MAX_LENGTH["conclusions"]},
    "signed_by_name": _TEXT, "signed_by_function": _TEXT, "place": _TEXT,
    "fixed_on": {"type": "string", "format": "date", "nullable": True},
    "sha256": {"type": "string", "nullable": True, "description": "SHA-256 of the final .docx"},
    "created_at": {"type": "string", "format": "date-time"}, "created_by": _TEXT,
    "finalised_at": {"type": "string", "format": "date-time", "nullable": True},
    "finalised_by": {"type": "string", "nullable": True},
    "download": {"type": "string", "nullable": True, "description": "the final version's .docx"}}}
_FIELDS = {"type": "object", "additionalProperties": False, "properties": {
    name: {"type": "string", "maxLength": length} for name, length in annual_reports.MAX_LENGTH.items()}}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def describe(spec: APISpec, errors) -> None:
    """Add this module's paths to the OpenAPI document (errors: openapi._errors)."""
    spec.path("/api/analysis/annual-report/{year}", operations={"get": {
        "summary": "The annual complaints report of a year as the draft would print it (figures with Dutch labels, "
                   "conclusions, signature block), or ?format=docx: the Word document marked CONCEPT (practice)",
        "parameters": [_YEAR, {"name": "format", "in": "query", "required": False,
                               "schema": {"type": "string", "enum": ["json", "docx"]}}],
        "responses": {"200": {"description": "The report's context (JSON) or the Word document",
                              "content": {"application/json": {"schema": {"type": "object"}},
                                          DOCX: {"schema": {"type": "string", "format": "binary"}}}},
                      **errors(401, 403, 404)}}})
    spec.path("/api/analysis/annual-reports/{year}", operations={"get": {
        "summary": "The year's draft (null when none, with the proposal a new draft starts from) and its final "
                   "versions, newest first (practice)",
        "parameters": [_YEAR],
        "responses": {"200": _json("Draft and versions", {"type": "object", "properties": {
            "year": {"type": "integer"}, "draft": {**_REPORT, "nullable": True},
            "proposal": {**_FIELDS, "nullable": True}, "versions": {"type": "array", "items": _REPORT}}}),
            **errors(401, 403, 404)}}})
    spec.path("/api/analysis/annual-reports/{year}/draft", operations={"put": {
        "summary": "Start or update the year's draft; absent fields keep their value, a new draft starts from the "
                   "latest final version or the quarterly reviews' conclusions (practice)",
        "parameters": [_YEAR],
        "requestBody": {"required": True, "content": {"application/json": {"schema": _FIELDS}}},
        "responses": {"200": _json("The draft", _REPORT), **errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/analysis/annual-reports/{year}/final", operations={"post": {
        "summary": "Make the draft final: rendered once, kept with its SHA-256, never changed; 409 when there is no "
                   "draft, the year has not ended, or conclusions, name, function or place are empty (practice)",
        "parameters": [_YEAR],
        "responses": {"201": _json("The final version", _REPORT), **errors(401, 403, 404, 409)}}})
    spec.path("/api/analysis/annual-reports/{year}/versions/{number}.docx", operations={"get": {
        "summary": "A final version's Word document, byte for byte as it was made final (practice)",
        "parameters": [_YEAR, {"name": "number", "in": "path", "required": True,
                               "schema": {"type": "integer", "minimum": 1}}],
        "responses": {"200": {"description": "The Word document; header X-Content-SHA256",
                              "content": {DOCX: {"schema": {"type": "string", "format": "binary"}}}},
                      **errors(401, 403, 404)}}})
