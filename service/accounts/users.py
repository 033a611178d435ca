"""Users: create with a hashed password, keep their profile (function, NOLOC number), check credentials."""

import hashlib
import hmac
import re
import threading
import time
import weakref
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import inspect, select
from sqlalchemy.orm import make_transient_to_detached
from werkzeug.security import check_password_hash, generate_password_hash

from service.errors import Forbidden, InvalidInput, NotFound
from service.extensions import db, transaction
from service.models import ROLES, HistoryEvent, User

_CACHE_SECONDS = 300


class _Remembered:
    """The credential cache of one database: (username, HMAC of the password) -> (valid until, the user's columns).

    forget() counts a change per username, so a request that read a user before the change was committed never
    stores what it read after it.
    """

    def __init__(self):
        self.entries: dict[tuple[str, bytes], tuple[float, dict]] = {}
        self.changes: dict[str, int] = {}


_caches: "weakref.WeakKeyDictionary[object, _Remembered]" = weakref.WeakKeyDictionary()  # per engine
_cache_lock = threading.Lock()


def _remembered() -> _Remembered:
    with _cache_lock:
        return _caches.setdefault(db.engine, _Remembered())


def forget(username: str) -> None:
    """Drop what the credential cache remembers of a user (call it after the change is committed): the next call
    checks the password and reads the user."""
    cache = _remembered()
    with _cache_lock:
        cache.changes[username] = cache.changes.get(username, 0) + 1
        for key in [key for key in cache.entries if key[0] == username]:
            del cache.entries[key]


def create_user(username: str, password: str, roles: list[str], *, now: datetime,
                display_name: str = "", function: str | None = None, noloc_number: str | None = None) -> User:
    """Create a user with the given roles (and a handler's function and NOLOC number); the password is hashed."""
    user = _create_user(username, password, roles, now=now, display_name=display_name, function=function,
                        noloc_number=noloc_number)
    forget(username)
    return user


@transaction
def _create_user(username: str, password: str, roles: list[str], *, now: datetime,
                 display_name: str, function: str | None, noloc_number: str | None) -> User:
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


def update_profile(username: str, changes: Mapping, *, actor: User, now: datetime) -> User:
    """Change a user's display name, function and/or NOLOC membership number (the practice); a key left out stays.

    The appointment of a handler takes name, function and NOLOC membership from here.
    """
    user = _update_profile(username, changes, actor=actor, now=now)
    forget(username)  # a request authenticated from the cache gets the user as it is now
    return user


@transaction
def _update_profile(username: str, changes: Mapping, *, actor: User, now: datetime) -> User:
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
    keyed hash, never the password) with the user as it was read, so that API clients sending Basic credentials
    on every call stay fast and cost no query. Changing a user here (forget) drops what is remembered of them;
    a change made by another process applies here once the entry expires.
    """
    key = (username, hmac.new(secret.encode(), password.encode(), hashlib.sha256).digest())
    cache = _remembered()
    with _cache_lock:
        hit = cache.entries.get(key)
        changes = cache.changes.get(username, 0)
    if hit is not None and hit[0] > time.monotonic():
        return _attached(hit[1])
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    with _cache_lock:
        if len(cache.entries) > 10_000:
            cache.entries.clear()
        if cache.changes.get(username, 0) == changes:  # else the user changed meanwhile: read it again next time
            cache.entries[key] = (time.monotonic() + _CACHE_SECONDS,
                                  {attr.key: getattr(user, attr.key) for attr in inspect(User).column_attrs})
    return user


def _attached(columns: dict) -> User:
    """The remembered user as a persistent object of this session, without a query (or the one it already has)."""
    user = User(**columns)
    make_transient_to_detached(user)
    return db.session.merge(user, load=False)


def with_role(role: str) -> list[User]:
    """Return the users holding role, by display name."""
    rows = db.session.scalars(select(User).order_by(User.display_name, User.username)).all()
    return [user for user in rows if user.has_role(role)]
