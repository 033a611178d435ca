"""Form definitions for BPMN user tasks: loading, checking and validating submitted data.

Each user task has a JSON file ``forms/<task id>.json``. One definition drives both the
HTML form and the server-side validation, which is done by a marshmallow schema that is
generated from the definition's fields.
"""

from __future__ import annotations

import datetime
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields

REQUIRED = "Dit veld is verplicht."
UNKNOWN = "Onbekend veld."
INVALID_DATE = "Vul een geldige datum in (JJJJ-MM-DD)."
FUTURE_DATE = "De datum mag niet in de toekomst liggen."
INVALID_BOOLEAN = "Vul ja of nee in."
DEFAULT_MUST_EQUAL = "Deze waarde is niet toegestaan."

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")
_TRUE = frozenset({"true", "ja", "on", "1"})
_FALSE = frozenset({"false", "nee", "off", "0"})

_TOP_KEYS = frozenset({"task", "title", "description", "fields"})
_COMMON_KEYS = frozenset({"name", "type", "label", "help", "required", "required_if"})
_MUST_EQUAL = frozenset({"must_equal", "must_equal_message"})
_LENGTH = frozenset({"min_length", "max_length"})
_TYPE_KEYS: dict[str, frozenset[str]] = {
    "text": _LENGTH | _MUST_EQUAL,
    "long_text": _LENGTH,
    "boolean": _MUST_EQUAL,
    "date": frozenset({"not_in_future"}),
    "number": frozenset({"integer", "min", "max"}) | _MUST_EQUAL,
    "choice": frozenset({"choices"}) | _MUST_EQUAL,
    "multiple_choice": frozenset({"choices", "min_items", "max_items"}),
    "file": frozenset(),
}
_ALL_KEYS = _COMMON_KEYS.union(*_TYPE_KEYS.values())
_DEFAULT_MAX_LENGTH = {"text": 500, "long_text": 10000}
_ABSENT = object()


class FormDefinitionError(Exception):
    """One or more form files are invalid; .problems lists each as 'forms/x.json: field "y": message'."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("Invalid form definition:\n" + "\n".join(self.problems))


@dataclass(frozen=True)
class Choice:
    """One option of a choice or multiple_choice field: stored value and Dutch label."""

    value: str
    label: str


@dataclass(frozen=True)
class RequiredIf:
    """Makes a field required when the field named `field` has the value `equals`."""

    field: str
    equals: Any


@dataclass(frozen=True)
class FieldDefinition:
    """One field of a form; options that do not apply to the field's type keep their defaults."""

    name: str
    type: str
    label: str
    help: str | None = None
    required: bool = True
    required_if: RequiredIf | None = None
    must_equal: Any = None  # None means "no constraint"; null is not allowed in form files
    must_equal_message: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    integer: bool = False
    min: int | float | None = None
    max: int | float | None = None
    not_in_future: bool = False
    choices: tuple[Choice, ...] = ()
    min_items: int | None = None
    max_items: int | None = None


@dataclass(frozen=True)
class FormDefinition:
    """The form of one user task: title, help text and fields in display order."""

    task: str
    title: str
    description: str | None
    fields: tuple[FieldDefinition, ...]

    @property
    def field_names(self) -> frozenset[str]:
        """Return the names of all fields of the form."""
        return frozenset(field.name for field in self.fields)

    @cached_property
    def schema_class(self) -> type[Schema]:
        """Return the marshmallow Schema class generated from the fields (built once per definition)."""
        attrs: dict[str, Any] = {
            # Prefixed attribute names cannot clash with Schema attributes such as "load".
            f"field_{field.name}": _FormField(
                field, required=field.required, data_key=field.name, attribute=field.name
            )
            for field in self.fields
        }
        attrs["Meta"] = type("Meta", (), {"unknown": RAISE, "register": False})
        attrs["error_messages"] = {"unknown": UNKNOWN, "type": "Ongeldige invoer."}
        name = "".join(part.title() for part in self.task.split("_")) + "FormSchema"
        return type(name, (Schema,), attrs)

    def validate(self, data: Mapping, *, today: datetime.date) -> tuple[dict, dict[str, list[str]]]:
        """Return (clean data, errors by field name); clean data is JSON-safe (ISO dates, numbers, lists)."""
        if not isinstance(data, Mapping):
            return {}, {"_schema": ["Ongeldige invoer."]}
        try:
            clean, errors = self.schema_class().load(self._prepare(data)), {}
        except ValidationError as error:
            clean, errors = dict(error.valid_data or {}), dict(error.normalized_messages())
        for field in self.fields:  # rules that need other fields or today's date
            value, condition = clean.get(field.name), field.required_if
            if field.name in errors:
                continue
            if value is None and condition and clean.get(condition.field, _ABSENT) == condition.equals:
                errors[field.name] = [REQUIRED]
            elif value is not None and field.must_equal is not None and value != field.must_equal:
                errors[field.name] = [field.must_equal_message or DEFAULT_MUST_EQUAL]
            elif value is not None and field.not_in_future and datetime.date.fromisoformat(value) > today:
                errors[field.name] = [FUTURE_DATE]
        if errors:  # in form order, unknown fields last; never partial data: the caller stores nothing
            names = [field.name for field in self.fields] + list(errors)
            return {}, {name: errors[name] for name in names if name in errors}
        return clean, {}

    def _prepare(self, data: Mapping) -> dict[str, Any]:
        """Strip strings and drop empty values of declared fields; read lists from HTML posts (getlist)."""
        by_name, prepared = {field.name: field for field in self.fields}, {}
        getlist = getattr(data, "getlist", None)
        for key in data:
            if key not in by_name:
                prepared[key] = data[key]  # kept so that the schema reports it as unknown
                continue
            from_html_list = by_name[key].type == "multiple_choice" and callable(getlist)
            value = getlist(key) if from_html_list else data[key]
            if isinstance(value, list):
                value = [item.strip() if isinstance(item, str) else item for item in value]
                value = [item for item in value if item != ""] if from_html_list else value
            value = value.strip() if isinstance(value, str) else value
            if value is not None and value != "":
                prepared[key] = value
        if callable(getlist):  # an HTML form posts nothing when no checkbox is ticked
            lists = [field.name for field in self.fields if field.type == "multiple_choice"]
            prepared.update({name: [] for name in lists if name not in data})
        return prepared


class _FormField(fields.Field):
    """Marshmallow field that converts one form value according to its FieldDefinition."""

    default_error_messages = {"required": REQUIRED, "null": REQUIRED}

    def __init__(self, definition: FieldDefinition, **kwargs: Any):
        super().__init__(**kwargs)
        self.definition = definition

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any):
        kind = self.definition.type
        return getattr(self, "_text" if kind == "long_text" else f"_{kind}")(self.definition, value)

    @staticmethod
    def _text(field: FieldDefinition, value: Any) -> str:
        if not isinstance(value, str):
            raise ValidationError("Vul tekst in.")
        if field.type == "text" and ("\n" in value or "\r" in value):
            raise ValidationError("Gebruik één regel tekst.")
        if field.max_length is not None and len(value) > field.max_length:
            raise ValidationError(f"Te lang: maximaal {field.max_length} tekens.")
        if field.min_length is not None and len(value) < field.min_length:
            raise ValidationError(f"Te kort: minimaal {field.min_length} tekens.")
        return value

    @staticmethod
    def _boolean(field: FieldDefinition, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
            return value.lower() in _TRUE
        raise ValidationError(INVALID_BOOLEAN)

    @staticmethod
    def _date(field: FieldDefinition, value: Any) -> str:
        try:
            if isinstance(value, str) and _ISO_DATE.fullmatch(value):
                return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
        raise ValidationError(INVALID_DATE)

    @staticmethod
    def _number(field: FieldDefinition, value: Any) -> int | float:
        invalid = ValidationError("Vul een geheel getal in." if field.integer else "Vul een getal in.")
        if isinstance(value, str) and _INTEGER.fullmatch(value):
            value = int(value)
        elif isinstance(value, str) and _DECIMAL.fullmatch(value):
            value = float(value.replace(",", "."))
        if not _is_number(value, integer=field.integer):
            raise invalid
        low, high = field.min, field.max
        if (low is not None and value < low) or (high is not None and value > high):
            low_text, high_text = (str(bound).replace(".", ",") for bound in (low, high))
            if low is not None and high is not None:
                raise ValidationError(f"Moet tussen {low_text} en {high_text} liggen.")
            if high is None:
                raise ValidationError(f"Moet minimaal {low_text} zijn.")
            raise ValidationError(f"Moet maximaal {high_text} zijn.")
        return value

    @staticmethod
    def _choice(field: FieldDefinition, value: Any) -> str:
        if not isinstance(value, str) or value not in {choice.value for choice in field.choices}:
            raise ValidationError(f"Kies een van: {', '.join(choice.label for choice in field.choices)}.")
        return value

    @staticmethod
    def _multiple_choice(field: FieldDefinition, value: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValidationError("Geef een lijst met keuzes.")
        if any(not isinstance(item, str) or item not in {c.value for c in field.choices} for item in value):
            raise ValidationError(f"Kies alleen uit: {', '.join(choice.label for choice in field.choices)}.")
        if len(set(value)) != len(value):
            raise ValidationError("Kies elke mogelijkheid hoogstens één keer.")
        if field.min_items is not None and len(value) < field.min_items:
            raise ValidationError(f"Kies er minstens {field.min_items}.")
        if field.max_items is not None and len(value) > field.max_items:
            raise ValidationError(f"Kies er hoogstens {field.max_items}.")
        return value

    @staticmethod
    def _file(field: FieldDefinition, value: Any) -> str:
        if not isinstance(value, str) or not value:
            raise ValidationError("Ongeldige bijlage: verwacht de id van een bijlage.")
        return value


# ---------------------------------------------------------------- checking form files


def _is_name(value: object) -> bool:
    """Tell whether the value is an identifier like [a-z][a-z0-9_]*."""
    return isinstance(value, str) and _NAME.fullmatch(value) is not None


def _is_text(value: object) -> bool:
    """Tell whether the value is a non-empty string."""
    return isinstance(value, str) and value.strip() != ""


def _is_number(value: object, integer: bool = False) -> bool:
    """Tell whether the value is a finite JSON number (an integer if asked); booleans are not numbers."""
    if isinstance(value, bool) or not isinstance(value, int if integer else int | float):
        return False
    return math.isfinite(value)


_OPTION_RULES: dict[str, tuple[Any, str]] = {
    "help": (_is_text, "a non-empty string"),
    "must_equal_message": (_is_text, "a non-empty string"),
    **dict.fromkeys(("required", "integer", "not_in_future"), (lambda v: type(v) is bool, "true or false")),
    **dict.fromkeys(
        ("min_length", "max_length", "min_items", "max_items"),
        (lambda v: _is_number(v, integer=True) and v >= 0, "a whole number >= 0"),
    ),
}


def _value_problem(target: dict, value: Any) -> str | None:
    """Return why a value (must_equal or required_if.equals) cannot be a value of field `target`."""
    kind, integer = target.get("type"), target.get("integer") is True
    if kind == "boolean" and not isinstance(value, bool):
        return "must be true or false"
    if kind == "number" and not _is_number(value, integer):
        return "must be an integer" if integer else "must be a number"
    if kind in ("text", "long_text") and not _is_text(value):
        return "must be a non-empty string"
    if kind == "date" and not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return "must be a date YYYY-MM-DD"
    if kind == "choice":
        values = [c.get("value") for c in target.get("choices") or () if isinstance(c, dict)]
        if not isinstance(value, str) or value not in values:
            return f"must be one of the choice values {values}"
    if kind in ("multiple_choice", "file"):
        return f'cannot be used with a field of type "{kind}"'
    return None


def _choices_problems(choices: object) -> list[str]:
    """Return the problems of the choices of a choice or multiple_choice field."""
    if not isinstance(choices, list) or not choices:
        return ['"choices" must be a non-empty list of {"value": ..., "label": ...}']
    problems, seen = [], set()
    for number, choice in enumerate(choices, 1):
        if not isinstance(choice, dict) or set(choice) != {"value", "label"}:
            problems.append(f'choice #{number} must have exactly the keys "value" and "label"')
            continue
        if not _is_text(choice["value"]):
            problems.append(f"choice #{number}: value must be a non-empty string")
        elif choice["value"] in seen:
            problems.append(f'duplicate choice value "{choice["value"]}"')
        seen.add(choice["value"] if isinstance(choice["value"], str) else None)
        if not _is_text(choice["label"]):
            problems.append(f"choice #{number}: label must be a non-empty string")
    return problems


def _required_if_problem(field: dict, others: dict[str, dict]) -> str | None:
    """Return the problem of a field's required_if condition, if any."""
    condition = field["required_if"]
    if not isinstance(condition, dict) or set(condition) != {"field", "equals"}:
        return '"required_if" must be an object with exactly "field" and "equals"'
    if field.get("required") is True:
        return '"required_if" cannot be combined with "required": true'
    if condition["field"] == field.get("name"):
        return '"required_if" cannot refer to the field itself'
    if not isinstance(condition["field"], str) or condition["field"] not in others:
        return f'"required_if" refers to unknown field {json.dumps(condition["field"])}'
    problem = _value_problem(others[condition["field"]], condition["equals"])
    return f'"required_if": "equals" {problem}' if problem else None


def _field_problems(field: object, others: dict[str, dict]) -> list[str]:
    """Return the problems of one field definition; `others` maps field names to definitions."""
    if not isinstance(field, dict):
        return ["must be a JSON object"]
    problems: list[str] = []
    if not _is_name(field.get("name")):
        problems.append('"name" must be an identifier matching [a-z][a-z0-9_]*')
    kind = field.get("type") if isinstance(field.get("type"), str) else None
    allowed = _COMMON_KEYS | _TYPE_KEYS.get(kind or "", _ALL_KEYS)
    if kind not in _TYPE_KEYS:
        expected = ", ".join(_TYPE_KEYS)
        problems.append(f"unknown type {json.dumps(field.get('type'))}, expected one of: {expected}")
    for key in sorted(set(field) - allowed):
        known = key in _ALL_KEYS
        problems.append(f'"{key}" is not allowed for type "{kind}"' if known else f'unknown key "{key}"')
    if not _is_text(field.get("label")):
        problems.append('"label" must be a non-empty string')
    integer = field.get("integer") is True
    bound_rule = (lambda v: _is_number(v, integer), "an integer" if integer else "a number")
    rules = {**_OPTION_RULES, "min": bound_rule, "max": bound_rule}
    for key, (ok, what) in rules.items():
        if key in field and not ok(field[key]):
            problems.append(f'"{key}" must be {what}')
    if "required_if" in field and (problem := _required_if_problem(field, others)):
        problems.append(problem)
    if "must_equal" in allowed and "must_equal" in field:
        if problem := _value_problem(field, field["must_equal"]):
            problems.append(f'"must_equal" {problem}')
    if "must_equal_message" in field and "must_equal" not in field:
        problems.append('"must_equal_message" without "must_equal"')
    if kind in ("choice", "multiple_choice"):
        problems += _choices_problems(field.get("choices"))
    bounds = {**field, "max_length": field.get("max_length", _DEFAULT_MAX_LENGTH.get(kind or ""))}
    if isinstance(field.get("choices"), list):
        bounds["the number of choices"] = len(field["choices"])
    pairs = ("min_length", "max_length"), ("min", "max"), ("min_items", "max_items")
    for low, high in (*pairs, ("min_items", "the number of choices")):
        if all(_is_number(bounds.get(key)) for key in (low, high)) and bounds[low] > bounds[high]:
            problems.append(f'"{low}" ({bounds[low]}) is greater than {high} ({bounds[high]})')
    return problems


def check_form_data(raw: object, source: str) -> list[str]:
    """Return every problem in a parsed form file (source is the file name used in messages)."""
    if not isinstance(raw, dict):
        return [f"{source}: the form must be a JSON object"]
    problems = [f'{source}: unknown key "{key}"' for key in sorted(set(raw) - _TOP_KEYS)]
    task, expected = raw.get("task"), Path(source).stem
    if not _is_name(task):
        problems.append(f'{source}: "task" must be an identifier matching [a-z][a-z0-9_]*')
    elif task != expected:
        problems.append(f'{source}: "task" is "{task}" but the file name says "{expected}"')
    if not _is_text(raw.get("title")):
        problems.append(f'{source}: "title" must be a non-empty string')
    if "description" in raw and not _is_text(raw["description"]):
        problems.append(f'{source}: "description" must be a non-empty string')
    items = raw.get("fields")
    if not isinstance(items, list) or not items:
        return problems + [f'{source}: "fields" must be a non-empty list']
    names = [field.get("name") if isinstance(field, dict) else None for field in items]
    others = {name: field for name, field in reversed(list(zip(names, items, strict=True))) if _is_name(name)}
    for number, (name, field) in enumerate(zip(names, items, strict=True), 1):
        where = f'{source}: field "{name}"' if _is_text(name) else f"{source}: field #{number}"
        if _is_name(name) and names.index(name) < number - 1:
            problems.append(f"{where}: duplicate name (also field #{names.index(name) + 1})")
        problems += [f"{where}: {problem}" for problem in _field_problems(field, others)]
    return problems


# ---------------------------------------------------------------- loading form files


def _build_field(raw: dict) -> FieldDefinition:
    """Turn a checked field definition into a FieldDefinition (form keys are its attribute names)."""
    options = {key: value for key, value in raw.items() if key not in ("required_if", "choices")}
    options.setdefault("required", "required_if" not in raw)
    options.setdefault("max_length", _DEFAULT_MAX_LENGTH.get(raw["type"]))
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
