"""Pages of the periodic analysis: the annual complaints report (.docx) and the quarterly review (Dutch)."""

import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from service import clock
from service.analysis import annual_report, annual_reports, quarterly_reviews
from service.api.auth import current_user
from service.errors import Conflict, InvalidInput, NotFound
from service.web.common import ctx, page
from service.web.csrf import FIELD, check_csrf
from service.web.formatting import today

bp = Blueprint("reports", __name__)
bp.before_request(check_csrf)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR = 2000


def checked_year(year: int) -> int:
    """A year of the report: not before 2000 and not after this year (else 404)."""
    if not FIRST_YEAR <= year <= clock.local_date(clock.now()).year:
        raise NotFound("Voor dit jaar is geen jaarverslag te maken.")
    return year


@bp.get("/analyse/jaarverslag/<int:year>.docx")
@page("practice")  # exact figures: for the practice only (analysis/disclosure.py)
def annual_report_docx(year: int):
    """The annual complaints report of a year as a Word document: the draft as it is now, marked CONCEPT."""
    content = annual_reports.render_draft(checked_year(year), actor=current_user(), now=clock.now(), ctx=ctx())
    return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True,
                     download_name=annual_report.filename(year))


def _render(values: MultiDict, errors: dict, status: int = 200, message: str | None = None):
    reviews = quarterly_reviews.list_reviews()
    open_review = next((review for review in reviews if review.status == "open"), None)
    previous = quarterly_reviews.previous_review(open_review) if open_review else None
    this_year = today().year
    return render_template(
        "quarterly_reviews.html", reviews=reviews, open_review=open_review, previous=previous,
        waiting=quarterly_reviews.waiting_review(),
        form=ctx().forms.get(quarterly_reviews.TASK), values=values, errors=errors, message=message,
        today=today(), dashboard_link=quarterly_reviews.dashboard_link,
        may_complete=current_user().has_role(quarterly_reviews.ROLE),
        report_years=[this_year - 1, this_year],
    ), status


@bp.get("/analyse/kwartaal")
@page("practice", "process_owner")
def quarterly_review_page():
    """Every quarterly review; the open one with its form and the previous quarter's conclusions and actions."""
    return _render(MultiDict(), {})


@bp.post("/analyse/kwartaal/<quarter>")
@page("practice")
def complete_quarterly_review(quarter: str):
    """Record the conclusions and actions of a quarter's review (the task of kwartaalanalyse.bpmn)."""
    data = {key: request.form[key] for key in request.form if key != FIELD}
    try:
        quarterly_reviews.complete_review(quarter, data, actor=current_user(), now=clock.now(), ctx=ctx())
    except InvalidInput as err:
        return _render(request.form, err.errors, 422, err.message)
    except Conflict as err:
        flash(f"{err.message} Er is niets gewijzigd.", "error")
        return redirect(url_for("reports.quarterly_review_page"), code=303)
    flash(f"Kwartaalanalyse {quarter} vastgelegd.", "success")
    return redirect(url_for("reports.quarterly_review_page"), code=303)


# ---------------------------------------------------------------- the annual report: draft and final versions

REPORT_FIELDS = annual_reports.FIELDS
REPORT_LABELS = {"conclusions": "Conclusies en acties", "signed_by_name": "Naam", "signed_by_function": "Functie",
                 "place": "Plaats van vaststelling", "confirm": "Bevestiging"}
CONFIRM = "Bevestig dat u het concept heeft gecontroleerd: een definitieve versie kan niet meer worden gewijzigd."


def _report_page(year: int, *, values: dict | None = None, errors: dict | None = None, status: int = 200,
                 message: str | None = None):
    draft, finals, stored = annual_reports.overview(year, actor=current_user(), today=today())
    return render_template(
        "annual_report.html", year=year, draft=draft, finals=finals, values=values if values is not None else stored,
        errors=errors or {}, message=message, labels=REPORT_LABELS, year_ended=year < today().year,
        max_length=annual_reports.MAX_LENGTH,
    ), status


@bp.get("/analyse/jaarverslag/<int:year>")
@page("practice")
def annual_report_page(year: int):
    """The year's annual report: the draft's conclusions and signature fields, and the final versions."""
    return _report_page(year)


@bp.post("/analyse/jaarverslag/<int:year>")
@page("practice")
def save_annual_report(year: int):
    """Save the draft; then download it (action "download") or make it final (action "final")."""
    values = {name: request.form.get(name, "") for name in REPORT_FIELDS}
    action = request.form.get("action", "save")
    if action == "final" and request.form.get("confirm") != "ja":
        return _report_page(year, values=values, errors={"confirm": [CONFIRM]}, status=422,
                            message="Het jaarverslag is niet definitief gemaakt.")
    try:
        annual_reports.save_draft(year, values, actor=current_user(), now=clock.now())
    except InvalidInput as err:
        return _report_page(year, values=values, errors=err.errors, status=422, message=err.message)
    if action == "download":
        content = annual_reports.render_draft(year, actor=current_user(), now=clock.now(), ctx=ctx())
        return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True,
                         download_name=annual_report.filename(year))
    if action == "final":
        try:
            report = annual_reports.finalise(year, actor=current_user(), now=clock.now(), ctx=ctx())
        except Conflict as err:
            return _report_page(year, values=values, errors=err.errors, status=409,
                                message=f"{err.message} Het concept is wel opgeslagen.")
        flash(f"Versie {report.version} van het jaarverslag {year} is vastgesteld. Deze versie verandert niet meer.",
              "success")
    else:
        flash("Het concept is opgeslagen.", "success")
    return redirect(url_for("reports.annual_report_page", year=year), code=303)


@bp.get("/analyse/jaarverslag/<int:year>/versie-<int:number>.docx")
@page("practice")
def annual_report_version_docx(year: int, number: int):
    """A final version of the annual report, exactly as it was made final."""
    report = annual_reports.final_version(year, number, actor=current_user())
    return send_file(io.BytesIO(report.content), mimetype=DOCX, as_attachment=True,
                     download_name=annual_report.filename(year, number))
