"""Complete a complaint's user tasks (and preview the letters a completion makes), with the rules per task."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from service import clock
from service.accounts import users
from service.complaints import attachments
from service.complaints.access import handler_problems, load_whole_file, may_complete
from service.complaints.attachments import Upload
from service.complaints.classification import derive_outcome
from service.complaints.step import Step
from service.context import Context
from service.errors import Forbidden, InvalidInput, NotFound, ProcessFailure, TaskNotOpen
from service.extensions import db, transaction, trial
from service.forms import FormDefinition
from service.letters.render import mark_as_draft
from service.models import Complaint, Letter, Submission, Task, User
from service.workflow.sync import record
from service.workflow.version_files import forms_for
from service.workflow.versions import load_definition


def _check_appoint_handler(complaint: Complaint, fields: Mapping) -> dict[str, list[str]]:
    return handler_problems(complaint, fields["handler_username"])


def _check_hear_coach(complaint: Complaint, fields: Mapping) -> dict[str, list[str]]:
    """Going on without the coach's agreement is for a coach who has disagreed: it ends a stalemate."""
    if not fields.get("proceed_without_agreement"):
        return {}
    answers = db.session.scalars(select(Submission.fields).where(Submission.complaint_id == complaint.id,
                                                                 Submission.task == "coach_agreement"))
    if not any(answer.get("agrees") is False for answer in answers):
        return {"proceed_without_agreement": [
            "Dit kan alleen als de coach eerder niet heeft ingestemd met de samenvatting; vraag eerst de "
            "instemming van de coach."]}
    return {}


def _check_offer_call(complaint: Complaint, fields: Mapping) -> dict[str, list[str]]:
    """The call reports a decision: it cannot have taken place before the decision it reports."""
    decided = db.session.scalar(
        select(Submission.submitted_at).where(Submission.complaint_id == complaint.id,
                                              Submission.task == "decide_measures")
        .order_by(Submission.id.desc()).limit(1))
    called_on = fields.get("called_on")
    if decided is not None and called_on and date.fromisoformat(called_on) < clock.local_date(decided):
        return {"called_on": [f"Het gesprek kan niet vóór de beslissing liggen die het bespreekt "
                              f"({clock.local_date(decided).isoformat()})."]}
    return {}


def _check_send_acknowledgement(complaint: Complaint, fields: Mapping) -> dict[str, list[str]]:
    """What happened cannot have happened after the complaint about it was received."""
    incident_on = fields.get("incident_on")
    if incident_on and date.fromisoformat(incident_on) > complaint.received_on:
        return {"incident_on": [f"Het voorval kan niet na de ontvangst van de klacht liggen "
                                f"({complaint.received_on.isoformat()})."]}
    return {}


def _check_decide_measures(complaint: Complaint, fields: Mapping) -> dict[str, list[str]]:
    """Only a founded complaint can be partly founded."""
    if fields.get("partly_founded") and fields.get("founded") is not True:
        return {"partly_founded": ["Een klacht kan alleen deels gegrond zijn als zij gegrond is; kies bij "
                                   "'Is de klacht gegrond?' ja, of kies hier nee."]}
    return {}


def _apply_offer_call(complaint: Complaint, fields: Mapping) -> None:
    """A satisfied complainant: the complaint is resolved on the day of the call, not the day it was recorded."""
    if fields.get("complainant_satisfied") is True and fields.get("called_on") and complaint.resolved_on is None:
        complaint.resolved_on = date.fromisoformat(fields["called_on"])


def _apply_appoint_handler(complaint: Complaint, fields: Mapping) -> None:
    complaint.handler_username = fields["handler_username"]
    complaint.handler_name = fields["handler_name"]
    complaint.handler_function = fields["handler_function"]


def _apply_assess_admissibility(complaint: Complaint, fields: Mapping) -> None:
    if fields.get("taken_into_handling") is False:
        derive_outcome(complaint, "not_taken_into_handling")


def _apply_decide_measures(complaint: Complaint, fields: Mapping) -> None:
    if isinstance(fields.get("founded"), bool):
        founded = "partly_founded" if fields.get("partly_founded") else "founded"
        derive_outcome(complaint, founded if fields["founded"] else "unfounded")


# Rules that need the database, and effects on the case record, per task (by BPMN id).
TASK_RULES = {"appoint_handler": _check_appoint_handler, "hear_coach": _check_hear_coach,
              "offer_call": _check_offer_call, "send_acknowledgement": _check_send_acknowledgement,
              "decide_measures": _check_decide_measures}
TASK_EFFECTS = {
    "appoint_handler": _apply_appoint_handler,
    "assess_admissibility": _apply_assess_admissibility,
    "decide_measures": _apply_decide_measures,
    "offer_call": _apply_offer_call,
}


def _prefill_appoint_handler(form: FormDefinition, data: Mapping) -> Mapping:
    """Take the handler's name, function and NOLOC membership from their profile where the caller left them out.

    What a caller sends (the contract's fields) is kept as sent; only fields missing or empty are filled, and only
    from the profile of a user with the handler role (the form and TASK_RULES report any other username).
    """
    username = data.get("handler_username")
    handler = users.find(username.strip()) if isinstance(username, str) and username.strip() else None
    if handler is None or not handler.has_role("handler"):
        return data
    profile = {"handler_name": handler.display_name, "handler_function": handler.function,
               "handler_noloc_member": True if handler.noloc_number else None}
    filled = dict(data)
    for name, value in profile.items():
        left_out = filled.get(name) is None or (isinstance(filled[name], str) and not filled[name].strip())
        if value not in (None, "") and name in form.field_names and left_out:
            filled[name] = value
    return filled


# Fields a task takes from elsewhere when the caller leaves them out, before its form validates them.
TASK_PREFILLS = {"appoint_handler": _prefill_appoint_handler}


@transaction
def complete_task(task_id: str, data: object, *, actor: User, now: datetime, ctx: Context,
                  uploads: Mapping[str, Sequence[Upload]] | None = None) -> Complaint:
    """Complete an open user task with the fields its form declares, and run the process on.

    uploads are the files posted for the form's file fields, by field name: they are checked, kept with the
    complaint and their ids put in the fields, in the same transaction, so a refused task keeps no file.
    """
    complaint = _complete_task(task_id, data, actor=actor, now=now, ctx=ctx, uploads=uploads or {})[0]
    return load_whole_file(complaint)


@dataclass(frozen=True)
class LetterPreview:
    """A letter as completing a task would make it; never stored."""

    kind: str
    filename: str
    content: bytes


@trial
def preview_task_letters(task_id: str, data: object, *, actor: User, now: datetime,
                         ctx: Context) -> list[LetterPreview]:
    """Return the letters that completing the task with data would make, and keep nothing.

    The step runs exactly as complete_task runs it (checks, process, letters) and is then rolled back, so the
    preview is the letter the complainant would get. Refused input raises as complete_task does.
    """
    _, letters = _complete_task(task_id, data, actor=actor, now=now, ctx=ctx, uploads={})
    return [LetterPreview(letter.kind, f"concept-{letter.filename}", mark_as_draft(letter.content))
            for letter in letters]


def task_and_form(task_id: str, actor: User, ctx: Context) -> tuple[Task, FormDefinition]:
    """Return a task the actor may complete and the form of its complaint's version; NotFound/Forbidden else."""
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound("Taak niet gevonden.")
    if not may_complete(actor, task, task.complaint):
        raise Forbidden("Deze taak is niet voor u.")
    form = forms_for(task.complaint.process_version, ctx).get(task.task)  # the forms of the complaint's version
    if form is None:
        raise NotFound("Dit formulier bestaat niet.")
    return task, form


def _complete_task(task_id: str, data: object, *, actor: User, now: datetime, ctx: Context,
                   uploads: Mapping[str, Sequence[Upload]]) -> tuple[Complaint, list[Letter]]:
    """complete_task's work, without the commit: the complaint and the letters the step made."""
    # One query for the task, its complaint and the workflow state, and one each for the tasks and deadlines that the
    # step brings in line: this is the hot path of the service. The rest of the file loads only when used.
    task = db.session.scalar(
        select(Task).where(Task.id == task_id)
        .options(joinedload(Task.complaint).undefer(Complaint.workflow_state),
                 joinedload(Task.complaint).selectinload(Complaint.tasks),
                 joinedload(Task.complaint).selectinload(Complaint.deadlines))
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
    if uploads:
        data = _with_files(form, complaint, dict(data), uploads, actor=actor, now=now, ctx=ctx)
    if task.task in TASK_PREFILLS:
        data = TASK_PREFILLS[task.task](form, data)
    fields, errors = form.validate(data, today=clock.local_date(now))
    if not errors and task.task in TASK_RULES:
        errors = TASK_RULES[task.task](complaint, fields)
    if errors:
        raise InvalidInput(errors=errors)
    step = Step.restore(complaint, actor=actor.username, now=now, ctx=ctx)
    if not step.has_ready_task(task_id):
        raise TaskNotOpen()
    if task.task in TASK_EFFECTS:
        TASK_EFFECTS[task.task](complaint, fields)
    step.complete(task_id, fields)
    task.state = "completed"
    task.completed_at = now
    task.completed_by = actor.username
    db.session.add(Submission(complaint_id=complaint.id, task_id=task.id, task=task.task,
                              actor=actor.username, submitted_at=now, fields=fields))
    complaint.data = {**complaint.data, **fields}
    decision = {name: fields[name] for name in DECISIVE_FIELDS.get(task.task, ()) if name in fields}
    record(complaint, "task_completed", actor.username, now, task=task.task, name=task.name,
           **({"decision": decision} if decision else {}))
    return complaint, step.save()


# The fields that say what a step decided, kept with its history event so the history reads as what happened
# ("de coach stemt niet in"), not only which task was done (dutch.history_text).
DECISIVE_FIELDS = {
    "assess_admissibility": ("taken_into_handling",),
    "hear_coach": ("proceed_without_agreement",),
    "coach_agreement": ("agrees",),
    "decide_measures": ("founded", "partly_founded"),
    "offer_call": ("complainant_satisfied",),
    "reconsider": ("next_step",),
    "record_preventive_measures": ("measures_needed",),
}


def _with_files(form: FormDefinition, complaint: Complaint, data: dict, uploads: Mapping[str, Sequence[Upload]],
                *, actor: User, now: datetime, ctx: Context) -> dict:
    """Keep the first file posted for each file field with the complaint and put its id in the field.

    A refused file is reported together with the problems of the other fields.
    """
    errors: dict[str, list[str]] = {}
    for field in form.fields:
        posted = list(uploads.get(field.name, ()))[:1] if field.type == "file" else []
        if not posted:
            continue
        try:
            checked = attachments.check_uploads(posted, ctx, field=field.name)
        except InvalidInput as err:
            errors.update(err.errors)
            continue
        row = attachments.store(complaint, checked, actor=actor, now=now, ctx=ctx)[0]
        db.session.flush()  # gives the row its id
        data[field.name] = str(row.id)
    if errors:
        _, others = form.validate({**data, **dict.fromkeys(errors, "-")}, today=clock.local_date(now))
        raise InvalidInput(errors={**others, **errors})
    return data


def task_makes_letter(task: Task) -> bool:
    """Whether the task's element has a `letter` property in its complaint's process version."""
    element = load_definition(task.complaint.process_version).elements.get(task.task)
    return element is not None and "letter" in element.properties
