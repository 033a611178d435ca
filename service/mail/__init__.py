"""E-mail: mails queued in the outbox in the transaction of the step that causes them, sent after commit.

`events` decides who is told what (a task becomes theirs, a reminder, a passed deadline, the daily digest),
`messages` writes the Dutch text and HTML, `outbox` queues, `delivery` sends with retries. See docs/email.md.
"""

from service.mail.delivery import deliver_outbox, outbox_problems
from service.mail.events import (
    complainant_acted,
    complaint_filed_online,
    deadlines_passed,
    letter_ready,
    queue_reminders_and_digests,
    tasks_assigned,
)

__all__ = ["complainant_acted", "complaint_filed_online", "deadlines_passed", "deliver_outbox", "letter_ready",
           "outbox_problems", "queue_reminders_and_digests", "tasks_assigned"]
