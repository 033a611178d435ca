"""Tables of the quarterly complaints review (kwartaalanalyse); imported at the end of models.py."""

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from .extensions import UTCDateTime, db


class QuarterlyReview(db.Model):
    """One review per quarter: the practice analyses that quarter's complaints and records its conclusions.

    A review is created while its quarter runs (status "waiting"): its workflow waits on the timer start event
    of kwartaalanalyse.bpmn, whose due time is `next_due_at`. When the timer fires the task is "open"; when the
    practice records its analysis the review is "done".
    """

    __tablename__ = "quarterly_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    quarter: Mapped[str] = mapped_column(String(7))  # "2026-Q1"
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)  # the day the review opens (the start timer's due day)
    status: Mapped[str] = mapped_column(String(10), index=True)  # waiting, open, done
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # The kwartaalanalyse diagram it started on: it continues on that diagram even when the file changes.
    bpmn_xml: Mapped[str] = deferred(mapped_column(Text))
    workflow_state: Mapped[str] = deferred(mapped_column(Text))
    task_id: Mapped[str | None] = mapped_column(String(36))  # the open user task (SpiffWorkflow id)
    conclusions: Mapped[str | None] = mapped_column(Text)
    actions: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_by: Mapped[str | None] = mapped_column(String(80))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (UniqueConstraint("quarter", name="uq_quarterly_reviews_quarter"),)
    __mapper_args__ = {"version_id_col": version}
