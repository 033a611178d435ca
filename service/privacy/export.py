"""The complainant's export (AVG art. 15 and 20): everything stored about them in one complaint, as plain JSON."""

import base64
from datetime import date, datetime

from sqlalchemy import inspect, select

from service.complaints.access import get_complaint
from service.context import Context
from service.errors import Forbidden
from service.extensions import db, transaction
from service.models import Submission, User
from service.privacy.access_log import access_entries, log_access
from service.privacy.retention import attachment_content

# The engine's own state repeats the submissions' fields (exported as such); the row version is bookkeeping.
LEFT_OUT = frozenset({"workflow_state", "version"})


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _columns(row, *, leave_out=frozenset()) -> dict:
    """Return every stored column of a row (bytes excepted) as JSON-ready values."""
    return {attr.key: _plain(getattr(row, attr.key)) for attr in inspect(row).mapper.column_attrs
            if attr.key not in leave_out and attr.key != "content"}


@transaction
def export_complaint(complaint_id: int, *, actor: User, now: datetime, ctx: Context) -> dict:
    """Return the complaint's whole record for the complainant, and log the export (practice only)."""
    complaint = get_complaint(complaint_id, actor)
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan alle gegevens van een klacht exporteren.")
    submissions = db.session.scalars(select(Submission).where(Submission.complaint_id == complaint.id)
                                     .order_by(Submission.submitted_at, Submission.id))
    export = {
        "exported_at": now.isoformat(),
        "exported_by": actor.username,
        "complaint": _columns(complaint, leave_out=LEFT_OUT),
        "category": complaint.category.name if complaint.category is not None else None,
        "submissions": [_columns(row) for row in submissions],
        "history": [_columns(row) for row in complaint.history],
        "deadlines": [_columns(row) for row in complaint.deadlines],
        "extensions": [_columns(row) for row in complaint.extensions],
        "delay_notices": [_columns(row) for row in complaint.delay_notices],
        "escalations": [_columns(row) for row in complaint.escalations],
        "notes": [_columns(row) for row in complaint.notes],
        "letters": [{**_columns(row), "content_base64": base64.b64encode(row.content or b"").decode("ascii")}
                    for row in complaint.letters],
        "attachments": [{**_columns(row),
                         "content_base64": base64.b64encode(attachment_content(row, ctx)).decode("ascii")}
                        for row in complaint.attachments],
        "access_log": [_columns(row) for row in access_entries(complaint.id)],
    }
    log_access(complaint.id, actor=actor.username, action="export", now=now)
    return export
