"""Turn models into the plain dicts that the response schemas shape (never hand ORM objects out)."""

from service.api.schemas import ComplaintOut, ComplaintSummaryOut, TaskOut
from service.complaints.attachments import written_complaint_missing
from service.models import Complaint, Task

_complaint_out = ComplaintOut()
_summary_out = ComplaintSummaryOut()
_task_out = TaskOut(many=True)


def _overdue_deadlines(complaint: Complaint) -> dict[str, bool]:
    return {d.name: d.overdue and d.cancelled_on is None for d in complaint.deadlines}


def _has_event(complaint: Complaint, kind: str) -> bool:
    """Return whether the history has an event of kind: spares a query for rows that are mostly absent."""
    return any(event.kind == kind for event in complaint.history)


def task_dict(task: Task, complaint: Complaint, overdue: dict[str, bool]) -> dict:
    """Return the API view of one task."""
    return {
        "id": task.id, "task": task.task, "name": task.name, "role": task.role, "assignee": task.assignee,
        "state": task.state, "due_on": task.due_on, "overdue": bool(task.deadline and overdue.get(task.deadline)),
        "complaint_id": complaint.id, "reference": complaint.reference,
    }


def is_overdue(complaint: Complaint) -> bool:
    """Return whether a deadline of the complaint has passed and is still unmet."""
    return any(d.late for d in complaint.deadlines)


def _client_dict(complaint: Complaint) -> dict:
    """The commissioning client: kind and name, with address and contact person once they are known.

    The two later additions are left out while empty, so the resource of a complaint registered without them is
    the same as before they existed.
    """
    client = {"kind": complaint.commissioning_client_kind, "name": complaint.commissioning_client_name}
    if complaint.commissioning_client_address:
        client["address"] = complaint.commissioning_client_address
    if complaint.commissioning_client_contact_person:
        client["contact_person"] = complaint.commissioning_client_contact_person
    return client


def complaint_dict(complaint: Complaint) -> dict:
    """Return the full API resource of a complaint."""
    overdue = _overdue_deadlines(complaint)
    handler = None
    if complaint.handler_username:
        handler = {"username": complaint.handler_username, "name": complaint.handler_name,
                   "function": complaint.handler_function}
    return _complaint_out.dump({
        "id": complaint.id,
        "reference": complaint.reference,
        "status": complaint.status,
        "complainant": {"name": complaint.complainant_name, "address": complaint.complainant_address,
                        "email": complaint.complainant_email, "phone": complaint.complainant_phone,
                        "salutation": complaint.complainant_salutation, "surname": complaint.complainant_surname},
        "dated_on": complaint.dated_on,
        "received_on": complaint.received_on,
        "channel": complaint.channel,
        "description": complaint.description,
        "coach": complaint.coach_username,
        "commissioning_client": _client_dict(complaint),
        "written_complaint_missing": written_complaint_missing(complaint),
        "concerns_personal_data": complaint.concerns_personal_data,
        "official": True,
        "handler": handler,
        "registered_at": complaint.registered_at,
        "registered_by": complaint.registered_by,
        "resolved_on": complaint.resolved_on,
        "closed_on": complaint.closed_on,
        "withdrawal": {"withdrawn_on": complaint.withdrawn_on, "channel": complaint.withdrawal_channel,
                       "reason": complaint.withdrawal_reason} if complaint.withdrawn_on else None,
        "process_version": complaint.process_version.number,
        "overdue": is_overdue(complaint),
        "incident": complaint.incident,
        "tasks": [task_dict(t, complaint, overdue) for t in complaint.tasks if t.state == "open"],
        "deadlines": complaint.deadlines,
        "letters": complaint.letters,
        "extensions": complaint.extensions if _has_event(complaint, "deadline_extended") else [],
        "escalations": complaint.escalations if _has_event(complaint, "escalated") else [],
        "delay_notices": complaint.delay_notices if _has_event(complaint, "delay_notice") else [],
        "attachments": complaint.attachments,
        "notes": notes_list(complaint) if _has_event(complaint, "note_added") else [],
        "data": complaint.data or {},
        "history": complaint.history,
        "classification": classification_dict(complaint),
        "retention_hold": bool(complaint.retention_hold),
        "retention_hold_reason": complaint.retention_hold_reason,
        "anonymised_at": complaint.anonymised_at,
    })


def notes_list(complaint: Complaint) -> list[dict]:
    """Return the complaint's notes as the resource shows them, in the order they were added."""
    return [{"id": note.id, "noted_on": note.noted_on, "kind": note.kind, "text": note.text, "author": note.author,
             "created_at": note.created_at, "attachments": list(note.attachment_ids or [])}
            for note in complaint.notes]


def classification_dict(complaint: Complaint) -> dict:
    """Return the category ({id, name} or None), the outcome and where the outcome came from."""
    category = complaint.category
    return {"category": {"id": category.id, "name": category.name} if category is not None else None,
            "outcome": complaint.outcome, "outcome_source": complaint.outcome_source}


def complaint_summary(complaint: Complaint) -> dict:
    """Return the list view of a complaint."""
    return _summary_out.dump({
        "id": complaint.id, "reference": complaint.reference, "status": complaint.status,
        "complainant_name": complaint.complainant_name, "received_on": complaint.received_on,
        "handler_username": complaint.handler_username, "coach": complaint.coach_username,
        "overdue": is_overdue(complaint), "process_version": complaint.process_version.number,
    })


def tasks_list(tasks: list[Task]) -> list[dict]:
    """Return the API view of a list of open tasks."""
    return _task_out.dump([task_dict(t, t.complaint, _overdue_deadlines(t.complaint)) for t in tasks])
