"""Wake due timers: only complaints whose next due time has passed are loaded, each in its own transaction."""

import logging
import time
from datetime import datetime, timedelta

from sqlalchemy import select

from service import mail
from service.complaints.step import Step
from service.context import Context
from service.errors import ConcurrentChange
from service.extensions import db, transaction
from service.models import Complaint
from service.workflow.sync import record

log = logging.getLogger(__name__)


def due_complaint_ids(now: datetime, limit: int) -> list[int]:
    """Return ids of complaints with a timer due before now, oldest first (uses the next-due index)."""
    return list(db.session.scalars(
        select(Complaint.id).where(Complaint.next_due_at < now).order_by(Complaint.next_due_at).limit(limit)
    ))


def _lock(complaint_id: int, now: datetime) -> Complaint | None:
    """Lock one due complaint; None when another worker holds it or it is no longer due."""
    query = (
        select(Complaint)
        .where(Complaint.id == complaint_id, Complaint.next_due_at < now)
        .with_for_update(skip_locked=True, of=Complaint)
    )
    return db.session.scalars(query).first()


def fire_due_timers(now: datetime, ctx: Context) -> int:
    """Fire every timer due before now; return how many complaints had timers fire.

    Due complaints are read a batch at a time; while a batch comes full the next one follows, until none is left
    or the wake-up has run ctx.timer_wake_budget_seconds (the next wake-up goes on from there). A complaint is
    handled once per wake-up: one that another worker holds, or that stays due, does not make it loop.
    """
    fired = 0
    handled: set[int] = set()
    stop_at = time.monotonic() + ctx.timer_wake_budget_seconds
    while True:
        batch = due_complaint_ids(now, ctx.timer_batch_size)
        fresh = [complaint_id for complaint_id in batch if complaint_id not in handled]
        for complaint_id in fresh:
            handled.add(complaint_id)
            try:
                if _fire_one(complaint_id, now, ctx):
                    fired += 1
            except ConcurrentChange:
                pass  # another worker fired this complaint's timers first
            except Exception as err:  # one broken case must not stop the others; it becomes an incident
                _record_incident(complaint_id, now, ctx, err)
        if len(batch) < ctx.timer_batch_size or not fresh or time.monotonic() >= stop_at:
            break
    _wake_quarterly_reviews(now, ctx)
    _queue_reminders(now, ctx)
    return fired


def _queue_reminders(now: datetime, ctx: Context) -> None:
    """Queue the reminders and daily digests that are due (service/mail/); a failure is logged and retried."""
    try:
        mail.queue_reminders_and_digests(now, ctx)
    except Exception:  # the timers have fired; the sweep is tried again on the next wake-up
        log.exception("queueing reminders failed")


def _wake_quarterly_reviews(now: datetime, ctx: Context) -> None:
    """Fire the quarterly reviews' start timers (quarterly_reviews.py); a failure is logged and retried."""
    from service.analysis.quarterly_reviews import wake_reviews

    try:
        wake_reviews(now, ctx)
    except Exception:  # the complaints' timers have fired; the reviews are tried again on the next wake-up
        log.exception("waking the quarterly reviews failed")


@transaction
def _fire_one(complaint_id: int, now: datetime, ctx: Context) -> bool:
    """Fire one due complaint's timers in its own transaction; False when it is not ours to fire."""
    complaint = _lock(complaint_id, now)
    if complaint is None:
        return False
    step = Step.restore(complaint, actor="system", now=now, ctx=ctx)
    step.fire_timers()
    step.save()
    complaint.timer_attempts = 0
    if complaint.incident is not None:
        record(complaint, "incident_resolved", "system", now, incident=complaint.incident)
        complaint.incident = None
    return True


@transaction
def _record_incident(complaint_id: int, now: datetime, ctx: Context, err: Exception) -> None:
    """Keep the stored state, note the failure where a person sees it, and retry later with back-off."""
    log.exception("timer of complaint %s failed", complaint_id)
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        return
    complaint.timer_attempts = (complaint.timer_attempts or 0) + 1
    complaint.incident = f"{type(err).__name__}: {err}"
    if complaint.timer_attempts >= ctx.timer_max_attempts:
        complaint.next_due_at = None  # parked until a person retries it
    else:
        complaint.next_due_at = now + timedelta(seconds=ctx.timer_retry_seconds * 2 ** complaint.timer_attempts)
    record(complaint, "timer_failed", "system", now, error=complaint.incident,
           attempt=complaint.timer_attempts)


@transaction
def retry_incident(complaint: Complaint, *, actor: str, now: datetime) -> None:
    """Make a parked complaint's timers due again so the next tick retries them."""
    complaint.timer_attempts = 0
    complaint.next_due_at = now - timedelta(microseconds=1)
    record(complaint, "incident_retried", actor, now, incident=complaint.incident)


def retry_incident_now(complaint: Complaint, *, actor: str, now: datetime, ctx: Context) -> Complaint:
    """Retry a complaint's failed timer step at once, as a tick would (the web page's button).

    The retry is recorded first; then the step runs in its own transaction. When it fails again it becomes the
    incident again, with its new message, and nothing of the step is kept. Returns the complaint as it is now.
    """
    complaint_id = complaint.id
    retry_incident(complaint, actor=actor, now=now)
    try:
        _fire_one(complaint_id, now, ctx)
    except ConcurrentChange:
        pass  # a tick fired it at the same moment
    except Exception as err:
        _record_incident(complaint_id, now, ctx, err)
    return db.session.get(Complaint, complaint_id)
