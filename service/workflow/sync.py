"""Mirror a workflow's state into queryable rows: tasks, deadlines, status, next due time, history."""

from datetime import date, datetime

from service import clock
from service.extensions import db
from service.models import Complaint, Deadline, HistoryEvent, Task
from service.workflow import runtime
from service.workflow.instance import Instance

STATUS_RANK = {"open": 0, "resolved": 1, "closed": 2, "withdrawn": 3}


def record(complaint: Complaint | None, kind: str, actor: str, now: datetime, **detail) -> HistoryEvent:
    """Append a history event to the complaint's audit trail."""
    event = HistoryEvent(
        complaint_id=complaint.id if complaint is not None else None,
        at=now,
        actor=actor,
        kind=kind,
        detail=detail,
    )
    db.session.add(event)
    if complaint is not None and "history" in complaint.__dict__:
        complaint.history.append(event)
    return event


def save_workflow(complaint: Complaint, instance: Instance, *, now: datetime, actor: str) -> runtime.Snapshot:
    """Store the workflow and bring tasks, deadlines, status and next due time in line with it."""
    snap = instance.snapshot()
    complaint.workflow_state = instance.serialize()
    complaint.next_due_at = snap.next_due_at
    _sync_deadlines(complaint, snap, now=now, actor=actor)
    _sync_tasks(complaint, snap, now=now)
    _sync_status(complaint, snap, now=now, actor=actor)
    sync_due_on(complaint)
    return snap


def sync_due_on(complaint: Complaint) -> None:
    """Keep the complaint's due_on: the earliest due day of a deadline that still applies (None: none applies)."""
    complaint.due_on = min((d.due_on for d in complaint.deadlines if d.applies), default=None)


def _sync_deadlines(complaint: Complaint, snap: runtime.Snapshot, *, now: datetime, actor: str) -> None:
    rows = {d.name: d for d in complaint.deadlines}
    today = clock.local_date(now)
    for name, state in snap.deadlines.items():
        row = rows.get(name)
        due_on = clock.due_on_from_moment(state.due_at) if state.due_at else None
        if row is None:
            if due_on is None:
                continue
            row = Deadline(complaint_id=complaint.id, name=name, due_on=due_on, overdue=False)
            db.session.add(row)
            complaint.deadlines.append(row)
            rows[name] = row
        elif due_on is not None and state.armed and row.applies:
            row.due_on = due_on
        if state.fired and row.applies and row.passed_at is None:
            row.passed_at = now
            row.overdue = True
            record(complaint, "deadline_passed", "system", now, deadline=name, due_on=row.due_on.isoformat())
    for name in snap.met:
        row = rows.get(name)
        if row is not None and row.applies:
            row.met_on = today
            row.overdue = row.overdue or today > row.due_on
            record(complaint, "deadline_met", actor, now, deadline=name, due_on=row.due_on.isoformat(),
                   on_time=not row.overdue)
    for name in snap.cancelled:
        row = rows.get(name)
        if row is not None and row.applies:
            _cancel_deadline(complaint, row, now=now, actor=actor)


def _cancel_deadline(complaint: Complaint, row: Deadline, *, now: datetime, actor: str) -> None:
    """Stop a deadline from applying: it gets its cancelled_on day and can no longer pass."""
    row.cancelled_on = clock.local_date(now)
    record(complaint, "deadline_cancelled", actor, now, deadline=row.name, due_on=row.due_on.isoformat())


def _sync_tasks(complaint: Complaint, snap: runtime.Snapshot, *, now: datetime) -> None:
    deadlines = {d.name: d for d in complaint.deadlines}
    ready = {t.id: t for t in snap.ready}
    for row in complaint.tasks:
        if row.state != "open":
            continue
        if row.id not in ready:
            row.state = "cancelled"
        else:
            row.due_on = _due_on(deadlines.get(row.deadline))
    known = {row.id for row in complaint.tasks}
    for task in snap.ready:
        if task.id in known:
            continue
        role = task.properties.get("role", "")
        row = Task(
            id=task.id,
            complaint_id=complaint.id,
            task=task.bpmn_id,
            name=task.name,
            role=role,
            assignee=assignee_for(complaint, role),
            state="open",
            deadline=task.deadline,
            due_on=_due_on(deadlines.get(task.deadline)) if task.deadline else None,
            created_at=now,
        )
        db.session.add(row)
        complaint.tasks.append(row)


def _due_on(deadline: Deadline | None) -> date | None:
    """A task is due by its deadline only while that deadline applies (a second round after the call report,
    or a task on a complaint whose term was cancelled, has no due date)."""
    return deadline.due_on if deadline is not None and deadline.applies else None


def assignee_for(complaint: Complaint, role: str) -> str | None:
    """Return who works a task of this role on the complaint: its handler, its coach, or anyone (None)."""
    if role == "handler":
        return complaint.handler_username
    if role == "coach":
        return complaint.coach_username
    return None


def _sync_status(complaint: Complaint, snap: runtime.Snapshot, *, now: datetime, actor: str) -> None:
    status = max(
        (s for s in snap.statuses if s in STATUS_RANK), key=STATUS_RANK.__getitem__, default="open"
    )
    if STATUS_RANK[status] <= STATUS_RANK.get(complaint.status, 0):
        return
    if status in ("resolved", "closed") and complaint.resolved_on is None and "resolved" in snap.statuses:
        complaint.resolved_on = clock.local_date(now)
    change_status(complaint, status, now=now, actor=actor)


def change_status(complaint: Complaint, status: str, *, now: datetime, actor: str) -> None:
    """Give the complaint its new status, with what comes with it, and record the change."""
    if status == "closed":
        complaint.closed_on = clock.local_date(now)
    if status == "withdrawn":  # nothing falls due any more
        for row in complaint.deadlines:
            if row.applies:
                _cancel_deadline(complaint, row, now=now, actor=actor)
        sync_due_on(complaint)
    record(complaint, "status_changed", actor, now, old=complaint.status, new=status)
    complaint.status = status
