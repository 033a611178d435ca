"""The hold and retention: closed or withdrawn complaints are anonymised after ctx.retention_days, unless held.

What goes: the complainant's name, address, contact details and story, every free-text field of the submissions
(and of the case data and the stored workflow instance), the notes, the reasons of extensions, escalations, delay
notices and the withdrawal, the free text of the history and the access log's details, and the contents of the
letters and attachments. What stays: reference, dates, status, outcome, category, channel, coach, deadlines,
booleans, choices and numbers, the counts of every row; so the analysis gives the same figures before and after.
Each complaint is anonymised in its own transaction; the append-only rows let exactly this through (models.py).
"""

import hashlib
import json
import logging
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, exists, false, or_, select, update
from sqlalchemy.exc import IntegrityError

from service import clock
from service.complaints import attachments as attachment_files
from service.complaints.access import get_complaint
from service.context import Context
from service.errors import Conflict, Forbidden, InvalidInput
from service.extensions import db, transaction
from service.forms.definition import FormDefinition
from service.models import (
    ANONYMISING,
    AccessLog,
    Attachment,
    Complaint,
    HistoryEvent,
    RetentionRun,
    StatusLink,
    Submission,
    User,
)
from service.workflow.instance import Instance
from service.workflow.sync import record
from service.workflow.version_files import forms_for
from service.workflow.versions import load_definition

log = logging.getLogger(__name__)

ERASED = "[verwijderd]"
ERASED_SHA256 = hashlib.sha256(b"").hexdigest()  # an erased letter or attachment: its content is empty
FREE_TEXT = ("text", "long_text")
# The preventive measure is the practice's own quality measure, not the complainant's data: the analysis and the
# annual report show it, so it stays (otherwise the figures would change).
KEPT_FIELDS = frozenset({"measures"})
# History detail that is structure, not what someone wrote: kept; every other string of a detail is erased.
KEPT_DETAIL = frozenset({
    "deadline", "due_on", "met_on", "previous_due_on", "new_due_on", "expected_on", "withdrawn_on", "noted_on",
    "channel", "route", "letter", "version", "step", "recipient", "task", "name", "kind", "reference",
    "process_version", "previous", "handler", "old", "new", "from", "to", "note_id", "replaces", "size", "decision",
    "complainant_consent", "consent_to_share", "hold", "incident", "error", "attempts", "on_time", "category_id",
    "category", "outcome", "outcome_source", "sha256", "anonymised", "via",
})
# The access log's detail keeps only what says which thing was opened.
KEPT_ACCESS = frozenset({"via", "letter_id", "kind", "version", "attachment_id"})
EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}
# The complainant's letters name them: the name the letter went to is erased (staff names stay).
PERSONAL_RECIPIENTS = (None, "complainant", "commissioning_client")


def erased(row) -> bool:
    """Return whether a letter's or attachment's content was erased by retention."""
    return row.sha256 == ERASED_SHA256


def attachment_content(row: Attachment, ctx: Context) -> bytes:
    """Return an attachment's bytes; empty once retention erased it (its file is gone)."""
    return b"" if erased(row) else attachment_files.read(row, ctx)


# ---------------------------------------------------------------- hold


@transaction
def set_hold(complaint_id: int, payload: Mapping, *, actor: User, now: datetime) -> Complaint:
    """Keep a complaint from retention (hold true, with a reason) or release it (practice only)."""
    complaint = get_complaint(complaint_id, actor, whole=True)
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan een klacht bewaren of vrijgeven.")
    if complaint.anonymised_at is not None:
        raise Conflict("Deze klacht is al geanonimiseerd.")
    hold = bool(payload["hold"])
    reason = (payload.get("reason") or "").strip() or None
    if hold and reason is None:
        raise InvalidInput(errors={"reason": ["Geef de reden waarom de klacht bewaard moet blijven."]})
    complaint.retention_hold = hold
    complaint.retention_hold_reason = reason if hold else None
    record(complaint, "retention_hold", actor.username, now, hold=hold, reason=reason)
    return complaint


# ---------------------------------------------------------------- which complaints


def _cutoff(now: datetime, days: int) -> date:
    """Closed or withdrawn before this day: more than `days` days ago."""
    return clock.local_date(now) - timedelta(days=days)


def _due_condition(cutoff: date):
    return and_(Complaint.anonymised_at.is_(None), Complaint.retention_hold.is_(false()),
                or_(and_(Complaint.status == "closed", Complaint.closed_on < cutoff),
                    and_(Complaint.withdrawn_on.is_not(None), Complaint.withdrawn_on < cutoff)))


def due_for_retention(now: datetime, ctx: Context) -> list[int]:
    """Return the ids of the complaints retention would anonymise now, oldest first."""
    return list(db.session.scalars(select(Complaint.id).where(_due_condition(_cutoff(now, ctx.retention_days)))
                                   .order_by(Complaint.id)))


def run_retention(now: datetime, ctx: Context, *, dry_run: bool = False) -> int:
    """Anonymise every complaint that is due, each in its own transaction; return how many (dry run: would be)."""
    ids = due_for_retention(now, ctx)
    db.session.rollback()  # the read ends here; each complaint takes its own transaction
    if dry_run:
        return len(ids)
    done = 0
    for complaint_id in ids:
        try:
            files = anonymise_complaint(complaint_id, now=now, ctx=ctx)
        except Exception:  # one complaint that fails stays as it was; the others go on, the next run tries again
            log.exception("retention: complaint %s not anonymised", complaint_id)
            continue
        if files is not None:
            done += 1
            _remove_unused_files(files, ctx)
    return done


def run_daily_retention(now: datetime, ctx: Context) -> int | None:
    """Run retention once per day across workers (the day's row is the claim); None when it already ran today."""
    try:
        claimed = _claim_day(clock.local_date(now), now)
    except IntegrityError:  # another worker inserted the day's row at the same moment
        return None
    return run_retention(now, ctx) if claimed else None


@transaction
def _claim_day(day: date, now: datetime) -> bool:
    if db.session.get(RetentionRun, day) is not None:
        return False
    db.session.add(RetentionRun(day=day, started_at=now))
    db.session.flush()
    return True


# ---------------------------------------------------------------- anonymising one complaint


@transaction
def anonymise_complaint(complaint_id: int, *, now: datetime, ctx: Context) -> set[str] | None:
    """Erase the complaint's personal data; return the hashes of the attachment files it no longer needs.

    None when the complaint is no longer due (anonymised, held or reopened meanwhile). The caller removes the
    files after the commit, so a failure never leaves a row pointing at a removed file.
    """
    complaint = db.session.get(Complaint, complaint_id)
    cutoff = _cutoff(now, ctx.retention_days)
    if complaint is None or not db.session.scalar(select(exists().where(Complaint.id == complaint_id,
                                                                        _due_condition(cutoff)))):
        return None
    db.session.info[ANONYMISING] = True
    try:
        files = _erase(complaint, now=now, ctx=ctx)
        db.session.flush()
    finally:
        db.session.info.pop(ANONYMISING, None)
    return files


def _free_text(value):
    return ERASED if isinstance(value, str) and value else value


def _erase(complaint: Complaint, *, now: datetime, ctx: Context) -> set[str]:
    forms = {**ctx.forms, **forms_for(complaint.process_version, ctx)}
    kinds = _field_kinds(forms.values())
    for column in ("complainant_name", "complainant_address", "complainant_email", "complainant_phone",
                   "complainant_surname", "description", "withdrawal_reason", "commissioning_client_name",
                   "commissioning_client_address", "commissioning_client_contact_person"):
        setattr(complaint, column, _free_text(getattr(complaint, column)))
    complaint.complainant_salutation = None
    complaint.data = _scrub_fields(complaint.data or {}, kinds)
    for submission in db.session.scalars(select(Submission).where(Submission.complaint_id == complaint.id)):
        form = forms.get(submission.task)
        own = _field_kinds([form]) if form is not None else {}
        submission.fields = _scrub_fields(submission.fields or {}, {**kinds, **own})
    for row in (*complaint.notes,):
        row.text = ERASED
    for row in (*complaint.extensions, *complaint.escalations, *complaint.delay_notices):
        row.reason = ERASED
    for event in db.session.scalars(select(HistoryEvent).where(HistoryEvent.complaint_id == complaint.id)):
        event.detail = _scrub_detail(event.detail or {})
    for entry in db.session.scalars(select(AccessLog).where(AccessLog.complaint_id == complaint.id)):
        entry.detail = {key: value for key, value in (entry.detail or {}).items() if key in KEPT_ACCESS}
    for letter in complaint.letters:
        letter.content = b""
        letter.filename = "verwijderd.docx"
        letter.sha256 = ERASED_SHA256
        if letter.recipient in PERSONAL_RECIPIENTS and letter.recipient_name:
            letter.recipient_name = ERASED
    files = set()
    for attachment in complaint.attachments:
        if not erased(attachment):
            files.add(attachment.sha256)
        attachment.filename = f"verwijderd.{EXTENSIONS.get(attachment.content_type, 'bin')}"
        attachment.size = 0
        attachment.sha256 = ERASED_SHA256
    # the complainant's status links (issue 18) end: there is nothing of theirs left to show
    db.session.execute(update(StatusLink).where(StatusLink.complaint_id == complaint.id,
                                                StatusLink.revoked_at.is_(None)).values(revoked_at=now))
    complaint.workflow_state = _scrub_workflow(complaint, kinds, now=now, ctx=ctx)
    complaint.anonymised_at = now
    record(complaint, "anonymised", "system", now, retention_days=ctx.retention_days)
    return files


def _field_kinds(forms) -> dict[str, str]:
    return {field.name: field.type for form in forms if isinstance(form, FormDefinition) for field in form.fields}


def _scrub_fields(fields: Mapping, kinds: Mapping[str, str]) -> dict:
    """Erase the free text of submitted fields; booleans, dates, choices, numbers and files stay.

    A field no form knows (an older version's) is erased when it is a string, unless it is an ISO date.
    """
    scrubbed = {}
    for name, value in fields.items():
        kind = kinds.get(name)
        if name in KEPT_FIELDS or not isinstance(value, str) or not value:
            scrubbed[name] = value
        elif kind in FREE_TEXT or (kind is None and not _is_date(value)):
            scrubbed[name] = ERASED
        else:
            scrubbed[name] = value
    return scrubbed


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _scrub_detail(detail: Mapping) -> dict:
    scrubbed = {}
    for key, value in detail.items():
        if key == "fields" and isinstance(value, dict):  # a corrected registration: what it was and what it became
            scrubbed[key] = {name: {k: _free_text(v) for k, v in change.items()} if isinstance(change, dict)
                             else _free_text(change) for name, change in value.items()}
        elif key in KEPT_DETAIL:
            scrubbed[key] = value
        else:
            scrubbed[key] = _free_text(value)
    return scrubbed


def _scrub_workflow(complaint: Complaint, kinds: Mapping[str, str], *, now: datetime, ctx: Context) -> str:
    """Erase the free-text fields from the stored instance's task data, and check that it still restores."""
    names = {name for name, kind in kinds.items() if kind in FREE_TEXT} - KEPT_FIELDS

    def scrub(value):
        if isinstance(value, dict):
            return {key: ERASED if key in names and isinstance(value[key], str) and value[key] else scrub(item)
                    for key, item in value.items()}
        if isinstance(value, list):
            return [scrub(item) for item in value]
        return value

    state = json.dumps(scrub(json.loads(complaint.workflow_state)))
    Instance.restore(state, load_definition(complaint.process_version), ctx.functions(now))  # raises if broken
    return state


def _remove_unused_files(hashes: set[str], ctx: Context) -> None:
    """Remove the stored files no attachment row uses any more (files are shared by content)."""
    for digest in hashes:
        if db.session.scalar(select(exists().where(Attachment.sha256 == digest))):
            continue
        for path in Path(ctx.uploads_dir).glob(f"{digest}*"):  # the file as attachments.store names it
            try:
                path.unlink()
            except OSError:
                log.warning("retention: could not remove %s", path, exc_info=True)
    db.session.rollback()  # end the read
