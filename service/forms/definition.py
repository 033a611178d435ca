"""The form of a BPMN user task and the validation of the data submitted for it.

Each user task has a JSON file ``forms/<task id>.json`` (read by files.py, checked by checks.py). One
definition drives both the HTML form and the server-side validation, which is done by a marshmallow schema
that is generated from the definition's fields."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields

REQUIRED = "Dit veld is verplicht."
UNKNOWN = "Onbekend veld."
INVALID_DATE = "Vul een geldige datum in (JJJJ-MM-DD)."
FUTURE_DATE = "De datum mag niet in de toekomst liggen."
INVALID_BOOLEAN = "Vul ja of nee in."
DEFAULT_MUST_EQUAL = "Deze waarde is niet toegestaan."
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_DECIMAL = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)")
_TRUE = frozenset({"true", "ja", "on", "1"})
_FALSE = frozenset({"false", "nee", "off", "0"})
DEFAULT_MAX_LENGTH = {"text": 500, "long_text": 10000}
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
    default: bool | None = None  # an optional yes/no field left empty takes this value (conditions rely on it)


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
        for field in self.fields:  # an empty optional field with a default takes it
            if field.default is not None and clean.get(field.name) is None and field.name not in errors:
                clean[field.name] = field.default
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


def is_text(value: object) -> bool:
    """Tell whether the value is a non-empty string."""
    return isinstance(value, str) and value.strip() != ""


def is_number(value: object, integer: bool = False) -> bool:
    """Tell whether the value is a finite JSON number (an integer if asked); booleans are not numbers."""
    if isinstance(value, bool) or not isinstance(value, int if integer else int | float):
        return False
    return math.isfinite(value)


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
            if isinstance(value, str) and ISO_DATE.fullmatch(value):
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
        if not is_number(value, integer=field.integer):
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


