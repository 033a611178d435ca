"""What every web view shares: login and role checks, CSRF, template helpers, the redirect target."""

from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, request
from sqlalchemy import select

from ..attachments import Upload
from ..auth import current_user
from ..context import Context
from ..errors import Forbidden
from ..extensions import db
from ..http_errors import login_redirect
from ..models import User
from . import bp
from .csrf import FIELD, check_csrf, csrf_token
from .formatting import FILTERS, label_globals


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


def users_with_role(role: str) -> list[User]:
    """Return the users holding role, by display name."""
    rows = db.session.scalars(select(User).order_by(User.display_name, User.username)).all()
    return [user for user in rows if user.has_role(role)]


def uploaded_files(name: str) -> list[Upload]:
    """Return the files posted in the file input name (none when nothing was chosen)."""
    return [Upload(upload.filename, upload.read()) for upload in request.files.getlist(name) if upload.filename]


def _user_or_none():
    """Return the logged-in user for the navigation; never fails, so that error pages always render."""
    try:
        return current_user()
    except Exception:  # the page is already reporting an error; show it without the user's menu
        return None


bp.before_request(check_csrf)
for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)


@bp.app_context_processor
def _template_globals() -> dict:
    return {"csrf_token": csrf_token, "csrf_field": FIELD, "current_user": _user_or_none, **label_globals()}
