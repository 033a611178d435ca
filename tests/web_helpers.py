"""Helpers for the web page tests: log in through the form, read CSRF tokens and submit forms."""

import re
from html import unescape

from conftest import PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """Return the CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "no csrf_token field on the page"
    return unescape(match.group(1))


def token(client, path: str = "/login") -> str:
    """GET a page and return its CSRF token."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return csrf_from(response.get_data(as_text=True))


def login(client, username: str, password: str = PASSWORD, next_page: str | None = None):
    """Log in through the login form; return the response of the POST."""
    data = {"csrf_token": token(client), "username": username, "password": password}
    if next_page is not None:
        data["next"] = next_page
    return client.post("/login", data=data)


def submit(client, form_page: str, action: str, data: dict, **kwargs):
    """Read the CSRF token from form_page and POST data (with it) to action."""
    return client.post(action, data={"csrf_token": token(client, form_page), **data}, **kwargs)


def text(response) -> str:
    """Return the response body as text with HTML entities resolved."""
    return unescape(response.get_data(as_text=True))


def visible_text(response) -> str:
    """Return the page's text as a reader sees it: tags removed, white space collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def field_error(html: str, input_id: str) -> str:
    """Return the text of the error message tied to an input (its id-error paragraph)."""
    match = re.search(rf'<p class="field-error" id="{re.escape(input_id)}-error">(.*?)</p>', html, re.S)
    assert match, f"no error at {input_id}"
    message = re.sub(r'<span class="visually-hidden">.*?</span>', "", match.group(1))
    return unescape(re.sub(r"<[^>]+>", "", message)).strip()


def input_value(html: str, input_id: str) -> str | None:
    """Return the value attribute of the input with id input_id, or None."""
    match = re.search(rf'<input id="{re.escape(input_id)}"[^>]*?value="([^"]*)"', html)
    return unescape(match.group(1)) if match else None
