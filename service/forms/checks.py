"""Check the content of a form file and list every problem."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from service.forms.definition import DEFAULT_MAX_LENGTH, ISO_DATE, is_number, is_text

_NAME = re.compile(r"[a-z][a-z0-9_]*")

_TOP_KEYS = frozenset({"task", "title", "description", "fields"})
_COMMON_KEYS = frozenset({"name", "type", "label", "help", "required", "required_if"})
_MUST_EQUAL = frozenset({"must_equal", "must_equal_message"})
_LENGTH = frozenset({"min_length", "max_length"})
_TYPE_KEYS: dict[str, frozenset[str]] = {
    "text": _LENGTH | _MUST_EQUAL,
    "long_text": _LENGTH,
    "boolean": _MUST_EQUAL | {"default"},
    "date": frozenset({"not_in_future"}),
    "number": frozenset({"integer", "min", "max"}) | _MUST_EQUAL,
    "choice": frozenset({"choices"}) | _MUST_EQUAL,
    "multiple_choice": frozenset({"choices", "min_items", "max_items"}),
    "file": frozenset(),
}
_ALL_KEYS = _COMMON_KEYS.union(*_TYPE_KEYS.values())


_OPTION_RULES: dict[str, tuple[Any, str]] = {
    "help": (is_text, "a non-empty string"),
    "must_equal_message": (is_text, "a non-empty string"),
    **dict.fromkeys(("required", "integer", "not_in_future", "default"),
                    (lambda v: type(v) is bool, "true or false")),
    **dict.fromkeys(
        ("min_length", "max_length", "min_items", "max_items"),
        (lambda v: is_number(v, integer=True) and v >= 0, "a whole number >= 0"),
    ),
}


def _is_name(value: object) -> bool:
    """Tell whether the value is an identifier like [a-z][a-z0-9_]*."""
    return isinstance(value, str) and _NAME.fullmatch(value) is not None






def _value_problem(target: dict, value: Any) -> str | None:
    """Return why a value (must_equal or required_if.equals) cannot be a value of field `target`."""
    kind, integer = target.get("type"), target.get("integer") is True
    if kind == "boolean" and not isinstance(value, bool):
        return "must be true or false"
    if kind == "number" and not is_number(value, integer):
        return "must be an integer" if integer else "must be a number"
    if kind in ("text", "long_text") and not is_text(value):
        return "must be a non-empty string"
    if kind == "date" and not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
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
        if not is_text(choice["value"]):
            problems.append(f"choice #{number}: value must be a non-empty string")
        elif choice["value"] in seen:
            problems.append(f'duplicate choice value "{choice["value"]}"')
        seen.add(choice["value"] if isinstance(choice["value"], str) else None)
        if not is_text(choice["label"]):
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
    if not is_text(field.get("label")):
        problems.append('"label" must be a non-empty string')
    integer = field.get("integer") is True
    bound_rule = (lambda v: is_number(v, integer), "an integer" if integer else "a number")
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
    bounds = {**field, "max_length": field.get("max_length", DEFAULT_MAX_LENGTH.get(kind or ""))}
    if isinstance(field.get("choices"), list):
        bounds["the number of choices"] = len(field["choices"])
    pairs = ("min_length", "max_length"), ("min", "max"), ("min_items", "max_items")
    for low, high in (*pairs, ("min_items", "the number of choices")):
        if all(is_number(bounds.get(key)) for key in (low, high)) and bounds[low] > bounds[high]:
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
    if not is_text(raw.get("title")):
        problems.append(f'{source}: "title" must be a non-empty string')
    if "description" in raw and not is_text(raw["description"]):
        problems.append(f'{source}: "description" must be a non-empty string')
    items = raw.get("fields")
    if not isinstance(items, list) or not items:
        return problems + [f'{source}: "fields" must be a non-empty list']
    names = [field.get("name") if isinstance(field, dict) else None for field in items]
    others = {name: field for name, field in reversed(list(zip(names, items, strict=True))) if _is_name(name)}
    for number, (name, field) in enumerate(zip(names, items, strict=True), 1):
        where = f'{source}: field "{name}"' if is_text(name) else f"{source}: field #{number}"
        if _is_name(name) and names.index(name) < number - 1:
            problems.append(f"{where}: duplicate name (also field #{names.index(name) + 1})")
        problems += [f"{where}: {problem}" for problem in _field_problems(field, others)]
    return problems
