"""The forms and letter templates a process version was deployed with: keep, load and lay out as files.

A deploy keeps a copy of every form file and letter template with the new version, so a complaint is
validated with the forms and written to with the templates of ITS version, whatever changes later. A version
deployed before 0.4.0 has no copy and uses the files as they are now.
"""

import hashlib
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from service import letters
from service.context import Context
from service.extensions import db
from service.forms.definition import FormDefinition
from service.forms.files import parse_forms
from service.models import ProcessVersion, ProcessVersionFile

FORM = "form"
LETTER_TEMPLATE = "letter_template"

_forms: dict[str, dict[str, FormDefinition]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Files:
    """The files a version keeps: form content by task id, template content by file name."""

    forms: Mapping[str, bytes]
    templates: Mapping[str, bytes]


def content_hash(files: Mapping[str, bytes]) -> str:
    """Return one SHA-256 over names and contents (the same files give the same hash)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(f"{name}\0{hashlib.sha256(files[name]).hexdigest()}\n".encode())
    return digest.hexdigest()


def read_templates(templates_dir: str) -> dict[str, bytes]:
    """Return what letters.render_letter reads: every <kind>.docx that exists and letterhead.json."""
    folder = Path(templates_dir)
    names = [f"{kind}.docx" for kind in letters.KINDS] + [letters.LETTERHEAD_FILE]
    return {name: (folder / name).read_bytes() for name in names if (folder / name).is_file()}


def keep(version: ProcessVersion, files: Files) -> None:
    """Store the files with a new version and note their hashes on it (no commit)."""
    for kind, contents in ((FORM, files.forms), (LETTER_TEMPLATE, files.templates)):
        for name, content in sorted(contents.items()):
            db.session.add(ProcessVersionFile(process_version_id=version.id, kind=kind, name=name, content=content,
                                              sha256=hashlib.sha256(content).hexdigest()))
    version.forms_sha256 = content_hash(files.forms) if files.forms else None
    version.templates_sha256 = content_hash(files.templates) if files.templates else None


def file_hashes(version: ProcessVersion, kind: str) -> dict[str, str] | None:
    """Return the SHA-256 of each kept file of a kind by name, or None when the version keeps none."""
    if (version.forms_sha256 if kind == FORM else version.templates_sha256) is None:
        return None
    rows = db.session.execute(
        select(ProcessVersionFile.name, ProcessVersionFile.sha256)
        .where(ProcessVersionFile.process_version_id == version.id, ProcessVersionFile.kind == kind)
    ).all()
    return dict(rows)


def _contents(version: ProcessVersion, kind: str) -> dict[str, bytes]:
    rows = db.session.execute(
        select(ProcessVersionFile.name, ProcessVersionFile.content)
        .where(ProcessVersionFile.process_version_id == version.id, ProcessVersionFile.kind == kind)
    ).all()
    return {name: bytes(content) for name, content in rows}


def forms_for(version: ProcessVersion, ctx: Context) -> Mapping[str, FormDefinition]:
    """Return the forms of a version, parsed once per distinct set of files; the current ones without a copy."""
    key = version.forms_sha256
    if key is None:
        return ctx.forms
    with _lock:
        found = _forms.get(key)
    if found is None:
        found = parse_forms({f"forms/{task}.json": content for task, content in _contents(version, FORM).items()})
        with _lock:
            _forms[key] = found
    return found


def letter_templates_dir(version: ProcessVersion, ctx: Context) -> str:
    """Return a folder holding the version's letter templates, written once under the instance folder.

    The folder is named after the hash of its content, so it is never stale and versions with the same
    templates share it; it appears whole or not at all (written aside, then renamed).
    """
    key = version.templates_sha256
    if key is None:
        return ctx.letter_templates_dir
    return _lay_out(key, lambda: _contents(version, LETTER_TEMPLATE), ctx)


def templates_folder(templates: Mapping[str, bytes], ctx: Context) -> str:
    """Return a folder holding these letter templates (e.g. the set a deploy is about to keep, to check it).

    It is the folder letter_templates_dir gives the version that keeps exactly this set: written once.
    """
    return _lay_out(content_hash(templates), lambda: templates, ctx)


def _lay_out(key: str, contents: Callable[[], Mapping[str, bytes]], ctx: Context) -> str:
    folder = Path(ctx.instance_dir) / "versions" / key[:16] / "letter_templates"
    if folder.is_dir():
        return str(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".staging-{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        for name, content in contents().items():
            (staging / Path(name).name).write_bytes(content)
        os.rename(staging, folder)
    except OSError:
        if not folder.is_dir():  # not a lost race with another worker writing the same folder
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return str(folder)
