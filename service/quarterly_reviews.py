"""The quarterly complaints review (kwartaalanalyse): started once per ended quarter, completed by the practice.

The review runs the small diagram `processes/kwartaalanalyse.bpmn` (start, user task `analyse_complaints`, end).
It is not deployed as a process version: the service starts it itself, so the diagram is read from the file
when a review starts and kept with the review (`bpmn_xml`), which continues on it even if the file changes.
A quarter has ended at 00:00 Europe/Amsterdam on the first day of the next quarter; like a diagram timer the
review starts when that moment is strictly in the past, from `timers.fire_due_timers` (the wake-up thread and
`flask tick`). The unique quarter makes two workers (or two ticks) start a review exactly once.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from . import engine
from .clock import AMSTERDAM, start_of_day
from .context import Context
from .errors import ConcurrentChange, Forbidden, InvalidInput, NotFound, TaskNotOpen
from .extensions import db
from .models import User
from .review_models import QuarterlyReview

log = logging.getLogger(__name__)

PROCESS_ID = "kwartaalanalyse"
PROCESS_FILE = f"{PROCESS_ID}.bpmn"
TASK = "analyse_complaints"
ROLE = "practice"
VIEW_ROLES = ("practice", "process_owner")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, label: str) -> "Quarter":
        """Read "2026-Q1"; ValueError when it is not a quarter."""
        year, _, number = label.partition("-Q")
        if not (year.isdigit() and len(year) == 4 and number in ("1", "2", "3", "4")):
            raise ValueError(f"not a quarter: {label!r}")
        return cls(int(year), int(number))

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def ends_at(self) -> datetime:
        """00:00 Europe/Amsterdam on the first day of the next quarter."""
        return start_of_day(self.next().first_day)


def last_ended_quarter(now: datetime) -> Quarter:
    """Return the latest quarter whose end moment is strictly before now."""
    current = Quarter.of(now.astimezone(AMSTERDAM).date())
    ended = current.previous()
    return ended if ended.ends_at < now else ended.previous()


def dashboard_link(review: QuarterlyReview) -> str:
    """The analysis dashboard for the review's quarter (dates inclusive)."""
    return f"/analyse?from={review.period_from.isoformat()}&to={review.period_to.isoformat()}"


def _diagram(ctx: Context) -> bytes:
    return (Path(ctx.processes_dir) / PROCESS_FILE).read_bytes()


def _definition(xml: str | bytes) -> engine.Definition:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    return engine.parse(data, PROCESS_ID)


def start_due_reviews(now: datetime, ctx: Context) -> list[QuarterlyReview]:
    """Start the review of every quarter that has ended since the latest review (the first time: the latest
    ended quarter only); return the reviews started. Idle: one indexed query."""
    target = last_ended_quarter(now)
    latest = db.session.scalar(select(func.max(QuarterlyReview.quarter)))
    db.session.rollback()  # end the read transaction (SQLite: it holds the write lock)
    if latest is not None and Quarter.parse(latest) >= target:
        return []
    quarter = Quarter.parse(latest).next() if latest is not None else target
    started = []
    while quarter <= target:
        review = _start(quarter, now, ctx)
        if review is not None:
            started.append(review)
        quarter = quarter.next()
    return started


def _start(quarter: Quarter, now: datetime, ctx: Context) -> QuarterlyReview | None:
    """Start one quarter's review in its own transaction; None when it already exists (another worker)."""
    xml = _diagram(ctx).decode("utf-8")
    case_data = {"quarter": quarter.label, "period_from": quarter.first_day.isoformat(),
                 "period_to": quarter.last_day.isoformat()}
    try:
        if db.session.scalar(select(QuarterlyReview.id).where(QuarterlyReview.quarter == quarter.label)):
            db.session.rollback()
            return None
        wf = engine.start(_definition(xml), case_data, ctx.functions(now))
        ready = [task for task in engine.snapshot(wf).ready if task.bpmn_id == TASK]
        if not ready:
            raise engine.EngineError(f"{PROCESS_FILE}: the task {TASK} is not open after the start")
        review = QuarterlyReview(
            quarter=quarter.label, period_from=quarter.first_day, period_to=quarter.last_day,
            due_on=quarter.next().first_day, status="open", bpmn_xml=xml, workflow_state=engine.serialize(wf),
            task_id=ready[0].id, created_at=now,
        )
        db.session.add(review)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another worker started it at the same moment
        return None
    except BaseException:
        db.session.rollback()
        raise
    log.info("quarterly review %s started", quarter.label)
    return review


def list_reviews() -> list[QuarterlyReview]:
    """Every review, the newest quarter first."""
    return list(db.session.scalars(select(QuarterlyReview).order_by(QuarterlyReview.quarter.desc())))


def get_review(label: str) -> QuarterlyReview:
    try:
        Quarter.parse(label)
    except ValueError as err:
        raise NotFound("Kwartaalanalyse niet gevonden.") from err
    review = db.session.scalar(select(QuarterlyReview).where(QuarterlyReview.quarter == label))
    if review is None:
        raise NotFound("Kwartaalanalyse niet gevonden.")
    return review


def previous_review(review: QuarterlyReview) -> QuarterlyReview | None:
    """The review of the quarter before, whose conclusions and actions the review shows again."""
    return db.session.scalar(select(QuarterlyReview).where(QuarterlyReview.quarter < review.quarter)
                             .order_by(QuarterlyReview.quarter.desc()).limit(1))


def complete_review(label: str, data: dict, *, actor: User, now: datetime, ctx: Context) -> QuarterlyReview:
    """Record the conclusions and actions, and complete the workflow task; one transaction."""
    if not actor.has_role(ROLE):
        raise Forbidden("Alleen de praktijk legt de kwartaalanalyse vast.")
    form = ctx.forms.get(TASK)
    if form is None:
        raise NotFound(f"forms/{TASK}.json ontbreekt.")
    try:
        review = get_review(label)
        if review.status != "open" or not review.task_id:
            raise TaskNotOpen()
        unknown = sorted(set(data) - form.field_names)
        if unknown:
            raise InvalidInput(errors={name: ["Onbekend veld."] for name in unknown})
        cleaned, errors = form.validate(data, today=now.astimezone(AMSTERDAM).date())
        if errors:
            raise InvalidInput(errors=errors)
        wf = engine.restore(review.workflow_state, _definition(review.bpmn_xml), ctx.functions(now))
        engine.complete(wf, review.task_id, cleaned)
        snapshot = engine.snapshot(wf)
        review.workflow_state = engine.serialize(wf)
        review.conclusions = cleaned.get("conclusions")
        review.actions = cleaned.get("actions")
        review.completed_by = actor.username
        review.completed_at = now
        review.task_id = snapshot.ready[0].id if snapshot.ready else None
        review.status = "done" if snapshot.finished else "open"
        db.session.commit()
        return review
    except StaleDataError as err:
        db.session.rollback()
        raise ConcurrentChange() from err
    except BaseException:
        db.session.rollback()
        raise
