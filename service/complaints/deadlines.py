"""Extend the call-report term (Awb 9:11)."""

from collections.abc import Mapping
from datetime import date, datetime

from service import clock
from service.complaints.access import get_complaint, require_own_handler_or_practice
from service.complaints.step import Step
from service.context import Context
from service.errors import Conflict, InvalidInput
from service.extensions import transaction
from service.letters.production import make_letter
from service.models import Complaint, DelayNotice, Extension, User
from service.workflow.sync import record

EXTENDABLE_DEADLINE = "call_report"
EXTENSION_VARIABLE = "call_report_extended_until"
EXTENSION_LETTER = "verlengingsbericht"
DELAY_LETTER = "vertragingsbericht"
MAX_EXTENSION_DAYS_WITHOUT_CONSENT = 28


def current_due_on(complaint: Complaint, name: str) -> date | None:
    """Return the due date of a deadline as stored, or None when it has not started."""
    deadline = complaint.deadline(name)
    return deadline.due_on if deadline is not None else None


@transaction
def extend_deadline(complaint_id: int, payload: Mapping, *, actor: User, now: datetime,
                    ctx: Context) -> Complaint:
    """Extend the call-report term with a reason (Awb 9:11): at most 4 weeks without consent."""
    complaint = get_complaint(complaint_id, actor)
    require_own_handler_or_practice(actor, complaint, "Alleen de behandelaar of de praktijk kan de termijn verlengen.")
    deadline = complaint.deadline(EXTENDABLE_DEADLINE)
    if complaint.handler_username is None:
        raise Conflict("Er is nog geen behandelaar aangesteld; verlengen kan pas daarna (de behandelaar "
                       "ondertekent het verlengingsbericht).")
    if deadline is not None and deadline.cancelled_on is not None:
        raise Conflict("De klacht is niet in behandeling genomen of ingetrokken: de termijn voor het verslag "
                       "van het telefoongesprek is vervallen.")
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
    consent_on = payload.get("consent_given_on")
    if consent_on is not None and not complaint.received_on <= consent_on <= clock.local_date(now):
        errors["consent_given_on"] = ["De datum van instemming ligt tussen de ontvangst van de klacht en vandaag."]
    if (consent_on is not None or payload.get("consent_channel")) and not payload["complainant_consent"]:
        errors.setdefault("complainant_consent", []).append(
            "Geef aan dat de klager instemt als u vastlegt wanneer of hoe de klager instemde.")
    if errors:
        raise InvalidInput(errors=errors)
    step.set_case_data({EXTENSION_VARIABLE: new_due_on.isoformat()})
    extension = Extension(deadline=EXTENDABLE_DEADLINE, reason=payload["reason"],
                          previous_due_on=current, new_due_on=new_due_on,
                          complainant_consent=payload["complainant_consent"], consent_given_on=consent_on,
                          consent_channel=payload.get("consent_channel"), created_at=now,
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


@transaction
def send_delay_notice(complaint_id: int, payload: Mapping, *, actor: User, now: datetime,
                      ctx: Context) -> Complaint:
    """Tell the complainant in writing why the call report is late and when it is expected (the term passed).

    The deadline stays overdue: a notice explains the delay, it does not extend the term.
    """
    complaint = get_complaint(complaint_id, actor)
    require_own_handler_or_practice(actor, complaint,
                                    "Alleen de behandelaar of de praktijk kan een vertragingsbericht sturen.")
    deadline = complaint.deadline(EXTENDABLE_DEADLINE)
    if deadline is None or deadline.passed_at is None or deadline.met_on is not None \
            or deadline.cancelled_on is not None:
        raise Conflict("Een vertragingsbericht kan alleen als de termijn voor het verslag van het telefoongesprek "
                       "is verstreken en het verslag er nog niet is; vóór het verstrijken verlengt u de termijn.")
    if payload["expected_on"] <= clock.local_date(now):
        raise InvalidInput(errors={"expected_on": ["Kies een datum na vandaag."]})
    notice = DelayNotice(reason=payload["reason"], expected_on=payload["expected_on"], created_at=now,
                         created_by=actor.username)
    complaint.delay_notices.append(notice)  # the collection loads first, then takes the new row
    record(complaint, "delay_notice", actor.username, now, deadline=EXTENDABLE_DEADLINE,
           expected_on=payload["expected_on"].isoformat(), reason=payload["reason"])
    make_letter(complaint, DELAY_LETTER, step="delay_notice", actor=actor.username, now=now, ctx=ctx,
                delay_notice=notice)
    return complaint
