"""Named reads for the lists and pages: which complaints and tasks, filtered and counted in SQL.

The HTTP edges call these instead of building queries themselves, so a list's cost is visible in one place.
"""

from datetime import date, datetime

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from service.complaints.access import visible_complaints_query
from service.context import Context
from service.extensions import db
from service.models import Complaint, Deadline, ProcessVersion, Submission, Task, User
from service.workflow.instance import Instance
from service.workflow.versions import load_definition


def _late():
    """A complaint has a deadline that passed unmet."""
    return exists().where(Deadline.complaint_id == Complaint.id, Deadline.overdue.is_(True),
                          Deadline.met_on.is_(None), Deadline.cancelled_on.is_(None))


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
    """Return how many rows a select gives."""
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def complaint_page(query, *, limit: int, offset: int) -> list[Complaint]:
    """Return one page of complaints, newest received first, with their deadlines loaded in one query."""
    return list(db.session.scalars(
        query.options(selectinload(Complaint.deadlines))
        .order_by(Complaint.received_on.desc(), Complaint.id.desc()).limit(limit).offset(offset)
    ))


def all_complaints(query) -> list[Complaint]:
    """Return every complaint of a select, by id."""
    return list(db.session.scalars(query.order_by(Complaint.id)))


def open_tasks() -> list[Task]:
    """Return every open task with its complaint."""
    return list(db.session.scalars(select(Task).where(Task.state == "open").options(joinedload(Task.complaint))))


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
