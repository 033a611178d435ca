"""The practice edits its letters: list the templates, download, upload (checked), back to the standard, preview.

An uploaded template (`letter_template_uploads`, the latest active row per file name) replaces the repository's
file from the next process version on: a deploy keeps the repository's templates overlaid with the active
uploads (process/deploy.current_letters), and a running complaint keeps the templates of its own version.
"""

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from service.context import Context
from service.dutch import LETTER_LABELS
from service.errors import InvalidInput, NotFound
from service.extensions import db, transaction
from service.letters import checks, render
from service.letters import context as letter_context
from service.models import HistoryEvent, LetterTemplateUpload
from service.practice import settings as practice_settings
from service.workflow.sync import record
from service.workflow.version_files import LETTER_TEMPLATE, file_hashes
from service.workflow.versions import latest_version

STANDARD = "standaard"
CUSTOM = "aangepast"
UPLOADED = "letter_template_uploaded"
RESET = "letter_template_reset"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SAMPLE_MARK = "VOORBEELD – ingevuld met een verzonnen klacht; deze brief is niet verstuurd."
REJECTED = "De brief is niet opgeslagen: het bestand heeft {count}. Er is niets gewijzigd."


@dataclass(frozen=True)
class TemplateState:
    """One letter template as the practice sees it: standard or changed, and whether the latest version uses it."""

    kind: str
    sha256: str
    uploaded_at: datetime | None
    uploaded_by: str | None
    in_use: bool
    latest_version: int | None

    @property
    def label(self) -> str:
        return LETTER_LABELS.get(self.kind, self.kind)

    @property
    def filename(self) -> str:
        return f"{self.kind}.docx"

    @property
    def state(self) -> str:
        """Return "standaard" (the repository's file) or "aangepast" (an upload of the practice)."""
        return STANDARD if self.uploaded_at is None else CUSTOM

    @property
    def usage(self) -> str:
        """Return in Dutch whether new complaints already get this template."""
        if self.in_use:
            return f"in gebruik sinds procesversie {self.latest_version}"
        return "wordt gebruikt vanaf de volgende procesversie"

    def as_dict(self) -> dict:
        return {"name": self.kind, "label": self.label, "filename": self.filename, "state": self.state,
                "uploaded_at": self.uploaded_at, "uploaded_by": self.uploaded_by, "sha256": self.sha256,
                "in_use": self.in_use, "usage": self.usage}


def kind_of(name: str) -> str:
    """Return the letter kind a name in a URL means (eindverslag or eindverslag.docx); NotFound otherwise."""
    kind = name.removesuffix(".docx")
    if kind not in render.KINDS:
        raise NotFound("Deze brief bestaat niet.")
    return kind


def _active(names: list[str] | None = None, *, content: bool = False) -> dict[str, LetterTemplateUpload]:
    """Return the latest active upload per file name."""
    query = select(LetterTemplateUpload).where(LetterTemplateUpload.active.is_(True))
    if names is not None:
        query = query.where(LetterTemplateUpload.name.in_(names))
    if content:
        query = query.options(undefer(LetterTemplateUpload.content))
    found: dict[str, LetterTemplateUpload] = {}
    for row in db.session.scalars(query.order_by(LetterTemplateUpload.id)):
        found[row.name] = row  # later rows win
    return found


def active_uploads() -> dict[str, bytes]:
    """Return the content of every active upload by file name: what a deploy lays over the repository's files."""
    names = [f"{kind}.docx" for kind in render.KINDS]
    return {name: bytes(row.content) for name, row in _active(names, content=True).items()}


def _standard(kind: str, ctx: Context) -> bytes:
    try:
        return render.template_path(ctx.letter_templates_dir, kind).read_bytes()
    except OSError as err:
        raise NotFound("Het standaardbestand van deze brief ontbreekt.") from err


def list_templates(ctx: Context) -> list[TemplateState]:
    """Return every letter template with its state, in the order of the letter kinds."""
    active = _active()
    latest = latest_version(ctx.process_id)
    kept = file_hashes(latest, LETTER_TEMPLATE) if latest is not None else None
    return [_state(kind, active.get(f"{kind}.docx"), latest, kept, ctx) for kind in render.KINDS]


def get_template(name: str, ctx: Context) -> TemplateState:
    """Return the state of one letter template."""
    return next(state for state in list_templates(ctx) if state.kind == kind_of(name))


def _state(kind: str, upload: LetterTemplateUpload | None, latest, kept: Mapping[str, str] | None,
           ctx: Context) -> TemplateState:
    if upload is not None:
        sha256 = upload.sha256
    else:
        path = render.template_path(ctx.letter_templates_dir, kind)
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""  # "": not there (yet)
    if latest is None:
        in_use = False
    elif kept is None:  # a version from before 0.4.0 reads the repository's files as they are now
        in_use = upload is None
    else:
        in_use = bool(sha256) and kept.get(f"{kind}.docx") == sha256
    return TemplateState(kind=kind, sha256=sha256, uploaded_at=upload.uploaded_at if upload else None,
                         uploaded_by=upload.uploaded_by if upload else None, in_use=in_use,
                         latest_version=latest.number if latest is not None else None)


def template_content(name: str, ctx: Context, *, standard: bool = False) -> bytes:
    """Return the template as it is now (the active upload, else the repository's file), or the standard one."""
    kind = kind_of(name)
    upload = None if standard else _active([f"{kind}.docx"], content=True).get(f"{kind}.docx")
    return bytes(upload.content) if upload is not None else _standard(kind, ctx)


@transaction
def upload_template(name: str, content: bytes, *, actor: str, now: datetime, ctx: Context,
                    filename: str | None = None) -> tuple[TemplateState, bool]:
    """Check an edited template and keep it as the active one of its kind; return its state and whether it is
    the first change (the letter was standard). Every problem is an InvalidInput on `template`; nothing is kept.
    """
    kind = kind_of(name)
    problems = checks.check_template(kind, content, filename=filename)
    if problems:
        count = "1 probleem" if len(problems) == 1 else f"{len(problems)} problemen"
        raise InvalidInput(REJECTED.format(count=count), errors={"template": [p.message for p in problems]})
    file = f"{kind}.docx"
    first = not _active([file])
    db.session.execute(update(LetterTemplateUpload).where(LetterTemplateUpload.name == file,
                                                          LetterTemplateUpload.active.is_(True)).values(active=False))
    sha256 = hashlib.sha256(content).hexdigest()
    db.session.add(LetterTemplateUpload(name=file, content=content, sha256=sha256, active=True, uploaded_at=now,
                                        uploaded_by=actor))
    record(None, UPLOADED, actor, now, template=file, sha256=sha256, size=len(content))
    db.session.flush()
    return get_template(kind, ctx), first


@transaction
def reset_template(name: str, *, actor: str, now: datetime, ctx: Context) -> TemplateState:
    """Go back to the repository's template of a kind (from the next process version on); the uploads are kept."""
    kind = kind_of(name)
    file = f"{kind}.docx"
    if _active([file]):
        db.session.execute(update(LetterTemplateUpload).where(LetterTemplateUpload.name == file,
                                                              LetterTemplateUpload.active.is_(True))
                           .values(active=False))
        record(None, RESET, actor, now, template=file)
        db.session.flush()
    return get_template(kind, ctx)


def recent_changes(limit: int = 10) -> list[HistoryEvent]:
    """Return the latest uploads and resets of letter templates, newest first."""
    return list(db.session.scalars(select(HistoryEvent).where(HistoryEvent.complaint_id.is_(None),
                                                              HistoryEvent.kind.in_((UPLOADED, RESET)))
                                   .order_by(HistoryEvent.id.desc()).limit(limit)))


# ---------------------------------------------------------------- preview


def _sample(kind: str, ctx: Context) -> dict:
    sample = checks.sample_context(kind)
    if sample is None:
        raise NotFound("Voor deze brief is geen voorbeeld beschikbaar.")
    own = practice_settings.letterhead()  # as letters/production.py: the practice's details once filled in
    try:
        sample["practice"] = own.details if own is not None else render.letterhead(ctx.letter_templates_dir)
    except render.LetterError:  # the sample's own fictional practice then
        pass
    return sample


def preview(name: str, ctx: Context) -> bytes:
    """Return the template as it is now filled with the sample case of its kind, marked as an example."""
    kind = kind_of(name)
    try:
        content = render.render_template(template_content(kind, ctx), _sample(kind, ctx), name=f"{kind}.docx")
    except render.LetterError as err:
        raise InvalidInput(f"Het voorbeeld kon niet worden gemaakt: {err}") from err
    return _mark_as_sample(content)


def _mark_as_sample(content: bytes) -> bytes:
    """Put a bold red line above the letter saying it is an example (the pattern of render.mark_as_draft)."""
    import docx
    from docx.shared import RGBColor

    document = docx.Document(io.BytesIO(content))
    first = document.paragraphs[0] if document.paragraphs else document.add_paragraph()
    run = first.insert_paragraph_before().add_run(SAMPLE_MARK)
    run.bold = True
    run.font.color.rgb = RGBColor(0xB0, 0x1E, 0x1E)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def preview_blocks(name: str, ctx: Context) -> list[dict]:
    """Return the text of the preview as blocks for a web page: headings, paragraphs and tables, in order."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(preview(name, ctx)))
    blocks: list[dict] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            style = paragraph.style.name if paragraph.style is not None else ""
            if text:
                heading = style.startswith("Heading") or style.lower().endswith(" kop") or style == "Title"
                blocks.append({"kind": "heading" if heading else "paragraph", "text": text})
        elif child.tag == qn("w:tbl"):
            rows = [[cell.text.strip() for cell in row.cells] for row in Table(child, document).rows]
            blocks.append({"kind": "table", "rows": rows})
    return blocks


def variables(name: str) -> list[tuple[str, str]]:
    """Return every name a template of this kind can read, with the sample's value, for the page's reference.

    A list shows as `offers[]` (what `{% for item in offers %}` runs over) followed by the fields of an item.
    """
    kind = kind_of(name)
    sample = checks.sample_context(kind) or {}
    rows: list[tuple[str, str]] = []

    def walk(path: str, value, depth: int) -> None:
        if isinstance(value, Mapping) and value and depth < 4:
            for key, item in value.items():
                walk(f"{path}.{key}", item, depth + 1)
        elif isinstance(value, list):
            rows.append((f"{path}[]", f"lijst ({len(value)} in het voorbeeld)"))
            if value and isinstance(value[0], Mapping):
                for key, item in value[0].items():
                    walk(f"{path}[].{key}", item, depth + 1)
        else:
            text = "ja" if value is True else "nee" if value is False else "" if value is None else str(value)
            rows.append((path, text if len(text) <= 80 else text[:80] + "…"))

    for key in dict.fromkeys(("practice", *letter_context.KEYS)):
        walk(key, sample.get(key, ""), 0)
    return rows


def required_parts(name: str) -> list[checks.Part]:
    """Return the parts a template of this kind must keep (for the page)."""
    return checks.required_parts(kind_of(name))
