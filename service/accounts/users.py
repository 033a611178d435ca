"""Users: create with a hashed password, and check credentials (with a short-lived cache)."""

import hashlib
import hmac
import threading
import time
from datetime import datetime

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from service.errors import InvalidInput
from service.extensions import db, transaction
from service.models import ROLES, User

_CACHE_SECONDS = 300
_verified: dict[tuple[str, bytes], tuple[str, float]] = {}
_verified_lock = threading.Lock()


@transaction
def create_user(username: str, password: str, roles: list[str], *, now: datetime,
                display_name: str = "") -> User:
    """Create a user with the given roles; the password is stored hashed."""
    errors: dict[str, list[str]] = {}
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
                created_at=now)
    db.session.add(user)
    return user


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
