"""JSON API of the annual complaints report: its figures as the report shows them, or the .docx."""

import io

from apispec import APISpec
from flask import Blueprint, current_app, request, send_file

from service import clock
from service.analysis import annual_report
from service.api.auth import login_required
from service.errors import NotFound

bp = Blueprint("report_api", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR = 2000


@bp.get("/api/analysis/annual-report/<int:year>")
@login_required("practice")  # exact figures: for the practice only (analysis/disclosure.py)
def annual_report_of(year: int):
    """The annual report's context (JSON); with ?format=docx the Word document itself."""
    today = clock.local_date(clock.now())
    if not FIRST_YEAR <= year <= today.year:
        raise NotFound("Voor dit jaar is geen jaarverslag te maken.")
    if request.args.get("format") == "docx":
        content = annual_report.render(year, templates_dir=current_app.config["LETTER_TEMPLATES_DIR"],
                                       made_on=today)
        return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True,
                         download_name=annual_report.filename(year))
    return annual_report.report_context(year, made_on=today)


def describe(spec: APISpec, errors) -> None:
    """Add this module's paths to the OpenAPI document (errors: openapi._errors)."""
    spec.path("/api/analysis/annual-report/{year}", operations={"get": {
        "summary": "The annual complaints report of a year: its figures with Dutch labels, or ?format=docx",
        "parameters": [{"name": "year", "in": "path", "required": True, "schema": {"type": "integer"}},
                       {"name": "format", "in": "query", "required": False,
                        "schema": {"type": "string", "enum": ["json", "docx"]}}],
        "responses": {"200": {"description": "The report's context (JSON) or the Word document",
                              "content": {"application/json": {"schema": {"type": "object"}},
                                          DOCX: {"schema": {"type": "string", "format": "binary"}}}},
                      **errors(401, 403, 404)}}})
