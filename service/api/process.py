"""The JSON API of process versions and drafts, for the process owner: view, compare, redeploy, draft, migrate."""

from flask import Blueprint, Response, current_app, request

from service import clock
from service.api.auth import current_user, login_required
from service.api.schemas import (
    DiffOut,
    DraftOut,
    DraftSavedOut,
    DraftSummaryOut,
    MigrationItemOut,
    MigrationResultOut,
    ProblemsOut,
    ProcessVersionOut,
)
from service.errors import InvalidInput
from service.models import ProcessDraft
from service.process import deploy, drafts
from service.process import migration as process_migration
from service.process.diff import diff_versions
from service.workflow.versions import get_version

bp = Blueprint("process_api", __name__, url_prefix="/api")

OWNER = "process_owner"


def _ctx():
    return current_app.extensions["klachten"]


def _int_arg(name: str, *, required: bool) -> int | None:
    """Return a whole-number query parameter; 422 on that parameter when it is missing or not a number."""
    value = request.args.get(name)
    if value is None or value == "":
        if required:
            raise InvalidInput(errors={name: ["Dit veld is verplicht."]})
        return None
    if not value.isdigit() or len(value) > 9:
        raise InvalidInput(errors={name: ["Vul een versienummer in (een geheel getal)."]})
    return int(value)


def _problems(items) -> list[dict]:
    return [problem.as_dict() for problem in items]


def _draft(draft: ProcessDraft, *, with_bpmn: bool) -> dict:
    problems = _problems(drafts.problems_of(draft, _ctx()))
    fields = {"id": draft.id, "name": draft.name, "updated_at": draft.updated_at, "updated_by": draft.updated_by,
              "base_version": draft.base_version, "problems": problems}
    if with_bpmn:
        return DraftOut().dump({**fields, "bpmn": draft.bpmn_xml})
    return DraftSavedOut().dump(fields)


# ---------------------------------------------------------------- versions


@bp.get("/process-versions/<int:number>/bpmn")
@login_required(OWNER)
def version_bpmn(number: int):
    """Return the BPMN XML of a deployed version."""
    version = get_version(_ctx().process_id, number)
    return Response(version.bpmn_xml, mimetype="application/xml")


@bp.get("/process-versions/diff")
@login_required(OWNER)
def diff():
    """Compare the elements of two versions (?from=N&to=M): added, removed and changed."""
    numbers = {name: _int_arg(name, required=True) for name in ("from", "to")}
    old = get_version(_ctx().process_id, numbers["from"])
    new = get_version(_ctx().process_id, numbers["to"])
    return DiffOut().dump(diff_versions(old, new).as_dict())


@bp.post("/process-versions/<int:number>/redeploy")
@login_required(OWNER)
def redeploy(number: int):
    """Deploy the diagram of an earlier version again as the next version."""
    version = deploy.redeploy(number, actor=current_user().username, now=clock.now(), ctx=_ctx(),
                              comment=request.args.get("comment", ""))
    return ProcessVersionOut().dump(version), 201


@bp.get("/process-versions/<int:number>/migration")
@login_required(OWNER)
def migration_preview(number: int):
    """Tell for every running complaint on an older version whether it can safely move to this one."""
    found = process_migration.preview(number, now=clock.now(), ctx=_ctx())
    return MigrationItemOut(many=True).dump([item.as_dict() for item in found])


@bp.post("/process-versions/<int:number>/migration")
@login_required(OWNER)
def migrate(number: int):
    """Move every complaint that can safely move to this version; the others stay where they are."""
    found = process_migration.migrate(number, actor=current_user().username, now=clock.now(), ctx=_ctx())
    return MigrationResultOut(many=True).dump([item.as_dict(with_result=True) for item in found])


# ---------------------------------------------------------------- drafts and checks


@bp.post("/process-validate")
@login_required(OWNER)
def validate():
    """Check a diagram (the request body) as a deploy would, without storing anything."""
    xml = request.get_data()
    return ProblemsOut().dump({"problems": _problems(deploy.check(xml, _ctx()))})


@bp.get("/process-drafts")
@login_required(OWNER)
def list_drafts():
    """List the drafts, most recently changed first, without their XML."""
    return DraftSummaryOut(many=True).dump(drafts.list_drafts())


@bp.post("/process-drafts")
@login_required(OWNER)
def create_draft():
    """Store the request body as a new draft (?name=, ?base_version=); its problems come with the answer."""
    draft = drafts.create_draft(request.get_data(), name=request.args.get("name"),
                                base_version=_int_arg("base_version", required=False),
                                actor=current_user().username, now=clock.now(), ctx=_ctx())
    return _draft(draft, with_bpmn=False), 201


@bp.get("/process-drafts/<int:draft_id>")
@login_required(OWNER)
def get_draft(draft_id: int):
    """Return a draft with its XML and its problems."""
    return _draft(drafts.get_draft(draft_id), with_bpmn=True)


@bp.put("/process-drafts/<int:draft_id>")
@login_required(OWNER)
def update_draft(draft_id: int):
    """Replace a draft's diagram with the request body (and its name with ?name=)."""
    draft = drafts.update_draft(draft_id, request.get_data(), name=request.args.get("name"),
                                actor=current_user().username, now=clock.now(), ctx=_ctx())
    return _draft(draft, with_bpmn=True)


@bp.delete("/process-drafts/<int:draft_id>")
@login_required(OWNER)
def delete_draft(draft_id: int):
    """Remove a draft."""
    drafts.delete_draft(draft_id)
    return "", 204


@bp.post("/process-drafts/<int:draft_id>/deploy")
@login_required(OWNER)
def deploy_draft(draft_id: int):
    """Deploy a draft as the next version; 422 with its problems when it has any (nothing deployed)."""
    version = drafts.deploy_draft(draft_id, comment=request.args.get("comment", ""), actor=current_user().username,
                                  now=clock.now(), ctx=_ctx())
    return ProcessVersionOut().dump(version), 201
