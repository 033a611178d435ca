"""Mirror a workflow's state into queryable rows: tasks, deadlines, status, next due time, history."""

from datetime import datetime

from service import clock
from service.extensions import db
from service.models import Complaint, Deadline, HistoryEvent, Task
from service.workflow import runtime
from service.workflow.instance import Instance

STATUS_RANK = {"open": 0, "resolved": 1, "closed": 2}


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
    return snap


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
        elif due_on is not None and state.armed and row.met_on is None:
            row.due_on = due_on
        if state.fired and row.met_on is None and row.passed_at is None:
            row.passed_at = now
            row.overdue = True
            record(complaint, "deadline_passed", "system", now, deadline=name, due_on=row.due_on.isoformat())
    for name in snap.met:
        row = rows.get(name)
        if row is not None and row.met_on is None:
            row.met_on = today
            row.overdue = row.overdue or today > row.due_on
            record(complaint, "deadline_met", actor, now, deadline=name, due_on=row.due_on.isoformat(),
                   on_time=not row.overdue)


def _sync_tasks(complaint: Complaint, snap: runtime.Snapshot, *, now: datetime) -> None:
    deadlines = {d.name: d for d in complaint.deadlines}
    ready = {t.id: t for t in snap.ready}
    for row in complaint.tasks:
        if row.state != "open":
            continue
        if row.id not in ready:
            row.state = "cancelled"
        else:
            deadline = deadlines.get(row.deadline)
            row.due_on = deadline.due_on if deadline else None
    known = {row.id for row in complaint.tasks}
    for task in snap.ready:
        if task.id in known:
            continue
        role = task.properties.get("role", "")
        deadline = deadlines.get(task.deadline) if task.deadline else None
        row = Task(
            id=task.id,
            complaint_id=complaint.id,
            task=task.bpmn_id,
            name=task.name,
            role=role,
            assignee=assignee_for(complaint, role),
            state="open",
            deadline=task.deadline,
            due_on=deadline.due_on if deadline else None,
            created_at=now,
        )
        db.session.add(row)
        complaint.tasks.append(row)


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
    today = clock.local_date(now)
    if status in ("resolved", "closed") and complaint.resolved_on is None and "resolved" in snap.statuses:
        complaint.resolved_on = today
    if status == "closed":
        complaint.closed_on = today
    record(complaint, "status_changed", actor, now, old=complaint.status, new=status)
    complaint.status = status
