"""Users: create with a hashed password, keep their profile (function, NOLOC number), check credentials."""

import hashlib
import hmac
import re
import threading
import time
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from service.errors import Forbidden, InvalidInput, NotFound
from service.extensions import db, transaction
from service.models import ROLES, HistoryEvent, User

_CACHE_SECONDS = 300
_verified: dict[tuple[str, bytes], tuple[str, float]] = {}
_verified_lock = threading.Lock()


@transaction
def create_user(username: str, password: str, roles: list[str], *, now: datetime,
                display_name: str = "", function: str | None = None, noloc_number: str | None = None) -> User:
    """Create a user with the given roles (and a handler's function and NOLOC number); the password is hashed."""
    profile, errors = _profile({"function": function, "noloc_number": noloc_number})
    if not username or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        errors["username"] = ["Gebruik letters, cijfers, punt, streepje of liggend streepje."]
    elif db.session.scalar(select(User).where(User.username == username)) is not None:
        errors["username"] = ["Deze gebruikersnaam bestaat al."]
    unknown = [r for r in roles if r not in ROLES]
    if not roles or unknown:
        errors["roles"] = [f"Kies een of meer van: {', '.join(ROLES)}."]
    if len(password) < 8:
        errors["password"] = ["Het wachtwoord moet minstens 8 tekens hebben."]
    if errors:
        raise InvalidInput(errors=errors)
    user = User(username=username, display_name=display_name or username,
                password_hash=generate_password_hash(password), roles_text=",".join(sorted(set(roles))),
                created_at=now, **profile)
    db.session.add(user)
    return user


PROFILE_FIELDS = {"display_name": 200, "function": 200, "noloc_number": 50}  # with their maximum lengths
_NOLOC_NUMBER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]*")


def find(username: str) -> User | None:
    """Return the user with this username, or None."""
    return db.session.scalar(select(User).where(User.username == username))


@transaction
def update_profile(username: str, changes: Mapping, *, actor: User, now: datetime) -> User:
    """Change a user's display name, function and/or NOLOC membership number (the practice); a key left out stays.

    The appointment of a handler takes name, function and NOLOC membership from here.
    """
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan het profiel van een gebruiker wijzigen.")
    user = find(username)
    if user is None:
        raise NotFound("Gebruiker niet gevonden.")
    values, errors = _profile({key: changes[key] for key in PROFILE_FIELDS if key in changes})
    if "display_name" in values and not values["display_name"]:
        errors["display_name"] = ["Dit veld is verplicht."]
    if errors:
        raise InvalidInput("Het profiel is niet opgeslagen.", errors)
    changed = sorted(key for key, value in values.items() if getattr(user, key) != value)
    for key, value in values.items():
        setattr(user, key, value)
    if changed:
        db.session.add(HistoryEvent(complaint_id=None, at=now, actor=actor.username, kind="profile_changed",
                                    detail={"username": username, "fields": changed}))
    return user


def _profile(values: Mapping) -> tuple[dict, dict[str, list[str]]]:
    """Return the cleaned profile values (empty text: None) and the problems by field."""
    cleaned, errors = {}, {}
    for key, value in values.items():
        if value is not None and not isinstance(value, str):
            errors[key] = ["Vul tekst in."]
            continue
        value = (value or "").strip() or None
        if value is not None and (len(value) > PROFILE_FIELDS[key] or any(ord(char) < 32 for char in value)):
            errors[key] = [f"Gebruik één regel van hoogstens {PROFILE_FIELDS[key]} tekens."]
        elif key == "noloc_number" and value is not None and not _NOLOC_NUMBER.fullmatch(value):
            errors[key] = ["Gebruik letters, cijfers, spaties, punt, streepje of schuine streep."]
        cleaned[key] = value
    return cleaned, errors


def authenticate(username: str, password: str, secret: str) -> User | None:
    """Return the user whose credentials these are, or None.

    Password hashing is deliberately slow; a verified pair is remembered for a few minutes (keyed by a
    keyed hash, never the password) so that API clients sending Basic credentials on every call stay fast.
    """
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        return None
    key = (username, hmac.new(secret.encode(), password.encode(), hashlib.sha256).digest())
    with _verified_lock:
        hit = _verified.get(key)
    if hit is not None and hit[0] == user.password_hash and hit[1] > time.monotonic():
        return user
    if not check_password_hash(user.password_hash, password):
        return None
    with _verified_lock:
        if len(_verified) > 10_000:
            _verified.clear()
        _verified[key] = (user.password_hash, time.monotonic() + _CACHE_SECONDS)
    return user


def with_role(role: str) -> list[User]:
    """Return the users holding role, by display name."""
    rows = db.session.scalars(select(User).order_by(User.display_name, User.username)).all()
    return [user for user in rows if user.has_role(role)]
