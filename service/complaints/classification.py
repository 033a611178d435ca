"""The practice's category list and the classification of complaints (category and outcome).

Nothing here imports Flask: the actor and the moment are passed in. Categories are never deleted (complaints
keep pointing at them): the practice renames or deactivates them; a deactivated one is not offered for new
classifications.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import func, select

from service.complaints.access import get_complaint, require_not_concerned
from service.errors import Forbidden, InvalidInput, NotFound
from service.extensions import db, transaction
from service.models import Category, Complaint, User
from service.workflow.sync import record

DEFAULT_CATEGORIES = ("communicatie", "afspraken", "kwaliteit van de coaching", "privacy", "facturering")


@transaction
def seed_defaults() -> None:
    """Insert the default list when there are no categories yet (migration 0005 does this for a real database)."""
    if db.session.scalar(select(func.count(Category.id))):
        return
    for position, name in enumerate(DEFAULT_CATEGORIES, start=1):
        db.session.add(Category(name=name, active=True, position=position))


def list_categories(*, active_only: bool = False) -> list[Category]:
    """Return the categories in the practice's order."""
    query = select(Category).order_by(Category.position, Category.id)
    if active_only:
        query = query.where(Category.active.is_(True))
    return list(db.session.scalars(query).all())


def _require_practice(actor: User) -> None:
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk beheert de categorieën en de indeling van klachten.")


def _checked_name(name: str, *, except_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise InvalidInput(errors={"name": ["Vul een naam in van 1 tot 100 tekens."]})
    # Compared in Python: SQLite's lower() knows only ASCII, so "Één" and "één" would pass it and then hit the
    # unique constraint. The practice's list is short.
    others = db.session.execute(select(Category.id, Category.name)).all()
    if any(other.casefold() == name.casefold() for other_id, other in others if other_id != except_id):
        raise InvalidInput(errors={"name": ["Er is al een categorie met deze naam."]})
    return name


def _category(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound("Categorie niet gevonden.")
    return category


@transaction
def add_category(name: str, *, actor: User, now: datetime) -> Category:
    """Add a category at the end of the list."""
    _require_practice(actor)
    name = _checked_name(name)
    position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(name=name, active=True, position=position)
    db.session.add(category)
    db.session.flush()
    record(None, "category_added", actor.username, now, category_id=category.id, name=name)
    return category


@transaction
def change_category(category_id: int, *, name: str | None = None, active: bool | None = None, actor: User,
                    now: datetime) -> Category:
    """Rename a category and/or (de)activate it; complaints keep it either way."""
    _require_practice(actor)
    category = _category(category_id)
    detail: dict = {"category_id": category.id}
    if name is not None:
        new_name = _checked_name(name, except_id=category.id)
        if new_name != category.name:
            detail.update(old_name=category.name, name=new_name)
            category.name = new_name
    if active is not None and active != category.active:
        detail["active"] = active
        category.active = active
    if len(detail) > 1:
        record(None, "category_changed", actor.username, now, **detail)
    return category


@transaction
def classify(complaint_id: int, payload: Mapping, *, actor: User, now: datetime) -> Complaint:
    """Set a complaint's category and/or outcome (practice only); a key left out stays as it is."""
    complaint = get_complaint(complaint_id, actor)
    _require_practice(actor)
    require_not_concerned(actor, complaint)
    detail: dict = {}
    if "category" in payload:
        new_id = payload["category"]
        if new_id is not None and new_id != complaint.category_id and active_category(new_id) is None:
            raise InvalidInput(errors={"category": [UNKNOWN_CATEGORY]})
        if new_id != complaint.category_id:
            detail.update(old_category_id=complaint.category_id, category_id=new_id)
            complaint.category_id = new_id
            complaint.category = db.session.get(Category, new_id) if new_id is not None else None
    if "outcome" in payload and payload["outcome"] != complaint.outcome:
        detail.update(old_outcome=complaint.outcome, outcome=payload["outcome"])
        complaint.outcome = payload["outcome"]
        complaint.outcome_source = "practice" if payload["outcome"] is not None else None
    if detail:
        record(complaint, "classified", actor.username, now, **detail)
    return complaint


# ---------------------------------------------------------------- checks that registration shares

UNKNOWN_CATEGORY = "Onbekende categorie: kies een actieve categorie uit de lijst van de praktijk."


def active_category(category_id: int) -> Category | None:
    """Return the active category with this id, or None."""
    category = db.session.get(Category, category_id)
    return category if category is not None and category.active else None


def category_exists(category_id: int) -> bool:
    """Return whether a category (active or not) has this id."""
    return db.session.get(Category, category_id) is not None


def derive_outcome(complaint: Complaint, outcome: str) -> None:
    """Set the outcome the process tells, unless the practice has set one itself."""
    if complaint.outcome_source != "practice":
        complaint.outcome = outcome
        complaint.outcome_source = "process"
