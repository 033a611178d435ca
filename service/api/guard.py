"""Input no part of the service can store or should parse, refused at the door with a clear 4xx (issue 17).

- Ids in URLs beyond the database's integer range: 404, for every `<int:...>` of every route.
- Text with a NUL byte or a lone surrogate (PostgreSQL cannot store the one, no encoder writes the other), in the
  query string, a posted form or a JSON body: 422 naming the field.
- JSON nested deeper than MAX_DEPTH, or objects with more than MAX_KEYS keys: 400, before the JSON is parsed (deep
  nesting would exhaust Python's recursion, many unknown keys keep a worker busy).
- Integers in JSON beyond the database's range: 422 naming the field.

Both edges (the API and the web pages) are guarded: the hook runs for every request.
"""

import re

from flask import Flask, request

from service.errors import BadRequest, InvalidInput, NotFound

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite holds more, the same limit keeps both databases alike
MAX_DEPTH = 32
MAX_KEYS = 1000
MAX_JSON_INTEGER = MAX_ID  # no number of the API needs more; an id beyond it cannot be in the database
BAD_TEXT = "Deze tekst bevat een teken dat niet kan worden opgeslagen (een NUL-teken of een ongeldig Unicode-teken)."
BAD_NUMBER = "Dit getal is te groot."
_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def init_app(app: Flask) -> None:
    """Check every request's input before its view runs."""
    app.before_request(check_request)


def check_request() -> None:
    """Refuse a request whose input cannot be stored or parsed safely; nothing has been done yet."""
    if any(isinstance(value, int) and value > MAX_ID for value in (request.view_args or {}).values()):
        raise NotFound()  # no row has such an id
    errors: dict[str, list[str]] = {}
    for name, value in request.args.items(multi=True):
        if _bad(name) or _bad(value):
            errors[_field(name)] = [BAD_TEXT]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in ("application/x-www-form-urlencoded",
                                                                           "multipart/form-data"):
        for name, value in request.form.items(multi=True):
            if _bad(name) or _bad(value):
                errors[_field(name)] = [BAD_TEXT]
    if not errors and request.is_json and request.method in ("POST", "PUT", "PATCH"):
        _check_json_shape(request.get_data(cache=True))
        body = request.get_json(silent=True)
        if body is not None:
            _check_json_values(body, "", errors)
    if errors:
        raise InvalidInput(errors=errors)


def _bad(text: str | None) -> bool:
    return isinstance(text, str) and bool(_BAD_CHARACTERS.search(text))


def _field(name: str) -> str:
    return name if not _bad(name) else "_schema"


def _check_json_shape(raw: bytes) -> None:
    """Count nesting and keys in one pass over the raw body, strings skipped: BadRequest when too deep or wide."""
    depth = keys = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
            continue
        if byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):  # { [
            depth += 1
            if depth > MAX_DEPTH:
                raise BadRequest(f"De JSON is te diep genest: hoogstens {MAX_DEPTH} niveaus.")
        elif byte in (0x7D, 0x5D):  # } ]
            depth -= 1
        elif byte == 0x3A:  # a colon outside a string: one key
            keys += 1
            if keys > MAX_KEYS:
                raise BadRequest(f"De JSON heeft te veel velden: hoogstens {MAX_KEYS}.")


def _check_json_values(value: object, path: str, errors: dict[str, list[str]]) -> None:
    """Name every string with a character that cannot be stored and every integer beyond the database's range."""
    if isinstance(value, str):
        if _bad(value):
            errors[path or "_schema"] = [BAD_TEXT]
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if abs(value) > MAX_JSON_INTEGER:
            errors[path or "_schema"] = [BAD_NUMBER]
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if _bad(str(key)):
                errors["_schema"] = [BAD_TEXT]
                continue
            _check_json_values(item, name, errors)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_json_values(item, f"{path}.{index}" if path else str(index), errors)
