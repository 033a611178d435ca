"""The server-rendered web pages for the people of the practice (Dutch), on the same domain functions."""

from flask import Blueprint

bp = Blueprint("web", __name__)

from service.web import (  # noqa: E402  (views register on bp)
    analysis_views,
    common,
    complaint_views,
    letter_views,
    people,
    practice_views,
    process_views,
    public_views,
    session_views,
    task_views,
    user_views,
    vendor,
)

__all__ = ["analysis_views", "bp", "common", "complaint_views", "letter_views", "people", "practice_views",
           "process_views", "public_views", "session_views", "task_views", "user_views", "vendor"]
