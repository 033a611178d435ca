"""JSON API of the quarterly complaints review (kwartaalanalyse): list, read, and record a quarter's analysis."""

from apispec import APISpec
from flask import Blueprint, current_app

from service import clock
from service.analysis import quarterly_reviews
from service.api.auth import current_user, login_required
from service.api.http import json_body
from service.api.schemas import QuarterlyReviewDetailOut, QuarterlyReviewOut, QuarterlyReviewsOut
from service.errors import BadRequest
from service.models import QuarterlyReview

bp = Blueprint("review_api", __name__, url_prefix="/api/quarterly-reviews")


def review_dict(review: QuarterlyReview | None) -> dict | None:
    """The review as the API shows it (QuarterlyReviewOut)."""
    if review is None:
        return None
    return {
        "quarter": review.quarter, "period_from": review.period_from, "period_to": review.period_to,
        "status": review.status, "opens_at": review.next_due_at if review.status == "waiting" else None,
        "opened_on": None if review.status == "waiting" else review.due_on,
        "conclusions": review.conclusions, "actions": review.actions, "completed_by": review.completed_by,
        "completed_at": review.completed_at, "dashboard": quarterly_reviews.dashboard_link(review),
    }


def _detail(review: QuarterlyReview) -> dict:
    previous = quarterly_reviews.previous_review(review) if review.status != "waiting" else None
    return QuarterlyReviewDetailOut().dump({**review_dict(review), "previous": review_dict(previous)})


@bp.get("")
@login_required(*quarterly_reviews.VIEW_ROLES)
def list_reviews():
    """Every opened review, newest first, and the one waiting for its quarter to end."""
    return QuarterlyReviewsOut().dump({
        "reviews": [review_dict(review) for review in quarterly_reviews.list_reviews()],
        "waiting": review_dict(quarterly_reviews.waiting_review()),
    })


@bp.get("/<quarter>")
@login_required(*quarterly_reviews.VIEW_ROLES)
def get_review(quarter: str):
    """One quarter's review ("2026-Q1") with the previous quarter's conclusions and actions."""
    return _detail(quarterly_reviews.get_review(quarter))


@bp.post("/<quarter>")
@login_required(quarterly_reviews.ROLE)
def complete_review(quarter: str):
    """Record the quarter's conclusions and actions (the fields of forms/analyse_complaints.json)."""
    body = json_body()
    if not isinstance(body, dict):
        raise BadRequest("Stuur een JSON-object.")
    review = quarterly_reviews.complete_review(quarter, body, actor=current_user(), now=clock.now(),
                                               ctx=current_app.extensions["klachten"])
    return _detail(review)


def describe(spec: APISpec, errors, answer) -> None:
    """Add this module's paths to the OpenAPI document (errors, answer: openapi._errors, openapi._answer)."""
    for name, schema in (("QuarterlyReview", QuarterlyReviewOut), ("QuarterlyReviewDetail", QuarterlyReviewDetailOut),
                         ("QuarterlyReviews", QuarterlyReviewsOut)):
        spec.components.schema(name, schema=schema)
    quarter = {"name": "quarter", "in": "path", "required": True,
               "schema": {"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$"}}
    spec.path("/api/quarterly-reviews", operations={"get": {
        "summary": "The quarterly reviews: every opened one, newest first, and the one waiting for its quarter",
        "responses": {"200": answer("Reviews", "QuarterlyReviews"), **errors(401, 403)}}})
    spec.path("/api/quarterly-reviews/{quarter}", operations={
        "get": {"summary": "One quarter's review with the previous quarter's conclusions and actions",
                "parameters": [quarter],
                "responses": {"200": answer("The review", "QuarterlyReviewDetail"), **errors(401, 403, 404)}},
        "post": {"summary": "Record the open review's conclusions and actions (practice)", "parameters": [quarter],
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "required": ["conclusions", "actions"],
                     "properties": {"conclusions": {"type": "string"}, "actions": {"type": "string"}}}}}},
                 "responses": {"200": answer("The completed review", "QuarterlyReviewDetail"),
                               **errors(400, 401, 403, 404, 409, 422)}}})
