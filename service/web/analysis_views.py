"""Analyse (quality policy): the dashboard with its charts and tables, the CSV export, the category list,
and the classification form of the complaint file."""

from flask import flash, redirect, render_template, request, url_for

from service import analysis, clock
from service.api.auth import current_user
from service.api.http import analysis_csv_response, parse_filters, secret_bytes
from service.complaints import classification, signals
from service.errors import InvalidInput
from service.models import OUTCOMES
from service.web import bp
from service.web.charts import bar_chart, line_chart
from service.web.common import ctx, page, users_with_role
from service.web.formatting import DEADLINE_LABELS, OUTCOME_LABELS, ROUTE_LABELS, today
from service.web.intake import signal_payload

LEAD_TIME_LABELS = {"acknowledgement": "Tot ontvangstbevestiging", "resolution": "Tot oplossing",
                    "final_report": "Tot eindverslag", "closure": "Tot afsluiting"}
VERDICT_LABELS = {"recurred": "opnieuw een klacht", "no_recurrence": "geen herhaling",
                  "too_recent": "te kort geleden om te beoordelen",
                  "no_category": "niet te beoordelen (geen categorie)"}
FILTER_NAMES = ("year", "quarter", "from", "to", "category", "coach", "client_kind")


def _percent(share):
    return None if share is None else round(100 * share, 1)


def _charts(f: dict) -> dict:
    """Return the SVG charts of the figures (the tables beside them read the same figures)."""
    categories = [(row["name"] or "zonder categorie", row["count"]) for row in f["categories"]]
    trend = f["trend"]["months"]
    return {
        "outcomes": bar_chart("chart-outcomes", "Uitkomsten van de klachten",
                              [(OUTCOME_LABELS[o], f["outcomes"][o]) for o in OUTCOMES]
                              + [("nog niet bepaald", f["outcomes"]["none"])]),
        "categories": bar_chart("chart-categories", "Klachten per categorie", categories),
        "deadlines": bar_chart("chart-deadlines", "Termijnen op tijd gehaald (percentage)",
                               [(DEADLINE_LABELS[n], _percent(d["share"])) for n, d in f["deadlines"].items()],
                               unit="%", maximum=100),
        "lead_times": bar_chart("chart-lead-times", "Doorlooptijd vanaf ontvangst, mediaan in dagen",
                                [(LEAD_TIME_LABELS[n], t["median"]) for n, t in f["lead_times"].items()],
                                unit=" d"),
        "escalations": bar_chart("chart-escalations", "Escalaties per instantie",
                                 [(ROUTE_LABELS[r], v) for r, v in f["escalations"].items()]),
        "trend": line_chart("chart-trend", "Ontvangen en gesloten klachten per maand",
                            [b["period"] for b in trend],
                            [("ontvangen", [b["received"] for b in trend]),
                             ("gesloten", [b["closed"] for b in trend])]),
    }


@bp.get("/analyse")
@page("practice", "process_owner")
def analysis_page():
    """The quality analysis for a period (year, quarter or from/to) and filters, as charts with tables."""
    user = current_user()
    values = {name: (request.args.get(name) or "").strip() for name in FILTER_NAMES}
    errors, status = {}, 200
    try:
        filters = parse_filters(request.args, default_year=today().year)
    except InvalidInput as err:
        errors, status = err.errors, 422
        filters = parse_filters({}, default_year=today().year)
    exact = analysis.may_see_exact(user)
    shown = analysis.for_viewer(analysis.figures(filters, recurrence_months=ctx().recurrence_months), user)
    if not any(values.values()):
        values["year"] = str(filters.date_from.year)
    export_args = {k: v for k, v in values.items() if v}
    return render_template(
        "analysis.html", f=shown, filters=filters, values=values, errors=errors, exact=exact,
        charts=_charts(shown), categories=classification.list_categories(), coaches=users_with_role("coach"),
        percent=_percent, LEAD_TIME_LABELS=LEAD_TIME_LABELS, OUTCOMES=OUTCOMES, VERDICT_LABELS=VERDICT_LABELS,
        export_url=url_for("web.analysis_export", **export_args),
    ), status


@bp.get("/analyse/export.csv")
@page("practice")
def analysis_export():
    """The anonymised per-complaint figures of the period and filters as CSV."""
    filters = parse_filters(request.args, default_year=today().year)
    return analysis_csv_response(analysis.export_rows(filters, secret_bytes()))


# ---------------------------------------------------------------- categories


def _render_categories(errors: dict | None = None, status: int = 200, form: str | None = None,
                       value: str = ""):
    return render_template("categories.html", categories=classification.list_categories(), errors=errors or {},
                           form=form, value=value), status


@bp.get("/analyse/categorieen")
@page("practice")
def categories_page():
    """The practice's list of complaint categories: add, rename, deactivate."""
    return _render_categories()


@bp.post("/analyse/categorieen")
@page("practice")
def add_category():
    """Add a category."""
    name = request.form.get("name", "")
    try:
        category = classification.add_category(name, actor=current_user(), now=clock.now())
    except InvalidInput as err:
        return _render_categories(err.errors, 422, "new", name)
    flash(f"Categorie {category.name} is toegevoegd.", "success")
    return redirect(url_for("web.categories_page"), code=303)


@bp.post("/analyse/categorieen/<int:category_id>")
@page("practice")
def change_category(category_id: int):
    """Rename a category (field name) or switch it on or off (field active: ja/nee)."""
    name = request.form.get("name")
    active = {"ja": True, "nee": False}.get(request.form.get("active", ""))
    try:
        category = classification.change_category(category_id, name=name, active=active, actor=current_user(),
                                                   now=clock.now())
    except InvalidInput as err:
        return _render_categories(err.errors, 422, str(category_id), name or "")
    flash(f"Categorie {category.name} is bijgewerkt.", "success")
    return redirect(url_for("web.categories_page"), code=303)


# ---------------------------------------------------------------- classification on the complaint file


@bp.post("/klachten/<int:complaint_id>/indeling")
@page("practice")
def classify(complaint_id: int):
    """Set the category and outcome from the complaint file."""
    category = (request.form.get("category") or "").strip()
    outcome = (request.form.get("outcome") or "").strip()
    known = category.isdigit() and len(category) <= 9  # a longer number is no category (and no database integer)
    payload: dict = {"category": int(category) if known else None, "outcome": outcome or None}
    if category and not known:
        flash("Onbekende categorie.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)
    if outcome and outcome not in OUTCOMES:
        flash("Onbekende uitkomst.", "error")
        return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)
    try:
        classification.classify(complaint_id, payload, actor=current_user(), now=clock.now())
    except InvalidInput as err:
        flash(" ".join(m for messages in err.errors.values() for m in messages), "error")
        return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)
    flash("De indeling is opgeslagen.", "success")
    return redirect(url_for("web.complaint_file", complaint_id=complaint_id), code=303)



# ---------------------------------------------------------------- signals outside the regulation


def _render_signals(values, errors: dict, status: int = 200, message: str | None = None):
    return render_template(
        "signals.html", signals=signals.list_signals(), values=values, errors=errors, message=message,
        today=today(), coaches=[(u.username, u.display_name) for u in users_with_role("coach")],
        categories=[(str(c.id), c.name) for c in classification.list_categories(active_only=True)],
    ), status


@bp.get("/analyse/signalen")
@page("practice")
def signals_page():
    """Record and list informal signals and complaints resolved early (analysis only)."""
    return _render_signals({}, {})


@bp.post("/analyse/signalen")
@page("practice")
def record_signal():
    """Record a signal from the page; errors show the form again with the input kept."""
    try:
        signals.record_signal(signal_payload(request.form), actor=current_user(), now=clock.now())
    except InvalidInput as err:
        return _render_signals(request.form, err.errors, 422, err.message)
    flash("Het signaal is vastgelegd.", "success")
    return redirect(url_for("web.signals_page"), code=303)
