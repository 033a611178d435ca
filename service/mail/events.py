"""Who is told what, and when: a task becomes theirs, a reminder before its due date, a passed deadline (the
practice), and the daily digest for those who chose it. Everything here queues in the caller's transaction,
except the sweep, which is its own."""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, or_, select

from service import clock
from service.context import Context
from service.dutch import DEADLINE_LABELS
from service.extensions import db, transaction
from service.mail import messages
from service.mail.outbox import mailed_separately, queue, queued_keys, recipients
from service.models import Complaint, Deadline, Task, User

# Reminders and digests go out from this hour (Europe/Amsterdam): nobody wants a mail at midnight.
MORNING = time(7, 0)


def _line(reference: str, task: Task, ctx: Context, today: date | None = None) -> messages.TaskLine:
    return messages.TaskLine(reference=reference, task_name=task.name, due_on=task.due_on,
                             url=f"{ctx.mail.base_url}/taken/{task.id}",
                             overdue=bool(today and task.due_on and task.due_on < today))


def tasks_assigned(complaint: Complaint, tasks: Iterable[Task], *, now: datetime, ctx: Context) -> None:
    """Queue a mail to whom each of these open tasks is for (the assignee, or each holder of its role)."""
    tasks = [task for task in tasks if task.state == "open"]
    if not ctx.mail.enabled or not tasks:
        return
    people = mailed_separately()
    for task in tasks:
        for user in recipients(task.assignee, task.role, complaint.coach_username, people):
            queue(messages.task_assigned(user.display_name or user.username, _line(complaint.reference, task, ctx),
                                         ctx.mail.base_url),
                  recipient=user.email, dedupe_key=f"task:{task.id}:{user.username}", now=now)


def deadlines_passed(complaint: Complaint, deadlines: Iterable[Deadline], *, now: datetime, ctx: Context) -> None:
    """Queue a mail to every practice user when these deadlines of the complaint have passed unmet."""
    deadlines = list(deadlines)
    if not ctx.mail.enabled or not deadlines:
        return
    practice = [user for user in mailed_separately()
                if user.has_role("practice") and user.username != complaint.coach_username]
    url = f"{ctx.mail.base_url}/klachten/{complaint.id}"
    for deadline in deadlines:
        label = DEADLINE_LABELS.get(deadline.name, deadline.name)
        for user in practice:
            queue(messages.deadline_passed(user.display_name or user.username, complaint.reference, label,
                                           deadline.due_on, url, ctx.mail.base_url),
                  recipient=user.email, now=now,
                  dedupe_key=f"deadline:{complaint.id}:{deadline.name}:{deadline.due_on.isoformat()}:{user.username}")


def queue_reminders_and_digests(now: datetime, ctx: Context) -> int:
    """Queue the reminders and daily digests that are due (the wake-up and tick); return how many were queued."""
    if not ctx.mail.enabled:
        return 0
    return _sweep(now, ctx)


@transaction
def _sweep(now: datetime, ctx: Context) -> int:
    return _queue_reminders(now, ctx) + _queue_digests(now, ctx)


def reminder_moment(due_on: date, days: int) -> datetime:
    """Return when the reminder of a task due on due_on goes out: MORNING, days before."""
    day = due_on - timedelta(days=days)
    return datetime.combine(day, MORNING, tzinfo=clock.AMSTERDAM)


def _queue_reminders(now: datetime, ctx: Context) -> int:
    """One reminder per open task and due date, ctx.mail.reminder_days before it, to whom the task is for.

    One range scan of ix_tasks_state_due_on finds the open tasks due within the window. A task that was created
    after its reminder moment is not reminded: the mail that it became theirs named the due date already.
    """
    days = ctx.mail.reminder_days
    local = now.astimezone(clock.AMSTERDAM)
    today = local.date()
    last = today + timedelta(days=days if local.time() >= MORNING else days - 1)
    if last < today:
        return 0
    rows = db.session.execute(select(Task, Complaint.reference, Complaint.coach_username).join(Complaint)
                              .where(Task.state == "open", Task.due_on >= today, Task.due_on <= last)).all()
    due = [(task, reference, coach) for task, reference, coach in rows
           if task.created_at < reminder_moment(task.due_on, days)]
    if not due:
        return 0
    people = mailed_separately()
    planned = [(task, reference, user, f"reminder:{task.id}:{task.due_on.isoformat()}:{user.username}")
               for task, reference, coach in due for user in recipients(task.assignee, task.role, coach, people)]
    done = queued_keys(key for *_, key in planned)
    count = 0
    for task, reference, user, key in planned:
        if key in done:
            continue
        mail = messages.reminder(user.display_name or user.username, _line(reference, task, ctx),
                                 (task.due_on - today).days, ctx.mail.base_url)
        queue(mail, recipient=user.email, dedupe_key=key, now=now)
        count += 1
    return count


def _queue_digests(now: datetime, ctx: Context) -> int:
    """One overview a day (from MORNING, Europe/Amsterdam) of their open tasks, to the users who chose it."""
    local = now.astimezone(clock.AMSTERDAM)
    if local.time() < MORNING:
        return 0
    today = local.date()
    readers = db.session.scalars(select(User).where(User.active.is_(True), User.email.is_not(None),
                                                    User.mail_digest.is_(True)).order_by(User.username)).all()
    keys = {user.username: f"digest:{user.username}:{today.isoformat()}" for user in readers}
    done = queued_keys(keys.values())
    count = 0
    for user in readers:
        if keys[user.username] in done:
            continue
        lines = [_line(reference, task, ctx, today) for task, reference in open_tasks_of(user)]
        if not lines:
            continue
        queue(messages.digest(user.display_name or user.username, today, lines, ctx.mail.base_url),
              recipient=user.email, dedupe_key=keys[user.username], now=now)
        count += 1
    return count


def open_tasks_of(user: User) -> list[tuple[Task, str]]:
    """Return the open tasks that are the user's (assigned, or of a role they hold on a complaint not about them)
    with their complaint's reference, earliest due first, tasks without a term last."""
    mine = or_(Task.assignee == user.username,
               and_(Task.assignee.is_(None), Task.role.in_(sorted(user.roles)),
                    Complaint.coach_username != user.username))
    query = (select(Task, Complaint.reference).join(Complaint).where(Task.state == "open", mine)
             .order_by(Task.due_on.is_(None), Task.due_on, Task.created_at, Task.id))
    return [(task, reference) for task, reference in db.session.execute(query)]


# ---------------------------------------------------------------- the complainant's side (issue 18)


def _practice_people(complaint: Complaint) -> list[User]:
    return [user for user in mailed_separately()
            if user.has_role("practice") and user.username != complaint.coach_username]


def complaint_filed_online(complaint: Complaint, *, now: datetime, ctx: Context) -> None:
    """Queue a mail to every practice user that a complaint was filed on the public form (reference and link)."""
    if not ctx.mail.enabled:
        return
    url = f"{ctx.mail.base_url}/klachten/{complaint.id}"
    for user in _practice_people(complaint):
        queue(messages.practice_notice(
            user.display_name or user.username, f"Nieuwe klacht via het klachtformulier ({complaint.reference})",
            f"Via het klachtformulier op de website is klacht {complaint.reference} ingediend. Zij is geregistreerd; "
            "de termijnen lopen vanaf vandaag.", url, ctx.mail.base_url),
            recipient=user.email, dedupe_key=f"online:{complaint.id}:{user.username}", now=now)


def complainant_acted(complaint: Complaint, *, what: str, key: str, now: datetime, ctx: Context) -> None:
    """Queue a mail to the complaint's handler (without one: the practice) that the complainant did something on
    the status page: what is "message" (a message, maybe with a file) or "withdrawal"."""
    if not ctx.mail.enabled:
        return
    people = mailed_separately()
    handler = [user for user in people if complaint.handler_username and user.username == complaint.handler_username]
    url = f"{ctx.mail.base_url}/klachten/{complaint.id}"
    if what == "withdrawal":
        subject = f"Klacht ingetrokken via de statuspagina ({complaint.reference})"
        intro = f"De klager heeft klacht {complaint.reference} via de statuspagina ingetrokken."
    else:
        subject = f"Bericht van de klager ({complaint.reference})"
        intro = (f"De klager heeft via de statuspagina een bericht gestuurd over klacht {complaint.reference}. "
                 "U vindt het bij de notities van de klacht.")
    for user in handler or _practice_people(complaint):
        queue(messages.practice_notice(user.display_name or user.username, subject, intro, url, ctx.mail.base_url),
              recipient=user.email, dedupe_key=f"{key}:{user.username}", now=now)


def letter_ready(complaint: Complaint, letter_id: int, letter_label: str, status_url: str, *, salutation: str,
                 now: datetime, ctx: Context) -> None:
    """Queue the mail to the complainant that a letter is ready, with a link to their status page."""
    if not ctx.mail.enabled or not complaint.complainant_email:
        return
    queue(messages.letter_ready(salutation, complaint.reference, letter_label, status_url),
          recipient=complaint.complainant_email, dedupe_key=f"letter_ready:{letter_id}", now=now)
