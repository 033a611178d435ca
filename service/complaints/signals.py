"""Informal signals and complaints resolved early: recorded in a few fields, for the analysis only (step 8)."""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select

from service import clock
from service.complaints.classification import UNKNOWN_CATEGORY, active_category
from service.errors import Forbidden, InvalidInput
from service.extensions import db, transaction
from service.models import Signal, User


@transaction
def record_signal(payload: Mapping, *, actor: User, now: datetime) -> Signal:
    """Record a signal of dissatisfaction that is not an official complaint (practice only); nothing runs after it."""
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk legt signalen vast.")
    errors: dict[str, list[str]] = {}
    if payload["received_on"] > clock.local_date(now):
        errors["received_on"] = ["De datum mag niet in de toekomst liggen."]
    coach = payload.get("coach")
    if coach is not None:
        user = db.session.scalar(select(User).where(User.username == coach))
        if user is None or not user.has_role("coach"):
            errors["coach"] = ["Onbekende coach: kies een gebruiker met de rol coach."]
    if payload.get("category") is not None and active_category(payload["category"]) is None:
        errors["category"] = [UNKNOWN_CATEGORY]
    if payload["kind"] == "resolved_early" and not payload.get("resolution"):
        errors["resolution"] = ["Beschrijf hoe de klacht vroegtijdig is opgelost."]
    if errors:
        raise InvalidInput(errors=errors)
    signal = Signal(kind=payload["kind"], received_on=payload["received_on"], description=payload["description"],
                    coach_username=coach, category_id=payload.get("category"),
                    resolution=payload.get("resolution") or None, recorded_at=now, recorded_by=actor.username)
    db.session.add(signal)
    return signal


def list_signals(limit: int = 200) -> list[Signal]:
    """Return the latest signals, newest received first."""
    return list(db.session.scalars(select(Signal).order_by(Signal.received_on.desc(), Signal.id.desc())
                                   .limit(limit)))
