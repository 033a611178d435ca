"""CSRF protection of the web forms: one random token per session, sent back in a hidden field."""

import hmac
import secrets

from flask import request, session

from service.errors import BadRequest

FIELD = "csrf_token"
EXPIRED = "Het formulier is verlopen; laad de pagina opnieuw."
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def csrf_token() -> str:
    """Return the session's CSRF token, creating it on first use."""
    token = session.get(FIELD)
    if not token:
        token = secrets.token_urlsafe(32)
        session[FIELD] = token
    return token


def check_csrf() -> None:
    """Refuse a state-changing request whose form token does not match the session's (400)."""
    if request.method not in _UNSAFE:
        return
    expected = session.get(FIELD)
    sent = request.form.get(FIELD, "")
    if not expected or not hmac.compare_digest(sent.encode(), str(expected).encode()):
        raise BadRequest(EXPIRED)
