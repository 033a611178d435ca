"""The complainant's side of the JSON API (issue 18): no login. The coaches to choose from, and filing a complaint.

The status page's JSON (`GET <status_url>` with Accept: application/json) and its posts are served by
web/public_views.py at the status URL itself.
"""

from flask import Blueprint, current_app

from service import clock
from service.api.auth import client_address
from service.api.http import json_body
from service.api.schemas import PUBLIC_EXCLUDED, PublicComplaintSchema, load
from service.errors import NotFound
from service.public import filing, links

bp = Blueprint("public_api", __name__, url_prefix="/api/public")


@bp.get("/coaches")
def coaches():
    """List the active coaches a complainant can choose: [{username, name}]."""
    if not filing.form_enabled():
        raise NotFound(filing.FORM_OFF)
    return [{"username": user.username, "name": user.display_name or user.username}
            for user in filing.active_coaches()]


@bp.post("/complaints")
def file_complaint():
    """File a complaint (no login): 201 with its reference and the status page's address."""
    now = clock.now()
    filing.check_open(client_address(), now)  # 404 and 429 before the body is judged
    payload = load(PublicComplaintSchema(exclude=PUBLIC_EXCLUDED), json_body())
    ctx = current_app.extensions["klachten"]
    complaint, token = filing.file_complaint(payload, address=client_address(), now=now, ctx=ctx)
    return {"reference": complaint.reference, "status_url": links.status_url(ctx.mail.base_url, token)}, 201


def describe(spec, errors, answer) -> None:
    """Add the complainant's side to the OpenAPI document: the public API and the status page's JSON."""
    from service.api import schemas

    spec.components.schema("PublicComplaintCreate", schema=schemas.PublicComplaintSchema(exclude=PUBLIC_EXCLUDED))
    spec.components.schema("PublicCoach", schema=schemas.PublicCoachOut)
    spec.components.schema("PublicFiled", schema=schemas.PublicFiledOut)
    spec.components.schema("Status", schema=schemas.StatusOut)
    spec.components.schema("StatusMessage", schema=schemas.StatusMessageSchema)
    spec.components.schema("StatusWithdrawal", schema=schemas.StatusWithdrawalSchema)
    too_many = {"429": answer("Too many complaints from this client address within an hour (Retry-After)", "Error")}
    spec.path("/api/public/coaches", operations={"get": {
        "summary": "The active coaches a complainant can choose (no login; 404 while the public form is off)",
        "security": [], "responses": {"200": answer("Coaches", "PublicCoach", many=True), **errors(404)}}})
    spec.path("/api/public/complaints", operations={"post": {
        "summary": "File a complaint without login: registered as written, received today, registered_by online; "
                   "5 per client address per hour; 404 while the public form is off",
        "security": [],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "$ref": "#/components/schemas/PublicComplaintCreate"}}}},
        "responses": {"201": answer("Filed: the reference and the status page's address", "PublicFiled"),
                      **errors(400, 404, 422), **too_many}}})
    token = {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}}
    html = {"text/html": {"schema": {"type": "string"}}}

    def with_html(response: dict) -> dict:
        """The status URL is also the Dutch page: without Accept: application/json it answers HTML."""
        return {**response, "content": {**response["content"], **html}}

    def post(summary: str, body: str) -> dict:
        return {"post": {"summary": summary, "security": [], "parameters": [token],
                         "requestBody": {"required": True, "content": {"application/json": {"schema": {
                             "$ref": f"#/components/schemas/{body}"}}}},
                         "responses": {"201": {"description": "Done", "content": {"application/json": {
                             "schema": {"type": "object"}}}}, **errors(400, 404, 409, 422)}}}

    spec.path("/klacht/{token}", operations={"get": {
        "summary": "The complainant's status page as JSON (the status_url; no login; every view is logged)",
        "description": "JSON with Accept: application/json; otherwise the same as a Dutch HTML page.",
        "security": [], "parameters": [token],
        "responses": {"200": with_html(answer("Only what concerns the complainant", "Status")),
                      "404": with_html(errors(404)["404"])}}})
    spec.path("/klacht/{token}/messages", operations=post(
        "Send a message to the handler; it is kept in the case's notes (409 once closed or withdrawn)",
        "StatusMessage"))
    spec.path("/klacht/{token}/withdrawal", operations=post(
        "Withdraw the complaint (written, today), with the confirmation letter (409 once closed or withdrawn)",
        "StatusWithdrawal"))
