"""Read form files into FormDefinitions."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path

from service.forms.checks import check_form_data
from service.forms.definition import (
    DEFAULT_MAX_LENGTH,
    Choice,
    FieldDefinition,
    FormDefinition,
    FormDefinitionError,
    RequiredIf,
)


def _build_field(raw: dict) -> FieldDefinition:
    """Turn a checked field definition into a FieldDefinition (form keys are its attribute names)."""
    options = {key: value for key, value in raw.items() if key not in ("required_if", "choices")}
    options.setdefault("required", "required_if" not in raw)
    options.setdefault("max_length", DEFAULT_MAX_LENGTH.get(raw["type"]))
    condition = raw.get("required_if")
    return FieldDefinition(
        **options,
        required_if=RequiredIf(condition["field"], condition["equals"]) if condition else None,
        choices=tuple(Choice(choice["value"], choice["label"]) for choice in raw.get("choices", ())),
    )


def _read_form(path: Path) -> tuple[FormDefinition | None, list[str]]:
    """Read, parse and check one form file; return the form or the problems."""
    try:
        content = path.read_bytes()
    except OSError as error:
        return None, [f"{os.fspath(path)}: cannot read the file: {error}"]
    return parse_form(content, os.fspath(path))


def parse_form(content: bytes, source: str) -> tuple[FormDefinition | None, list[str]]:
    """Parse and check the content of one form file (source names it in messages); return the form or problems."""
    try:
        raw = json.loads(content.decode("utf-8"))
    except json.JSONDecodeError as error:
        return None, [f"{source}: invalid JSON on line {error.lineno}, column {error.colno}: {error.msg}"]
    except UnicodeDecodeError as error:
        return None, [f"{source}: cannot read the file: {error}"]
    if problems := check_form_data(raw, source):
        return None, problems
    fields_ = tuple(_build_field(field) for field in raw["fields"])
    return FormDefinition(raw["task"], raw["title"].strip(), raw.get("description"), fields_), []


def load_form(path: str | os.PathLike) -> FormDefinition:
    """Load and check one form file; raise FormDefinitionError listing all its problems."""
    form, problems = _read_form(Path(path))
    if form is None:
        raise FormDefinitionError(problems)
    return form


def read_form_files(directory: str | os.PathLike) -> dict[str, bytes]:
    """Return the content of every forms/*.json by file path, unparsed (what a deploy keeps with a version)."""
    folder = Path(directory)
    if not folder.is_dir():
        raise FormDefinitionError([f"{os.fspath(folder)}: not a directory"])
    try:
        return {os.fspath(path): path.read_bytes() for path in sorted(folder.glob("*.json"))}
    except OSError as error:
        raise FormDefinitionError([f"{error.filename}: cannot read the file: {error}"]) from error


def parse_forms(contents: Mapping[str, bytes]) -> dict[str, FormDefinition]:
    """Parse form files given as {source: content}; raise FormDefinitionError listing every problem at once."""
    forms: dict[str, FormDefinition] = {}
    problems: list[str] = []
    for source, content in contents.items():
        form, found = parse_form(content, source)
        problems += found
        if form is not None:
            forms[form.task] = form
    if problems:
        raise FormDefinitionError(problems)
    return forms


def load_forms(directory: str | os.PathLike) -> dict[str, FormDefinition]:
    """Load every forms/*.json; raise FormDefinitionError listing all problems of all files at once."""
    return parse_forms(read_form_files(directory))
