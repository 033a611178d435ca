"""Drafts of the process diagram: stored whatever their problems, deployed only when they have none."""

from datetime import datetime

from sqlalchemy import select

from service.context import Context
from service.errors import DeployRejected, InvalidInput, NotFound
from service.extensions import db, transaction
from service.models import ProcessDraft, ProcessVersion
from service.process import deploy
from service.process.validation import Problem, check_file
from service.workflow.versions import find_version

MAX_NAME_LENGTH = 200
DEFAULT_NAME = "Concept"
REFUSED = "Dit bestand wordt niet opgeslagen, ook niet als concept."


def list_drafts() -> list[ProcessDraft]:
    """Return every draft, the most recently changed first (without their XML)."""
    return list(db.session.scalars(select(ProcessDraft).order_by(ProcessDraft.updated_at.desc(),
                                                                  ProcessDraft.id.desc())))


def get_draft(draft_id: int) -> ProcessDraft:
    """Return a draft or raise NotFound."""
    draft = db.session.get(ProcessDraft, draft_id)
    if draft is None:
        raise NotFound("Concept niet gevonden.")
    return draft


def problems_of(draft: ProcessDraft, ctx: Context) -> list[Problem]:
    """Return what keeps a draft from being deployed now (forms and templates as they are now)."""
    return deploy.check(draft.bpmn_xml.encode("utf-8"), ctx)


def _storable(xml: bytes, ctx: Context) -> str:
    """Return the XML as text, or refuse (422) a file that must never be stored: too large, DTD, not UTF-8."""
    problems = check_file(xml, max_bytes=ctx.max_bpmn_bytes)
    if problems:
        raise DeployRejected(problems, REFUSED)
    return xml.decode("utf-8")


def _name(name: str | None, default: str) -> str:
    name = (name or "").strip() or default
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(errors={"name": [f"Gebruik hoogstens {MAX_NAME_LENGTH} tekens."]})
    return name


@transaction
def create_draft(xml: bytes, *, name: str | None, base_version: int | None, actor: str, now: datetime,
                 ctx: Context) -> ProcessDraft:
    """Store a new draft, also when it has problems."""
    name = _name(name, DEFAULT_NAME)
    if base_version is not None and find_version(ctx.process_id, base_version) is None:
        raise InvalidInput(errors={"base_version": ["Deze procesversie bestaat niet."]})
    draft = ProcessDraft(name=name, bpmn_xml=_storable(xml, ctx), updated_at=now, updated_by=actor,
                         base_version=base_version)
    db.session.add(draft)
    db.session.flush()
    return draft


@transaction
def update_draft(draft_id: int, xml: bytes, *, name: str | None, actor: str, now: datetime,
                 ctx: Context) -> ProcessDraft:
    """Replace the diagram of a draft (and rename it when a name is given), also when it has problems."""
    draft = get_draft(draft_id)
    draft.name = _name(name, draft.name)
    draft.bpmn_xml = _storable(xml, ctx)
    draft.updated_at = now
    draft.updated_by = actor
    return draft


@transaction
def delete_draft(draft_id: int) -> None:
    """Remove a draft."""
    db.session.delete(get_draft(draft_id))


def deploy_draft(draft_id: int, *, comment: str, actor: str, now: datetime, ctx: Context) -> ProcessVersion:
    """Deploy a draft as the next version, or raise DeployRejected with its problems (nothing deployed)."""
    draft = get_draft(draft_id)
    return deploy.deploy(draft.bpmn_xml.encode("utf-8"), actor=actor, now=now, ctx=ctx,
                         comment=comment or f"Concept '{draft.name}'", origin={"draft": draft.id})
