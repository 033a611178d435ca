"""Notes on a case: a phone call, an e-mail received or sent, a meeting, a letter, dated and with files."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from service import clock
from service.complaints import attachments
from service.complaints.access import get_complaint, require_own_handler_or_practice
from service.context import Context
from service.errors import InvalidInput
from service.extensions import db, transaction
from service.letters.production import renew_case_record
from service.models import Complaint, Note, User
from service.workflow.sync import record

FILES_FIELD = "files"


def keep_note(complaint: Complaint, *, noted_on: date, kind: str, text: str, author: str, now: datetime,
              attachment_ids: Sequence[int] = ()) -> Note:
    """Add a note and its history event to the complaint, in the caller's transaction."""
    note = Note(noted_on=noted_on, kind=kind, text=text, author=author, created_at=now,
                attachment_ids=list(attachment_ids))
    complaint.notes.append(note)  # the collection loads first, then takes the new row
    db.session.flush()  # the history names the note by its id
    event = record(complaint, "note_added", author, now, note_id=note.id)
    # the detail names the note's kind as "kind", which record() takes for the event's own kind; the event is not
    # flushed yet, so this is still its insert
    event.detail = {"note_id": note.id, "kind": kind, "noted_on": noted_on.isoformat()}
    return note


@transaction
def add_note(complaint_id: int, payload: Mapping, *, actor: User, now: datetime, ctx: Context,
             uploads: Sequence[attachments.Upload] = ()) -> Complaint:
    """Add a dated note (payload shape-checked) with optional files, kept as the complaint's attachments.

    By the practice or the complaint's own handler. The date lies on or before today; every problem, the files'
    included, is reported at once and then nothing is stored.
    """
    complaint = get_complaint(complaint_id, actor)
    require_own_handler_or_practice(
        actor, complaint, "Alleen de praktijk of de behandelaar van deze klacht kan een notitie toevoegen.")
    errors: dict[str, list[str]] = {}
    checked = []
    try:
        checked = attachments.check_uploads(uploads, ctx, field=FILES_FIELD)
    except InvalidInput as err:
        errors.update(err.errors)
    if payload["noted_on"] > clock.local_date(now):
        errors["noted_on"] = ["De datum van de notitie mag niet in de toekomst liggen."]
    if errors:
        raise InvalidInput(errors=errors)
    rows = attachments.store(complaint, checked, actor=actor, now=now, ctx=ctx)
    db.session.flush()  # the note keeps the files' ids
    keep_note(complaint, noted_on=payload["noted_on"], kind=payload["kind"], text=payload["text"],
              author=actor.username, now=now, attachment_ids=[row.id for row in rows])
    renew_case_record(complaint, step="note", actor=actor.username, now=now, ctx=ctx)
    return complaint
