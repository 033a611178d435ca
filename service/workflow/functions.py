"""The functions a diagram's expressions and scripts may call: a small, date-only whitelist."""

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache

from service import clock


def _as_date(value: object, name: str) -> date:
    if isinstance(value, datetime):
        return clock.local_date(value)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise ValueError(f"{name} needs a date (YYYY-MM-DD), got {value!r}")


def _easter(year: int) -> date:
    """Return Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return date(year, month, day)


@lru_cache(maxsize=64)
def dutch_public_holidays(year: int) -> frozenset[date]:
    """Return the days that move a term under the Algemene termijnenwet (art. 3): the general public holidays,
    Good Friday and Liberation Day (5 May) every year included."""
    easter = _easter(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    days = {
        date(year, 1, 1),
        easter - timedelta(days=2),  # Good Friday
        easter,
        easter + timedelta(days=1),
        kings_day,
        easter + timedelta(days=39),
        easter + timedelta(days=49),
        easter + timedelta(days=50),
        date(year, 12, 25),
        date(year, 12, 26),
        date(year, 5, 5),
    }
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Return whether day is a weekday that is not a Dutch public holiday."""
    return day.weekday() < 5 and day not in dutch_public_holidays(day.year)


def due_date_of(start: date, days: int, *, skip_non_working_days: bool) -> date:
    """Return start plus days; moved to the next working day when the practice chose so."""
    due = start + timedelta(days=days)
    if skip_non_working_days:
        while not is_working_day(due):
            due += timedelta(days=1)
    return due


def make_functions(*, now: datetime, skip_non_working_days: bool) -> Mapping[str, Callable]:
    """Return the whitelist for one engine run, bound to the moment of the run and the settings."""

    def today() -> str:
        return clock.local_date(now).isoformat()

    def due_date(start: object, days: object) -> str:
        if not isinstance(days, int) or isinstance(days, bool):
            raise ValueError(f"due_date needs a whole number of days, got {days!r}")
        return due_date_of(
            _as_date(start, "due_date"), days, skip_non_working_days=skip_non_working_days
        ).isoformat()

    def end_of(day: object) -> str:
        return clock.deadline_moment(_as_date(day, "end_of")).isoformat()

    def days_between(first: object, second: object) -> int:
        return (_as_date(second, "days_between") - _as_date(first, "days_between")).days

    return {"today": today, "due_date": due_date, "end_of": end_of, "days_between": days_between}


FUNCTION_NAMES = frozenset(make_functions(now=clock.now(), skip_non_working_days=False))
