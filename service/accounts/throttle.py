"""Login throttling: failed logins counted per username and per client address in the database.

After PER_USERNAME failures for one username within WINDOW, logins for it are refused for WINDOW from the last of
them, whatever the password; PER_ADDRESS failures from one client address lock that address the same way. The
address limit is higher because an office shares one address: one user's lockout leaves the others alone. The
counts are rows (login_failures), so they hold across workers and hosts. A refused attempt is not counted: an
attacker gets PER_USERNAME guesses per WINDOW and no more, and the rows read per check stay few.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select

from service.errors import TooManyAttempts
from service.extensions import db, transaction
from service.models import LoginFailure

WINDOW = timedelta(minutes=15)
PER_USERNAME = 10
PER_ADDRESS = 50
_USERNAME_LENGTH = 200  # the column; a longer name typed is counted by its first 200 characters
_ADDRESS_LENGTH = 64


@dataclass(frozen=True)
class Standing:
    """What the failures of the last two windows say about one login attempt."""

    username_failures: int  # failures of this username still counted
    locked_until: datetime | None  # set when the username or the address is locked


def _key(username: str, address: str) -> tuple[str, str]:
    return (username or "")[:_USERNAME_LENGTH], (address or "unknown")[:_ADDRESS_LENGTH]


def _locked_until(moments: list[datetime], limit: int) -> datetime | None:
    """Return when the lock of these failures (ascending) ends: WINDOW after the latest failure that completed
    limit failures within one WINDOW; None when they never did."""
    until = None
    for last in range(limit - 1, len(moments)):
        if moments[last] - moments[last - limit + 1] <= WINDOW:
            until = moments[last] + WINDOW
    return until


def standing(username: str, address: str, now: datetime) -> Standing:
    """Return the failures counted against this username and address, and until when they are locked."""
    username, address = _key(username, address)
    rows = db.session.execute(
        select(LoginFailure.username, LoginFailure.address, LoginFailure.at)
        .where(LoginFailure.at > now - 2 * WINDOW,
               or_(LoginFailure.username == username, LoginFailure.address == address))
        .order_by(LoginFailure.at)).all()
    by_username = [row.at for row in rows if row.username == username]
    by_address = [row.at for row in rows if row.address == address]
    ends = [moment for moment in (_locked_until(by_username, PER_USERNAME), _locked_until(by_address, PER_ADDRESS))
            if moment is not None and moment > now]
    return Standing(username_failures=sum(1 for moment in by_username if moment > now - WINDOW),
                    locked_until=max(ends) if ends else None)


def check(username: str, address: str, now: datetime) -> Standing:
    """Return the standing of a login attempt; raise TooManyAttempts while its username or address is locked."""
    found = standing(username, address, now)
    if found.locked_until is not None:
        raise TooManyAttempts(max(1, math.ceil((found.locked_until - now).total_seconds())))
    return found


@transaction
def record_failure(username: str, address: str, now: datetime) -> None:
    """Count a failed login; drop the rows no check reads any more (older than two windows, by the index)."""
    username, address = _key(username, address)
    db.session.execute(delete(LoginFailure).where(LoginFailure.at < now - 2 * WINDOW))
    db.session.add(LoginFailure(username=username, address=address, at=now))


@transaction
def forgive(username: str, address: str) -> None:
    """Forget a username's failures from this address once it logged in from there (it was not locked): one's
    own mistypes do not add up; failures from elsewhere (someone guessing) still count."""
    username, address = _key(username, address)
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == username,
                                                  LoginFailure.address == address))
