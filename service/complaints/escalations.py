"""Record the complainant's escalation to an outside body (step 9)."""

from collections.abc import Mapping
from datetime import datetime

from service import clock
from service.complaints.access import get_complaint, require_own_handler_or_practice
from service.complaints.step import Step
from service.context import Context
from service.errors import Conflict, InvalidInput
from service.extensions import transaction
from service.letters.production import make_letter, renew_case_record
from service.models import Complaint, Escalation, User
from service.workflow.sync import record

ESCALATION_MESSAGE = "escalatie"
ROUTES = ("commissioning_client", "ombudsman", "data_protection_authority")
CLIENT_SUMMARY_LETTER = "dossier_opdrachtgever"


@transaction
def register_escalation(complaint_id: int, payload: Mapping, *, actor: User, now: datetime,
                        ctx: Context) -> Complaint:
    """Register the complainant's escalation to an outside body (regulation step 9)."""
    complaint = get_complaint(complaint_id, actor)
    require_own_handler_or_practice(
        actor, complaint, "Alleen de praktijk of de behandelaar van deze klacht kan een escalatie vastleggen.")
    if complaint.status == "withdrawn":
        raise Conflict("Deze klacht is ingetrokken; escaleren kan niet meer.")
    if complaint.status == "open" and not any(d.late for d in complaint.deadlines):
        raise Conflict("Escaleren kan als de klacht is afgehandeld, of eerder als een termijn is verstreken.")
    window = ctx.escalation_window_days
    ended_on = complaint.closed_on or complaint.resolved_on
    if window is not None and ended_on is not None and (clock.local_date(now) - ended_on).days > window:
        raise Conflict(f"De praktijk neemt escalaties aan tot {window} dagen na de afhandeling; die termijn is "
                       "verstreken.")
    route = payload["route"]
    if route == "data_protection_authority" and not complaint.concerns_personal_data:
        raise InvalidInput(errors={"route": [
            "De Autoriteit Persoonsgegevens behandelt alleen klachten over persoonsgegevens; "
            "deze klacht gaat daar niet over."]})
    if route == "commissioning_client" and complaint.commissioning_client_kind == "none":
        raise InvalidInput(errors={"route": ["Deze klacht heeft geen opdrachtgever."]})
    step = Step.restore(complaint, actor=actor.username, now=now, ctx=ctx)
    if not step.deliver_message(ESCALATION_MESSAGE, {"route": route, "reason": payload["reason"]}):
        raise Conflict("De termijn om te escaleren is verstreken of het proces wacht niet op een escalatie.")
    consent = bool(payload.get("complainant_consent_to_share")) and route == "commissioning_client"
    escalation = Escalation(route=route, reason=payload["reason"], created_at=now, created_by=actor.username,
                            complainant_consent_to_share=consent)
    complaint.escalations.append(escalation)  # the collection loads first, then takes the new row
    record(complaint, "escalated", actor.username, now, route=route, reason=payload["reason"],
           consent_to_share=consent)
    made = step.save(escalation=escalation)
    if consent:  # the case summary goes to the client only with the complainant's consent (step 9)
        make_letter(complaint, CLIENT_SUMMARY_LETTER, step="escalation", actor=actor.username, now=now, ctx=ctx,
                    escalation=escalation)
    renew_case_record(complaint, step="escalation", actor=actor.username, now=now, ctx=ctx, made=made)
    return complaint
