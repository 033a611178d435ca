"""Deployed process versions: store, look up and parse (parsed definitions are cached by hash)."""

import hashlib
from datetime import datetime

from sqlalchemy import func, select

from service.errors import NotFound
from service.extensions import db
from service.models import ProcessVersion
from service.workflow import definitions


def all_versions(process_id: str | None = None, *, newest_first: bool = False) -> list[ProcessVersion]:
    """Return the deployed versions (of one process, or of all), by number."""
    query = select(ProcessVersion)
    if process_id is not None:
        query = query.where(ProcessVersion.process_id == process_id)
    order = ProcessVersion.number.desc() if newest_first else ProcessVersion.number
    return list(db.session.scalars(query.order_by(order)))


def latest_version(process_id: str) -> ProcessVersion | None:
    """Return the newest deployed version of a process, or None."""
    return db.session.scalar(
        select(ProcessVersion).where(ProcessVersion.process_id == process_id)
        .order_by(ProcessVersion.number.desc()).limit(1)
    )


def find_version(process_id: str, number: int) -> ProcessVersion | None:
    """Return a deployed version of a process by its number, or None."""
    return db.session.scalar(
        select(ProcessVersion).where(ProcessVersion.process_id == process_id, ProcessVersion.number == number)
    )


def get_version(process_id: str, number: int) -> ProcessVersion:
    """Return a deployed version of a process by its number, or raise NotFound."""
    version = find_version(process_id, number)
    if version is None:
        raise NotFound("Procesversie niet gevonden.")
    return version


def load_definition(version: ProcessVersion) -> definitions.Definition:
    """Return the parsed definition of a stored version (its XML is read only on the first use)."""
    return definitions.cached(version.sha256) or definitions.parse(version.bpmn_xml.encode("utf-8"), version.process_id)


def add_version(xml: bytes, *, process_id: str, actor: str, now: datetime, comment: str = "") -> ProcessVersion:
    """Store an already validated diagram as the next version number (no commit)."""
    number = (db.session.scalar(
        select(func.max(ProcessVersion.number)).where(ProcessVersion.process_id == process_id)
    ) or 0) + 1
    version = ProcessVersion(
        process_id=process_id,
        number=number,
        sha256=hashlib.sha256(xml).hexdigest(),
        bpmn_xml=xml.decode("utf-8"),
        deployed_at=now,
        deployed_by=actor,
        comment=comment,
    )
    db.session.add(version)
    db.session.flush()
    return version
