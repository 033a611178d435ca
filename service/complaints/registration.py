"""Register a complaint and start its workflow."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select, update

from service import clock
from service.complaints import attachments
from service.complaints.access import get_complaint, is_practice_or_own_handler, require_not_concerned
from service.complaints.classification import UNKNOWN_CATEGORY, active_category
from service.complaints.deadlines import EXTENSION_VARIABLE
from service.complaints.notes import keep_note
from service.complaints.step import Step
from service.context import Context
from service.errors import Conflict, Forbidden, InvalidInput
from service.extensions import db, transaction
from service.letters.production import renew_case_record
from service.models import Complaint, ReferenceCounter, User
from service.workflow.sync import record
from service.workflow.versions import latest_version


def _next_reference(year: int) -> str:
    """Give out the next KL-YYYY-NNNN number; the row update serialises concurrent registrations."""
    result = db.session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number)
    ).scalar()
    if result is None:
        db.session.add(ReferenceCounter(year=year, last_number=1))
        db.session.flush()
        result = 1
    return f"KL-{year}-{result:04d}"


def _case_data(complaint: Complaint) -> dict:
    return {
        "reference": complaint.reference,
        "received_on": complaint.received_on.isoformat(),
        "dated_on": complaint.dated_on.isoformat(),
        "channel": complaint.channel,
        "concerns_personal_data": complaint.concerns_personal_data,
        "commissioning_client_kind": complaint.commissioning_client_kind,
        EXTENSION_VARIABLE: None,
    }


@transaction
def register_complaint(payload: Mapping, *, actor: User, now: datetime, ctx: Context,
                       uploads: Sequence[attachments.Upload] = ()) -> Complaint:
    """Register a complaint (payload already shape-checked) with its files, and start its workflow."""
    return register(payload, actor=actor, now=now, ctx=ctx, uploads=uploads)


def register(payload: Mapping, *, actor: User, now: datetime, ctx: Context,
             uploads: Sequence[attachments.Upload] = ()) -> Complaint:
    """Register a complaint in the caller's transaction (the public form adds its own rows to the same one)."""
    errors: dict[str, list[str]] = {}
    try:
        checked = attachments.check_uploads(uploads, ctx)
    except InvalidInput as err:
        errors.update(err.errors)
    coach = db.session.scalar(select(User).where(User.username == payload["coach"]))
    if coach is None or not coach.has_role("coach"):
        errors["coach"] = ["Onbekende coach: kies een gebruiker met de rol coach."]
    today = clock.local_date(now)
    if payload["received_on"] > today:
        errors.setdefault("received_on", []).append("De ontvangstdatum mag niet in de toekomst liggen.")
    if payload["received_on"] < payload["dated_on"]:
        errors.setdefault("received_on", []).append("De ontvangstdatum ligt vóór de dagtekening.")
    category = None
    if payload.get("category") is not None:
        category = active_category(payload["category"])
        if category is None:
            errors["category"] = [UNKNOWN_CATEGORY]
    if errors:
        raise InvalidInput(errors=errors)
    version = latest_version(ctx.process_id)
    if version is None:
        raise Conflict("Er is nog geen procesversie in gebruik genomen.")
    client = payload["commissioning_client"]
    complainant = payload["complainant"]
    complaint = Complaint(
        reference=_next_reference(payload["received_on"].year),
        status="open",
        complainant_name=complainant["name"],
        complainant_address=complainant["address"],
        complainant_email=complainant.get("email"),
        complainant_phone=complainant.get("phone"),
        complainant_salutation=complainant.get("salutation"),
        complainant_surname=complainant.get("surname"),
        dated_on=payload["dated_on"],
        received_on=payload["received_on"],
        channel=payload["channel"],
        description=payload["description"],
        coach_username=payload["coach"],
        commissioning_client_kind=client["kind"],
        commissioning_client_name=client.get("name") if client["kind"] != "none" else None,
        commissioning_client_address=client.get("address") if client["kind"] != "none" else None,
        commissioning_client_contact_person=client.get("contact_person") if client["kind"] != "none" else None,
        concerns_personal_data=payload["concerns_personal_data"],
        registered_at=now,
        registered_by=actor.username,
        data={},
        process_version_id=version.id,
        timer_attempts=0,
        category_id=category.id if category is not None else None,
    )
    db.session.add(complaint)
    db.session.flush()
    step = Step.start(complaint, version, _case_data(complaint), actor=actor.username, now=now, ctx=ctx)
    record(complaint, "registered", actor.username, now, reference=complaint.reference,
           process_version=version.number)
    attachments.store(complaint, checked, actor=actor, now=now, ctx=ctx)
    if payload.get("intake_note"):  # the intake phone call (step 1) is a note like any later call
        keep_note(complaint, noted_on=complaint.received_on, kind="phone", text=payload["intake_note"],
                  author=actor.username, now=now)
    step.save()
    return complaint


@transaction
def update_client_details(complaint_id: int, payload: Mapping, *, actor: User, now: datetime,
                          ctx: Context) -> Complaint:
    """Record the commissioning client's postal address and contact person (the escalation letters use them).

    By the practice or the complaint's own handler; a key left out stays as it is. The history keeps what changed;
    a closed complaint's klachtenformulier is made anew.
    """
    complaint = get_complaint(complaint_id, actor)
    if not is_practice_or_own_handler(actor, complaint):
        raise Forbidden("Alleen de praktijk of de behandelaar van deze klacht kan de gegevens van de opdrachtgever "
                        "aanpassen.")
    require_not_concerned(actor, complaint)
    if complaint.commissioning_client_kind == "none":
        raise Conflict("Deze klacht heeft geen opdrachtgever.")
    changed = {}
    for key, column in (("address", "commissioning_client_address"),
                        ("contact_person", "commissioning_client_contact_person")):
        if key in payload and (payload[key] or None) != getattr(complaint, column):
            setattr(complaint, column, payload[key] or None)
            changed[key] = payload[key] or None
    if changed:
        record(complaint, "client_details_changed", actor.username, now, **changed)
        renew_case_record(complaint, step="client_details", actor=actor.username, now=now, ctx=ctx)
    return complaint
