"""HTTP shapes of the analysis, shared by the JSON API and the web pages: JSON-ready figures and the CSV file."""

import csv
import io
from datetime import date

from flask import Response, current_app

from .analysis import EXPORT_COLUMNS

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
    """Return the app's secret key as bytes: the key of the pseudonyms in the export."""
    key = current_app.secret_key
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
