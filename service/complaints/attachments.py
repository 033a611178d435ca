"""Files kept with a complaint: type checked by content, size-limited, stored outside the web root."""

import hashlib
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from werkzeug.utils import secure_filename

from service.complaints.access import require_own_handler_or_practice
from service.context import Context
from service.errors import InvalidInput
from service.extensions import transaction
from service.letters.production import renew_case_record
from service.models import Attachment, Complaint, User
from service.workflow.sync import record

FIELD = "written_complaint"
ALLOWED = "PDF, Word (.docx), PNG of JPEG"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOCX_PARTS = frozenset({"[Content_Types].xml", "word/document.xml"})
# The extension a file is kept and served under follows its detected type, never the sender's name (a PDF named
# x.html stays a PDF called x.pdf); the first is the one given, the others are kept when the sender used them.
EXTENSIONS = {"application/pdf": (".pdf",), "image/png": (".png",), "image/jpeg": (".jpg", ".jpeg"),
              DOCX: (".docx",)}
MAX_PARTS = 1000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # a Word document unpacks to a few MB at most; more is a zip bomb


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
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError):
            return None
        if DOCX_PARTS <= names:
            return DOCX
    return None


def docx_problem(data: bytes, name: str) -> str | None:
    """Return why a Word document (judged a .docx by detect_type) cannot be kept, in Dutch; None when it can.

    A .docm, or a .docx that carries a vbaProject.bin, runs code when opened: it is refused wherever a file comes
    in (attachments, the intake's written complaint, task file fields, an uploaded letter). So is an archive that
    unpacks to far more than any document (a zip bomb) or that cannot be read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_PARTS or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
                return f"{name}: het bestand is uitgepakt veel te groot."
            content_types = archive.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError,
            EOFError, RuntimeError):
        return f"{name}: dit Word-document is beschadigd of versleuteld en kan niet worden gelezen."
    if any(info.filename.lower().endswith("vbaproject.bin") for info in infos) \
            or b"macroenabled" in content_types.lower():
        return (f"{name}: het document bevat macro's; sla het op als gewoon Word-document (.docx) zonder macro's "
                "en probeer het opnieuw.")
    return None


def kept_name(filename: str, content_type: str) -> str:
    """Return the safe name a file is kept and served under: the sender's name with the extension of its type."""
    name = secure_filename(filename or "") or "bestand"
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        stem, extension = name, ""
    allowed = EXTENSIONS.get(content_type, ("",))
    if f".{extension.lower()}" in allowed:
        return f"{stem}.{extension.lower()}"
    return f"{stem}{allowed[0]}"


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
            problem = docx_problem(upload.data, name) if content_type == DOCX else None
            if content_type is None:
                problems.append(f"{name}: alleen {ALLOWED} is toegestaan (gecontroleerd op de inhoud).")
            elif problem:
                problems.append(problem)
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
        row = Attachment(filename=kept_name(upload.filename, content_type),
                         content_type=content_type, size=len(upload.data), sha256=digest, uploaded_at=now,
                         uploaded_by=actor.username)
        complaint.attachments.append(row)  # the collection loads first, then takes the new row
        record(complaint, "attachment_added", actor.username, now, filename=row.filename, size=row.size)
        rows.append(row)
    return rows


@transaction
def add_attachment(complaint: Complaint, upload: Upload, *, actor: User, now: datetime, ctx: Context) -> Attachment:
    """Keep one more file with an existing complaint, in its own transaction (the practice or its own handler)."""
    require_own_handler_or_practice(
        actor, complaint, "Alleen de praktijk of de behandelaar van deze klacht kan een bijlage toevoegen.")
    checked = check_uploads([upload], ctx, field="file")
    row = store(complaint, checked, actor=actor, now=now, ctx=ctx)[0]
    renew_case_record(complaint, step="attachment", actor=actor.username, now=now, ctx=ctx)
    return row


def download_name(attachment: Attachment) -> str:
    """Return the name a download carries: the kept name with the extension of its type (rows kept before, too)."""
    return kept_name(attachment.filename, attachment.content_type)


def read(attachment: Attachment, ctx: Context) -> bytes:
    """Return the stored bytes of an attachment."""
    return (Path(ctx.uploads_dir) / attachment.sha256).read_bytes()


def written_complaint_missing(complaint: Complaint) -> bool:
    """A written complaint is kept as an attachment of the record (step 1); until it is, the record says so."""
    return complaint.channel == "written" and not complaint.attachments
