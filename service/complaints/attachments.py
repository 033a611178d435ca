"""Files kept with a complaint: type checked by content, size-limited, stored outside the web root."""

import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from werkzeug.utils import secure_filename

from service.complaints.access import require_not_concerned
from service.context import Context
from service.errors import InvalidInput
from service.extensions import transaction
from service.letters.production import renew_case_record
from service.models import Attachment, Complaint, User
from service.workflow.sync import record

FIELD = "written_complaint"
ALLOWED = "PDF, Word (.docx), PNG of JPEG"


@dataclass(frozen=True)
class Upload:
    """A file as received: the name the sender gave it and its bytes."""

    filename: str
    data: bytes


def detect_type(data: bytes) -> str | None:
    """Return the content type of an allowed file judged by its bytes, not its name; None otherwise."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def check_uploads(uploads: Sequence[Upload], ctx: Context, field: str = FIELD) -> list[tuple[Upload, str]]:
    """Return each upload with its content type, or raise InvalidInput naming every problem."""
    problems, checked = [], []
    for upload in uploads:
        name = upload.filename or "bestand"
        if not upload.data:
            problems.append(f"{name}: het bestand is leeg.")
        elif len(upload.data) > ctx.max_upload_bytes:
            problems.append(f"{name}: het bestand is groter dan {ctx.max_upload_bytes // (1024 * 1024)} MB.")
        else:
            content_type = detect_type(upload.data)
            if content_type is None:
                problems.append(f"{name}: alleen {ALLOWED} is toegestaan (gecontroleerd op de inhoud).")
            else:
                checked.append((upload, content_type))
    if problems:
        raise InvalidInput(errors={field: problems})
    return checked


def store(complaint: Complaint, checked: list[tuple[Upload, str]], *, actor: User, now: datetime,
          ctx: Context) -> list[Attachment]:
    """Write checked uploads to disk (content-addressed) and add their rows; no commit."""
    folder = Path(ctx.uploads_dir)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for upload, content_type in checked:
        digest = hashlib.sha256(upload.data).hexdigest()
        path = folder / digest
        if not path.exists():
            path.write_bytes(upload.data)
        row = Attachment(filename=secure_filename(upload.filename) or "bestand",
                         content_type=content_type, size=len(upload.data), sha256=digest, uploaded_at=now,
                         uploaded_by=actor.username)
        complaint.attachments.append(row)  # the collection loads first, then takes the new row
        record(complaint, "attachment_added", actor.username, now, filename=row.filename, size=row.size)
        rows.append(row)
    return rows


@transaction
def add_attachment(complaint: Complaint, upload: Upload, *, actor: User, now: datetime, ctx: Context) -> Attachment:
    """Keep one more file with an existing complaint, in its own transaction."""
    require_not_concerned(actor, complaint)
    checked = check_uploads([upload], ctx, field="file")
    row = store(complaint, checked, actor=actor, now=now, ctx=ctx)[0]
    renew_case_record(complaint, step="attachment", actor=actor.username, now=now, ctx=ctx)
    return row


def read(attachment: Attachment, ctx: Context) -> bytes:
    """Return the stored bytes of an attachment."""
    return (Path(ctx.uploads_dir) / attachment.sha256).read_bytes()


def written_complaint_missing(complaint: Complaint) -> bool:
    """A written complaint is kept as an attachment of the record (step 1); until it is, the record says so."""
    return complaint.channel == "written" and not complaint.attachments
