"""Map the service's exceptions to HTTP answers in one place.

The JSON API (/api/...) answers {"error", "errors"}; the web pages answer a Dutch HTML page, and send a
visitor who is not logged in to the login page.
"""

import logging

from flask import Flask, current_app, redirect, render_template, request, url_for
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from service.errors import ServiceError
from service.extensions import db

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Het verzoek is niet goed gevormd.",
    401: "Log in om verder te gaan.",
    403: "U heeft geen toegang tot deze gegevens of handeling.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    413: "Het bestand is te groot.",
}
UNEXPECTED = "Er ging iets mis; er is niets gewijzigd. Probeer het opnieuw."
TITLES = {
    400: "Verzoek niet verwerkt",
    401: "Inloggen nodig",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Niet toegestaan",
    409: "Gewijzigd in de tussentijd",
    413: "Bestand te groot",
    422: "Invoer niet geldig",
    429: "Even geduld",
}


def is_api_request() -> bool:
    """Return whether the request is for the JSON API (every path under /api, and the status page's JSON)."""
    return request.path == "/api" or request.path.startswith("/api/") or _status_page_json()


def _status_page_json() -> bool:
    """The complainant's status page (/klacht/<token>) answers JSON to a post that is not one of its forms, and to
    Accept: application/json."""
    if not request.path.startswith("/klacht/"):
        return False
    if request.method == "POST" and request.mimetype not in ("application/x-www-form-urlencoded",
                                                              "multipart/form-data"):
        return True  # not the page's own forms: a program's post
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def login_redirect():
    """Return a redirect to the login page that comes back to the requested page (GET only)."""
    if request.method == "GET":
        return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
    return redirect(url_for("web.login"))


def back_url() -> str | None:
    """The page the visitor came from on this site (a form that was refused), for a link back; else None."""
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None


def html_error(status: int, message: str, errors: dict | None = None):
    """Return a Dutch HTML error page; a bare page if the full one cannot be rendered."""
    title = TITLES.get(status, "Er ging iets mis" if status >= 500 else "Verzoek niet verwerkt")
    try:
        body = render_template("error.html", status=status, title=title, message=message, errors=errors or {},
                               back_url=back_url())
    except Exception:  # an error page must never fail itself (e.g. the database is down)
        log.exception("error page could not be rendered")
        body = (f'<!doctype html><html lang="nl"><meta charset="utf-8"><title>{escape(title)}</title>'
                f"<h1>{escape(title)}</h1><p>{escape(message)}</p></html>")
    return body, status, {"Content-Type": "text/html; charset=utf-8"}


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(ServiceError)
    def service_error(err: ServiceError):
        db.session.rollback()
        if err.status >= 500:
            log.error("request failed: %s", err.message)
        if not is_api_request():
            if err.status == 401:
                return login_redirect()
            body, status, headers = html_error(err.status, err.message, err.errors)
            return body, status, {**headers, **err.headers()}
        headers = {"WWW-Authenticate": 'Basic realm="klachtenregeling"'} if err.status == 401 else {}
        headers.update(err.headers())
        return {"error": err.message, "errors": err.errors, **err.extra()}, err.status, headers

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        if not is_api_request():
            fallback = UNEXPECTED if (err.code or 500) >= 500 else "Het verzoek kon niet worden verwerkt."
            message = HTTP_MESSAGES.get(err.code, fallback)
            if err.code == 413:
                limit = current_app.config["MAX_UPLOAD_BYTES"] // (1024 * 1024)
                message = (f"Het bestand is te groot: een bestand mag hoogstens {limit} MB zijn. Er is niets "
                           "opgeslagen. Ga terug, kies een kleiner bestand en verstuur het formulier opnieuw.")
            return html_error(err.code or 500, message)
        return {"error": HTTP_MESSAGES.get(err.code, err.description), "errors": {}}, err.code

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        db.session.rollback()
        log.exception("unexpected error")
        if not is_api_request():
            return html_error(500, UNEXPECTED)
        return {"error": UNEXPECTED, "errors": {}}, 500
