"""The AVG obligations of a complaint: the complainant's export, the access log, the hold and retention.

Nothing here imports Flask: the edges pass the actor, the moment and the Context in (docs/security.md, "Privacy").
"""

from service.privacy.access_log import ACTIONS, access_entries, log_access, record_access
from service.privacy.export import export_complaint
from service.privacy.retention import (
    ERASED,
    attachment_content,
    due_for_retention,
    erased,
    run_daily_retention,
    run_retention,
    set_hold,
)

__all__ = [
    "ACTIONS", "ERASED", "access_entries", "attachment_content", "due_for_retention", "erased", "export_complaint",
    "log_access", "record_access", "run_daily_retention", "run_retention", "set_hold",
]
