"""Complaints: registration, tasks, deadlines, escalations, timers, attachments, classification.

Each operation runs in one transaction and writes its history event; nothing here imports Flask. The
operations that the HTTP edges call are named here; the modules hold the rest.
"""

from service.complaints.access import (
    can_see,
    get_complaint,
    get_letter,
    may_complete,
    open_tasks_for,
    visible_complaints_query,
)
from service.complaints.corrections import correct_letter, correct_registration, upload_letter
from service.complaints.deadlines import EXTENDABLE_DEADLINE, current_due_on, extend_deadline, send_delay_notice
from service.complaints.escalations import ROUTES, register_escalation
from service.complaints.handlers import replace_handler
from service.complaints.notes import add_note
from service.complaints.registration import register_complaint, update_client_details
from service.complaints.tasks import (
    LetterPreview,
    complete_task,
    preview_task_letters,
    task_and_form,
    task_makes_letter,
)
from service.complaints.withdrawal import withdraw_complaint

__all__ = [
    "EXTENDABLE_DEADLINE", "ROUTES", "LetterPreview", "add_note", "can_see", "complete_task", "correct_letter",
    "correct_registration", "current_due_on", "extend_deadline", "get_complaint", "get_letter", "may_complete",
    "open_tasks_for",
    "preview_task_letters", "register_complaint", "register_escalation", "replace_handler", "send_delay_notice",
    "task_and_form", "task_makes_letter", "update_client_details", "upload_letter", "visible_complaints_query",
    "withdraw_complaint",
]
