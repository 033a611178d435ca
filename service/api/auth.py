"""Who is calling: HTTP Basic credentials or the web session; role checks for views."""

from functools import wraps

from flask import Blueprint, current_app, g, request, session

from service import clock
from service.accounts.users import authenticate
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
        user = authenticate(credentials.username or "", credentials.password or "",
                            current_app.config["SECRET_KEY"])
    elif "user_id" in session:
        user = db.session.get(User, session["user_id"])
        if user is not None and not user.active:  # disabled since logging in: the session no longer counts
            user = None
        g.by_session = user is not None
    g.user = user
    return user


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
    body = request.get_json(silent=True) or {}
    user = authenticate(str(body.get("username", "")), str(body.get("password", "")),
                        current_app.config["SECRET_KEY"])
    if user is None:
        raise InvalidInput("Onbekende gebruikersnaam of onjuist wachtwoord.",
                           {"password": ["Onbekende gebruikersnaam of onjuist wachtwoord."]})
    session.clear()
    session["user_id"] = user.id
    return {"username": user.username, "roles": sorted(user.roles), "at": clock.now().isoformat()}


@bp.delete("/api/session")
def logout():
    """End the web session."""
    session.clear()
    return "", 204
