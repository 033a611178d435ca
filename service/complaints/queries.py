"""Named reads for the lists and pages: which complaints and tasks, filtered and counted in SQL.

The HTTP edges call these instead of building queries themselves, so a list's cost is visible in one place.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from service.complaints.access import TASK_ORDER, open_tasks_query, visible_complaints_query
from service.context import Context
from service.extensions import db
from service.models import Complaint, Deadline, ProcessVersion, Submission, Task, User
from service.workflow.instance import Instance
from service.workflow.versions import load_definition


def _late():
    """A complaint has a deadline that passed unmet.

    As IN over the few overdue deadlines (found by their `overdue` index) rather than EXISTS per complaint: SQLite
    runs a correlated EXISTS once per complaint of the list, which at 100,000 complaints takes seconds.
    """
    return Complaint.id.in_(select(Deadline.complaint_id).where(
        Deadline.overdue.is_(True), Deadline.met_on.is_(None), Deadline.cancelled_on.is_(None)))


def filtered_complaints(user: User, *, status: str | None = None, overdue: bool | None = None,
                        search: str | None = None):
    """Return a select of the complaints user may see, by status, overdue (or not) and a search text.

    The search matches the reference or the complainant's name, with % and _ taken literally.
    """
    query = visible_complaints_query(user)
    if status is not None:
        query = query.where(Complaint.status == status)
    if overdue is not None:
        query = query.where(_late() if overdue else ~_late())
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Complaint.reference.ilike(pattern, escape="\\"),
                                Complaint.complainant_name.ilike(pattern, escape="\\")))
    return query


def count(query) -> int:
    """Return how many rows a select gives (one COUNT over the same tables and conditions)."""
    return db.session.scalar(query.with_only_columns(func.count(), maintain_column_froms=True).order_by(None))


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, where it starts, and how many rows the whole list has."""

    rows: list
    total: int
    offset: int

    @property
    def has_next(self) -> bool:
        """Whether rows follow this page."""
        return self.offset + len(self.rows) < self.total


# Every order ends on a unique column, so pages never overlap or skip a row. The indexes of migration 0012 serve
# the default orders, so a page is read in index order instead of sorting every row that matches.
COMPLAINT_ORDERS = {
    "received": (Complaint.received_on.desc(), Complaint.id.desc()),
    # "due_on IS NULL, due_on": the earliest due first and those without one last, in the order of the index of
    # migration 0019 on SQLite and PostgreSQL alike (NULLS LAST with an id tie-break cannot use a plain index).
    "due": (Complaint.due_on.is_(None), Complaint.due_on, Complaint.id),
}
# The status order is the order of the process; each status is read apart in its received order (see _by_status).
STATUS_ORDER = ("open", "resolved", "closed", "withdrawn")
COMPLAINT_SORTS = (*COMPLAINT_ORDERS, "status")
TASK_ORDERS = {
    "due": TASK_ORDER,
    "reference": (Complaint.reference, *TASK_ORDER),
}


def complaint_page(query, *, limit: int, offset: int, sort: str = "received") -> Page:
    """Return one page of complaints in a sort order of COMPLAINT_ORDERS or "status", deadlines loaded with it.

    Newest received first by default. Two or three statements whatever the number of complaints: the count, the
    page, and the page's deadlines.
    """
    if sort == "status":
        return _by_status(query, limit=limit, offset=offset)
    total = count(query)
    return Page(_complaint_rows(query.order_by(*COMPLAINT_ORDERS[sort]), limit, offset), total, offset)


def _complaint_rows(query, limit: int, offset: int) -> list[Complaint]:
    if limit <= 0:
        return []
    return list(db.session.scalars(query.options(selectinload(Complaint.deadlines)).limit(limit).offset(offset)))


def _by_status(query, *, limit: int, offset: int) -> Page:
    """A page in the order of the process (open, resolved, closed, withdrawn), then newest received first.

    One query counts the complaints per status; the page is then read from the one or few statuses it spans, each
    in index order, instead of sorting every complaint by a computed rank.
    """
    counts = dict(db.session.execute(
        query.with_only_columns(Complaint.status, func.count(), maintain_column_froms=True)
        .group_by(Complaint.status).order_by(None)).all())
    rows: list[Complaint] = []
    start = 0
    for status in STATUS_ORDER + tuple(sorted(set(counts) - set(STATUS_ORDER))):
        size = counts.get(status, 0)
        first, last = max(offset + len(rows), start), min(offset + limit, start + size)
        if first < last:
            rows += _complaint_rows(query.where(Complaint.status == status).order_by(*COMPLAINT_ORDERS["received"]),
                                    last - first, first - start)
        start += size
    return Page(rows, sum(counts.values()), offset)


def open_steps(complaint_ids: list[int]) -> dict[int, list[str]]:
    """Return the names of each complaint's open tasks (its current step), oldest first, in one query."""
    steps: dict[int, list[str]] = {}
    if complaint_ids:
        for complaint_id, name in db.session.execute(
                select(Task.complaint_id, Task.name).where(Task.complaint_id.in_(complaint_ids), Task.state == "open")
                .order_by(Task.created_at, Task.id)):
            steps.setdefault(complaint_id, []).append(name)
    return steps


def task_page(user: User, *, limit: int, offset: int, sort: str = "due", mine: bool = True) -> Page:
    """Return one page of the open tasks user may complete (mine=False: the others), in an order of TASK_ORDERS.

    Earliest due first by default. The page's tasks come with their complaint in the same query and the
    complaints' deadlines in one more: three statements whatever the number of complaints.
    """
    query = open_tasks_query(user, mine=mine)
    total = count(query)
    rows = [] if limit <= 0 else list(db.session.scalars(
        query.join(Task.complaint).options(contains_eager(Task.complaint).selectinload(Complaint.deadlines))
        .order_by(*TASK_ORDERS[sort]).limit(limit).offset(offset)))
    return Page(rows, total, offset)


def waiting_per_task(today: date, version: ProcessVersion | None = None) -> dict[str, dict]:
    """Return per BPMN task id the open complaints waiting in it and how many of those are overdue.

    A complaint is overdue in a task when the task's deadline has passed unmet, or its due day is past.
    With a version, only the complaints running on that version count.
    """
    late_deadline = exists().where(Deadline.complaint_id == Task.complaint_id, Deadline.name == Task.deadline,
                                   Deadline.overdue.is_(True), Deadline.met_on.is_(None),
                                   Deadline.cancelled_on.is_(None))
    overdue = or_(late_deadline, and_(Task.due_on.is_not(None), Task.due_on < today))
    query = (select(Task.task, func.max(Task.name), func.count(distinct(Task.complaint_id)),
                    func.count(distinct(case((overdue, Task.complaint_id)))))
             .where(Task.state == "open").group_by(Task.task))
    if version is not None:
        query = query.join(Complaint, Complaint.id == Task.complaint_id) \
            .where(Complaint.process_version_id == version.id)
    return {task: {"name": name, "open": waiting, "overdue": late}
            for task, name, waiting, late in db.session.execute(query)}


def submissions(complaint: Complaint) -> list[Submission]:
    """Return every submitted task of the complaint in the order they were done."""
    return list(db.session.scalars(
        select(Submission).where(Submission.complaint_id == complaint.id).order_by(Submission.id)))


def completed_elements(complaint: Complaint, *, now: datetime, ctx: Context) -> dict[str, int]:
    """Return how often each BPMN element of the complaint's workflow has completed (read only)."""
    definition = load_definition(complaint.process_version)
    return Instance.restore(complaint.workflow_state, definition, ctx.functions(now)).completed_counts()
