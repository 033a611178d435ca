"""Analysis for the quality policy (regulation step 8): figures over a period, computed in SQL.

Every figure is a query over the tables (complaints, deadlines, submissions, escalations, categories); no
workflow is ever loaded. Functions return plain dicts and lists; nothing here imports Flask.

The cohort of a period is the complaints RECEIVED in it (received_on from..to, both included) that pass the
filters (category, coach, kind of commissioning client). Every figure is about that cohort, except `closed`
and the closed counts of the trend, which count the complaints (passing the filters) CLOSED in the period."""

import bisect
import math
import statistics
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, func, select

from service import clock
from service.extensions import db
from service.models import OUTCOMES, SIGNAL_KINDS, Category, Complaint, Deadline, Escalation, Signal, Submission

DEADLINES = ("acknowledgement", "unfounded_notice", "call_report", "final_report")
ROUTES = ("commissioning_client", "ombudsman", "data_protection_authority")
CLIENT_KINDS = ("employer", "uwv", "municipality", "none")
LEAD_TIMES = ("acknowledgement", "resolution", "final_report")
SMALL = 5  # counts from 1 to SMALL - 1 may identify a person: shown as "<5" outside the practice
SUPPRESSED = "<5"


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


def _local_day(moment: datetime) -> date:
    return clock.local_date(moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC))


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


def figures(filters: Filters) -> dict:
    """Return every figure of the dashboard for the period and filters (exact counts)."""
    cohort = cohort_conditions(filters)
    received = db.session.scalar(select(func.count(Complaint.id)).where(*cohort)) or 0
    closed = db.session.scalar(select(func.count(Complaint.id)).where(
        Complaint.closed_on.is_not(None), *_between(Complaint.closed_on, filters),
        *_attribute_conditions(filters))) or 0
    return {
        "period": {"from": filters.date_from, "to": filters.date_to},
        "filters": filters.as_dict(),
        "received": received,
        "closed": closed,
        "categories": _by_category(cohort),
        "outcomes": _outcomes(cohort),
        "deadlines": _deadlines(cohort),
        "lead_times": _lead_times(cohort),
        "satisfaction": _satisfaction(cohort),
        "preventive_measures": _preventive_measures(cohort),
        "escalations": _escalations(cohort),
        "signals": _signals(filters),
        "trend": _trend(filters),
    }


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
    """Days from receipt to the acknowledgement met, to resolution (resolved_on), to the final report met."""
    result = {}
    for key, name in (("acknowledgement", "acknowledgement"), ("final_report", "final_report")):
        result[key] = [int(v) for v in db.session.scalars(
            select(_days(Deadline.met_on, Complaint.received_on))
            .join(Complaint, Complaint.id == Deadline.complaint_id)
            .where(Deadline.name == name, Deadline.met_on.is_not(None), *cohort))]
    result["resolution"] = [int(v) for v in db.session.scalars(
        select(_days(Complaint.resolved_on, Complaint.received_on))
        .where(Complaint.resolved_on.is_not(None), *cohort))]
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


def _preventive_measures(cohort: list) -> dict:
    """Preventive measures recorded for the cohort and, per category, whether complaints recurred after them.

    A measure counts when the last record_preventive_measures of a complaint says measures_needed. A category
    recurred when a complaint in it (any complaint, whatever the period and filters) was received after the
    day its latest measure was recorded; `complaints_after` counts those complaints.
    """
    last = last_submissions("record_preventive_measures", cohort)
    needed = Submission.fields["measures_needed"].as_boolean()
    rows = db.session.execute(
        select(Complaint.category_id, Submission.submitted_at)
        .join(Complaint, Complaint.id == Submission.complaint_id)
        .where(Submission.id.in_(select(last.c.id)), needed.is_(True))
    ).all()
    latest: dict[int | None, date] = {}
    counts: dict[int | None, int] = defaultdict(int)
    for category_id, submitted_at in rows:
        day = _local_day(submitted_at)
        counts[category_id] += 1
        latest[category_id] = max(latest.get(category_id, day), day)
    known = [c for c in latest if c is not None]
    received: dict[int, list[date]] = defaultdict(list)
    if known:
        for category_id, day in db.session.execute(
            select(Complaint.category_id, Complaint.received_on).where(Complaint.category_id.in_(known))
        ):
            received[category_id].append(day)
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    per_category = []
    for category_id in sorted(latest, key=lambda c: (c is None, names.get(c, ""))):
        after = None
        if category_id is not None:
            days = sorted(received[category_id])
            after = len(days) - bisect.bisect_right(days, latest[category_id])
        per_category.append({"category_id": category_id, "name": names.get(category_id),
                             "measures": counts[category_id], "last_recorded_on": latest[category_id],
                             "complaints_after": after, "recurred": None if after is None else after > 0})
    return {"recorded": len(rows), "per_category": per_category}


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


# ---------------------------------------------------------------- small counts


def _count(value):
    return SUPPRESSED if isinstance(value, int) and 0 < value < SMALL else value


def suppress(figures: dict) -> dict:
    """Return figures for someone outside the practice: counts 1-4 as "<5"; shares, medians and percentiles
    over fewer than 5 complaints as None (they would give the small count away)."""
    out = dict(figures)
    out["received"] = _count(figures["received"])
    out["closed"] = _count(figures["closed"])
    out["categories"] = [{**row, "count": _count(row["count"])} for row in figures["categories"]]
    out["outcomes"] = {key: _count(value) for key, value in figures["outcomes"].items()}
    out["deadlines"] = {
        name: {"decided": _count(d["decided"]), "on_time": _count(d["on_time"]),
               "share": d["share"] if d["decided"] >= SMALL else None}
        for name, d in figures["deadlines"].items()}
    out["lead_times"] = {
        name: {"count": _count(t["count"]), "median": t["median"] if t["count"] >= SMALL else None,
               "p90": t["p90"] if t["count"] >= SMALL else None}
        for name, t in figures["lead_times"].items()}
    s = figures["satisfaction"]
    out["satisfaction"] = {"called": _count(s["called"]), "satisfied": _count(s["satisfied"]),
                           "carried_out": _count(s["carried_out"]),
                           "share": s["share"] if s["called"] >= SMALL else None}
    p = figures["preventive_measures"]
    out["preventive_measures"] = {
        "recorded": _count(p["recorded"]),
        "per_category": [{**row, "measures": _count(row["measures"]),
                          "complaints_after": _count(row["complaints_after"])} for row in p["per_category"]]}
    out["escalations"] = {route: _count(value) for route, value in figures["escalations"].items()}
    out["signals"] = {kind: _count(value) for kind, value in figures["signals"].items()}
    out["trend"] = {key: [{**b, "received": _count(b["received"]), "closed": _count(b["closed"]),
                           "change": b["change"] if b["change"] is None or _count(b["received"]) == b["received"]
                           else None, "change_pct": b["change_pct"] if _count(b["received"]) == b["received"]
                           else None}
                          for b in buckets] for key, buckets in figures["trend"].items()}
    return out
