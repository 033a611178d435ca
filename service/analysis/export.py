"""The anonymised per-complaint export of the analysis (CSV rows)."""

import hashlib
import hmac
from collections import defaultdict

from sqlalchemy import select

from service.analysis.figures import DEADLINES, Filters, cohort_conditions, last_submissions, month_label
from service.extensions import db
from service.models import Category, Complaint, Deadline, Escalation, Submission

EXPORT_COLUMNS = (
    "reference_hash", "month_received", "category", "coach", "client_kind", "outcome",
    "days_to_acknowledgement", "days_to_resolution", "days_to_final_report",
    *(f"deadline_{name}_met" for name in DEADLINES), "satisfied", "escalation_routes",
)


def pseudonym(secret: bytes, kind: str, value: str, length: int = 12) -> str:
    """Return a keyed hash of value: stable for one secret key, not reversible by trying every reference."""
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:length]


def export_rows(filters: Filters, secret: bytes) -> list[dict]:
    """Return one anonymised row per complaint of the cohort (EXPORT_COLUMNS): no reference, name or username."""
    cohort = cohort_conditions(filters)
    complaints = db.session.execute(
        select(Complaint.id, Complaint.reference, Complaint.received_on, Category.name, Complaint.coach_username,
               Complaint.commissioning_client_kind, Complaint.outcome, Complaint.resolved_on)
        .outerjoin(Category, Category.id == Complaint.category_id).where(*cohort)
        .order_by(Complaint.received_on, Complaint.id)
    ).all()
    deadlines: dict[int, dict] = defaultdict(dict)
    for complaint_id, name, due_on, met_on, overdue in db.session.execute(
        select(Deadline.complaint_id, Deadline.name, Deadline.due_on, Deadline.met_on, Deadline.overdue)
        .join(Complaint, Complaint.id == Deadline.complaint_id).where(*cohort)
    ):
        deadlines[complaint_id][name] = (due_on, met_on, overdue)
    last = last_submissions("offer_call", cohort)
    satisfied = dict(db.session.execute(
        select(Submission.complaint_id, Submission.fields["complainant_satisfied"].as_boolean())
        .where(Submission.id.in_(select(last.c.id)))
    ).all())
    routes: dict[int, list[str]] = defaultdict(list)
    for complaint_id, route in db.session.execute(
        select(Escalation.complaint_id, Escalation.route).join(Complaint, Complaint.id == Escalation.complaint_id)
        .where(*cohort).order_by(Escalation.id)
    ):
        routes[complaint_id].append(route)
    rows = []
    for cid, reference, received_on, category, coach, kind, outcome, resolved_on in complaints:
        own = deadlines.get(cid, {})

        def met_day(name, own=own):
            return own[name][1] if name in own else None

        def met(name, own=own):
            if name not in own:
                return ""
            due_on, met_on, overdue = own[name]
            if met_on is not None and met_on <= due_on and not overdue:
                return "y"
            return "n" if met_on is not None or overdue else ""

        def days(day, received_on=received_on):
            return "" if day is None else (day - received_on).days

        answer = satisfied.get(cid)
        rows.append({
            "reference_hash": pseudonym(secret, "reference", reference, 16),
            "month_received": month_label(received_on),
            "category": category or "",
            "coach": "coach-" + pseudonym(secret, "coach", coach, 8),
            "client_kind": kind,
            "outcome": outcome or "",
            "days_to_acknowledgement": days(met_day("acknowledgement")),
            "days_to_resolution": days(resolved_on),
            "days_to_final_report": days(met_day("final_report")),
            **{f"deadline_{name}_met": met(name) for name in DEADLINES},
            "satisfied": "" if answer is None else ("y" if answer else "n"),
            "escalation_routes": ";".join(routes.get(cid, [])),
        })
    return rows
