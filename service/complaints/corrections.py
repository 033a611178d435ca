"""Corrections: a new version of a letter (made again or uploaded), and the registration put right."""

import hashlib
import io
from collections.abc import Mapping
from datetime import datetime

from werkzeug.utils import secure_filename

from service.complaints.access import get_complaint, get_letter, require_not_concerned, require_own_handler_or_practice
from service.complaints.attachments import DOCX, Upload, detect_type, docx_problem
from service.complaints.step import Step
from service.context import Context
from service.errors import Conflict, Forbidden, InvalidInput
from service.extensions import transaction
from service.letters.production import CASE_RECORD, make_letter, renew_case_record
from service.models import Complaint, Letter, User
from service.workflow.sync import record

NEWER_VERSION_EXISTS = "Van deze brief bestaat al een nieuwere versie; corrigeer die."


@transaction
def correct_letter(complaint: Complaint, letter: Letter, *, actor: User, now: datetime, ctx: Context) -> Letter:
    """Make a new version of a letter from the current case; the stored one never changes."""
    require_own_handler_or_practice(
        actor, complaint, "Alleen de praktijk of de behandelaar van deze klacht kan een brief corrigeren.")
    if any(other.replaces_id == letter.id for other in complaint.letters):
        raise Conflict(NEWER_VERSION_EXISTS)
    corrected = make_letter(complaint, letter.kind, step=letter.step, actor=actor.username, now=now, ctx=ctx,
                            replaces=letter)
    if letter.kind != CASE_RECORD:
        renew_case_record(complaint, step="correction", actor=actor.username, now=now, ctx=ctx)
    return corrected


# ---------------------------------------------------------------- an uploaded version of a letter

MAX_REASON = 5000


def letter_file_problems(upload: Upload, ctx: Context) -> list[str]:
    """Return why an uploaded file cannot stand as a finished letter (empty: it can), in Dutch.

    It must be a Word document by its content, not only its name, within the upload limit, and without macros:
    a letter is sent to people, and a .docm (or a .docx that carries a vbaProject.bin) runs code when opened.
    """
    name = upload.filename or "bestand"
    if not upload.data:
        return [f"{name}: het bestand is leeg."]
    if len(upload.data) > ctx.max_upload_bytes:
        return [f"{name}: het bestand is groter dan {ctx.max_upload_bytes // (1024 * 1024)} MB."]
    not_word = f"{name}: dit is geen Word-document (.docx); alleen een .docx kan een brief vervangen."
    if detect_type(upload.data) != DOCX:
        return [not_word]
    problem = docx_problem(upload.data, name)  # macros, a zip bomb: the same check as every other file
    if problem:
        return [problem]
    try:
        import docx

        docx.Document(io.BytesIO(upload.data))
    except Exception:  # python-docx fails in many ways on a damaged or foreign file
        return [not_word]
    return []


@transaction
def upload_letter(complaint_id: int, letter_id: int, reason: str | None, upload: Upload | None, *, actor: User,
                  now: datetime, ctx: Context) -> Letter:
    """Keep an uploaded .docx as the new version of a letter, with the reason; the stored one never changes.

    By the practice or the complaint's own handler; one newer version per letter, as for a letter made again. The
    reason and the file are checked together (a multipart form has no schema of its own).
    """
    complaint, letter = get_letter(complaint_id, letter_id, actor)
    require_own_handler_or_practice(
        actor, complaint, "Alleen de praktijk of de behandelaar van deze klacht kan een gecorrigeerde brief uploaden.")
    if any(other.replaces_id == letter.id for other in complaint.letters):
        raise Conflict(NEWER_VERSION_EXISTS)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not 1 <= len(reason) <= MAX_REASON:
        errors["reason"] = [f"Vul tussen 1 en {MAX_REASON} tekens in."]
    problems = ["Kies een bestand."] if upload is None else letter_file_problems(upload, ctx)
    if problems:
        errors["file"] = problems
    if errors:
        raise InvalidInput(errors=errors)
    version = letter.version + 1
    row = Letter(kind=letter.kind, version=version, replaces_id=letter.id, step="upload",
                 filename=f"{complaint.reference}-{letter.kind}-v{version}.docx", content=upload.data,
                 sha256=hashlib.sha256(upload.data).hexdigest(), created_at=now, created_by=actor.username,
                 recipient=letter.recipient, recipient_name=letter.recipient_name)
    complaint.letters.append(row)  # the collection loads first, then takes the new row
    record(complaint, "letter_uploaded", actor.username, now, letter=letter.kind, version=version,
           replaces=letter.id, filename=secure_filename(upload.filename) or "bestand", reason=reason)
    if letter.kind != CASE_RECORD:
        renew_case_record(complaint, step="correction", actor=actor.username, now=now, ctx=ctx)
    return row


# ---------------------------------------------------------------- the registration put right

# What the practice may correct: the resource's field path, and the complaint's column.
CORRECTABLE = (
    ("complainant.address", "complainant_address"),
    ("complainant.email", "complainant_email"),
    ("complainant.phone", "complainant_phone"),
    ("commissioning_client.kind", "commissioning_client_kind"),
    ("commissioning_client.name", "commissioning_client_name"),
    ("commissioning_client.address", "commissioning_client_address"),
    ("commissioning_client.contact_person", "commissioning_client_contact_person"),
    ("concerns_personal_data", "concerns_personal_data"),
)
# Registered values the workflow holds as case data (registration._case_data): a correction reaches them too.
WORKFLOW_DATA = {"concerns_personal_data": "concerns_personal_data",
                 "commissioning_client.kind": "commissioning_client_kind"}
CLIENT_DETAILS = ("name", "address", "contact_person")


def _blank(value):
    """Return a text without surrounding white space, None for nothing (a cleared value)."""
    if isinstance(value, str):
        value = value.strip()
    return None if value == "" else value


def _corrected(complaint: Complaint, payload: Mapping) -> dict[str, object]:
    """Return every correctable value as it will be (field path -> value), or raise InvalidInput."""
    values = {path: getattr(complaint, column) for path, column in CORRECTABLE}
    for section in ("complainant", "commissioning_client"):
        for key, value in (payload.get(section) or {}).items():
            values[f"{section}.{key}"] = _blank(value)
    if "concerns_personal_data" in payload:
        values["concerns_personal_data"] = payload["concerns_personal_data"]
    client = payload.get("commissioning_client") or {}
    errors: dict[str, list[str]] = {}
    if values["commissioning_client.kind"] == "none":
        given = [key for key in CLIENT_DETAILS if client.get(key) and "kind" not in client]
        if given:
            errors["commissioning_client.kind"] = [
                "Deze klacht heeft geen opdrachtgever; kies eerst het soort opdrachtgever."]
        values.update({f"commissioning_client.{key}": None for key in CLIENT_DETAILS})
    elif not values["commissioning_client.name"]:
        errors["commissioning_client.name"] = ["Vul de naam van de opdrachtgever in."]
    if errors:
        raise InvalidInput(errors=errors)
    return values


@transaction
def correct_registration(complaint_id: int, payload: Mapping, *, actor: User, now: datetime,
                         ctx: Context) -> Complaint:
    """Correct the registration (contact details, commissioning client, personal data) with a reason.

    By the practice, never on a complaint about themselves. Only what changes is recorded, from and to; the
    workflow's copy of the personal-data flag and the client's kind follows, so the steps to come read the
    corrected values; letters made from now on read the complaint. A closed complaint's klachtenformulier is made
    anew. Nothing changed is a 422.
    """
    complaint = get_complaint(complaint_id, actor)
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan de registratie corrigeren.")
    require_not_concerned(actor, complaint)
    values = _corrected(complaint, payload)
    columns = dict(CORRECTABLE)
    changed = {path: {"from": getattr(complaint, columns[path]), "to": value}
               for path, value in values.items() if getattr(complaint, columns[path]) != value}
    if not changed:
        raise InvalidInput("Er is niets gewijzigd.")
    workflow_values = {variable: values[path] for path, variable in WORKFLOW_DATA.items() if path in changed}
    for path, change in changed.items():
        setattr(complaint, columns[path], change["to"])
    record(complaint, "registration_corrected", actor.username, now, fields=changed, reason=payload["reason"])
    if workflow_values:
        step = Step.restore(complaint, actor=actor.username, now=now, ctx=ctx)
        if step.correct_case_data(workflow_values):
            step.save()
    renew_case_record(complaint, step="registration_correction", actor=actor.username, now=now, ctx=ctx)
    return complaint
