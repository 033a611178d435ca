"""Make letters in the same transaction as the step that the diagram names for them."""

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime

from service import letters, mail
from service.context import Context
from service.dutch import LETTER_LABELS, salutation
from service.errors import ProcessFailure
from service.extensions import db
from service.letters import context as letter_context
from service.models import Complaint, DelayNotice, Escalation, Extension, Letter
from service.practice import settings as practice_settings
from service.public import links as status_links
from service.workflow.definitions import Definition
from service.workflow.sync import record
from service.workflow.version_files import letter_templates_dir


def make_letter(complaint: Complaint, kind: str, *, step: str, actor: str, now: datetime, ctx: Context,
                extension: Extension | None = None, escalation: Escalation | None = None,
                delay_notice: DelayNotice | None = None, replaces: Letter | None = None,
                recipient: tuple[str, str] | None = None) -> Letter:
    """Render one letter from the case as it is now and keep it; a failure fails the whole step.

    recipient (role, name) is whom this letter goes to (letter_context.recipients_of); a correction goes to the
    recipient of the letter it replaces.
    """
    if recipient is None and replaces is not None and replaces.recipient:
        recipient = (replaces.recipient, replaces.recipient_name or "")
    recipient = recipient or letter_context.recipients_of(complaint, kind)[0][1:]
    try:
        # The templates of the complaint's own version, as they were when it was deployed.
        templates_dir = letter_templates_dir(complaint.process_version, ctx)
        # The practice's own details once filled in; until then letterhead.json, and the letter is a sample.
        own = practice_settings.letterhead()
        practice = own.details if own is not None else letters.letterhead(templates_dir)
        context = letter_context.build(complaint, kind, practice=practice, now=now, extension=extension,
                                       escalation=escalation, delay_notice=delay_notice, recipient=recipient)
        content = letters.render_letter(kind, context, templates_dir=templates_dir,
                                        logo=own.logo if own is not None else None, sample=own is None)
    except letters.LetterError as err:
        raise ProcessFailure(f"De brief {kind} kon niet worden gemaakt; er is niets gewijzigd. ({err})") from err
    version = replaces.version + 1 if replaces is not None else 1
    suffix = f"-v{version}" if version > 1 else ""
    row = Letter(kind=kind, version=version, replaces_id=replaces.id if replaces else None, step=step,
                 filename=f"{complaint.reference}-{kind}{suffix}.docx", content=content,
                 sha256=hashlib.sha256(content).hexdigest(), created_at=now, created_by=actor,
                 recipient=recipient[0], recipient_name=recipient[1][:200] or None)
    complaint.letters.append(row)  # the collection loads first, then takes the new row
    record(complaint, "letter_made", actor, now, letter=kind, version=version, step=step, recipient=recipient[0])
    if recipient[0] == "complainant":
        _tell_the_complainant(complaint, row, now=now, ctx=ctx)
    return row


def _tell_the_complainant(complaint: Complaint, letter: Letter, *, now: datetime, ctx: Context) -> None:
    """Mail the complainant that a letter is ready on their status page, with a fresh link (issue 18).

    Only for a complaint whose complainant has a status link that is not revoked (filed online, or a link the
    practice made): revoking the links stops these mails too. A token is only known when it is made, so each mail
    carries a new one; the letter itself stays behind the link.
    """
    if not ctx.mail.enabled or not complaint.complainant_email or not status_links.has_active(complaint.id):
        return
    db.session.flush()  # the mail is once per letter: its key names the letter's id
    token = status_links.issue(complaint, now=now)
    mail.letter_ready(complaint, letter.id, LETTER_LABELS.get(letter.kind, letter.kind),
                      status_links.status_url(ctx.mail.base_url, token),
                      salutation=salutation(complaint.complainant_name, complaint.complainant_salutation,
                                            complaint.complainant_surname),
                      now=now, ctx=ctx)


def letters_for_step(complaint: Complaint, definition: Definition, before: Mapping[str, int],
                     after: Mapping[str, int], *, actor: str, now: datetime, ctx: Context,
                     escalation: Escalation | None = None) -> list[Letter]:
    """Make the letter of every element with a `letter` property that completed during this step (one for each
    recipient of its kind: the final report goes to every person involved)."""
    made = []
    for bpmn_id, count in after.items():
        element = definition.elements.get(bpmn_id)
        kind = element.properties.get("letter") if element is not None else None
        for _ in range(count - before.get(bpmn_id, 0) if kind else 0):
            made += [make_letter(complaint, letter_kind, step=bpmn_id, actor=actor, now=now, ctx=ctx,
                                 escalation=escalation, recipient=(role, name))
                     for letter_kind, role, name in letter_context.recipients_of(complaint, kind)]
    return made


CASE_RECORD = "klachtenformulier"


def renew_case_record(complaint: Complaint, *, step: str, actor: str, now: datetime, ctx: Context,
                      made: Sequence[Letter] = ()) -> Letter | None:
    """Make the klachtenformulier anew (a new version) when the record of a closed complaint changed.

    The form is made when the complaint is closed; an escalation, an attachment or a corrected letter after that
    changes the record, so the form is made again from the record as it is now. Nothing happens before closing,
    nor when the step's own letters (made) already hold the form.
    """
    if complaint.status != "closed" or any(letter.kind == CASE_RECORD for letter in made):
        return None
    forms = [letter for letter in complaint.letters if letter.kind == CASE_RECORD]
    latest = next((letter for letter in reversed(forms) if not any(o.replaces_id == letter.id for o in forms)), None)
    if latest is None:
        return None
    return make_letter(complaint, CASE_RECORD, step=step, actor=actor, now=now, ctx=ctx, replaces=latest)
