"""Who is calling: HTTP Basic credentials or the web session; role checks for views."""

from functools import wraps

from flask import Blueprint, current_app, g, request, session

from service import clock
from service.accounts import users
from service.accounts.logins import log_in
from service.errors import Forbidden, InvalidInput, Unauthenticated
from service.extensions import db
from service.models import User

bp = Blueprint("auth", __name__)


def current_user() -> User | None:
    """Return the authenticated user of this request (Basic credentials first, then the session)."""
    if "user" in g:
        return g.user
    user = None
    g.by_session = False
    credentials = request.authorization
    if credentials is not None and credentials.type == "basic":
        user = check_credentials(credentials.username or "", credentials.password or "")
    elif "user_id" in session:
        user = db.session.get(User, session["user_id"])
        # Disabled, logged out or given a new password since this session began: it no longer counts.
        if user is not None and (not user.active or session.get("epoch") != user.session_epoch):
            user = None
        g.by_session = user is not None
    g.user = user
    return user


def client_address() -> str:
    """Return the client's address (behind PROXY_COUNT proxies, the one they forwarded)."""
    return request.remote_addr or "unknown"


def check_credentials(username: str, password: str) -> User | None:
    """Return the user of these credentials or None; 429 (TooManyAttempts) while logins are throttled."""
    return log_in(username, password, address=client_address(), now=clock.now(),
                  secret=current_app.config["SECRET_KEY"])


def start_session(user: User) -> None:
    """Log user in on this browser: a fresh session carrying the user's current session epoch."""
    session.clear()
    session["user_id"] = user.id
    session["epoch"] = users.session_epoch(user.id)


def keep_session(user: User) -> None:
    """Keep this session after a change that ended the user's sessions (their own new password)."""
    if session.get("user_id") == user.id:
        session["epoch"] = user.session_epoch


def end_session() -> None:
    """Log out: the session's user is logged out everywhere (their session epoch moves on) and the cookie cleared."""
    user_id = session.get("user_id")
    user = current_user() if user_id is not None else None
    if user is not None and g.get("by_session"):
        users.end_sessions(user.id)
    session.clear()


_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CROSS_SITE = "Verzoek van een andere website geweigerd; er is niets gewijzigd."


def _from_another_site() -> bool:
    """Whether the browser says this request comes from another site (Sec-Fetch-Site, else Origin).

    A program that is not a browser sends neither header and is not affected.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("Origin")
    return origin is not None and origin.rstrip("/") != request.host_url.rstrip("/")


def check_same_site() -> None:
    """Refuse a state-changing call that the session cookie authenticates and another site started (403).

    The session cookie is SameSite=Lax and JSON bodies need a same-origin request already; this also covers
    the calls without a JSON body (file uploads, retries) in browsers that do not honour SameSite.
    """
    if request.method in _UNSAFE and g.get("by_session") and _from_another_site():
        raise Forbidden(CROSS_SITE)


def login_required(*roles: str):
    """Require an authenticated user, holding one of roles when roles are given."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_user()
            if user is None:
                raise Unauthenticated()
            check_same_site()
            if roles and not user.has_role(*roles):
                raise Forbidden()
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.post("/api/session")
def login():
    """Log in with username and password; the session cookie then authenticates API calls."""
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    user = check_credentials(str(body.get("username", "")), str(body.get("password", "")))
    if user is None:
        raise InvalidInput("Onbekende gebruikersnaam of onjuist wachtwoord.",
                           {"password": ["Onbekende gebruikersnaam of onjuist wachtwoord."]})
    start_session(user)
    return {"username": user.username, "roles": sorted(user.roles), "at": clock.now().isoformat()}


@bp.delete("/api/session")
def logout():
    """End the web session on the server: the same cookie afterwards gets 401."""
    end_session()
    return "", 204
