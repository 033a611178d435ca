"""Preventive measures and their effect (regulation steps 7 and 8): one verdict per measure, honestly dated.

A measure is the last record_preventive_measures of a complaint of the cohort that says measures_needed. Its
effect is judged on the complaints in its category received AFTER the day it was recorded (any complaint, whatever
the period and filters): one such complaint and the measure did not prevent recurrence; none, and it is judged a
success only once `months` months have passed by the day the figures are about; before that it is too recent to
judge. A measure on a complaint without a category cannot be judged.
"""

import bisect
from collections import defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import select

from service import clock
from service.extensions import db
from service.models import Category, Complaint, Submission

VERDICTS = ("recurred", "no_recurrence", "too_recent", "no_category")


def _local_day(moment: datetime) -> date:
    return clock.local_date(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))


def add_months(day: date, months: int) -> date:
    """Return the same day `months` months later (the last day of the month when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def preventive_measures(last_submissions_query, *, as_of: date, months: int) -> dict:
    """Return {recorded, measures: [...], per_category: [...]} for the measures of the cohort.

    last_submissions_query: a subquery with the id of the last record_preventive_measures per complaint of the
    cohort. as_of: the day the figures are about (the period's end, or today).
    """
    needed = Submission.fields["measures_needed"].as_boolean()
    rows = db.session.execute(
        select(Complaint.reference, Complaint.category_id, Submission.submitted_at, Submission.fields)
        .join(Complaint, Complaint.id == Submission.complaint_id)
        .where(Submission.id.in_(select(last_submissions_query.c.id)), needed.is_(True))
        .order_by(Submission.submitted_at, Submission.id)
    ).all()
    categories = sorted({category_id for _, category_id, _, _ in rows if category_id is not None})
    received: dict[int, list[date]] = defaultdict(list)
    if categories:
        for category_id, day in db.session.execute(
                select(Complaint.category_id, Complaint.received_on).where(Complaint.category_id.in_(categories))):
            received[category_id].append(day)
    for days in received.values():
        days.sort()
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    measures = []
    for reference, category_id, submitted_at, fields in rows:
        recorded_on = _local_day(submitted_at)
        judged_from = add_months(recorded_on, months)
        after = None
        if category_id is None:
            verdict = "no_category"
        else:
            days = received[category_id]
            after = len(days) - bisect.bisect_right(days, recorded_on)
            verdict = "recurred" if after else ("no_recurrence" if as_of >= judged_from else "too_recent")
        measures.append({"reference": reference, "category_id": category_id, "name": names.get(category_id),
                         "text": str((fields or {}).get("measures") or ""), "recorded_on": recorded_on,
                         "judged_from": judged_from, "complaints_after": after, "verdict": verdict})
    return {"recorded": len(measures), "measures": measures, "per_category": _per_category(measures)}


def _per_category(measures: list[dict]) -> list[dict]:
    """Per category: the number of measures, the latest one's day, and whether a complaint came after it."""
    grouped: dict[int | None, list[dict]] = defaultdict(list)
    for measure in measures:
        grouped[measure["category_id"]].append(measure)
    result = []
    for category_id, items in sorted(grouped.items(), key=lambda item: (item[0] is None, item[1][0]["name"] or "")):
        latest = max(items, key=lambda m: m["recorded_on"])
        after = latest["complaints_after"]
        result.append({"category_id": category_id, "name": latest["name"], "measures": len(items),
                       "last_recorded_on": latest["recorded_on"], "complaints_after": after,
                       "recurred": None if after is None else after > 0, "verdict": latest["verdict"]})
    return result
