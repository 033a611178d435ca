"""Status links: a token of 128 random bits, given to the complainant once and kept only as its SHA-256.

A complaint filed online gets a link; every mail that a letter is ready carries a fresh one (the token is only
known when it is made, and a mail must not depend on a link the complainant may have lost). The practice revokes
them all at once, or renews: revokes all and makes one. A revoked or unknown token finds nothing.
"""

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select, update

from service.extensions import db
from service.models import Complaint, StatusLink

TOKEN_BYTES = 16  # 128 bits


def token_hash(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def status_url(base_url: str, token: str) -> str:
    """Return the absolute address of the status page of a token."""
    return f"{base_url.rstrip('/')}/klacht/{token}"


def issue(complaint: Complaint, *, now: datetime) -> str:
    """Make a new link to the complaint's status page in the caller's transaction; return its token."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(StatusLink(complaint_id=complaint.id, token_hash=token_hash(token), created_at=now))
    return token


def find(token: str) -> StatusLink | None:
    """Return the link of a token that is not revoked, or None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(select(StatusLink).where(StatusLink.token_hash == token_hash(token),
                                                      StatusLink.revoked_at.is_(None)))


def has_active(complaint_id: int) -> bool:
    """Return whether the complaint has a link that is not revoked."""
    return db.session.scalar(select(StatusLink.id).where(StatusLink.complaint_id == complaint_id,
                                                         StatusLink.revoked_at.is_(None)).limit(1)) is not None


def links_of(complaint_id: int) -> list[StatusLink]:
    """Return every link of the complaint, oldest first."""
    return list(db.session.scalars(select(StatusLink).where(StatusLink.complaint_id == complaint_id)
                                   .order_by(StatusLink.id)))


def revoke_all(complaint_id: int, *, now: datetime) -> int:
    """Revoke every active link of the complaint in the caller's transaction; return how many."""
    return db.session.execute(update(StatusLink).where(StatusLink.complaint_id == complaint_id,
                                                       StatusLink.revoked_at.is_(None))
                              .values(revoked_at=now)).rowcount or 0
