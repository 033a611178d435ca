"""The annual complaints report (jaarverslag klachten): its context from the analysis figures, and the .docx.

`report_context(year, ...)` turns `analysis.figures` of the year and of the year before into the plain,
Dutch-labelled dict the template `letter_templates/jaarverslag_klachten.docx` reads (text in
`letter_templates/factory/report.py`); `render(year, ...)` adds the bar charts (PNG, `charts.py`) and returns the
Word document. What the practice writes in it (conclusions, who fixes it, where and when) comes in as a
`Statement`; `annual_reports.py` keeps drafts and final versions. No Flask here.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from service import letters
from service.analysis import charts
from service.analysis.figures import DEADLINES, LEAD_TIMES, ROUTES, Filters, figures
from service.dutch import DEADLINE_LABELS, MONTHS, ROUTE_LABELS, nl_date
from service.practice import settings as practice_settings

DOCUMENT = "jaarverslag_klachten"
UNCLASSIFIED = "niet ingedeeld"
OUTCOME_LABELS = {
    "founded": "Gegrond",
    "partly_founded": "Deels gegrond",
    "unfounded": "Ongegrond",
    "not_taken_into_handling": "Niet in behandeling genomen",
    "resolved_early": "Vroegtijdig opgelost",
    "withdrawn": "Ingetrokken",
    "none": "Nog geen uitkomst vastgelegd",
}
REPORT_DEADLINE_LABELS = {**DEADLINE_LABELS, "unfounded_notice": "Bericht ongegrond of niet in behandeling"}
LEAD_TIME_LABELS = {
    "acknowledgement": "ontvangstbevestiging",
    "resolution": "oplossing",
    "final_report": "eindverslag",
    "closure": "afsluiting",
}
MONTH_SHORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
NO_VALUE = "—"
# What a draft shows where the final version has the practice's own words.
OPEN_PLACE, OPEN_DATE = "……………………", "(datum van vaststelling)"
OPEN_NAME, OPEN_FUNCTION = "(naam)", "(functie)"


@dataclass(frozen=True)
class Statement:
    """What the practice writes in the report: its conclusions, and who fixes it, where and when.

    fixed_on None: a draft (the document says CONCEPT); version: the number of a final version.
    """

    conclusions: str = ""
    signed_by_name: str = ""
    signed_by_function: str = ""
    place: str = ""
    fixed_on: date | None = None
    version: int | None = None

    @property
    def final(self) -> bool:
        return self.fixed_on is not None


# ---------------------------------------------------------------- formatting


def _share(value: float | None) -> str:
    return NO_VALUE if value is None else f"{round(value * 100)}%"


def _days(value: float | None) -> str:
    if value is None:
        return NO_VALUE
    return (f"{value:.1f}".rstrip("0").rstrip(".")).replace(".", ",")


def _part(part: int, whole: int) -> str:
    """"12 van 14 (86%)", or a dash when there is nothing to count."""
    return f"{part} van {whole} ({_share(part / whole)})" if whole else NO_VALUE


def paragraphs(text: str) -> list[str]:
    """Return the non-empty lines of a text: each becomes a paragraph of the report."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---------------------------------------------------------------- the figures


def year_figures(year: int, *, recurrence_months: int = 3) -> tuple[dict, dict]:
    """Return the figures of a calendar year and of the year before (analysis.figures, exact counts).

    Not a transaction of its own: the caller's (annual_reports.py) holds it, so a final version is rendered
    under the lock of its draft."""
    return tuple(figures(Filters(date(y, 1, 1), date(y, 12, 31)), recurrence_months=recurrence_months)
                 for y in (year, year - 1))


def _deadlines_met(data: dict) -> tuple[int, int]:
    entries = [data["deadlines"][name] for name in DEADLINES]
    return sum(entry["on_time"] for entry in entries), sum(entry["decided"] for entry in entries)


def _satisfied(data: dict) -> str:
    satisfaction = data["satisfaction"]
    if not satisfaction["called"]:
        return NO_VALUE
    return f"{_share(satisfaction['share'])} ({satisfaction['satisfied']} van {satisfaction['called']})"


def _comparison(current: dict, previous: dict) -> list[dict]:
    """The key figures of both years side by side, each on the basis the report defines."""
    as_of = current["as_of"]
    end = "31 december" if (as_of.month, as_of.day) == (12, 31) else \
        f"31 december; {as_of.year}: {as_of.day} {MONTHS[as_of.month - 1]}"  # a year that has not ended yet
    rows = [
        ("Ontvangen klachten", lambda d: d["received"]),
        (f"Afgesloten (uiterlijk {end})", lambda d: d["closed_of_cohort"]),
        ("Gegrond", lambda d: d["outcomes"]["founded"]),
        ("Deels gegrond", lambda d: d["outcomes"]["partly_founded"]),
        ("Ongegrond", lambda d: d["outcomes"]["unfounded"]),
        ("Niet in behandeling genomen", lambda d: d["outcomes"]["not_taken_into_handling"]),
        ("Termijnen gehaald (alle termijnen)", lambda d: _part(*_deadlines_met(d))),
        ("Mediane doorlooptijd tot afsluiting (dagen)", lambda d: _days(d["lead_times"]["closure"]["median"])),
        ("Voorgelegd aan een externe instantie (klachten)", lambda d: d["escalated_complaints"]),
        ("Tevreden na het telefoongesprek over de oplossing", _satisfied),
        (f"Open op {end}", lambda d: d["open_at_end"]["count"]),
    ]
    return [{"label": label, "previous": str(value(previous)), "current": str(value(current))}
            for label, value in rows]


def _verdict(measure: dict) -> str:
    verdict = measure["verdict"]
    if verdict == "recurred":
        return f"opnieuw een klacht in deze categorie na deze maatregel ({measure['complaints_after']})"
    if verdict == "no_recurrence":
        return f"geen herhaling sinds {nl_date(measure['recorded_on'])}"
    if verdict == "too_recent":
        return f"te kort geleden om te beoordelen (pas vanaf {nl_date(measure['judged_from'])})"
    return "geen categorie"


# ---------------------------------------------------------------- the report's context


def report_context(year: int, *, made_on: date, statement: Statement | None = None,
                   recurrence_months: int = 3) -> dict:
    """Return the plain dict the annual report's template reads (Dutch labels, formatted numbers)."""
    statement = statement or Statement()
    data, before = year_figures(year, recurrence_months=recurrence_months)
    months = [row["received"] for row in data["trend"]["months"]]
    open_at_end = data["open_at_end"]
    text = paragraphs(statement.conclusions)
    if statement.final:
        status_line = f"versie {statement.version}, vastgesteld op {nl_date(statement.fixed_on)}"
        footer_mark = f"  ·  versie {statement.version}"
    else:
        status_line = f"concept, opgemaakt op {nl_date(made_on)}"
        footer_mark = "  ·  CONCEPT"
    return {
        "report": {
            "year": year,
            "previous_year": year - 1,
            "period": f"{nl_date(date(year, 1, 1))} tot en met {nl_date(date(year, 12, 31))}",
            "as_of": nl_date(data["as_of"]),
            "made_on": nl_date(statement.fixed_on or made_on),
            "draft": not statement.final,
            "version": statement.version,
            "status_line": status_line,
            "footer_mark": footer_mark,
            "recurrence_months": recurrence_months,
        },
        "summary": {
            "received": data["received"],
            "closed_of_cohort": data["closed_of_cohort"],
            "closed_from_earlier": data["closed_from_earlier"],
            "open_at_end": {"count": open_at_end["count"], "median_label": _days(open_at_end["median_age_days"]),
                            "oldest_label": _days(open_at_end["oldest_age_days"])},
            "extensions": {"complaints": data["extensions"]["complaints"], "count": data["extensions"]["count"]},
            "escalated_complaints": data["escalated_complaints"],
            "satisfied_label": _satisfied(data),
        },
        "comparison": _comparison(data, before),
        "outcomes": [{"outcome": key, "label": label, "count": data["outcomes"].get(key, 0)}
                     for key, label in OUTCOME_LABELS.items()] if data["received"] else [],
        "deadlines": [{"name": name, "label": REPORT_DEADLINE_LABELS.get(name, name),
                       "decided": data["deadlines"][name]["decided"], "on_time": data["deadlines"][name]["on_time"],
                       "share_label": _share(data["deadlines"][name]["share"])}
                      for name in DEADLINES if data["deadlines"][name]["decided"]],
        "lead_times": [{"name": name, "label": LEAD_TIME_LABELS.get(name, name),
                        "count": data["lead_times"][name]["count"],
                        "median_label": _days(data["lead_times"][name]["median"]),
                        "p90_label": _days(data["lead_times"][name]["p90"])}
                       for name in LEAD_TIMES if data["lead_times"][name]["count"]],
        "by_month": [{"month": row["period"], "label": f"{MONTHS[int(row['period'][5:]) - 1]} {year}",
                      "short": MONTH_SHORT[int(row["period"][5:]) - 1], "received": row["received"]}
                     for row in data["trend"]["months"]],
        "month_table": [{"label": "Ontvangen", "months": months, "total": sum(months)}],
        "per_category": [{"category": row["name"] or UNCLASSIFIED, "received": row["received"],
                          "founded": row["founded"], "partly_founded": row["partly_founded"],
                          "unfounded": row["unfounded"], "not_taken_into_handling": row["not_taken_into_handling"],
                          "other": row["other"]}
                         for row in data["by_category_outcome"]],
        "measures": [{"recorded_on": nl_date(measure["recorded_on"]), "reference": measure["reference"],
                      "category": measure["name"] or UNCLASSIFIED, "text": measure["text"] or NO_VALUE,
                      "verdict": measure["verdict"], "verdict_label": _verdict(measure)}
                     for measure in data["preventive_measures"]["measures"]],
        "escalations": [{"route": route, "label": ROUTE_LABELS.get(route, route), "count": data["escalations"][route]}
                        for route in ROUTES],
        "conclusions": {"paragraphs": text[:-1], "last": text[-1] if text else ""},
        "signature": {
            "place": statement.place or OPEN_PLACE,
            "date": nl_date(statement.fixed_on) if statement.final else OPEN_DATE,
            "name": statement.signed_by_name or OPEN_NAME,
            "function": statement.signed_by_function or OPEN_FUNCTION,
        },
    }


def report_charts(context: dict) -> dict[str, bytes]:
    """Return the report's bar charts as PNG: received per month, and received per category (table order)."""
    months = context["by_month"]
    result = {"by_month": charts.bar_chart_png([row["received"] for row in months],
                                               [row["short"] for row in months])}
    if context["per_category"]:
        result["per_category"] = charts.horizontal_bar_chart_png(
            [row["received"] for row in context["per_category"]], [row["category"] for row in context["per_category"]])
    return result


def render(year: int, *, templates_dir: str | Path, made_on: date, statement: Statement | None = None,
           recurrence_months: int = 3) -> bytes:
    """Return the annual complaints report of a year as a .docx (with the practice's letterhead once filled in).

    Without a final statement the document is a draft: it says CONCEPT at the top and in every footer."""
    context = report_context(year, made_on=made_on, statement=statement, recurrence_months=recurrence_months)
    own = practice_settings.letterhead()
    if own is not None:
        context = {**context, "practice": own.details}
    return letters.render_document(DOCUMENT, context, templates_dir=templates_dir, images=report_charts(context),
                                   logo=own.logo if own is not None else None)


def filename(year: int, version: int | None = None) -> str:
    """Return the download name: the draft's, or a final version's."""
    return f"jaarverslag-klachten-{year}-" + (f"versie-{version}.docx" if version else "concept.docx")
