"""JSON API of the letter templates: list, download, upload a changed one (checked), back to the standard, preview.

The practice and the process owner may read; only the process owner changes a template. A changed template is
used from the next process version on (POST /api/process-versions/<latest>/redeploy makes one).
"""

import io

from apispec import APISpec
from flask import Blueprint, current_app, request, send_file

from service import clock
from service.api.auth import current_user, login_required
from service.api.schemas import LetterTemplateOut
from service.errors import InvalidInput
from service.letters import editing

bp = Blueprint("letter_template_api", __name__, url_prefix="/api")

READERS = ("practice", "process_owner")
OWNER = "process_owner"
SOURCES = ("current", "standard")


def _ctx():
    return current_app.extensions["klachten"]


def _docx(content: bytes, filename: str):
    return send_file(io.BytesIO(content), mimetype=editing.DOCX, as_attachment=True, download_name=filename)


@bp.get("/letter-templates")
@login_required(*READERS)
def list_templates():
    """Every letter template: standard or changed (by whom, when), and whether the latest version uses it."""
    return LetterTemplateOut(many=True).dump([state.as_dict() for state in editing.list_templates(_ctx())])


@bp.get("/letter-templates/<name>")
@login_required(*READERS)
def download(name: str):
    """The template as it is now (the practice's upload, else the standard); ?source=standard the standard one."""
    source = request.args.get("source", "current")
    if source not in SOURCES:
        raise InvalidInput(errors={"source": [f"Kies één van: {', '.join(SOURCES)}."]})
    kind = editing.kind_of(name)
    return _docx(editing.template_content(kind, _ctx(), standard=source == "standard"), f"{kind}.docx")


@bp.put("/letter-templates/<name>")
@login_required(OWNER)
def upload(name: str):
    """Check the request body (a .docx) and keep it as the template of this letter; 422 lists every problem."""
    state, first = editing.upload_template(name, request.get_data(), actor=current_user().username,
                                           now=clock.now(), ctx=_ctx())
    return LetterTemplateOut().dump(state.as_dict()), 201 if first else 200


@bp.delete("/letter-templates/<name>")
@login_required(OWNER)
def reset(name: str):
    """Go back to the standard template of this letter (from the next process version on)."""
    state = editing.reset_template(name, actor=current_user().username, now=clock.now(), ctx=_ctx())
    return LetterTemplateOut().dump(state.as_dict())


@bp.get("/letter-templates/<name>/preview")
@login_required(*READERS)
def preview(name: str):
    """The template as it is now, filled with the sample case of its kind and marked VOORBEELD."""
    kind = editing.kind_of(name)
    return _docx(editing.preview(kind, _ctx()), f"{kind}-voorbeeld.docx")


def describe(spec: APISpec, errors, answer) -> None:
    """Add this module's paths to the OpenAPI document (errors, answer: openapi._errors, openapi._answer)."""
    spec.components.schema("LetterTemplate", schema=LetterTemplateOut)
    name = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
            "description": "The letter kind, e.g. eindverslag"}
    docx = {"description": "The Word document",
            "content": {editing.DOCX: {"schema": {"type": "string", "format": "binary"}}}}
    rejected = {"422": answer("Every problem of the template (errors.template, in Dutch); nothing was kept",
                              "Error")}
    spec.path("/api/letter-templates", operations={"get": {
        "summary": "The letter templates: standard or changed, and whether the latest process version uses them",
        "responses": {"200": answer("Templates", "LetterTemplate", many=True), **errors(401, 403)}}})
    spec.path("/api/letter-templates/{name}", operations={
        "get": {"summary": "Download a template as it is now (or ?source=standard)",
                "parameters": [name, {"name": "source", "in": "query", "required": False,
                                      "schema": {"type": "string", "enum": list(SOURCES)}}],
                "responses": {"200": docx, **errors(401, 403, 404, 422)}},
        "put": {"summary": "Upload a changed template (process owner); used from the next process version on",
                "parameters": [name],
                "requestBody": {"required": True, "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in (editing.DOCX, "application/octet-stream")}},
                "responses": {"201": answer("Kept; the letter was standard until now", "LetterTemplate"),
                              "200": answer("Kept; replaces the earlier change", "LetterTemplate"),
                              **errors(401, 403, 404), **rejected}},
        "delete": {"summary": "Back to the standard template (process owner), from the next process version on",
                   "parameters": [name],
                   "responses": {"200": answer("The template", "LetterTemplate"), **errors(401, 403, 404)}}})
    spec.path("/api/letter-templates/{name}/preview", operations={"get": {
        "summary": "The template as it is now filled with a fictional sample case, marked VOORBEELD",
        "parameters": [name], "responses": {"200": docx, **errors(401, 403, 404, 422)}}})
