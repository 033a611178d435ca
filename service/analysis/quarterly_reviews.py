"""The quarterly complaints review (kwartaalanalyse): one per quarter, opened by a timer, completed by the practice.

A review runs the small diagram `processes/kwartaalanalyse.bpmn`: a timer start event, the user task
`analyse_complaints`, an end. It is not deployed as a process version: the service creates one review per
quarter, with the case data `quarter`, `period_from` and `period_to`, while that quarter runs. Its workflow
then waits on the start timer (`end_of(period_to)`: 00:00 Europe/Amsterdam on the first day of the next
quarter); `next_due_at` holds the timer's due time, like a complaint's. When the timer fires (the wake-up
thread or `flask tick`, through `timers.fire_due_timers`) the task opens, and the next quarter's review is
created to wait in its turn. The diagram is read from the file when a review is created, checked, and kept
with the review (`bpmn_xml`), which continues on it even if the file changes. The unique quarter and the
version column make two workers (or two ticks) create and open a review exactly once.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.clock import AMSTERDAM, local_date, start_of_day
from service.context import Context
from service.errors import ConcurrentChange, Forbidden, InvalidInput, NotFound, TaskNotOpen
from service.extensions import db, transaction
from service.models import QuarterlyReview, User
from service.process.messages import Problem
from service.process.validation import validate_diagram
from service.workflow import definitions, runtime
from service.workflow.instance import Instance

log = logging.getLogger(__name__)

PROCESS_ID = "kwartaalanalyse"
PROCESS_FILE = f"{PROCESS_ID}.bpmn"
TASK = "analyse_complaints"
ROLE = "practice"
VIEW_ROLES = ("practice", "process_owner")
# Catching up after a long stop: at most this many quarters are opened in one wake-up (the rest next time).
MAX_QUARTERS_PER_WAKE = 8


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

    @property
    def case_data(self) -> dict[str, str]:
        """The data a review's workflow starts with."""
        return {"quarter": self.label, "period_from": self.first_day.isoformat(),
                "period_to": self.last_day.isoformat()}


def last_ended_quarter(now: datetime) -> Quarter:
    """Return the latest quarter whose end moment is strictly before now."""
    current = Quarter.of(now.astimezone(AMSTERDAM).date())
    ended = current.previous()
    return ended if ended.ends_at < now else ended.previous()


def dashboard_link(review: QuarterlyReview) -> str:
    """The analysis dashboard for the review's quarter (dates inclusive)."""
    return f"/analyse?from={review.period_from.isoformat()}&to={review.period_to.isoformat()}"


class ReviewDiagramError(Exception):
    """kwartaalanalyse.bpmn cannot run the review; every problem is listed with its element."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"Invalid {PROCESS_FILE}:\n" + "\n".join(f"  {p.english()}" for p in problems))


def check_review_file(ctx: Context) -> bytes:
    """Read processes/kwartaalanalyse.bpmn and return it; ReviewDiagramError when it is missing or cannot run."""
    try:
        xml = _diagram(ctx)
    except OSError as err:
        raise ReviewDiagramError([Problem(None, "", "file_missing", {"path": str(err.filename)})]) from err
    problems = check_diagram(xml, ctx)
    if problems:
        raise ReviewDiagramError(problems)
    return xml


def check_diagram(xml: bytes, ctx: Context) -> list[Problem]:
    """Return every problem that keeps the review diagram from running (empty: fine).

    The deploy checks apply with the review's own case data and task, and the process must start with one
    timer start event and give its task to the practice: without the timer a review would open the moment it
    is created, before its quarter is over.
    """
    problems = validate_diagram(xml, process_id=PROCESS_ID, forms=ctx.forms, max_bytes=ctx.max_bpmn_bytes,
                                case_data=Quarter(2026, 1).case_data, contract_tasks=(TASK,))
    if problems:
        return problems
    elements = _definition(xml).elements
    starts = [e for e in elements.values() if e.is_start]
    if len(starts) != 1 or starts[0].kind != "timer_event":
        element = starts[0] if starts else None
        problems.append(Problem(element.bpmn_id if element else None, element.name if element else "",
                                "start_not_timer"))
    role = elements[TASK].properties.get("role")
    if role != ROLE:
        problems.append(Problem(TASK, elements[TASK].name, "role_not", {"expected": ROLE, "role": role}))
    return problems


def _diagram(ctx: Context) -> bytes:
    return (Path(ctx.processes_dir) / PROCESS_FILE).read_bytes()


def _definition(xml: str | bytes) -> definitions.Definition:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    return definitions.parse(data, PROCESS_ID)


def wake_reviews(now: datetime, ctx: Context) -> list[QuarterlyReview]:
    """Create the review that waits for the running quarter, fire the review timers that are due, and repeat
    while that opens reviews (catching up after a stop); return the reviews opened. Idle: one query.

    The very first time, the review of the latest ended quarter is created too, so a new installation gets
    a review at its first wake-up.
    """
    if _idle(now):
        return []
    opened: list[QuarterlyReview] = []
    for _ in range(MAX_QUARTERS_PER_WAKE):
        created = _create_next(now, ctx)
        if created is not None and created.status == "open":
            opened.append(created)
        due = _due_ids(now)
        opened += [review for review in (_fire_review(review_id, now, ctx) for review_id in due) if review]
        if created is None and not due:
            break
    return opened


# Reads end their transaction too (a commit of nothing): on SQLite an open transaction holds the write lock.


@transaction
def _idle(now: datetime) -> bool:
    """True when the latest review waits on a timer not yet due: one query. Only the latest review can wait,
    because the next review is created only once the one before has opened."""
    latest = db.session.execute(select(QuarterlyReview.status, QuarterlyReview.next_due_at)
                                .order_by(QuarterlyReview.quarter.desc()).limit(1)).first()
    return latest is not None and latest.status == "waiting" and latest.next_due_at is not None \
        and latest.next_due_at >= now


@transaction
def _due_ids(now: datetime) -> list[int]:
    return list(db.session.scalars(select(QuarterlyReview.id).where(QuarterlyReview.next_due_at < now)
                                   .order_by(QuarterlyReview.next_due_at)))


@transaction
def _latest():
    return db.session.execute(select(QuarterlyReview.quarter, QuarterlyReview.status)
                              .order_by(QuarterlyReview.quarter.desc()).limit(1)).first()


def _create_next(now: datetime, ctx: Context) -> QuarterlyReview | None:
    """Create the next quarter's review when none waits: after the latest review, up to the running quarter."""
    latest = _latest()
    if latest is None:
        quarter = last_ended_quarter(now)
    elif latest.status == "waiting":
        return None
    else:
        quarter = Quarter.parse(latest.quarter).next()
    if quarter > Quarter.of(local_date(now)):  # never a review of a quarter that has not begun
        return None
    xml = check_review_file(ctx)
    try:
        review = _create(quarter, xml, now, ctx)
    except IntegrityError:
        return None  # another worker created it at the same moment
    if review is not None:
        log.info("quarterly review %s created (%s)", quarter.label, review.status)
    return review


@transaction
def _create(quarter: Quarter, xml: bytes, now: datetime, ctx: Context) -> QuarterlyReview | None:
    """Create one quarter's review in its own transaction; None when it already exists (another worker)."""
    if db.session.scalar(select(QuarterlyReview.id).where(QuarterlyReview.quarter == quarter.label)):
        return None
    instance = Instance.start(_definition(xml), quarter.case_data, ctx.functions(now))
    review = QuarterlyReview(quarter=quarter.label, period_from=quarter.first_day, period_to=quarter.last_day,
                             bpmn_xml=xml.decode("utf-8"), created_at=now)
    _follow(review, instance, now)
    db.session.add(review)
    db.session.flush()  # a duplicate quarter fails here, inside the transaction
    return review


def _follow(review: QuarterlyReview, instance: Instance, now: datetime) -> None:
    """Store the workflow and what it waits for: the start timer (waiting) or the task (open)."""
    snapshot = instance.snapshot()
    ready = [task for task in snapshot.ready if task.bpmn_id == TASK]
    review.workflow_state = instance.serialize()
    review.next_due_at = snapshot.next_due_at
    if ready:
        review.status, review.task_id = "open", ready[0].id
        review.due_on = local_date(now) if review.due_on is None else review.due_on
    elif snapshot.next_due_at is not None:
        review.status, review.task_id = "waiting", None
        review.due_on = local_date(snapshot.next_due_at)
    else:
        raise runtime.EngineError(f"{PROCESS_FILE}: neither the start timer nor the task {TASK} waits")


def _restore(review: QuarterlyReview, now: datetime, ctx: Context) -> Instance:
    """Restore a review's workflow on the diagram it was created with."""
    return Instance.restore(review.workflow_state, _definition(review.bpmn_xml), ctx.functions(now))


def _fire_review(review_id: int, now: datetime, ctx: Context) -> QuarterlyReview | None:
    """Fire one review's due start timer; return the review when its task opened."""
    try:
        review = _fire(review_id, now, ctx)
    except ConcurrentChange:
        return None  # another worker fired it first
    if review is not None:
        log.info("quarterly review %s %s", review.quarter, review.status)
    return review if review is not None and review.status == "open" else None


@transaction
def _fire(review_id: int, now: datetime, ctx: Context) -> QuarterlyReview | None:
    """Fire one review's due start timer in its own transaction; None when another worker holds or fired it."""
    review = db.session.scalars(
        select(QuarterlyReview).where(QuarterlyReview.id == review_id, QuarterlyReview.next_due_at < now)
        .with_for_update(skip_locked=True, of=QuarterlyReview)
    ).first()
    if review is None:
        return None
    instance = _restore(review, now, ctx)
    instance.fire_timers()
    _follow(review, instance, now)
    return review


def list_reviews() -> list[QuarterlyReview]:
    """Every review that has opened, the newest quarter first (not the one waiting for its quarter to end)."""
    return list(db.session.scalars(select(QuarterlyReview).where(QuarterlyReview.status != "waiting")
                                   .order_by(QuarterlyReview.quarter.desc())))


def waiting_review() -> QuarterlyReview | None:
    """The review that waits for its quarter to end, if one does."""
    return db.session.scalar(select(QuarterlyReview).where(QuarterlyReview.status == "waiting")
                             .order_by(QuarterlyReview.quarter).limit(1))


def get_review(label: str) -> QuarterlyReview:
    """Return the review of a quarter ("2026-Q1"), or raise NotFound."""
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
    return db.session.scalar(select(QuarterlyReview).where(QuarterlyReview.quarter < review.quarter,
                                                           QuarterlyReview.status != "waiting")
                             .order_by(QuarterlyReview.quarter.desc()).limit(1))


@transaction
def complete_review(label: str, data: dict, *, actor: User, now: datetime, ctx: Context) -> QuarterlyReview:
    """Record the conclusions and actions, and complete the workflow task; one transaction."""
    if not actor.has_role(ROLE):
        raise Forbidden("Alleen de praktijk legt de kwartaalanalyse vast.")
    form = ctx.forms.get(TASK)
    if form is None:
        raise NotFound(f"forms/{TASK}.json ontbreekt.")
    review = get_review(label)
    if review.status != "open" or not review.task_id:
        raise TaskNotOpen()
    unknown = sorted(set(data) - form.field_names)
    if unknown:
        raise InvalidInput(errors={name: ["Onbekend veld."] for name in unknown})
    cleaned, errors = form.validate(data, today=local_date(now))
    if errors:
        raise InvalidInput(errors=errors)
    instance = _restore(review, now, ctx)
    instance.complete(review.task_id, cleaned)
    snapshot = instance.snapshot()
    review.workflow_state = instance.serialize()
    review.conclusions = cleaned.get("conclusions")
    review.actions = cleaned.get("actions")
    review.completed_by = actor.username
    review.completed_at = now
    review.task_id = snapshot.ready[0].id if snapshot.ready else None
    review.status = "done" if snapshot.finished else "open"
    return review
