"""Users: create with a hashed password, keep their profile (function, NOLOC number) and e-mail settings, change
roles and passwords, disable and enable, check credentials."""

import functools
import hashlib
import hmac
import re
import secrets
import threading
import time
import weakref
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from service.errors import Forbidden, InvalidInput, NotFound
from service.extensions import db, transaction
from service.models import ROLES, HistoryEvent, User

_CACHE_SECONDS = 300
# Checked instead of a stored hash when the username is unknown or disabled, so that the answer takes as long
# as for a real user and does not tell which usernames exist (same method and cost as the real hashes).
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(32))


class _Remembered:
    """The credential cache of one database: (username, HMAC of the password) -> (valid until, the stored hash
    it was verified against).

    forget() counts a change per username, so a request that read a user before the change was committed never
    stores what it read after it.
    """

    def __init__(self):
        self.entries: dict[tuple[str, bytes], tuple[float, str]] = {}
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
                display_name: str = "", function: str | None = None, noloc_number: str | None = None,
                email: str | None = None, actor: User | None = None) -> User:
    """Create a user with the given roles (and a handler's function and NOLOC number, an e-mail address); the
    password is hashed. With an actor (the page Gebruikers) only the practice may, and the history records it."""
    user = _create_user(username, password, roles, now=now, display_name=display_name, function=function,
                        noloc_number=noloc_number, email=email, actor=actor)
    forget(username)
    return user


@transaction
def _create_user(username: str, password: str, roles: list[str], *, now: datetime, display_name: str,
                 function: str | None, noloc_number: str | None, email: str | None, actor: User | None) -> User:
    if actor is not None and not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan gebruikers aanmaken.")
    profile, errors = _profile({"display_name": display_name, "function": function, "noloc_number": noloc_number})
    username = (username or "").strip()
    if not username or len(username) > 80 or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        errors["username"] = ["Gebruik letters, cijfers, punt, streepje of liggend streepje (hoogstens 80 tekens)."]
    elif db.session.scalar(select(User).where(User.username == username)) is not None:
        errors["username"] = ["Deze gebruikersnaam bestaat al."]
    address, problem = checked_email(email)
    if problem:
        errors["email"] = [problem]
    if problem := _roles_problem(roles):
        errors["roles"] = [problem]
    if problem := password_problem(password):
        errors["password"] = [problem]
    if errors:
        raise InvalidInput("De gebruiker is niet aangemaakt.", errors)
    user = User(username=username, display_name=profile.pop("display_name") or username,
                password_hash=generate_password_hash(password), roles_text=",".join(sorted(set(roles))),
                created_at=now, email=address, active=True, mail_digest=False, **profile)
    db.session.add(user)
    if actor is not None:
        _record(actor, now, "user_created", username=username, roles=sorted(set(roles)))
    return user


_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                    r"[A-Za-z0-9])?)+")
MIN_PASSWORD = 8


def checked_email(value) -> tuple[str | None, str | None]:
    """Return an e-mail address cleaned (empty: None) and the problem with it in Dutch, or None."""
    if value is not None and not isinstance(value, str):
        return None, "Vul tekst in."
    value = (value or "").strip()
    if not value:
        return None, None
    if len(value) > 254 or not _EMAIL.fullmatch(value) or any(ord(char) < 32 or ord(char) == 127 for char in value):
        return value, "Vul een geldig e-mailadres in, bijvoorbeeld naam@praktijk.nl."
    return value, None


def password_problem(password) -> str | None:
    """Return what is wrong with a new password in Dutch, or None."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        return f"Het wachtwoord moet minstens {MIN_PASSWORD} tekens hebben."
    if len(password) > 200:
        return "Het wachtwoord mag hoogstens 200 tekens hebben."
    return None


def _roles_problem(roles) -> str | None:
    if not roles or any(role not in ROLES for role in roles):
        return "Kies een of meer rollen: praktijk, behandelaar, coach of proceseigenaar."
    return None


def _record(actor: User, now: datetime, kind: str, **detail) -> None:
    """Record a change of a user in the history (no complaint): who did what to whom; never a password."""
    db.session.add(HistoryEvent(complaint_id=None, at=now, actor=actor.username, kind=kind, detail=detail))


def _managed(username: str, actor: User) -> User:
    """Return the user the practice changes; only the practice may."""
    if not actor.has_role("practice"):
        raise Forbidden("Alleen de praktijk kan gebruikers beheren.")
    user = find(username)
    if user is None:
        raise NotFound("Gebruiker niet gevonden.")
    return user


def _then_forget(change):
    """Run a change of one user (its first argument the username, or the actor's own) and drop what the
    credential cache remembers of them once it is committed."""

    @functools.wraps(change)
    def wrapper(first, *args, **kwargs):
        result = change(first, *args, **kwargs)
        forget(first.username if isinstance(first, User) else first)
        return result

    return wrapper


@_then_forget
@transaction
def change_roles(username: str, roles: list[str], *, actor: User, now: datetime) -> User:
    """Give a user other roles (the practice); the practice cannot take its own practice role away."""
    user = _managed(username, actor)
    if problem := _roles_problem(roles):
        raise InvalidInput("De rollen zijn niet gewijzigd.", {"roles": [problem]})
    if user.username == actor.username and "practice" not in roles:
        raise InvalidInput("De rollen zijn niet gewijzigd.",
                           {"roles": ["U kunt uw eigen rol praktijk niet intrekken; laat een andere "
                                      "praktijkgebruiker dat doen."]})
    old = sorted(user.roles)
    user.roles_text = ",".join(sorted(set(roles)))
    if old != sorted(user.roles):
        _record(actor, now, "user_roles_changed", username=username, old=old, new=sorted(user.roles))
    return user


@_then_forget
@transaction
def set_email(username: str, email: str | None, *, actor: User, now: datetime) -> User:
    """Set or clear a user's e-mail address (the practice)."""
    user = _managed(username, actor)
    address, problem = checked_email(email)
    if problem:
        raise InvalidInput("Het e-mailadres is niet opgeslagen.", {"email": [problem]})
    if address != user.email:
        user.email = address
        _record(actor, now, "user_email_changed", username=username)
    return user


@_then_forget
@transaction
def reset_password(username: str, password: str, *, actor: User, now: datetime) -> User:
    """Give a user a new password (the practice), e.g. when they forgot theirs."""
    user = _managed(username, actor)
    if problem := password_problem(password):
        raise InvalidInput("Het wachtwoord is niet gewijzigd.", {"password": [problem]})
    user.password_hash = generate_password_hash(password)
    user.session_epoch += 1  # whoever was logged in with the old password is logged out
    _record(actor, now, "user_password_reset", username=username)
    return user


@_then_forget
@transaction
def set_active(username: str, active: bool, *, actor: User, now: datetime) -> User:
    """Disable a user (they can no longer log in, get no mail) or enable them again (the practice)."""
    user = _managed(username, actor)
    if not active and user.username == actor.username:
        raise InvalidInput("De gebruiker is niet uitgeschakeld.",
                           {"active": ["U kunt uzelf niet uitschakelen."]})
    if not active:
        user.session_epoch += 1  # their sessions end now, and stay ended when they are enabled again
    if user.active != active:
        user.active = active
        _record(actor, now, "user_enabled" if active else "user_disabled", username=username)
    return user


@_then_forget
@transaction
def change_own_password(actor: User, current: str, new: str, repeat: str, *, now: datetime) -> User:
    """Change one's own password: the current one is required, the new one twice."""
    user = find(actor.username)
    errors = {}
    if not current or not check_password_hash(user.password_hash, current):
        errors["current_password"] = ["Het huidige wachtwoord klopt niet."]
    if problem := password_problem(new):
        errors["new_password"] = [problem]
    elif new != repeat:
        errors["new_password_repeat"] = ["De twee nieuwe wachtwoorden zijn niet gelijk."]
    if errors:
        raise InvalidInput("Het wachtwoord is niet gewijzigd.", errors)
    user.password_hash = generate_password_hash(new)
    user.session_epoch += 1  # every other session of the user ends; the edge keeps the one that asked
    _record(actor, now, "password_changed", username=actor.username)
    return user


@_then_forget
@transaction
def update_own_mail(actor: User, email: str | None, digest: bool, *, now: datetime) -> User:
    """Change one's own e-mail address and whether mail comes as one overview a day instead of separately."""
    user = find(actor.username)
    address, problem = checked_email(email)
    if problem:
        raise InvalidInput("De e-mailinstellingen zijn niet opgeslagen.", {"email": [problem]})
    if address != user.email or bool(digest) != user.mail_digest:
        _record(actor, now, "mail_settings_changed", username=actor.username,
                fields=[name for name, changed in (("email", address != user.email),
                                                   ("mail_digest", bool(digest) != user.mail_digest)) if changed])
        user.email = address
        user.mail_digest = bool(digest)
    return user


def session_epoch(user_id: int) -> int | None:
    """Return the user's session epoch as stored now (a new session carries it), or None for no such user."""
    return db.session.scalar(select(User.session_epoch).where(User.id == user_id))


@transaction
def end_sessions(user_id: int) -> None:
    """End every session of the user (logout): a session carries the epoch of its login, which no longer holds."""
    db.session.execute(update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1))


def all_users() -> list[User]:
    """Return every user, by display name (the page Gebruikers)."""
    return list(db.session.scalars(select(User).order_by(User.display_name, User.username)))


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

    Password hashing is deliberately slow; a verified pair is remembered for a few minutes (keyed by a keyed
    hash, never the password) together with the stored hash it matched, so that API clients sending Basic
    credentials on every call stay fast. The user is read on every call, so the memory counts only while that
    user is active and their stored hash is unchanged: a new password or disabling applies at once in every
    process. An unknown or disabled username costs a hash check too, so the time tells nothing.
    """
    key = (username, hmac.new(secret.encode(), password.encode(), hashlib.sha256).digest())
    cache = _remembered()
    with _cache_lock:
        hit = cache.entries.get(key)
        changes = cache.changes.get(username, 0)
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:  # a disabled user cannot log in
        check_password_hash(_DUMMY_HASH, password)  # as long as a real check: no telling who exists
        return None
    if hit is not None and hit[0] > time.monotonic() and hmac.compare_digest(hit[1], user.password_hash):
        return user
    if not check_password_hash(user.password_hash, password):
        return None
    with _cache_lock:
        if len(cache.entries) > 10_000:
            cache.entries.clear()
        if cache.changes.get(username, 0) == changes:  # else the user changed meanwhile: check again next time
            cache.entries[key] = (time.monotonic() + _CACHE_SECONDS, user.password_hash)
    return user


def with_role(role: str) -> list[User]:
    """Return the users holding role, by display name."""
    rows = db.session.scalars(select(User).order_by(User.display_name, User.username)).all()
    return [user for user in rows if user.has_role(role)]


def display_names() -> dict[str, str]:
    """Return every user's name as people know it, by username (a user without a display name: the username)."""
    return {username: name or username
            for username, name in db.session.execute(select(User.username, User.display_name))}
