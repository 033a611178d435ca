"""Withdraw a complaint: the complainant may do so at any time; the process stops and nothing more falls due."""

from collections.abc import Mapping
from datetime import datetime

from service import clock
from service.complaints.access import get_complaint, require_own_handler_or_practice
from service.complaints.classification import derive_outcome
from service.complaints.step import Step
from service.context import Context
from service.errors import Conflict, InvalidInput
from service.extensions import transaction
from service.letters.production import make_letter
from service.models import Complaint, User
from service.workflow.sync import change_status, record

WITHDRAWAL_MESSAGE = "intrekking"
WITHDRAWAL_LETTER = "bevestiging_intrekking"


@transaction
def withdraw_complaint(complaint_id: int, payload: Mapping, *, actor: User, now: datetime, ctx: Context) -> Complaint:
    """Record the withdrawal and stop the process: every open task ends, every unmet deadline is cancelled.

    The diagram's withdrawal path ends the instance (a terminate end event) and makes the confirmation letter.
    """
    complaint = get_complaint(complaint_id, actor)
    require_own_handler_or_practice(
        actor, complaint, "Alleen de praktijk of de behandelaar van deze klacht kan een intrekking vastleggen.")
    return withdraw(complaint, payload, actor=actor, now=now, ctx=ctx)


def withdraw(complaint: Complaint, payload: Mapping, *, actor: User, now: datetime, ctx: Context) -> Complaint:
    """Withdraw in the caller's transaction, whoever may (the status page: the complainant themselves)."""
    if complaint.status == "withdrawn":
        raise Conflict("Deze klacht is al ingetrokken.")
    if complaint.status == "closed":
        raise Conflict("Deze klacht is al gesloten; intrekken kan niet meer.")
    withdrawn_on = payload["withdrawn_on"]
    if withdrawn_on > clock.local_date(now):
        raise InvalidInput(errors={"withdrawn_on": ["De datum van intrekking mag niet in de toekomst liggen."]})
    if withdrawn_on < complaint.received_on:
        raise InvalidInput(errors={"withdrawn_on": ["De datum van intrekking ligt vóór de ontvangst van de klacht."]})
    complaint.withdrawn_on = withdrawn_on
    complaint.withdrawal_channel = payload["channel"]
    complaint.withdrawal_reason = payload.get("reason") or None
    derive_outcome(complaint, "withdrawn")  # the analysis counts it as withdrawn unless the practice says otherwise
    step = Step.restore(complaint, actor=actor.username, now=now, ctx=ctx)
    record(complaint, "withdrawn", actor.username, now, withdrawn_on=withdrawn_on.isoformat(),
           channel=payload["channel"], reason=complaint.withdrawal_reason)
    if step.deliver_message(WITHDRAWAL_MESSAGE, {"withdrawn_on": withdrawn_on.isoformat()}):
        step.save()  # the diagram's withdrawal path: status, letter and the end of every task and timer
    else:
        _withdraw_without_a_path(step, actor=actor, now=now, ctx=ctx)
    return complaint


def _withdraw_without_a_path(step: Step, *, actor: User, now: datetime, ctx: Context) -> None:
    """A version drawn before the withdrawal path (0.8.0): end the instance and do what that path does.

    Running complaints stay on their version, and one that waits for a timer the new diagram no longer has cannot
    move; the complainant may withdraw all the same.
    """
    complaint = step.complaint
    step.cancel()
    step.store()  # no task left, nothing due
    change_status(complaint, "withdrawn", now=now, actor=actor.username)
    make_letter(complaint, WITHDRAWAL_LETTER, step="withdrawal", actor=actor.username, now=now, ctx=ctx)
