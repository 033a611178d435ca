"""Queue mails in the caller's transaction, once per dedupe key; who may be mailed."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite

from service.extensions import db
from service.mail.messages import Mail
from service.models import OutboxMail, User


def queue(mail: Mail, *, recipient: str, dedupe_key: str, now: datetime) -> None:
    """Add a mail to the outbox in the caller's transaction (no commit); a key queued before stays as it was."""
    values = {"created_at": now, "recipient": recipient, "subject": mail.subject[:300], "body_text": mail.text,
              "body_html": mail.html, "dedupe_key": dedupe_key[:200], "status": "queued", "attempts": 0,
              "next_attempt_at": now}
    dialect = db.session.get_bind(mapper=OutboxMail).dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(OutboxMail).values(values).on_conflict_do_nothing(
            index_elements=["dedupe_key"])
    elif dialect == "sqlite":
        statement = sqlite.insert(OutboxMail).values(values).on_conflict_do_nothing(index_elements=["dedupe_key"])
    else:  # no upsert known: check first (a concurrent duplicate then fails its transaction, which is retried)
        if db.session.scalar(select(OutboxMail.id).where(OutboxMail.dedupe_key == values["dedupe_key"])):
            return
        statement = insert(OutboxMail).values(values)
    db.session.execute(statement)


def queued_keys(keys: Iterable[str]) -> set[str]:
    """Return which of these dedupe keys are in the outbox already (one query)."""
    keys = list(keys)
    if not keys:
        return set()
    return set(db.session.scalars(select(OutboxMail.dedupe_key).where(OutboxMail.dedupe_key.in_(keys))))


def mailed_separately() -> list[User]:
    """Return the users who get separate mails: active, with an address, no digest (the users table is small)."""
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.email.is_not(None), User.mail_digest.is_(False))
        .order_by(User.username)
    ))


def recipients(assignee: str | None, role: str, coach_username: str | None, people: list[User]) -> list[User]:
    """Return whom a task is for among people: its assignee, or (a role task) everyone holding the role except
    the coach the complaint is about."""
    if assignee:
        return [user for user in people if user.username == assignee]
    return [user for user in people if user.has_role(role) and user.username != coach_username]
