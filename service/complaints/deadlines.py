"""Extend the call-report term (Awb 9:11)."""

from collections.abc import Mapping
from datetime import date, datetime

from service import clock
from service.complaints.access import get_complaint
from service.complaints.step import Step
from service.context import Context
from service.errors import Conflict, Forbidden, InvalidInput
from service.extensions import transaction
from service.letters.production import make_letter
from service.models import Complaint, Extension, User
from service.workflow.sync import record

EXTENDABLE_DEADLINE = "call_report"
EXTENSION_VARIABLE = "call_report_extended_until"
EXTENSION_LETTER = "verlengingsbericht"
MAX_EXTENSION_DAYS_WITHOUT_CONSENT = 28


def current_due_on(complaint: Complaint, name: str) -> date | None:
    """Return the due date of a deadline as stored, or None when it has not started."""
    return next((d.due_on for d in complaint.deadlines if d.name == name), None)


@transaction
def extend_deadline(complaint_id: int, payload: Mapping, *, actor: User, now: datetime,
                    ctx: Context) -> Complaint:
    """Extend the call-report term with a reason (Awb 9:11): at most 4 weeks without consent."""
    complaint = get_complaint(complaint_id, actor)
    if not actor.has_role("practice", "handler") or (
        not actor.has_role("practice") and complaint.handler_username != actor.username
    ):
        raise Forbidden("Alleen de behandelaar of de praktijk kan de termijn verlengen.")
    deadline = next((d for d in complaint.deadlines if d.name == EXTENDABLE_DEADLINE), None)
    if deadline is not None and deadline.met_on is not None or complaint.status != "open":
        raise Conflict("Het verslag van het telefoongesprek is al gedaan; verlengen kan niet meer.")
    if deadline is not None and deadline.passed_at is not None:
        raise Conflict("De termijn is al verstreken; verlengen kan alleen vóór het verstrijken.")
    step = Step.restore(complaint, actor=actor.username, now=now, ctx=ctx)
    current = deadline.due_on if deadline else _evaluated_due_on(step)
    original = min([e.previous_due_on for e in complaint.extensions] + [current])
    new_due_on: date = payload["new_due_on"]
    errors: dict[str, list[str]] = {}
    if new_due_on <= current:
        errors["new_due_on"] = [f"De nieuwe datum moet na de huidige termijn ({current.isoformat()}) liggen."]
    elif (new_due_on - original).days > MAX_EXTENSION_DAYS_WITHOUT_CONSENT and not payload[
        "complainant_consent"
    ]:
        errors["complainant_consent"] = [
            "Samen meer dan vier weken verlengen kan alleen met schriftelijke instemming van de klager."
        ]
    if errors:
        raise InvalidInput(errors=errors)
    step.set_case_data({EXTENSION_VARIABLE: new_due_on.isoformat()})
    extension = Extension(deadline=EXTENDABLE_DEADLINE, reason=payload["reason"],
                          previous_due_on=current, new_due_on=new_due_on,
                          complainant_consent=payload["complainant_consent"], created_at=now,
                          created_by=actor.username)
    complaint.extensions.append(extension)  # the collection loads first, then takes the new row
    record(complaint, "deadline_extended", actor.username, now, deadline=EXTENDABLE_DEADLINE,
           previous_due_on=current.isoformat(), new_due_on=new_due_on.isoformat(), reason=payload["reason"],
           complainant_consent=payload["complainant_consent"])
    step.save()
    # Not a step of the diagram: the extension itself (Awb 9:11) is told in writing to complainant and coach.
    make_letter(complaint, EXTENSION_LETTER, step="extension", actor=actor.username, now=now, ctx=ctx,
                extension=extension)
    return complaint


def _evaluated_due_on(step: Step) -> date:
    """Return the call-report due date the diagram would set now (before its timer has started)."""
    timers = [e for e in step.definition.with_property("deadline")
              if e.properties["deadline"] == EXTENDABLE_DEADLINE and e.expressions]
    if not timers:
        raise Conflict("Dit proces kent geen termijn voor het verslag van het telefoongesprek.")
    moment = step.evaluate(timers[0].expressions[0][1])
    return clock.due_on_from_moment(datetime.fromisoformat(str(moment)))
