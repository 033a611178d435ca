"""Who may see a complaint and who may complete which of its tasks."""

from sqlalchemy import and_, false, func, not_, or_, select
from sqlalchemy.orm import selectinload

from service.errors import Forbidden, NotFound
from service.extensions import db
from service.models import Complaint, Letter, Task, User


def can_see(user: User, complaint: Complaint) -> bool:
    """Return whether user may see complaint: practice and process owner all, others their own."""
    if user.has_role("practice", "process_owner"):
        return True
    if user.has_role("handler") and complaint.handler_username == user.username:
        return True
    return user.has_role("coach") and complaint.coach_username == user.username


def visible_complaints_query(user: User):
    """Return a select of the complaints user may see."""
    query = select(Complaint)
    if user.has_role("practice", "process_owner"):
        return query
    conditions = []
    if user.has_role("handler"):
        conditions.append(Complaint.handler_username == user.username)
    if user.has_role("coach"):
        conditions.append(Complaint.coach_username == user.username)
    if not conditions:
        return query.where(False)
    return query.where(or_(*conditions))


# The collections of a complaint's whole file (the resource, the page), each read in one query with the complaint.
WHOLE_FILE = (selectinload(Complaint.tasks), selectinload(Complaint.deadlines), selectinload(Complaint.history),
              selectinload(Complaint.attachments), selectinload(Complaint.letters))


def load_whole_file(complaint: Complaint) -> Complaint:
    """Load the collections of the complaint's file that are not loaded yet, in this transaction.

    A step returns the complaint this way, so the caller renders it without opening another transaction for it
    (on PostgreSQL that is two round trips more: BEGIN, and the ROLLBACK when the request ends).
    """
    for name in ("tasks", "deadlines", "history", "attachments", "letters"):
        getattr(complaint, name)
    return complaint


def get_complaint(complaint_id: int, user: User, *, whole: bool = False) -> Complaint:
    """Return a complaint the user may see, or raise NotFound/Forbidden; whole: with every collection of its file."""
    complaint = db.session.get(Complaint, complaint_id, options=WHOLE_FILE if whole else ())
    if complaint is None:
        raise NotFound("Klacht niet gevonden.")
    if not can_see(user, complaint):
        raise Forbidden()
    return complaint


def letter_of(complaint: Complaint, letter_id: int) -> Letter:
    """Return the complaint's letter with this id, or raise NotFound."""
    letter = next((row for row in complaint.letters if row.id == letter_id), None)
    if letter is None:
        raise NotFound("Brief niet gevonden.")
    return letter


def get_letter(complaint_id: int, letter_id: int, user: User) -> tuple[Complaint, Letter]:
    """Return a complaint the user may see and its letter with this id, or raise NotFound/Forbidden."""
    complaint = get_complaint(complaint_id, user)
    return complaint, letter_of(complaint, letter_id)


def may_complete(user: User, task: Task, complaint: Complaint) -> bool:
    """Return whether user may complete task: the task's role, for handler/coach their own case.

    Only the coach's own task is theirs on a complaint about them: nobody else acts on a complaint about themselves.
    """
    if not user.has_role(task.role):
        return False
    if task.role == "coach":
        return complaint.coach_username == user.username
    if complaint.coach_username == user.username:
        return False
    if task.role == "handler":
        return complaint.handler_username == user.username
    return True


def completable(user: User, *, negatable: bool = False):
    """Return may_complete as an SQL condition over Task (the same rules, per role held).

    A task's assignee is its complaint's handler or coach (workflow/sync.py assignee_for, kept when the handler is
    replaced or the complaint migrated), so the condition needs only the tasks' own index. negatable: a form that
    stays true or false (never unknown) where no assignee is set yet, so that NOT of it gives the other tasks.
    """
    assignee = func.coalesce(Task.assignee, "") if negatable else Task.assignee
    conditions = [and_(Task.role == role, assignee == user.username) if role in ("handler", "coach")
                  else Task.role == role for role in sorted(user.roles)]
    if not conditions:
        return false()
    if user.has_role("coach"):
        # A coach who also holds a role of the whole practice never gets its tasks on a complaint about them
        # (a handler task never is theirs there: a coach is never appointed handler of their own complaint).
        about_them = select(Complaint.id).where(Complaint.coach_username == user.username)
        conditions = [condition if role in ("handler", "coach")
                      else and_(condition, Task.complaint_id.not_in(about_them))
                      for role, condition in zip(sorted(user.roles), conditions, strict=True)]
    return or_(*conditions)


# Earliest due first, tasks without a term last (as "due_on IS NULL, due_on": one order that the worklist index of
# migration 0013 serves on SQLite and PostgreSQL alike), then the oldest, then by id so pages never overlap.
TASK_ORDER = (Task.due_on.is_(None), Task.due_on, Task.created_at, Task.id)


def open_tasks_query(user: User, *, mine: bool = True):
    """Return a select of the open tasks user may complete, or (mine=False) the others; no join, so it counts fast."""
    condition = completable(user) if mine else not_(completable(user, negatable=True))
    return select(Task).where(Task.state == "open", condition)


def open_tasks_for(user: User) -> list[Task]:
    """Return every open task the user may complete, earliest due first (the lists page them: queries.task_page)."""
    return list(db.session.scalars(open_tasks_query(user).order_by(*TASK_ORDER)))


def is_practice_or_own_handler(actor: User, complaint: Complaint) -> bool:
    """Return whether the actor is the practice or the complaint's own handler."""
    return actor.has_role("practice") or (actor.has_role("handler") and complaint.handler_username == actor.username)


def may_act(actor: User, complaint: Complaint) -> bool:
    """Return whether the actor may act on the complaint: the practice or its own handler, never its coach."""
    return is_practice_or_own_handler(actor, complaint) and complaint.coach_username != actor.username


def require_own_handler_or_practice(actor: User, complaint: Complaint, message: str) -> None:
    """Only the practice or the complaint's own handler acts on it here; never the coach concerned."""
    if not is_practice_or_own_handler(actor, complaint):
        raise Forbidden(message)
    require_not_concerned(actor, complaint)


def require_not_concerned(actor: User, complaint: Complaint) -> None:
    """Nobody acts on a complaint about themselves, whatever roles they hold."""
    if complaint.coach_username == actor.username:
        raise Forbidden("U kunt niets vastleggen op een klacht over uzelf.")


def handler_problems(complaint: Complaint, username: str) -> dict[str, list[str]]:
    """Return why a user cannot handle this complaint (empty: they can): a handler, never the coach concerned."""
    handler = db.session.scalar(select(User).where(User.username == username))
    if handler is None or not handler.has_role("handler"):
        return {"handler_username": ["Onbekende behandelaar: kies een gebruiker met de rol behandelaar."]}
    if handler.username == complaint.coach_username:
        return {"handler_username": ["De behandelaar mag niet de coach zijn over wie de klacht gaat."]}
    return {}
