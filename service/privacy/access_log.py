"""Who looked at what: one row per view of a complaint, download of a letter or attachment, and export.

Cheap on purpose: one INSERT in the request's own transaction, committed after the answer is built (the reads
before it are in the same transaction), so a view costs one statement more and nothing is read back.
"""

from datetime import datetime

from sqlalchemy import select

from service.extensions import db, transaction
from service.models import AccessLog

# view: the complaint (API resource or page); letter, attachment: a download; export: the complainant's export.
ACTIONS = ("view", "letter", "attachment", "export")


def log_access(complaint_id: int, *, actor: str, action: str, now: datetime, **detail) -> AccessLog:
    """Add an access-log row in the caller's transaction (no commit)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access action {action!r}")
    row = AccessLog(complaint_id=complaint_id, at=now, actor=actor, action=action, detail=detail)
    db.session.add(row)
    return row


@transaction
def record_access(complaint_id: int, *, actor: str, action: str, now: datetime, **detail) -> None:
    """Log an access and commit the request's transaction (which held only its reads)."""
    log_access(complaint_id, actor=actor, action=action, now=now, **detail)


def access_entries(complaint_id: int, *, latest: int | None = None) -> list[AccessLog]:
    """Return the complaint's access log oldest first; latest: only the newest so many (still oldest first)."""
    query = select(AccessLog).where(AccessLog.complaint_id == complaint_id)
    if latest is None:
        return list(db.session.scalars(query.order_by(AccessLog.at, AccessLog.id)))
    rows = list(db.session.scalars(query.order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(latest)))
    return rows[::-1]
