"""The OpenAPI 3 description of the JSON API, generated from the marshmallow schemas."""

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint

from service import analysis
from service.api import letter_templates as letter_template_api
from service.api import practice as practice_api
from service.api import privacy as privacy_api
from service.api import public as public_api
from service.api import reports as report_api
from service.api import reviews as review_api
from service.api import schemas
from service.models import OUTCOMES, SIGNAL_KINDS

bp = Blueprint("openapi", __name__)

_JSON = "application/json"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema: str | None = None, many: bool = False) -> dict:
    if schema is None:
        return {"description": description}
    body = {"type": "array", "items": _ref(schema)} if many else _ref(schema)
    return {"description": description, "content": {_JSON: {"schema": body}}}


def _errors(*codes: int) -> dict:
    """The error answers of an operation; one that authenticates (401) can also be refused while logins for the
    username or the client address are throttled (429, with Retry-After)."""
    texts = {400: "Malformed request", 401: "Not authenticated", 403: "Wrong role or not your case",
             404: "Not found", 409: "State changed (task no longer open, concurrent change)",
             422: "Field errors; nothing was changed", 429: "Too many failed logins; try again after Retry-After"}
    if 401 in codes and 429 not in codes:
        codes = (*codes, 429)
    return {str(c): _answer(texts[c], "Error") for c in codes}


def _body(schema: str) -> dict:
    return {"required": True, "content": {_JSON: {"schema": _ref(schema)}}}


def build_spec() -> dict:
    """Return the OpenAPI document as a dict."""
    spec = APISpec(title="klachtenregeling", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Complaints handling of MVZLoopbaancoaching (see CONTRACT.md)."})
    for name, schema in [
        ("Task", schemas.TaskOut), ("ComplaintCreate", schemas.ComplaintCreateSchema),
        ("ExtensionCreate", schemas.ExtensionCreateSchema),
        ("WithdrawalCreate", schemas.WithdrawalCreateSchema),
        ("DelayNoticeCreate", schemas.DelayNoticeCreateSchema),
        ("HandlerReplace", schemas.HandlerReplaceSchema),
        ("ClientDetails", schemas.ClientDetailsSchema),
        ("RegistrationCorrection", schemas.RegistrationCorrectionSchema),
        ("NoteCreate", schemas.NoteCreateSchema), ("Note", schemas.NoteOut), ("Letter", schemas.LetterOut),
        ("SignalCreate", schemas.SignalCreateSchema), ("Signal", schemas.SignalOut),
        ("EscalationCreate", schemas.EscalationCreateSchema), ("Complaint", schemas.ComplaintOut),
        ("ComplaintSummary", schemas.ComplaintSummaryOut),
        ("Error", schemas.ErrorOut), ("ProcessVersion", schemas.ProcessVersionOut),
        ("Problem", schemas.ProblemOut), ("Problems", schemas.ProblemsOut), ("Rejected", schemas.RejectedOut),
        ("DraftSummary", schemas.DraftSummaryOut), ("DraftSaved", schemas.DraftSavedOut),
        ("Draft", schemas.DraftOut), ("Diff", schemas.DiffOut), ("MigrationItem", schemas.MigrationItemOut),
        ("MigrationResult", schemas.MigrationResultOut),
        ("Classification", schemas.ClassificationSchema), ("Category", schemas.CategorySchema),
        ("CategoryOut", schemas.CategoryOut),
    ]:
        spec.components.schema(name, schema=schema)
    spec.components.security_scheme("basic", {"type": "http", "scheme": "basic"})
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    complaint_id = {"name": "complaint_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    paging = [
        {"name": "limit", "in": "query", "description": "Rows per page (422 outside 1..500)",
         "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100}},
        {"name": "offset", "in": "query", "description": "Rows to skip (422 below 0)",
         "schema": {"type": "integer", "minimum": 0, "maximum": 1_000_000_000, "default": 0}}]
    page_headers = {
        "X-Total-Count": {"description": "The number of rows of the whole list", "schema": {"type": "integer"}},
        "Link": {"description": 'The next page as <URL>; rel="next", only when rows follow',
                 "schema": {"type": "string"}}}
    spec.path("/api/session", operations={
        "post": {"summary": "Log in: the session cookie then authenticates API calls (throttled: 429)",
                 "security": [],
                 "requestBody": {"required": True, "content": {_JSON: {"schema": {
                     "type": "object", "required": ["username", "password"],
                     "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
                 "responses": {"200": {"description": "Logged in", "content": {_JSON: {"schema": {
                     "type": "object", "properties": {"username": {"type": "string"},
                                                      "roles": {"type": "array", "items": {"type": "string"}},
                                                      "at": {"type": "string", "format": "date-time"}}}}}},
                               **_errors(400, 422, 429)}},
        "delete": {"summary": "Log out: the session ends on the server (the same cookie then gets 401)",
                   "responses": {"204": {"description": "Logged out"}}}})
    spec.path("/api/complaints", operations={
        "post": {"summary": "Register a complaint", "requestBody": _body("ComplaintCreate"),
                 "responses": {"201": _answer("Registered", "Complaint"), **_errors(400, 401, 403, 422)}},
        "get": {"summary": "A page of the complaints the caller may see, newest received first unless sorted",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"type": "string",
                                                                 "enum": ["open", "resolved", "closed",
                                                                          "withdrawn"]}},
                    {"name": "overdue", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]}},
                    {"name": "sort", "in": "query", "description": "received (default, newest first), due "
                     "(earliest next due date first) or status (open, resolved, closed, withdrawn)",
                     "schema": {"type": "string", "enum": ["received", "due", "status"], "default": "received"}},
                    *paging],
                "responses": {"200": {**_answer("Complaints", "ComplaintSummary", many=True),
                                      "headers": page_headers}, **_errors(401, 422)}},
    })
    spec.path("/api/complaints/{complaint_id}", operations={"get": {
        "summary": "One complaint", "parameters": [complaint_id],
        "responses": {"200": _answer("The complaint", "Complaint"), **_errors(401, 403, 404)}}})
    spec.path("/api/tasks", operations={"get": {
        "summary": "A page of the open tasks the caller may complete, earliest due first (then created, id)",
        "parameters": paging,
        "responses": {"200": {**_answer("Tasks", "Task", many=True), "headers": page_headers},
                      **_errors(401, 422)}}})
    spec.path("/api/tasks/{task_id}", operations={"post": {
        "summary": "Complete a task with the fields of its form (forms/<task>.json)",
        "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {_JSON: {"schema": {"type": "object"}}}},
        "responses": {"200": _answer("The complaint", "Complaint"), **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/tasks/{task_id}/letter-preview", operations={"post": {
        "summary": "The letters completing the task with these fields would make; nothing is stored",
        "parameters": [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {_JSON: {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "The letters, each a .docx in base64", "content": {_JSON: {"schema": {
            "type": "object", "properties": {"letters": {"type": "array", "items": {"type": "object", "properties": {
                "kind": {"type": "string"}, "filename": {"type": "string"},
                "content_base64": {"type": "string", "format": "byte"}}}}}}}}},
                      **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/extensions", operations={"post": {
        "summary": "Extend the call-report term", "parameters": [complaint_id],
        "requestBody": _body("ExtensionCreate"),
        "responses": {"201": _answer("Extended", "Complaint"), **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/delay-notices", operations={"post": {
        "summary": "Tell the complainant why the call report is late, once its term has passed",
        "parameters": [complaint_id], "requestBody": _body("DelayNoticeCreate"),
        "responses": {"201": _answer("Sent", "Complaint"), **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/signals", operations={
        "post": {"summary": "Record an informal signal or a complaint resolved early (practice; analysis only)",
                 "requestBody": _body("SignalCreate"),
                 "responses": {"201": _answer("Recorded", "Signal"), **_errors(400, 401, 403, 422)}},
        "get": {"summary": "The latest signals", "responses": {"200": _answer("Signals", "Signal", many=True),
                                                               **_errors(401, 403)}}})
    spec.path("/api/complaints/{complaint_id}/handler", operations={"post": {
        "summary": "Appoint another handler (practice), with a reason; open handler tasks follow",
        "parameters": [complaint_id], "requestBody": _body("HandlerReplace"),
        "responses": {"200": _answer("Reassigned", "Complaint"), **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/commissioning-client", operations={"put": {
        "summary": "Record the commissioning client's postal address and contact person (practice, own handler)",
        "parameters": [complaint_id], "requestBody": _body("ClientDetails"),
        "responses": {"200": _answer("Recorded", "Complaint"), **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/registration", operations={"patch": {
        "summary": "Correct the registration with a reason (practice): the complainant's address, e-mail and phone, "
                   "the commissioning client, the personal-data flag. A key left out stays as it is; the history "
                   "records each changed field from and to; 422 when nothing changes",
        "parameters": [complaint_id], "requestBody": _body("RegistrationCorrection"),
        "responses": {"200": _answer("Corrected", "Complaint"), **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/notes", operations={"post": {
        "summary": "Add a dated note to the case (practice, own handler): a phone call, an e-mail, a meeting, a "
                   "letter or other; not dated in the future",
        "parameters": [complaint_id], "requestBody": _body("NoteCreate"),
        "responses": {"201": _answer("Added; the complaint with its notes", "Complaint"),
                      **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/withdrawal", operations={"post": {
        "summary": "Record the withdrawal of a complaint: its process stops, nothing more falls due",
        "parameters": [complaint_id], "requestBody": _body("WithdrawalCreate"),
        "responses": {"201": _answer("Withdrawn", "Complaint"), **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/escalations", operations={"post": {
        "summary": "Register an escalation", "parameters": [complaint_id],
        "requestBody": _body("EscalationCreate"),
        "responses": {"201": _answer("Escalated", "Complaint"), **_errors(400, 401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/attachments", operations={"post": {
        "summary": "Keep a file with a complaint (PDF, DOCX, PNG or JPEG, checked by content)",
        "parameters": [complaint_id],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}},
        "responses": {"201": _answer("Kept", "Complaint"), **_errors(401, 403, 404, 422)}}})
    spec.path("/api/complaints/{complaint_id}/attachments/{attachment_id}", operations={"get": {
        "summary": "Download a kept file",
        "parameters": [complaint_id, {"name": "attachment_id", "in": "path", "required": True,
                                      "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "The file"}, **_errors(401, 403, 404)}}})
    letter_id = {"name": "letter_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    spec.path("/api/complaints/{complaint_id}/letters/{letter_id}", operations={"get": {
        "summary": "Download a letter as .docx (KL-2026-0001-ontvangstbevestiging.docx)",
        "parameters": [complaint_id, letter_id],
        "responses": {"200": {"description": "The Word document",
                              "content": {docx: {"schema": {"type": "string", "format": "binary"}}}},
                      **_errors(401, 403, 404)}}})
    spec.path("/api/complaints/{complaint_id}/letters/{letter_id}/versions", operations={"post": {
        "summary": "Make a corrected version of a letter from the case as it is now (practice, handler)",
        "parameters": [complaint_id, letter_id],
        "responses": {"201": _answer("The complaint with the new version", "Complaint"),
                      **_errors(401, 403, 404, 409)}}})
    spec.path("/api/complaints/{complaint_id}/letters/{letter_id}/upload", operations={"post": {
        "summary": "Keep an uploaded .docx as the new version of a letter, with the reason (practice, own handler); "
                   "checked by content and size, macros refused; one newer version per letter (409)",
        "parameters": [complaint_id, letter_id],
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file", "reason"],
            "properties": {"file": {"type": "string", "format": "binary"}, "reason": {"type": "string"}}}}}},
        "responses": {"201": _answer("The new version", "Letter"), **_errors(401, 403, 404, 409, 422)}}})
    spec.path("/api/complaints/{complaint_id}/incident/retry", operations={"post": {
        "summary": "Make a complaint's failed timer step due again; the next tick retries it",
        "parameters": [complaint_id],
        "responses": {"200": _answer("The complaint", "Complaint"), **_errors(401, 403, 404, 422)}}})
    spec.path("/api/process-versions", operations={
        "get": {"summary": "Deployed versions",
                "responses": {"200": _answer("Versions", "ProcessVersion", many=True), **_errors(401, 403)}},
        "post": {"summary": "Validate and deploy a BPMN file as the next version",
                 "requestBody": {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}},
                 "responses": {"201": _answer("Deployed", "ProcessVersion"), **_errors(401, 403),
                               "422": _answer("Refused, with every problem of the diagram", "Rejected")}}})
    _process_paths(spec)
    report_api.describe(spec, _errors)
    review_api.describe(spec, _errors, _answer)
    letter_template_api.describe(spec, _errors, _answer)
    practice_api.describe(spec, _errors, _answer)
    privacy_api.describe(spec, _errors, _answer)
    public_api.describe(spec, _errors, _answer)
    _analysis_paths(spec)
    spec.options["security"] = [{"basic": []}, {"session": []}]
    return spec.to_dict()


def _analysis_schema() -> dict:
    """The shape of GET /api/analysis (docs/api.md explains each figure)."""
    count = {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [analysis.SUPPRESSED]}],
             "nullable": True,
             "description": "A count; outside the practice role \"<5\" for 1 to 4, and null where it would let a "
                            "small count be worked out by difference"}
    share = {"type": "number", "nullable": True, "description": "0..1; null without data or when suppressed"}
    days = {"type": "number", "nullable": True}

    def obj(properties: dict, **extra) -> dict:
        return {"type": "object", "properties": properties, "required": sorted(properties), **extra}

    def per_key(keys, value: dict) -> dict:
        return obj({key: value for key in keys})

    bucket = obj({"period": {"type": "string"}, "received": count, "closed": count,
                  "change": {"type": "integer", "nullable": True},
                  "change_pct": {"type": "number", "nullable": True}})
    return obj({
        "period": obj({"from": {"type": "string", "format": "date", "nullable": True},
                       "to": {"type": "string", "format": "date", "nullable": True}}),
        "filters": obj({"date_from": {"type": "string", "format": "date", "nullable": True},
                        "date_to": {"type": "string", "format": "date", "nullable": True},
                        "category_id": {"type": "integer", "nullable": True},
                        "coach": {"type": "string", "nullable": True},
                        "client_kind": {"type": "string", "nullable": True}}),
        "as_of": {"type": "string", "format": "date"},
        "received": count,
        "closed": count,
        "closed_of_cohort": count,
        "closed_from_earlier": count,
        "open_at_end": obj({"count": count, "median_age_days": days, "oldest_age_days": days}),
        "escalated_complaints": count,
        "extensions": obj({"complaints": count, "count": count}),
        "by_category_outcome": {"type": "array", "items": obj({
            "category_id": {"type": "integer", "nullable": True}, "name": {"type": "string", "nullable": True},
            "received": count, "founded": count, "partly_founded": count, "unfounded": count,
            "not_taken_into_handling": count, "other": count})},
        "categories": {"type": "array", "items": obj({
            "category_id": {"type": "integer", "nullable": True}, "name": {"type": "string", "nullable": True},
            "active": {"type": "boolean"}, "count": count})},
        "outcomes": per_key((*OUTCOMES, "none"), count),
        "deadlines": per_key(analysis.DEADLINES, obj({"decided": count, "on_time": count, "share": share})),
        "lead_times": per_key(analysis.LEAD_TIMES,
                              obj({"count": count, "median": days, "p90": days})),
        "satisfaction": obj({"called": count, "satisfied": count, "share": share, "carried_out": count}),
        "preventive_measures": obj({"recorded": count, "measures": {"type": "array", "items": {
            "type": "object", "properties": {
                "reference": {"type": "string", "description": "practice role only"},
                "category_id": {"type": "integer", "nullable": True}, "name": {"type": "string", "nullable": True},
                "text": {"type": "string"}, "recorded_on": {"type": "string", "format": "date"},
                "judged_from": {"type": "string", "format": "date"}, "complaints_after": count,
                "verdict": {"type": "string", "enum": ["recurred", "no_recurrence", "too_recent", "no_category"]}}}},
            "per_category": {"type": "array", "items": obj({
                "category_id": {"type": "integer", "nullable": True}, "name": {"type": "string", "nullable": True},
                "measures": count, "last_recorded_on": {"type": "string", "format": "date", "nullable": True},
                "complaints_after": count, "recurred": {"type": "boolean", "nullable": True},
                "verdict": {"type": "string"}})}}),
        "escalations": per_key(analysis.ROUTES, count),
        "signals": per_key(SIGNAL_KINDS, count),
        "trend": obj({"months": {"type": "array", "items": bucket}, "quarters": {"type": "array", "items": bucket}}),
    })


def _analysis_paths(spec: APISpec) -> None:
    """Describe classification, the category list and the analysis (see docs/api.md for the figures)."""
    spec.components.schema("Analysis", _analysis_schema())
    category_id = {"name": "category_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    complaint_id = {"name": "complaint_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    filters = [{"name": name, "in": "query", "required": False, "schema": {"type": kind}} for name, kind in (
        ("from", "string"), ("to", "string"), ("year", "integer"), ("quarter", "integer"),
        ("category", "integer"), ("coach", "string"), ("client_kind", "string"))]
    spec.path("/api/complaints/{complaint_id}/classification", operations={"put": {
        "summary": "Set the category and/or outcome of a complaint (practice)", "parameters": [complaint_id],
        "requestBody": _body("Classification"),
        "responses": {"200": _answer("Classified", "Complaint"), **_errors(400, 401, 403, 404, 422)}}})
    spec.path("/api/categories", operations={
        "get": {"summary": "The practice's complaint categories",
                "responses": {"200": _answer("Categories", "CategoryOut", many=True), **_errors(401)}},
        "post": {"summary": "Add a category (practice)", "requestBody": _body("Category"),
                 "responses": {"201": _answer("Added", "CategoryOut"), **_errors(400, 401, 403, 422)}}})
    spec.path("/api/categories/{category_id}", operations={"put": {
        "summary": "Rename and/or (de)activate a category (practice)", "parameters": [category_id],
        "requestBody": _body("Category"),
        "responses": {"200": _answer("Changed", "CategoryOut"), **_errors(400, 401, 403, 404, 422)}}})
    spec.path("/api/analysis", operations={"get": {
        "summary": "The quality analysis of a period (counts under 5 as \"<5\" outside the practice)",
        "parameters": filters,
        "responses": {"200": _answer("The figures (docs/api.md)", "Analysis"), **_errors(401, 403, 422)}}})
    spec.path("/api/analysis/export.csv", operations={"get": {
        "summary": "One anonymised row per complaint received in the period", "parameters": filters,
        "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                      **_errors(401, 403, 422)}}})


def _process_paths(spec: APISpec) -> None:
    """Describe the process owner's calls: versions, diff, redeploy, migration, drafts, validation."""
    number = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}
    draft_id = {"name": "draft_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    xml_body = {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}}
    rejected = {"422": _answer("Problems (errors.bpmn in Dutch, problems with both languages); nothing changed",
                               "Rejected")}

    def query(name: str, kind: str = "string", required: bool = False) -> dict:
        return {"name": name, "in": "query", "required": required, "schema": {"type": kind}}

    spec.path("/api/process-versions/{number}/bpmn", operations={"get": {
        "summary": "The BPMN XML of a version", "parameters": [number],
        "responses": {"200": {"description": "The diagram",
                              "content": {"application/xml": {"schema": {"type": "string"}}}},
                      **_errors(401, 403, 404)}}})
    spec.path("/api/process-versions/diff", operations={"get": {
        "summary": "Compare the elements of two versions",
        "parameters": [query("from", "integer", True), query("to", "integer", True)],
        "responses": {"200": _answer("Added, removed and changed elements", "Diff"),
                      **_errors(401, 403, 404, 422)}}})
    spec.path("/api/process-versions/{number}/redeploy", operations={"post": {
        "summary": "Deploy the diagram of a version again as the next version", "parameters": [number,
                                                                                            query("comment")],
        "responses": {"201": _answer("Deployed", "ProcessVersion"), **_errors(401, 403, 404), **rejected}}})
    spec.path("/api/process-versions/{number}/migration", operations={
        "get": {"summary": "Which running complaints on older versions can safely move to this version",
                "parameters": [number],
                "responses": {"200": _answer("One item per running complaint", "MigrationItem", many=True),
                              **_errors(401, 403, 404)}},
        "post": {"summary": "Move every complaint that can safely move to this version",
                 "parameters": [number],
                 "responses": {"200": _answer("One item per running complaint", "MigrationResult", many=True),
                               **_errors(401, 403, 404)}}})
    spec.path("/api/process-validate", operations={"post": {
        "summary": "Check a diagram as a deploy would, storing nothing", "requestBody": xml_body,
        "responses": {"200": _answer("Every problem (empty: deployable)", "Problems"), **_errors(401, 403)}}})
    spec.path("/api/process-drafts", operations={
        "get": {"summary": "Drafts, most recently changed first",
                "responses": {"200": _answer("Drafts", "DraftSummary", many=True), **_errors(401, 403)}},
        "post": {"summary": "Store a draft, also when it has problems",
                 "parameters": [query("name"), query("base_version", "integer")], "requestBody": xml_body,
                 "responses": {"201": _answer("Stored, with its problems", "DraftSaved"), **_errors(401, 403),
                               **rejected}}})
    spec.path("/api/process-drafts/{draft_id}", operations={
        "get": {"summary": "A draft with its XML and problems", "parameters": [draft_id],
                "responses": {"200": _answer("The draft", "Draft"), **_errors(401, 403, 404)}},
        "put": {"summary": "Replace a draft's diagram (and name)", "parameters": [draft_id, query("name")],
                "requestBody": xml_body,
                "responses": {"200": _answer("The draft", "Draft"), **_errors(401, 403, 404), **rejected}},
        "delete": {"summary": "Remove a draft", "parameters": [draft_id],
                   "responses": {"204": {"description": "Removed"}, **_errors(401, 403, 404)}}})
    spec.path("/api/process-drafts/{draft_id}/deploy", operations={"post": {
        "summary": "Deploy a draft as the next version", "parameters": [draft_id, query("comment")],
        "responses": {"201": _answer("Deployed", "ProcessVersion"), **_errors(401, 403, 404), **rejected}}})


@bp.get("/api/openapi.json")
def openapi_json():
    """Serve the OpenAPI description."""
    return build_spec()

