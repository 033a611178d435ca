"""Map the service's exceptions to HTTP answers in one place: JSON {"error", "errors"}."""

import logging

from flask import Flask
from werkzeug.exceptions import HTTPException

from .errors import ServiceError
from .extensions import db

log = logging.getLogger(__name__)

HTTP_MESSAGES = {
    400: "Het verzoek is niet goed gevormd.",
    401: "Log in om verder te gaan.",
    403: "U heeft geen toegang tot deze gegevens of handeling.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    413: "Het bestand is te groot.",
}


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(ServiceError)
    def service_error(err: ServiceError):
        db.session.rollback()
        if err.status >= 500:
            log.error("request failed: %s", err.message)
        headers = {"WWW-Authenticate": 'Basic realm="klachtenregeling"'} if err.status == 401 else {}
        return {"error": err.message, "errors": err.errors}, err.status, headers

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        return {"error": HTTP_MESSAGES.get(err.code, err.description), "errors": {}}, err.code

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        db.session.rollback()
        log.exception("unexpected error")
        return {"error": "Er ging iets mis; er is niets gewijzigd. Probeer het opnieuw.", "errors": {}}, 500
