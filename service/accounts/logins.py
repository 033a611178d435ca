"""Logging in: the credentials checked behind the login throttle (web form, POST /api/session, HTTP Basic)."""

import re
from datetime import datetime

from service.accounts import throttle
from service.accounts.users import authenticate
from service.models import User

# No username holds these and no database stores them (a NUL byte on PostgreSQL, a lone surrogate anywhere); the
# Basic header is not checked by the input guard, so a login never sends them to a query.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def log_in(username: str, password: str, *, address: str, now: datetime, secret: str) -> User | None:
    """Return the user whose credentials these are, or None (a counted failure).

    Raise TooManyAttempts while the username or the client address is locked, before the password is looked
    at: a right password is refused too, and answers as fast as a wrong one.
    """
    username, password = _UNSTORABLE.sub("\ufffd", username), _UNSTORABLE.sub("\ufffd", password)
    standing = throttle.check(username, address, now)
    user = authenticate(username, password, secret)
    if user is None:
        throttle.record_failure(username, address, now)
    elif standing.username_failures:
        throttle.forgive(username, address)
    return user
