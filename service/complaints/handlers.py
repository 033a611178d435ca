"""Replace a complaint's handler: after a complaint about the handler, illness or a conflict of interest."""

from collections.abc import Mapping
from datetime import datetime

from service import mail
from service.accounts import users
from service.complaints.access import get_complaint, handler_problems, require_not_concerned
from service.context import Context
from service.errors import Conflict, Forbidden, InvalidInput
from service.extensions import transaction
from service.models import Complaint, User
from service.workflow.sync import record


@transaction
def replace_handler(complaint_id: int, payload: Mapping, *, actor: User, now: datetime,
                    ctx: Context) -> Complaint:
    """Appoint another handler with a reason; the open handler tasks, the worklists and later letters follow.

    Name and function left out of payload come from the new handler's profile. Letters already made keep the
    handler who signed them; the history says who was replaced, by whom and why.
    """
    complaint = get_complaint(complaint_id, actor)
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan een andere behandelaar aanstellen.")
    require_not_concerned(actor, complaint)
    if complaint.handler_username is None:
        raise Conflict("Er is nog geen behandelaar aangesteld; doe dat met de taak 'Behandelaar aanstellen'.")
    if complaint.status in ("closed", "withdrawn"):
        raise Conflict("Deze klacht is gesloten of ingetrokken; een andere behandelaar aanstellen kan niet meer.")
    errors = handler_problems(complaint, payload["handler_username"])
    if not errors and payload["handler_username"] == complaint.handler_username:
        errors = {"handler_username": ["Dit is al de behandelaar van deze klacht."]}
    profile = users.find(payload["handler_username"]) if not errors else None
    name = payload.get("handler_name") or (profile.display_name if profile else None)
    function = payload.get("handler_function") or (profile.function if profile else None)
    if profile is not None and not function:
        errors = {"handler_function": ["Vul de functie in: het profiel van deze behandelaar vermeldt er geen."]}
    if errors:
        raise InvalidInput(errors=errors)
    previous = complaint.handler_username
    complaint.handler_username = payload["handler_username"]
    complaint.handler_name = name
    complaint.handler_function = function
    reassigned = []
    for task in complaint.tasks:
        if task.state == "open" and task.role == "handler":
            task.assignee = complaint.handler_username
            reassigned.append(task)
    mail.tasks_assigned(complaint, reassigned, now=now, ctx=ctx)  # the new handler is told, in this transaction
    record(complaint, "handler_replaced", actor.username, now, previous=previous,
           handler=complaint.handler_username, reason=payload["reason"])
    return complaint
