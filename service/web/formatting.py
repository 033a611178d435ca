"""Dutch presentation of values for the web pages: dates, labels, badges and recorded form values."""

from datetime import date

from markupsafe import Markup

from service import clock
from service.dutch import (  # noqa: F401  (re-exported for the web layer)
    CHANNEL_LABELS,
    CLIENT_KIND_LABELS,
    CONSENT_CHANNEL_LABELS,
    DEADLINE_LABELS,
    LETTER_LABELS,
    NOTE_KIND_LABELS,
    OUTCOME_LABELS,
    ROLE_LABELS,
    ROUTE_LABELS,
    STATUS_LABELS,
    _as_date,
    field_value,
    history_note,
    history_text,
    nl_date,
    nl_datetime,
    yes_no,
)


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


ORDINALS = ("eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende", "tiende")


def ordinal(number: int) -> str:
    """Return a Dutch ordinal: "eerste", "tweede", ..., then "11e"."""
    return ORDINALS[number - 1] if 1 <= number <= len(ORDINALS) else f"{number}e"


FILTERS = {
    "ordinal": ordinal,
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
        "LETTER_LABELS": LETTER_LABELS, "OUTCOME_LABELS": OUTCOME_LABELS,
        "CONSENT_CHANNEL_LABELS": CONSENT_CHANNEL_LABELS, "NOTE_KIND_LABELS": NOTE_KIND_LABELS,
    }

