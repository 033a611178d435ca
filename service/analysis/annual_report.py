"""The annual complaints report (jaarverslag klachten): its context from the analysis figures, and the .docx.

`report_context(year)` turns `service.analysis.figures(from_date, to_date)` into the plain, Dutch-labelled dict
the template `letter_templates/jaarverslag_klachten.docx` reads; `render(year, ...)` adds the bar charts
(PNG, `charts.py`) and returns the Word document. No Flask here.
"""

import math
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from service import dutch, letters
from service.analysis import charts
from service.dutch import DEADLINE_LABELS, MONTHS, ROUTE_LABELS, nl_date
from service.extensions import db, transaction
from service.models import Complaint
from service.practice import settings as practice_settings

DOCUMENT = "jaarverslag_klachten"
OUTCOME_LABELS = {**dutch.OUTCOME_LABELS, "none": "nog niet bepaald"}  # "none": not yet classified
LEAD_TIME_LABELS = {
    "acknowledgement": "Ontvangst tot ontvangstbevestiging",
    "call_report": "Ontvangst tot verslag telefoongesprek",
    "final_report": "Ontvangst tot eindverslag",
    "resolution": "Ontvangst tot oplossing",
    "closure": "Ontvangst tot afsluiting",
}
UNCLASSIFIED = "niet ingedeeld"
EFFECT_LABELS = {True: "opnieuw een klacht", False: "geen herhaling", None: "niet te beoordelen (geen categorie)"}
BAR_CHARACTER = "■"
BAR_MAX = 40  # the longest text bar in the month table


# ---------------------------------------------------------------- the figures (adapter)
#
# ADAPTER: the figures come from service/analysis.py (figures in SQL, the dashboard /analyse). figures() turns
# its answer into the shape this report was written against; only this function knows analysis.py's keys:
#   {"received": int, "closed": int, "outcomes": {outcome: int},
#    "deadlines": {name: {"met": int, "total": int, "share": float | None}},
#    "lead_times": {name: {"median": float, "p90": float}}, "satisfied_share": float | None,
#    "preventive": [{"category", "measures", "recurred": bool | None}], "escalations": {route: int},
#    "per_category": [{"category", "received", "founded", "unfounded"}],
#    "by_month": [{"month": "2026-01", "received": int}]}

@transaction  # a read only: the commit ends the transaction (on SQLite it holds the write lock)
def figures(from_date: date, to_date: date) -> dict:
    """Return the figures of a period (dates inclusive) in the report's shape, from service.analysis."""
    from service import analysis

    data = analysis.figures(analysis.Filters(from_date, to_date))
    in_period = (Complaint.received_on >= from_date, Complaint.received_on <= to_date)
    per_outcome: dict[int | None, Counter] = {}
    for category_id, outcome, count in db.session.execute(
            select(Complaint.category_id, Complaint.outcome, func.count(Complaint.id)).where(*in_period)
            .group_by(Complaint.category_id, Complaint.outcome)):
        per_outcome.setdefault(category_id, Counter())[outcome] += count
    measures: dict[int | None, list[str]] = {}
    for complaint in db.session.scalars(select(Complaint).where(*in_period)):
        recorded = complaint.data or {}
        if recorded.get("measures_needed") and recorded.get("measures"):
            measures.setdefault(complaint.category_id, []).append(str(recorded["measures"]))
    per_category = []
    for row in data.get("categories") or []:
        if not row.get("count"):
            continue
        outcomes = per_outcome.get(row.get("category_id"), Counter())
        per_category.append({"category": row.get("name") or UNCLASSIFIED, "received": row["count"],
                             "founded": outcomes["founded"] + outcomes["partly_founded"],
                             "unfounded": outcomes["unfounded"]})
    preventive = []
    for row in (data.get("preventive_measures") or {}).get("per_category") or []:
        texts = measures.get(row.get("category_id")) or [f"{row.get('measures', 0)} maatregel(en) vastgelegd"]
        preventive += [{"category": row.get("name") or UNCLASSIFIED, "measures": text, "recurred": row.get("recurred")}
                       for text in texts]
    return {
        "received": data.get("received", 0),
        "closed": data.get("closed", 0),
        "outcomes": {key: count for key, count in (data.get("outcomes") or {}).items() if count},
        "deadlines": {name: {"met": entry.get("on_time", 0), "total": entry.get("decided", 0),
                             "share": entry.get("share")}
                      for name, entry in (data.get("deadlines") or {}).items()},
        "lead_times": {name: {"median": entry.get("median"), "p90": entry.get("p90")}
                       for name, entry in (data.get("lead_times") or {}).items() if entry.get("count")},
        "satisfied_share": (data.get("satisfaction") or {}).get("share"),
        "preventive": preventive,
        "escalations": dict(data.get("escalations") or {}),
        "per_category": per_category,
        "by_month": [{"month": row["period"], "received": row["received"]}
                     for row in (data.get("trend") or {}).get("months") or []],
    }


# ---------------------------------------------------------------- the report's context


def _share(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",")


def _month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def report_context(year: int, *, made_on: date | None = None) -> dict:
    """Return the plain dict the annual report's template reads (Dutch labels, formatted numbers)."""
    from_date, to_date = date(year, 1, 1), date(year, 12, 31)
    data = figures(from_date, to_date)
    by_month = [{"month": row["month"], "label": _month_label(row["month"]), "received": int(row["received"])}
                for row in data.get("by_month") or []]
    most = max([row["received"] for row in by_month] + [1])
    for row in by_month:
        row["bar"] = BAR_CHARACTER * math.ceil(BAR_MAX * row["received"] / most) if row["received"] else ""
    escalations = {route: int(count) for route, count in (data.get("escalations") or {}).items() if count}
    return {
        "report": {
            "year": year,
            "period": f"{nl_date(from_date)} tot en met {nl_date(to_date)}",
            "made_on": nl_date(made_on or date.today()),
            "note": "",
        },
        "summary": {
            "received": int(data.get("received") or 0),
            "closed": int(data.get("closed") or 0),
            "satisfied_share_label": _share(data.get("satisfied_share")),
            "escalated": sum(escalations.values()),
        },
        "outcomes": [{"outcome": key, "label": OUTCOME_LABELS.get(key, key.replace("_", " ")), "count": int(count)}
                     for key, count in (data.get("outcomes") or {}).items() if count],
        "deadlines": [{"name": name, "label": DEADLINE_LABELS.get(name, name), "met": int(entry.get("met", 0)),
                       "total": int(entry.get("total", 0)), "share_label": _share(entry.get("share"))}
                      for name, entry in (data.get("deadlines") or {}).items() if entry.get("total")],
        "lead_times": [{"name": name, "label": LEAD_TIME_LABELS.get(name, name),
                        "median_label": _days(entry.get("median")), "p90_label": _days(entry.get("p90"))}
                       for name, entry in (data.get("lead_times") or {}).items() if entry],
        "by_month": by_month,
        "per_category": [{"category": str(row.get("category") or UNCLASSIFIED),
                          "received": int(row.get("received") or 0), "founded": int(row.get("founded") or 0),
                          "unfounded": int(row.get("unfounded") or 0)}
                         for row in data.get("per_category") or []],
        "preventive": [{"category": str(row.get("category") or UNCLASSIFIED), "measures": row.get("measures", ""),
                        "recurred": row.get("recurred"),
                        "effect": EFFECT_LABELS[row.get("recurred")]}
                       for row in data.get("preventive") or []],
        "escalations": [{"route": route, "label": ROUTE_LABELS.get(route, route), "count": count}
                        for route, count in escalations.items()],
    }


def report_charts(context: dict) -> dict[str, bytes]:
    """Return the report's bar charts as PNG: received per month, and received per category (table order)."""
    months = context["by_month"]
    return {
        "by_month": charts.bar_chart_png([row["received"] for row in months],
                                         [str(int(row["month"][5:])) for row in months]),
        "per_category": charts.bar_chart_png([row["received"] for row in context["per_category"]]),
    }


def render(year: int, *, templates_dir: str | Path, made_on: date | None = None) -> bytes:
    """Return the annual complaints report of a year as a .docx (with the practice's letterhead once filled in)."""
    context = report_context(year, made_on=made_on)
    own = practice_settings.letterhead()
    if own is not None:
        context = {**context, "practice": own.details}
    return letters.render_document(DOCUMENT, context, templates_dir=templates_dir, images=report_charts(context),
                                   logo=own.logo if own is not None else None)


def filename(year: int) -> str:
    return f"jaarverslag-klachten-{year}.docx"
