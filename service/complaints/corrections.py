"""Corrections of what a step made: a new version of a letter."""

from datetime import datetime

from service.complaints.access import can_see, require_not_concerned
from service.context import Context
from service.errors import Conflict, Forbidden
from service.extensions import transaction
from service.letters.production import make_letter, renew_case_record
from service.models import Complaint, Letter, User


@transaction
def correct_letter(complaint: Complaint, letter: Letter, *, actor: User, now: datetime, ctx: Context) -> Letter:
    """Make a new version of a letter from the current case; the stored one never changes."""
    if not can_see(actor, complaint) or not actor.has_role("practice", "handler"):
        raise Forbidden()
    require_not_concerned(actor, complaint)
    if any(other.replaces_id == letter.id for other in complaint.letters):
        raise Conflict("Van deze brief bestaat al een nieuwere versie; corrigeer die.")
    corrected = make_letter(complaint, letter.kind, step=letter.step, actor=actor.username, now=now, ctx=ctx,
                            replaces=letter)
    if letter.kind != "klachtenformulier":
        renew_case_record(complaint, step="correction", actor=actor.username, now=now, ctx=ctx)
    return corrected
