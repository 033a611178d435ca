"""Analysis for the quality policy (regulation step 8): figures over a period, computed in SQL.

Every figure is a query over the tables (complaints, deadlines, submissions, escalations, categories); no
workflow is ever loaded. Functions return plain dicts and lists; nothing here imports Flask.

The cohort of a period is the complaints RECEIVED in it (received_on from..to, both included) that pass the
filters (category, coach, kind of commissioning client). Every figure is about that cohort, except `closed`,
`closed_from_earlier` and the closed counts of the trend, which count the complaints (passing the filters) CLOSED
in the period. The figures are as of the period's end (or today, for a period that has not ended yet).

What someone outside the practice may see of these figures is decided in disclosure.py."""

import math
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import and_, case, func, or_, select

from service import clock
from service.analysis.preventive import preventive_measures
from service.extensions import db
from service.models import (
    OUTCOMES,
    SIGNAL_KINDS,
    Category,
    Complaint,
    Deadline,
    Escalation,
    Extension,
    Signal,
    Submission,
)

DEADLINES = ("acknowledgement", "unfounded_notice", "call_report", "final_report")
ROUTES = ("commissioning_client", "ombudsman", "data_protection_authority")
CLIENT_KINDS = ("employer", "uwv", "municipality", "none")
LEAD_TIMES = ("acknowledgement", "resolution", "final_report", "closure")


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    category_id: int | None = None
    coach: str | None = None
    client_kind: str | None = None

    def as_dict(self) -> dict:
        return {key: value.isoformat() if isinstance(value, date) else value for key, value in asdict(self).items()}


# ---------------------------------------------------------------- helpers


def _attribute_conditions(filters: Filters) -> list:
    conditions = []
    if filters.category_id is not None:
        conditions.append(Complaint.category_id == filters.category_id)
    if filters.coach:
        conditions.append(Complaint.coach_username == filters.coach)
    if filters.client_kind:
        conditions.append(Complaint.commissioning_client_kind == filters.client_kind)
    return conditions


def _between(column, filters: Filters) -> list:
    conditions = []
    if filters.date_from is not None:
        conditions.append(column >= filters.date_from)
    if filters.date_to is not None:
        conditions.append(column <= filters.date_to)
    return conditions


def cohort_conditions(filters: Filters) -> list:
    """Conditions selecting the complaints received in the period that pass the filters."""
    return _between(Complaint.received_on, filters) + _attribute_conditions(filters)


def _days(later, earlier):
    """SQL for the whole days from earlier to later (two DATE columns), on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "sqlite":
        return func.cast(func.julianday(later) - func.julianday(earlier), db.Integer)
    return later - earlier


def median(values: list[int]) -> float | None:
    """Return the median (the mean of the two middle values for an even count), or None without values."""
    return float(statistics.median(values)) if values else None


def p90(values: list[int]) -> int | None:
    """Return the 90th percentile by nearest rank: the value at position ceil(0.9 n) of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def month_label(day: date) -> str:
    """Return the month of a day as "YYYY-MM"."""
    return f"{day.year}-{day.month:02d}"


def _quarter(day: date) -> str:
    return f"{day.year}-K{(day.month - 1) // 3 + 1}"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _previous_quarter_start(day: date) -> date:
    start = _quarter_start(day)
    return date(start.year - 1, 10, 1) if start.month == 1 else date(start.year, start.month - 3, 1)


def _buckets(first: date, last: date, start_of, step_months: int, label) -> list[str]:
    labels, day = [], start_of(first)
    while day <= last:
        labels.append(label(day))
        month = day.month - 1 + step_months
        day = date(day.year + month // 12, month % 12 + 1, 1)
    return labels


# ---------------------------------------------------------------- figures


def as_of(filters: Filters) -> date:
    """The day the figures are about: the period's end, or today when the period has not ended (or has no end)."""
    today = clock.local_date(clock.now())
    return min(filters.date_to, today) if filters.date_to is not None else today


def figures(filters: Filters, *, recurrence_months: int = 3) -> dict:
    """Return every figure of the dashboard for the period and filters (exact counts)."""
    cohort = cohort_conditions(filters)
    end = as_of(filters)
    received = db.session.scalar(select(func.count(Complaint.id)).where(*cohort)) or 0
    closed = db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.closed_on.is_not(None), *_between(Complaint.closed_on, filters),
        *_attribute_conditions(filters))) or 0
    closed_of_cohort = db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.closed_on.is_not(None), Complaint.closed_on <= end, *cohort)) or 0
    closed_from_earlier = db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.closed_on.is_not(None), *_between(Complaint.closed_on, filters),
        Complaint.received_on < filters.date_from, *_attribute_conditions(filters))) or 0 \
        if filters.date_from is not None else 0
    return {
        "period": {"from": filters.date_from, "to": filters.date_to},
        "filters": filters.as_dict(),
        "as_of": end,
        "received": received,
        "closed": closed,
        "closed_of_cohort": closed_of_cohort,
        "closed_from_earlier": closed_from_earlier,
        "open_at_end": _open_at_end(cohort, end),
        "categories": _by_category(cohort),
        "outcomes": _outcomes(cohort),
        "by_category_outcome": _by_category_outcome(cohort),
        "deadlines": _deadlines(cohort),
        "lead_times": _lead_times(cohort),
        "extensions": _extensions(cohort),
        "satisfaction": _satisfaction(cohort),
        "preventive_measures": preventive_measures(last_submissions("record_preventive_measures", cohort),
                                                   as_of=end, months=recurrence_months),
        "escalations": _escalations(cohort),
        "escalated_complaints": _escalated_complaints(cohort),
        "signals": _signals(filters),
        "trend": _trend(filters),
    }


def _open_at_end(cohort: list, end: date) -> dict:
    """Complaints of the cohort neither closed nor withdrawn by the end, with their age then (days since receipt)."""
    still_open = [or_(Complaint.closed_on.is_(None), Complaint.closed_on > end),
                  or_(Complaint.withdrawn_on.is_(None), Complaint.withdrawn_on > end)]
    received = list(db.session.scalars(select(Complaint.received_on).where(*still_open, *cohort)))
    ages = [(end - day).days for day in received if day <= end]
    return {"count": len(ages), "median_age_days": median(ages), "oldest_age_days": max(ages) if ages else None}


def _by_category_outcome(cohort: list) -> list[dict]:
    """Per category of the cohort: received, and founded, partly founded, unfounded, not taken into handling apart."""
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for category_id, outcome, count in db.session.execute(
            select(Complaint.category_id, Complaint.outcome, func.count(Complaint.id)).where(*cohort)
            .group_by(Complaint.category_id, Complaint.outcome)):
        counts[category_id][outcome or "none"] += count
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    kept = ("founded", "partly_founded", "unfounded", "not_taken_into_handling")
    rows = []
    for category_id in sorted(counts, key=lambda c: (c is None, names.get(c, ""))):
        by_outcome = counts[category_id]
        rows.append({"category_id": category_id, "name": names.get(category_id),
                     "received": sum(by_outcome.values()), **{key: by_outcome.get(key, 0) for key in kept},
                     "other": sum(count for key, count in by_outcome.items() if key not in kept)})
    return rows


def _extensions(cohort: list) -> dict:
    """Complaints of the cohort whose term was extended, and how many extensions there were."""
    complaints, count = db.session.execute(
        select(func.count(func.distinct(Extension.complaint_id)), func.count(Extension.id))
        .join(Complaint, Complaint.id == Extension.complaint_id).where(*cohort)).one()
    return {"complaints": complaints or 0, "count": count or 0}


def _escalated_complaints(cohort: list) -> int:
    """Complaints of the cohort escalated on at least one route (one complaint on three routes counts once)."""
    return db.session.scalar(
        select(func.count(func.distinct(Escalation.complaint_id)))
        .join(Complaint, Complaint.id == Escalation.complaint_id).where(*cohort)) or 0


def _by_category(cohort: list) -> list[dict]:
    rows = db.session.execute(
        select(Complaint.category_id, func.count(Complaint.id)).where(*cohort).group_by(Complaint.category_id)
    ).all()
    counts = dict(rows)
    result = [{"category_id": c.id, "name": c.name, "active": c.active, "count": counts.get(c.id, 0)}
              for c in db.session.scalars(select(Category).order_by(Category.position, Category.id))
              if c.active or counts.get(c.id)]
    result.append({"category_id": None, "name": None, "active": True, "count": counts.get(None, 0)})
    return result


def _outcomes(cohort: list) -> dict:
    rows = dict(db.session.execute(
        select(Complaint.outcome, func.count(Complaint.id)).where(*cohort).group_by(Complaint.outcome)
    ).all())
    result = {outcome: rows.get(outcome, 0) for outcome in OUTCOMES}
    result["none"] = sum(count for outcome, count in rows.items() if outcome not in OUTCOMES)
    return result


def _deadlines(cohort: list) -> dict:
    """Per deadline: decided (met, or passed unmet), on time (met_on <= due_on and not overdue), and the share."""
    decided = func.sum(case((Deadline.met_on.is_not(None) | Deadline.overdue.is_(True), 1), else_=0))
    on_time = func.sum(case((and_(Deadline.met_on.is_not(None), Deadline.met_on <= Deadline.due_on,
                                  Deadline.overdue.is_(False)), 1), else_=0))
    rows = {name: (int(d or 0), int(t or 0)) for name, d, t in db.session.execute(
        select(Deadline.name, decided, on_time).join(Complaint, Complaint.id == Deadline.complaint_id)
        .where(*cohort).group_by(Deadline.name)
    ).all()}
    return {name: {"decided": rows.get(name, (0, 0))[0], "on_time": rows.get(name, (0, 0))[1],
                   "share": _share(rows.get(name, (0, 0))[1], rows.get(name, (0, 0))[0])} for name in DEADLINES}


def _lead_time(values: list[int]) -> dict:
    return {"count": len(values), "median": median(values), "p90": p90(values)}


def _lead_times(cohort: list) -> dict:
    """Days from receipt to the acknowledgement met, to resolution (resolved_on), to the final report met, and to
    closing. They count finished steps only: read them with `open_at_end`, the complaints still open."""
    result = {}
    for key, name in (("acknowledgement", "acknowledgement"), ("final_report", "final_report")):
        result[key] = [int(v) for v in db.session.scalars(
            select(_days(Deadline.met_on, Complaint.received_on))
            .join(Complaint, Complaint.id == Deadline.complaint_id)
            .where(Deadline.name == name, Deadline.met_on.is_not(None), *cohort))]
    result["resolution"] = [int(v) for v in db.session.scalars(
        select(_days(Complaint.resolved_on, Complaint.received_on))
        .where(Complaint.resolved_on.is_not(None), *cohort))]
    result["closure"] = [int(v) for v in db.session.scalars(
        select(_days(Complaint.closed_on, Complaint.received_on))
        .where(Complaint.closed_on.is_not(None), *cohort))]
    return {key: _lead_time(result[key]) for key in LEAD_TIMES}


def last_submissions(task: str, cohort: list):
    """A subquery of the id of the last submission of task per complaint of the cohort."""
    return (select(func.max(Submission.id).label("id"))
            .join(Complaint, Complaint.id == Submission.complaint_id)
            .where(Submission.task == task, *cohort).group_by(Submission.complaint_id).subquery())


def _satisfaction(cohort: list) -> dict:
    """Complaints with an offer call, those whose LAST offer call left the complainant satisfied, and those whose
    agreed offer was recorded as carried out (step 8: "handelt af wat met u is afgesproken")."""
    last = last_submissions("offer_call", cohort)
    satisfied = Submission.fields["complainant_satisfied"].as_boolean()
    called, yes = db.session.execute(
        select(func.count(Submission.id), func.sum(case((satisfied.is_(True), 1), else_=0)))
        .where(Submission.id.in_(select(last.c.id)))
    ).one()
    carried_out = db.session.scalar(
        select(func.count(func.distinct(Submission.complaint_id)))
        .join(Complaint, Complaint.id == Submission.complaint_id)
        .where(Submission.task == "record_offer_carried_out", *cohort)) or 0
    return {"called": called or 0, "satisfied": int(yes or 0), "share": _share(int(yes or 0), called or 0),
            "carried_out": carried_out}


def _signals(filters: Filters) -> dict:
    """Signals received in the period that are not official complaints, by kind (kept apart from the cohort).

    A filter on the commissioning client's kind does not apply to a signal, which has none: then none count.
    """
    conditions = _between(Signal.received_on, filters)
    if filters.category_id is not None:
        conditions.append(Signal.category_id == filters.category_id)
    if filters.coach:
        conditions.append(Signal.coach_username == filters.coach)
    counts = {} if filters.client_kind else dict(db.session.execute(
        select(Signal.kind, func.count(Signal.id)).where(*conditions).group_by(Signal.kind)).all())
    return {kind: counts.get(kind, 0) for kind in SIGNAL_KINDS}


def _escalations(cohort: list) -> dict:
    rows = dict(db.session.execute(
        select(Escalation.route, func.count(Escalation.id)).join(Complaint, Complaint.id == Escalation.complaint_id)
        .where(*cohort).group_by(Escalation.route)
    ).all())
    return {route: rows.get(route, 0) for route in ROUTES}


def _trend(filters: Filters) -> dict:
    """Received and closed per month and per quarter, each with the change in received against the bucket before.

    The bucket before the first one is counted too (from the quarter before date_from), so the first month or
    quarter of the period also has a change.
    """
    attributes = _attribute_conditions(filters)
    since = _previous_quarter_start(filters.date_from) if filters.date_from else None
    widened = Filters(since, filters.date_to)
    received_rows = db.session.execute(
        select(Complaint.received_on, func.count(Complaint.id))
        .where(*_between(Complaint.received_on, widened), *attributes).group_by(Complaint.received_on)
    ).all()
    closed_rows = db.session.execute(
        select(Complaint.closed_on, func.count(Complaint.id))
        .where(Complaint.closed_on.is_not(None), *_between(Complaint.closed_on, widened), *attributes)
        .group_by(Complaint.closed_on)
    ).all()
    days = [day for day, _ in received_rows + closed_rows]
    if not days and (filters.date_from is None or filters.date_to is None):
        return {"months": [], "quarters": []}
    first = filters.date_from or min(days)
    last = filters.date_to or max(days)
    result = {}
    for key, start_of, step, label, before in (
        ("months", _month_start, 1, month_label,
         lambda d: month_label(date(d.year - (d.month == 1), (d.month - 2) % 12 + 1, 1))),
        ("quarters", _quarter_start, 3, _quarter, lambda d: _quarter(_previous_quarter_start(d))),
    ):
        received: dict[str, int] = defaultdict(int)
        closed: dict[str, int] = defaultdict(int)
        for day, count in received_rows:
            received[label(day)] += count
        for day, count in closed_rows:
            closed[label(day)] += count
        labels = _buckets(first, last, start_of, step, label)
        previous = before(start_of(first)) if filters.date_from else None
        buckets = []
        for name in labels:
            prior = received.get(previous, 0) if previous is not None else None
            count = received.get(name, 0)
            change = None if prior is None else count - prior
            buckets.append({"period": name, "received": count, "closed": closed.get(name, 0), "change": change,
                            "change_pct": round(100 * change / prior, 1) if change is not None and prior else None})
            previous = name
        result[key] = buckets
    return result
