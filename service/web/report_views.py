"""Pages of the periodic analysis: the annual complaints report (.docx) and the quarterly review (Dutch)."""

import io

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from service import clock
from service.analysis import annual_report, quarterly_reviews
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
    """The annual complaints report of a year as a Word document."""
    content = annual_report.render(checked_year(year), templates_dir=current_app.config["LETTER_TEMPLATES_DIR"],
                                   made_on=today())
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
