"""File a complaint on the public form: no login, no account; a limit per client address, kept in the database.

The complaint is registered as every complaint is (complaints/registration.register), written, received today,
by the non-person actor `online`, in one transaction with its status link, the count of the address and the mail
to the practice: a refusal stores nothing. The limit counts complaints filed (and honeypot hits) per address in
the last hour as rows of public_submissions, so it holds across workers and hosts; a refused request (422) stores
nothing and is not counted.
"""

import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from service import clock, mail
from service.accounts import users
from service.complaints import attachments
from service.complaints.registration import register
from service.context import Context
from service.errors import InvalidInput, NotFound, TooManySubmissions
from service.extensions import db, transaction
from service.models import Complaint, PracticeSettings, PublicSubmission, User
from service.public import links

ONLINE = "online"  # the actor of what the complainant does: registered_by, the history, notes
LIMIT = 5
WINDOW = timedelta(hours=1)
_ADDRESS_LENGTH = 64
FORM_OFF = "Het klachtformulier is op dit moment niet beschikbaar. Neem contact op met de praktijk."
UNKNOWN_COACH = "Kies een coach uit de lijst."


def online_actor() -> User:
    """Return the non-person actor of the public side: never stored, holds no role, cannot log in."""
    return User(username=ONLINE, display_name="de klager (online)", roles_text="", password_hash="!")


def form_enabled() -> bool:
    """Return whether the practice has the public form on (default on, also before its details are filled in)."""
    enabled = db.session.scalar(select(PracticeSettings.public_form_enabled).order_by(PracticeSettings.id).limit(1))
    return enabled is None or bool(enabled)


def active_coaches() -> list[User]:
    """Return the coaches a complainant can choose, by display name."""
    return [user for user in users.with_role("coach") if user.active]


def _check_limit(address: str, now: datetime) -> None:
    """Raise TooManySubmissions when LIMIT submissions came from address within the last WINDOW."""
    moments = list(db.session.scalars(
        select(PublicSubmission.at).where(PublicSubmission.address == address, PublicSubmission.at > now - WINDOW)
        .order_by(PublicSubmission.at)))
    if len(moments) >= LIMIT:
        free_at = moments[len(moments) - LIMIT] + WINDOW
        raise TooManySubmissions(max(1, math.ceil((free_at - now).total_seconds())))


def _count(address: str, outcome: str, now: datetime) -> None:
    db.session.execute(delete(PublicSubmission).where(PublicSubmission.at < now - 2 * WINDOW))
    db.session.add(PublicSubmission(address=address, at=now, outcome=outcome))


def submissions_from(address: str, now: datetime) -> int:
    """Return how many submissions of address count within the window (for tests and the page)."""
    return db.session.scalar(select(func.count()).select_from(PublicSubmission).where(
        PublicSubmission.address == address[:_ADDRESS_LENGTH], PublicSubmission.at > now - WINDOW))


def check_open(address: str, now: datetime) -> None:
    """Refuse before anything is read: the form is off (404) or the address used it too often (429)."""
    if not form_enabled():
        raise NotFound(FORM_OFF)
    _check_limit((address or "unknown")[:_ADDRESS_LENGTH], now)


@transaction
def file_complaint(payload: Mapping, *, address: str, now: datetime, ctx: Context,
                   uploads: Sequence[attachments.Upload] = ()) -> tuple[Complaint, str]:
    """Register a complaint from the public form (payload shape-checked, without received_on); return it and the
    token of its status link. The practice is mailed."""
    address = (address or "unknown")[:_ADDRESS_LENGTH]
    check_open(address, now)
    if payload.get("coach") not in {user.username for user in active_coaches()}:
        errors = {"coach": [UNKNOWN_COACH]}
        try:
            attachments.check_uploads(uploads, ctx)
        except InvalidInput as err:
            errors.update(err.errors)
        raise InvalidInput(errors=errors)
    full = {**payload, "received_on": clock.local_date(now), "channel": "written", "category": None,
            "intake_note": None}
    complaint = register(full, actor=online_actor(), now=now, ctx=ctx, uploads=uploads)
    _count(address, "filed", now)
    token = links.issue(complaint, now=now)
    mail.complaint_filed_online(complaint, now=now, ctx=ctx)
    return complaint, token


@transaction
def count_honeypot(address: str, now: datetime) -> None:
    """A form whose hidden field was filled (a robot): nothing is stored but the count of its address."""
    address = (address or "unknown")[:_ADDRESS_LENGTH]
    check_open(address, now)
    _count(address, "honeypot", now)
