"""Make letters in the same transaction as the step that the diagram names for them."""

import hashlib
from collections.abc import Mapping
from datetime import datetime

from service import letters
from service.context import Context
from service.errors import ProcessFailure
from service.letters import context as letter_context
from service.models import Complaint, DelayNotice, Escalation, Extension, Letter
from service.workflow.definitions import Definition
from service.workflow.sync import record
from service.workflow.version_files import letter_templates_dir


def make_letter(complaint: Complaint, kind: str, *, step: str, actor: str, now: datetime, ctx: Context,
                extension: Extension | None = None, escalation: Escalation | None = None,
                delay_notice: DelayNotice | None = None, replaces: Letter | None = None) -> Letter:
    """Render one letter from the case as it is now and keep it; a failure fails the whole step."""
    try:
        # The templates of the complaint's own version, as they were when it was deployed.
        templates_dir = letter_templates_dir(complaint.process_version, ctx)
        practice = letters.letterhead(templates_dir)
        context = letter_context.build(complaint, kind, practice=practice, now=now, extension=extension,
                                       escalation=escalation, delay_notice=delay_notice)
        content = letters.render_letter(kind, context, templates_dir=templates_dir)
    except letters.LetterError as err:
        raise ProcessFailure(f"De brief {kind} kon niet worden gemaakt; er is niets gewijzigd. ({err})") from err
    version = replaces.version + 1 if replaces is not None else 1
    suffix = f"-v{version}" if version > 1 else ""
    row = Letter(kind=kind, version=version, replaces_id=replaces.id if replaces else None, step=step,
                 filename=f"{complaint.reference}-{kind}{suffix}.docx", content=content,
                 sha256=hashlib.sha256(content).hexdigest(), created_at=now, created_by=actor)
    complaint.letters.append(row)  # the collection loads first, then takes the new row
    record(complaint, "letter_made", actor, now, letter=kind, version=version, step=step)
    return row


def letters_for_step(complaint: Complaint, definition: Definition, before: Mapping[str, int],
                     after: Mapping[str, int], *, actor: str, now: datetime, ctx: Context,
                     escalation: Escalation | None = None) -> list[Letter]:
    """Make the letter of every element with a `letter` property that completed during this step."""
    made = []
    for bpmn_id, count in after.items():
        element = definition.elements.get(bpmn_id)
        kind = element.properties.get("letter") if element is not None else None
        for _ in range(count - before.get(bpmn_id, 0) if kind else 0):
            made.append(make_letter(complaint, kind, step=bpmn_id, actor=actor, now=now, ctx=ctx,
                                    escalation=escalation))
    return made
