"""Who may see a complaint and who may complete which of its tasks."""

from sqlalchemy import or_, select

from service.errors import Forbidden, NotFound
from service.extensions import db
from service.models import Complaint, Task, User


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


def get_complaint(complaint_id: int, user: User) -> Complaint:
    """Return a complaint the user may see, or raise NotFound/Forbidden."""
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None:
        raise NotFound("Klacht niet gevonden.")
    if not can_see(user, complaint):
        raise Forbidden()
    return complaint


def may_complete(user: User, task: Task, complaint: Complaint) -> bool:
    """Return whether user may complete task: the task's role, and for handler/coach their own case."""
    if not user.has_role(task.role):
        return False
    if task.role == "handler":
        return complaint.handler_username == user.username
    if task.role == "coach":
        return complaint.coach_username == user.username
    return True


def open_tasks_for(user: User) -> list[Task]:
    """Return the open tasks the user may complete, earliest due first."""
    query = select(Task).join(Complaint).where(Task.state == "open")
    rows = db.session.scalars(query.order_by(Task.due_on.is_(None), Task.due_on, Task.created_at)).all()
    return [t for t in rows if may_complete(user, t, t.complaint)]


def is_practice_or_own_handler(actor: User, complaint: Complaint) -> bool:
    """Return whether the actor is the practice or the complaint's own handler."""
    return actor.has_role("practice") or (actor.has_role("handler") and complaint.handler_username == actor.username)


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
