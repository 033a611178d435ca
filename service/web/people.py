"""People by name on the pages: a username recorded as an actor is shown as the user's name."""

from flask import g
from markupsafe import Markup, escape

from service.accounts import users
from service.web import bp

# Actors that are not people: how the pages name them.
NON_PERSONS = {"system": "systeem", "cli": "beheer (opdrachtregel)", "online": "de klager (online)"}


def person(username: str | None) -> str:
    """Return the name of the user (read once per request), the Dutch word for a non-person actor, else the
    username as recorded (a user since removed)."""
    if not username:
        return ""
    if username in NON_PERSONS:
        return NON_PERSONS[username]
    names = g.get("display_names")
    if names is None:
        names = g.display_names = users.display_names()
    return names.get(username, username)


@bp.app_template_filter("person")
def _person(username: str | None) -> Markup:
    return Markup(escape(person(username)))
