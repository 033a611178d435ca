"""The one clock of the service: aware UTC now, and dates in Europe/Amsterdam."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def now() -> datetime:
    """Return the current moment, timezone-aware (UTC); the clock SpiffWorkflow's timers read too."""
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """Return the calendar date of a moment in Europe/Amsterdam."""
    return moment.astimezone(AMSTERDAM).date()


def start_of_day(day: date) -> datetime:
    """Return 00:00 Europe/Amsterdam on day, as an aware datetime."""
    return datetime(day.year, day.month, day.day, tzinfo=AMSTERDAM)


def deadline_moment(due_on: date) -> datetime:
    """Return the moment a deadline on due_on has passed: 00:00 Europe/Amsterdam of the next day."""
    return start_of_day(due_on + timedelta(days=1))


def due_on_from_moment(moment: datetime) -> date:
    """Return the due date whose deadline passes at moment (inverse of deadline_moment)."""
    return local_date(moment) - timedelta(days=1)
