"""Domain operations on complaints: each runs in one transaction and writes its history event.

Nothing here imports Flask: the actor, the moment and the context are passed in.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from . import attachments, clock, engine
from .context import Context
from .errors import (
    ConcurrentChange,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    ProcessFailure,
    TaskNotOpen,
)
from .extensions import db
from .letter_production import letters_for_step, make_letter
from .letters import mark_as_draft
from .models import (
    Category,
    Complaint,
    Escalation,
    Extension,
    Letter,
    ReferenceCounter,
    Submission,
    Task,
    User,
)
from .process_versions import latest_version, load_definition
from .version_files import forms_for
from .workflow_sync import record, save_workflow

ESCALATION_MESSAGE = "escalatie"
EXTENDABLE_DEADLINE = "call_report"
EXTENSION_VARIABLE = "call_report_extended_until"
EXTENSION_LETTER = "verlengingsbericht"
MAX_EXTENSION_DAYS_WITHOUT_CONSENT = 28


def transaction(fn):
    """Run fn as one transaction: commit on success, roll everything back on any error.

    A version mismatch on the complaint row (optimistic locking) means another request changed it
    first: that is a 409, not a failure.
    """

    def wrapper(*args, **kwargs):
        try:
            result = fn(*args, **kwargs)
            db.session.commit()
            return result
        except StaleDataError as err:
            db.session.rollback()
            raise ConcurrentChange() from err
        except BaseException:
            db.session.rollback()
            raise

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


# ---------------------------------------------------------------- visibility


def can_see(user: User, complaint: Complaint) -> bool:
    """Return whether user may see complaint: practice and process owner all, others their own."""
    if user.has_role("practice", "process_owner"):
        return True
    if user.has_role("handler") and complaint.handler_username == user.username:
        return True
    return user.has_role("coach") and complaint.coach_username == user.username


def visible_complaints_query(user: User):
    """Return a select of the complaints user may see."""
    query = select(Complaint)
    if user.has_role("practice", "process_owner"):
        return query
    conditions = []
    if user.has_role("handler"):
        conditions.append(Complaint.handler_username == user.username)
    if user.has_role("coach"):
        conditions.append(Complaint.coach_username == user.username)
    if not conditions:
        return query.where(False)
    return query.where(or_(*conditions))


def get_complaint(complaint_id: int, user: User) -> Complaint:
    """Return a complaint the user may see, or raise NotFound/Forbidden."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound("Klacht niet gevonden.")
    if not can_see(user, complaint):
        raise Forbidden()
    return complaint


def may_complete(user: User, task: Task, complaint: Complaint) -> bool:
    """Return whether user may complete task: the task's role, and for handler/coach their own case."""
    if not user.has_role(task.role):
        return False
    if task.role == "handler":
        return complaint.handler_username == user.username
    if task.role == "coach":
        return complaint.coach_username == user.username
    return True


def open_tasks_for(user: User) -> list[Task]:
    """Return the open tasks the user may complete, earliest due first."""
    query = select(Task).join(Complaint).where(Task.state == "open")
    rows = db.session.scalars(query.order_by(Task.due_on.is_(None), Task.due_on, Task.created_at)).all()
    return [t for t in rows if may_complete(user, t, t.complaint)]


# ---------------------------------------------------------------- registration


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
        dated_on=payload["dated_on"],
        received_on=payload["received_on"],
        channel=payload["channel"],
        description=payload["description"],
        coach_username=payload["coach"],
        commissioning_client_kind=client["kind"],
        commissioning_client_name=client.get("name") if client["kind"] != "none" else None,
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
    definition = load_definition(version)
    try:
        wf = engine.start(definition, _case_data(complaint), ctx.functions(now))
    except engine.EngineError as err:
        raise ProcessFailure(f"{ProcessFailure.message} ({err})") from err
    record(complaint, "registered", actor.username, now, reference=complaint.reference,
           process_version=version.number)
    attachments.store(complaint, checked, actor=actor, now=now, ctx=ctx)
    snap = save_workflow(complaint, wf, now=now, actor=actor.username)
    letters_for_step(complaint, definition, {}, snap.completed_counts, actor=actor.username, now=now, ctx=ctx)
    return complaint


# ---------------------------------------------------------------- tasks


def _check_appoint_handler(complaint: Complaint, fields: Mapping) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    handler = db.session.scalar(select(User).where(User.username == fields["handler_username"]))
    if handler is None or not handler.has_role("handler"):
        errors["handler_username"] = ["Onbekende behandelaar: kies een gebruiker met de rol behandelaar."]
    elif handler.username == complaint.coach_username:
        errors["handler_username"] = ["De behandelaar mag niet de coach zijn over wie de klacht gaat."]
    return errors


def _apply_appoint_handler(complaint: Complaint, fields: Mapping) -> None:
    complaint.handler_username = fields["handler_username"]
    complaint.handler_name = fields["handler_name"]
    complaint.handler_function = fields["handler_function"]


def _derive_outcome(complaint: Complaint, outcome: str) -> None:
    """Set the outcome the process tells, unless the practice has set one itself."""
    if complaint.outcome_source != "practice":
        complaint.outcome = outcome
        complaint.outcome_source = "process"


def _apply_assess_admissibility(complaint: Complaint, fields: Mapping) -> None:
    if fields.get("taken_into_handling") is False:
        _derive_outcome(complaint, "not_taken_into_handling")


def _apply_decide_measures(complaint: Complaint, fields: Mapping) -> None:
    if isinstance(fields.get("founded"), bool):
        _derive_outcome(complaint, "founded" if fields["founded"] else "unfounded")


# Rules that need the database, and effects on the case record, per task (by BPMN id).
TASK_RULES = {"appoint_handler": _check_appoint_handler}
TASK_EFFECTS = {
    "appoint_handler": _apply_appoint_handler,
    "assess_admissibility": _apply_assess_admissibility,
    "decide_measures": _apply_decide_measures,
}


# ---------------------------------------------------------------- classification

UNKNOWN_CATEGORY = "Onbekende categorie: kies een actieve categorie uit de lijst van de praktijk."


def active_category(category_id: int) -> Category | None:
    """Return the active category with this id, or None."""
    category = db.session.get(Category, category_id)
    return category if category is not None and category.active else None


def _restore(complaint: Complaint, now: datetime, ctx: Context):
    # An instance continues on the diagram version it started on, whatever was deployed since.
    return engine.restore(complaint.workflow_state, load_definition(complaint.process_version), ctx.functions(now))


@transaction
def complete_task(task_id: str, data: object, *, actor: User, now: datetime, ctx: Context) -> Complaint:
    """Complete an open user task with the fields its form declares, and run the process on."""
    return _complete_task(task_id, data, actor=actor, now=now, ctx=ctx)[0]


@dataclass(frozen=True)
class LetterPreview:
    """A letter as completing a task would make it; never stored."""

    kind: str
    filename: str
    content: bytes


def preview_task_letters(task_id: str, data: object, *, actor: User, now: datetime,
                         ctx: Context) -> list[LetterPreview]:
    """Return the letters that completing the task with data would make, and keep nothing.

    The step runs exactly as complete_task runs it (checks, process, letters) and is then rolled back, so the
    preview is the letter the complainant would get. Refused input raises as complete_task does.
    """
    try:
        _, letters = _complete_task(task_id, data, actor=actor, now=now, ctx=ctx)
        return [LetterPreview(letter.kind, f"concept-{letter.filename}", mark_as_draft(letter.content))
                for letter in letters]
    except StaleDataError as err:  # another request changed the complaint while the step ran
        raise ConcurrentChange() from err
    finally:
        db.session.rollback()


def _complete_task(task_id: str, data: object, *, actor: User, now: datetime,
                   ctx: Context) -> tuple[Complaint, list[Letter]]:
    """complete_task's work, without the commit: the complaint and the letters the step made."""
    # One query for the task, its complaint and the workflow state: this is the hot path of the service.
    task = db.session.scalar(
        select(Task).where(Task.id == task_id)
        .options(joinedload(Task.complaint).undefer(Complaint.workflow_state),
                 joinedload(Task.complaint).selectinload(Complaint.tasks))
    )
    if task is None:
        raise NotFound("Taak niet gevonden.")
    complaint = task.complaint
    if not may_complete(actor, task, complaint):
        raise Forbidden("Deze taak is niet voor u.")
    if task.state != "open":
        raise TaskNotOpen()
    if not isinstance(data, Mapping):
        raise InvalidInput(errors={"_schema": ["Stuur de velden van de taak als JSON-object."]})
    form = forms_for(complaint.process_version, ctx).get(task.task)  # the forms of the complaint's own version
    if form is None:
        raise ProcessFailure(f"Geen formulier voor taak {task.task}.")
    fields, errors = form.validate(data, today=clock.local_date(now))
    if not errors and task.task in TASK_RULES:
        errors = TASK_RULES[task.task](complaint, fields)
    if errors:
        raise InvalidInput(errors=errors)
    wf = _restore(complaint, now, ctx)
    if engine.find_ready_task(wf, task_id) is None:
        raise TaskNotOpen()
    before = engine.completed_counts(wf)
    if task.task in TASK_EFFECTS:
        TASK_EFFECTS[task.task](complaint, fields)
    try:
        engine.complete(wf, task_id, fields)
    except engine.EngineError as err:
        raise ProcessFailure(f"{ProcessFailure.message} ({err})") from err
    task.state = "completed"
    task.completed_at = now
    task.completed_by = actor.username
    db.session.add(Submission(complaint_id=complaint.id, task_id=task.id, task=task.task,
                              actor=actor.username, submitted_at=now, fields=fields))
    complaint.data = {**complaint.data, **fields}
    record(complaint, "task_completed", actor.username, now, task=task.task, name=task.name)
    snap = save_workflow(complaint, wf, now=now, actor=actor.username)
    letters = letters_for_step(complaint, load_definition(complaint.process_version), before,
                               snap.completed_counts, actor=actor.username, now=now, ctx=ctx)
    return complaint, letters


def task_makes_letter(task: Task) -> bool:
    """Whether the task's element has a `letter` property in its complaint's process version."""
    element = load_definition(task.complaint.process_version).elements.get(task.task)
    return element is not None and "letter" in element.properties


# ---------------------------------------------------------------- extensions


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
    wf = _restore(complaint, now, ctx)
    try:
        current = deadline.due_on if deadline else _evaluated_due_on(wf, complaint)
    except engine.EngineError as err:
        raise ProcessFailure(f"{ProcessFailure.message} ({err})") from err
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
    try:
        engine.set_case_data(wf, {EXTENSION_VARIABLE: new_due_on.isoformat()})
    except engine.EngineError as err:
        raise ProcessFailure(f"{ProcessFailure.message} ({err})") from err
    extension = Extension(deadline=EXTENDABLE_DEADLINE, reason=payload["reason"],
                          previous_due_on=current, new_due_on=new_due_on,
                          complainant_consent=payload["complainant_consent"], created_at=now,
                          created_by=actor.username)
    complaint.extensions.append(extension)  # the collection loads first, then takes the new row
    record(complaint, "deadline_extended", actor.username, now, deadline=EXTENDABLE_DEADLINE,
           previous_due_on=current.isoformat(), new_due_on=new_due_on.isoformat(), reason=payload["reason"],
           complainant_consent=payload["complainant_consent"])
    save_workflow(complaint, wf, now=now, actor=actor.username)
    # Not a step of the diagram: the extension itself (Awb 9:11) is told in writing to complainant and coach.
    make_letter(complaint, EXTENSION_LETTER, step="extension", actor=actor.username, now=now, ctx=ctx,
                extension=extension)
    return complaint


def _evaluated_due_on(wf, complaint: Complaint) -> date:
    """Return the call-report due date the diagram would set now (before its timer has started)."""
    definition = load_definition(complaint.process_version)
    timers = [e for e in definition.with_property("deadline")
              if e.properties["deadline"] == EXTENDABLE_DEADLINE and e.expressions]
    if not timers:
        raise Conflict("Dit proces kent geen termijn voor het verslag van het telefoongesprek.")
    moment = engine.evaluate_in_workflow(wf, timers[0].expressions[0][1])
    return clock.due_on_from_moment(datetime.fromisoformat(str(moment)))


# ---------------------------------------------------------------- escalations

ROUTES = ("commissioning_client", "ombudsman", "data_protection_authority")


@transaction
def register_escalation(complaint_id: int, payload: Mapping, *, actor: User, now: datetime,
                        ctx: Context) -> Complaint:
    """Register the complainant's escalation to an outside body (regulation step 9)."""
    complaint = get_complaint(complaint_id, actor)
    if not actor.has_role("practice", "handler"):
        raise Forbidden("Alleen de praktijk of de behandelaar kan een escalatie vastleggen.")
    if complaint.status == "open":
        raise Conflict("Escaleren kan pas als de klacht is afgehandeld.")
    route = payload["route"]
    if route == "data_protection_authority" and not complaint.concerns_personal_data:
        raise InvalidInput(errors={"route": [
            "De Autoriteit Persoonsgegevens behandelt alleen klachten over persoonsgegevens; "
            "deze klacht gaat daar niet over."]})
    if route == "commissioning_client" and complaint.commissioning_client_kind == "none":
        raise InvalidInput(errors={"route": ["Deze klacht heeft geen opdrachtgever."]})
    wf = _restore(complaint, now, ctx)
    before = engine.completed_counts(wf)
    try:
        delivered = engine.deliver_message(wf, ESCALATION_MESSAGE, {"route": route, "reason": payload["reason"]})
    except engine.EngineError as err:
        raise ProcessFailure(f"{ProcessFailure.message} ({err})") from err
    if not delivered:
        raise Conflict("De termijn om te escaleren is verstreken of het proces wacht niet op een escalatie.")
    escalation = Escalation(route=route, reason=payload["reason"], created_at=now, created_by=actor.username)
    complaint.escalations.append(escalation)  # the collection loads first, then takes the new row
    record(complaint, "escalated", actor.username, now, route=route, reason=payload["reason"])
    snap = save_workflow(complaint, wf, now=now, actor=actor.username)
    letters_for_step(complaint, load_definition(complaint.process_version), before, snap.completed_counts,
                     actor=actor.username, now=now, ctx=ctx, escalation=escalation)
    return complaint


def count_complaints() -> int:
    """Return the number of complaints."""
    return db.session.scalar(select(func.count(Complaint.id)))


@transaction
def correct_letter(complaint: Complaint, letter: Letter, *, actor: User, now: datetime, ctx: Context) -> Letter:
    """Make a new version of a letter from the current case; the stored one never changes."""
    if not can_see(actor, complaint) or not actor.has_role("practice", "handler"):
        raise Forbidden()
    if any(other.replaces_id == letter.id for other in complaint.letters):
        raise Conflict("Van deze brief bestaat al een nieuwere versie; corrigeer die.")
    return make_letter(complaint, letter.kind, step=letter.step, actor=actor.username, now=now, ctx=ctx,
                       replaces=letter)
