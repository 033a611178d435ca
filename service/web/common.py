"""What every web view shares: login and role checks, CSRF, template helpers, the redirect target."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, g, request

from service import practice
from service.accounts import users
from service.api.auth import current_user
from service.complaints.attachments import Upload
from service.context import Context
from service.errors import Forbidden
from service.http_errors import login_redirect
from service.models import User
from service.web import bp
from service.web.csrf import FIELD, check_csrf, csrf_token
from service.web.formatting import FILTERS, label_globals


def ctx() -> Context:
    """Return the domain context of this app."""
    return current_app.extensions["klachten"]


def page(*roles: str):
    """Require a logged-in user (else redirect to the login page), holding one of roles when given (else 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user()
            if user is None:
                return login_redirect()
            if roles and not user.has_role(*roles):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapped

    return decorator


def safe_next(target: str | None) -> str | None:
    """Return target when it is a path on this site (no scheme, host or backslash), else None."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


@dataclass(frozen=True)
class Pages:
    """Which page of a list is shown: number (1-based), count of pages, size, and the rows in all."""

    number: int
    count: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


MAX_PAGE_NUMBER = 1_000_000  # far past any list: a longer number is no page


def show_page(asked: str, size: int, fetch: Callable) -> tuple[Pages, list]:
    """Return which page to show and its rows; fetch(limit=, offset=) reads a queries.Page.

    A page number comes from the URL: anything not a page number shows the first page, past the end the last
    (read again: the total is only known with the first read).
    """
    number = int(asked) if asked.isascii() and asked.isdigit() and 0 < len(asked) <= 7 else 1
    number = min(max(number, 1), MAX_PAGE_NUMBER)
    found = fetch(limit=size, offset=(number - 1) * size)
    count = max(1, -(-found.total // size))
    if number > count:
        number = count
        found = fetch(limit=size, offset=(number - 1) * size)
    return Pages(number, count, size, found.total), found.rows


def users_with_role(role: str) -> list[User]:
    """Return the users holding role, by display name."""
    return users.with_role(role)


def handler_label(user: User) -> str:
    """Return a handler's name with the function and NOLOC number of their profile, for choosing one."""
    details = [part for part in (user.function, user.noloc_number and f"NOLOC-lidnummer {user.noloc_number}") if part]
    return f"{user.display_name} ({', '.join(details)})" if details else user.display_name


def uploaded_files(name: str) -> list[Upload]:
    """Return the files posted in the file input name (none when nothing was chosen)."""
    return [Upload(upload.filename, upload.read()) for upload in request.files.getlist(name) if upload.filename]


def _user_or_none():
    """Return the logged-in user for the navigation; never fails, so that error pages always render."""
    try:
        return current_user()
    except Exception:  # the page is already reporting an error; show it without the user's menu
        return None


def _practice_settings_missing() -> bool:
    """Whether the practice has not filled in its details yet (the banner); asked at most once per request."""
    if "practice_settings_missing" not in g:
        try:
            g.practice_settings_missing = not practice.is_filled()
        except Exception:  # the page may be reporting a database error; show it without the banner
            g.practice_settings_missing = False
    return g.practice_settings_missing


bp.before_request(check_csrf)
for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


@bp.app_context_processor
def _template_globals() -> dict:
    return {"csrf_token": csrf_token, "csrf_field": FIELD, "current_user": _user_or_none,
            "practice_settings_missing": _practice_settings_missing, "upload_limit": upload_limit_text(),
            **label_globals()}


def upload_limit_text() -> str:
    """The size limit of one file as a sentence for a help text."""
    return f"Hoogstens {current_app.config['MAX_UPLOAD_BYTES'] // (1024 * 1024)} MB per bestand."
