"""What the JSON API and the web pages share about HTTP: the JSON body, analysis filters, JSON figures, CSV."""

import csv
import io
from datetime import date, timedelta
from urllib.parse import urlencode

from flask import Response, current_app, jsonify, request

from service.analysis.export import EXPORT_COLUMNS
from service.analysis.figures import CLIENT_KINDS, Filters
from service.complaints import classification
from service.errors import BadRequest, InvalidInput

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def jsonable(value):
    """Return value with dates as ISO strings (the figures are plain dicts, lists and numbers otherwise)."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def secret_bytes() -> bytes:
    """Return the key of the pseudonyms in the export (its own secret, not the session's) as bytes."""
    key = current_app.config["PSEUDONYM_KEY"]
    return key if isinstance(key, bytes) else str(key).encode()


def _cell(value) -> str:
    if value is None:
        return ""
    # A spreadsheet would run a cell starting with = + - @ as a formula: the category names are free text.
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else str(value)


def analysis_csv_response(rows: list[dict]) -> Response:
    """Return the export rows as a CSV download (UTF-8 with BOM so that spreadsheets read the accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow([_cell(row[column]) for column in EXPORT_COLUMNS])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="klachtenanalyse.csv"'})


# ---------------------------------------------------------------- request parameters


def parse_filters(args, *, default_year: int | None = None) -> Filters:
    """Return the Filters of query parameters: year (and quarter 1-4), or from/to (ISO dates); category (id),
    coach (username), client_kind. Raise InvalidInput naming each wrong parameter. Without any period the
    period is default_year (None: all time)."""
    errors: dict[str, list[str]] = {}

    def text(name: str) -> str:
        return (args.get(name) or "").strip()

    def day(name: str) -> date | None:
        if not text(name):
            return None
        try:
            return date.fromisoformat(text(name))
        except ValueError:
            errors[name] = ["Vul een geldige datum in (JJJJ-MM-DD)."]
            return None

    date_from, date_to = day("from"), day("to")
    year = quarter = None
    if text("year"):
        if text("year").isdigit() and 1900 < int(text("year")) < 3000:
            year = int(text("year"))
        else:
            errors["year"] = ["Vul een jaartal in, bijvoorbeeld 2026."]
    if text("quarter"):
        if text("quarter") in ("1", "2", "3", "4"):
            quarter = int(text("quarter"))
        else:
            errors["quarter"] = ["Kies kwartaal 1, 2, 3 of 4."]
        if year is None and "year" not in errors:
            errors["year"] = ["Kies bij een kwartaal ook het jaar."]
    if (year is not None or quarter is not None) and (date_from or date_to):
        errors["year"] = ["Kies een jaar (en kwartaal) of een periode van/tot, niet allebei."]
    if not errors and year is None and date_from is None and date_to is None and default_year is not None:
        year = default_year
    if year is not None and not errors:
        if quarter is None:
            date_from, date_to = date(year, 1, 1), date(year, 12, 31)
        else:
            date_from = date(year, 3 * quarter - 2, 1)
            next_start = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
            date_to = next_start - timedelta(days=1)
    if date_from and date_to and date_from > date_to:
        errors["to"] = ["De einddatum ligt vóór de begindatum."]
    category_id = None
    if text("category"):
        if text("category").isascii() and text("category").isdigit() and len(text("category")) <= 9 \
                and classification.category_exists(int(text("category"))):
            category_id = int(text("category"))
        else:
            errors["category"] = ["Onbekende categorie."]
    client_kind = text("client_kind") or None
    if client_kind is not None and client_kind not in CLIENT_KINDS:
        errors["client_kind"] = [f"Kies een van: {', '.join(CLIENT_KINDS)}."]
    if errors:
        raise InvalidInput(errors=errors)
    return Filters(date_from, date_to, category_id, text("coach") or None, client_kind)


def json_body() -> object:
    """Return the request's JSON body; BadRequest when it is not JSON or cannot be read."""
    if not request.is_json:
        raise BadRequest("Stuur de gegevens als JSON (Content-Type: application/json).")
    body = request.get_json(silent=True)
    if body is None:
        raise BadRequest("De JSON in het verzoek is niet leesbaar.")
    return body


# ---------------------------------------------------------------- paged lists

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000_000  # far past any list; bounded so that no database is asked for a number it cannot hold


def page_args(args) -> tuple[int, int]:
    """Return limit (1..500, default 100) and offset (0 or more, default 0) of a list; InvalidInput names each wrong
    parameter."""
    errors: dict[str, list[str]] = {}

    def number(name: str, default: int, low: int, high: int, message: str) -> int:
        text = args.get(name)
        if text is None:
            return default
        text = text.strip()
        if text.isascii() and text.isdigit() and len(text) <= 10 and low <= int(text) <= high:
            return int(text)
        errors[name] = [message]
        return default

    limit = number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT, f"Kies een aantal van 1 tot en met {MAX_LIMIT}.")
    offset = number("offset", 0, 0, MAX_OFFSET, f"Kies een getal van 0 tot en met {MAX_OFFSET}.")
    if errors:
        raise InvalidInput(errors=errors)
    return limit, offset


def paged(items: list, *, total: int, limit: int, offset: int) -> Response:
    """Answer one page of a list as a JSON list, with X-Total-Count and, when rows follow, a Link to the next page."""
    response = jsonify(items)
    response.headers["X-Total-Count"] = str(total)
    if offset + len(items) < total:
        args = request.args.to_dict()
        args.update(limit=str(limit), offset=str(offset + limit))
        response.headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
    return response
