"""Dutch presentation of values for the web pages: dates, labels, badges and recorded form values."""

from datetime import UTC, date, datetime

from markupsafe import Markup

from .. import clock
from ..forms import FieldDefinition

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")

STATUS_LABELS = {"open": "open", "resolved": "afgehandeld", "closed": "gesloten"}
CHANNEL_LABELS = {"written": "schriftelijk", "oral": "mondeling"}
CLIENT_KIND_LABELS = {"employer": "werkgever", "uwv": "UWV", "municipality": "gemeente", "none": "geen"}
ROUTE_LABELS = {
    "commissioning_client": "Opdrachtgever",
    "ombudsman": "Nationale of gemeentelijke ombudsman",
    "data_protection_authority": "Autoriteit Persoonsgegevens",
}
DEADLINE_LABELS = {
    "acknowledgement": "Ontvangstbevestiging",
    "unfounded_notice": "Bericht niet in behandeling",
    "call_report": "Verslag telefoongesprek",
    "final_report": "Eindverslag",
}
ROLE_LABELS = {"practice": "praktijk", "handler": "behandelaar", "coach": "coach", "process_owner": "proceseigenaar"}


def _as_date(value) -> date | None:
    """Return a date from a date, a datetime (its Amsterdam day) or an ISO string; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return clock.local_date(_aware(value))
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) > 10:
        return _as_date(datetime.fromisoformat(text))
    return date.fromisoformat(text)


def _aware(moment: datetime) -> datetime:
    """Return moment with a timezone: the service stores UTC, and SQLite gives it back without one."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def nl_date(value) -> str:
    """Format a date as Dutch text, e.g. "14 december 2026"; empty for None."""
    day = _as_date(value)
    if day is None:
        return ""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def nl_datetime(value) -> str:
    """Format a moment in Amsterdam time, e.g. "3 maart 2026 om 10:00"; empty for None."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    moment = _aware(moment).astimezone(clock.AMSTERDAM)
    return f"{nl_date(moment.date())} om {moment:%H:%M}"


def today() -> date:
    """Return today's date in Europe/Amsterdam."""
    return clock.local_date(clock.now())


def days_left(due_on) -> int | None:
    """Return the days from today until due_on (negative when it has passed); None without a date."""
    day = _as_date(due_on)
    return None if day is None else (day - today()).days


def days_left_text(days: int | None) -> str:
    """Describe days left in Dutch: "nog 3 dagen", "vandaag", "2 dagen te laat"."""
    if days is None:
        return "geen termijn"
    if days == 0:
        return "vandaag"
    count = abs(days)
    unit = "dag" if count == 1 else "dagen"
    return f"nog {count} {unit}" if days > 0 else f"{count} {unit} te laat"


def badge(text: str, kind: str) -> Markup:
    """Return a status badge as HTML (kind picks the colour class)."""
    return Markup('<span class="badge badge-{}">{}</span>').format(kind, text)


def status_badge(status: str) -> Markup:
    """Return the badge of a complaint status: open, afgehandeld or gesloten."""
    return badge(STATUS_LABELS.get(status, status), f"status-{status}")


def overdue_badge(overdue: bool) -> Markup:
    """Return the "te laat" badge, or nothing when not overdue."""
    return badge("te laat", "late") if overdue else Markup("")


def file_size(size) -> str:
    """Return a file size in Dutch units, e.g. "12 kB" or "1,5 MB"."""
    if size is None:
        return ""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def yes_no(value) -> str:
    """Return "ja" or "nee" for a boolean; empty for None."""
    if value is None:
        return ""
    return "ja" if value else "nee"


def field_value(field: FieldDefinition, value) -> str:
    """Return a recorded task value as Dutch text, using the field's type and choice labels."""
    if value is None:
        return ""
    labels = {choice.value: choice.label for choice in field.choices}
    if field.type == "boolean":
        return yes_no(value)
    if field.type == "date":
        return nl_date(value)
    if field.type == "choice":
        return labels.get(value, str(value))
    if field.type == "multiple_choice":
        return ", ".join(labels.get(item, str(item)) for item in value) or "geen"
    if field.type == "number":
        return str(value).replace(".", ",")
    return str(value)


def _deadline(detail: dict) -> str:
    name = detail.get("deadline", "")
    return DEADLINE_LABELS.get(name, name)


def history_text(event: dict) -> str:
    """Describe a history event (kind and detail) in Dutch."""
    kind, detail = event.get("kind", ""), event.get("detail") or {}
    if kind == "registered":
        return "Geregistreerd"
    if kind == "task_completed":
        return f"Taak afgerond: {detail.get('name') or detail.get('task', '')}"
    if kind == "deadline_met":
        how = "gehaald" if detail.get("on_time", True) else "te laat afgerond"
        return f"Termijn {how}: {_deadline(detail)}"
    if kind == "deadline_passed":
        return f"Termijn verstreken: {_deadline(detail)} (uiterlijk {nl_date(detail.get('due_on'))})"
    if kind == "status_changed":
        old, new = detail.get("old", ""), detail.get("new", "")
        return f"Status gewijzigd: {STATUS_LABELS.get(old, old)} → {STATUS_LABELS.get(new, new)}"
    if kind == "deadline_extended":
        return (f"Termijn verlengd: {_deadline(detail)} van {nl_date(detail.get('previous_due_on'))} "
                f"naar {nl_date(detail.get('new_due_on'))}")
    if kind == "escalated":
        route = detail.get("route", "")
        return f"Geëscaleerd: {ROUTE_LABELS.get(route, route)}"
    if kind == "attachment_added":
        return f"Bijlage toegevoegd: {detail.get('filename', '')}"
    if kind == "timer_failed":
        return "Storing bij de termijnbewaking"
    if kind == "incident_retried":
        return "Storing opnieuw aangeboden"
    if kind == "incident_resolved":
        return "Storing opgelost"
    return kind


def history_note(event: dict) -> str:
    """Return the free text that goes with a history event (reason, error), or empty."""
    detail = event.get("detail") or {}
    return str(detail.get("reason") or detail.get("error") or "")


FILTERS = {
    "nl_date": nl_date,
    "nl_datetime": nl_datetime,
    "days_left_text": days_left_text,
    "status_badge": status_badge,
    "overdue_badge": overdue_badge,
    "yes_no": yes_no,
    "file_size": file_size,
    "history_text": history_text,
    "history_note": history_note,
}


def label_globals() -> dict:
    """Return the label tables that templates read."""
    return {
        "STATUS_LABELS": STATUS_LABELS, "CHANNEL_LABELS": CHANNEL_LABELS, "CLIENT_KIND_LABELS": CLIENT_KIND_LABELS,
        "ROUTE_LABELS": ROUTE_LABELS, "DEADLINE_LABELS": DEADLINE_LABELS, "ROLE_LABELS": ROLE_LABELS,
    }

