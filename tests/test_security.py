"""Issue 17: no built-in secret, revocable sessions, login throttling, security headers and cache control."""

import csv
import hashlib
import hmac
import io
import stat
from datetime import timedelta

import pytest
from conftest import PASSWORD, _app, basic
from web_helpers import login, submit, text, visible_text

from service import create_app
from service.clock import now
from service.extensions import db

OLD_PUBLIC_KEY = "dev-only-not-secret"  # what sessions were signed with before: an attacker knows it


@pytest.fixture
def keyless_app(backend, request, tmp_path, password_hash, clock):
    """The test app as production starts it without KLACHTEN_SECRET_KEY and KLACHTEN_PSEUDONYM_KEY."""
    app = _app(backend, request, tmp_path, password_hash, extra={"SECRET_KEY": None})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def signed_session(app, key: str, data: dict) -> str:
    """A session cookie with data, signed the way Flask signs it, with key."""
    kept = app.secret_key
    app.secret_key = key
    try:
        return app.session_interface.get_signing_serializer(app).dumps(data)
    finally:
        app.secret_key = kept


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie"
    return cookie.value


def with_cookie(app, value: str):
    """A new browser that sends the given session cookie."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def api_login(client, username="praktijk", password=PASSWORD, address="127.0.0.1"):
    return client.post("/api/session", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


# ---------------------------------------------------------------- keys


def test_without_a_configured_key_one_is_made_once_privately_and_kept(tmp_path):
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.sqlite'}",
              "TIMER_WAKE_INTERVAL": 0, "INSTANCE_DIR": tmp_path / "instance", "SECRET_KEY": None,
              "PSEUDONYM_KEY": None}
    first = create_app(dict(config))
    for name, setting in (("secret_key", "SECRET_KEY"), ("pseudonym_key", "PSEUDONYM_KEY")):
        path = tmp_path / "instance" / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert first.config[setting] == path.read_text().strip()
        assert len(first.config[setting]) >= 64  # token_urlsafe(48)
    assert first.config["SECRET_KEY"] != first.config["PSEUDONYM_KEY"]
    assert first.config["SECRET_KEY"] != OLD_PUBLIC_KEY
    second = create_app(dict(config))  # another worker on the same folder
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]
    assert second.config["PSEUDONYM_KEY"] == first.config["PSEUDONYM_KEY"]
    assert sorted(p.name for p in (tmp_path / "instance").iterdir()) == ["pseudonym_key", "secret_key"]


def test_workers_starting_together_agree_on_the_key(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from service.keys import kept_secret

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: kept_secret(tmp_path, "secret_key"), range(32)))
    assert len(keys) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left behind


def test_a_configured_key_wins(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'k.sqlite'}",
                      "TIMER_WAKE_INTERVAL": 0, "INSTANCE_DIR": tmp_path, "SECRET_KEY": "s" * 40,
                      "PSEUDONYM_KEY": "p" * 40})
    assert (app.secret_key, app.config["PSEUDONYM_KEY"]) == ("s" * 40, "p" * 40)
    assert not (tmp_path / "secret_key").exists() and not (tmp_path / "pseudonym_key").exists()


def test_a_cookie_signed_with_the_old_public_string_is_refused(keyless_app):
    client = keyless_app.test_client()
    assert api_login(client).status_code == 200
    claims = {"user_id": 1, "epoch": 0}
    forged = with_cookie(keyless_app, signed_session(keyless_app, OLD_PUBLIC_KEY, claims))
    assert forged.get("/api/complaints").status_code == 401
    assert forged.get("/taken").status_code == 302
    genuine = with_cookie(keyless_app, signed_session(keyless_app, keyless_app.secret_key, claims))
    assert genuine.get("/api/complaints").status_code == 200  # the same claims with the real key do count


def test_the_export_pseudonyms_use_their_own_key(backend, request, tmp_path, password_hash, clock):
    app = _app(backend, request, tmp_path, password_hash, extra={"PSEUDONYM_KEY": "p" * 40})
    try:
        client = app.test_client()
        registered = client.post("/api/complaints", headers=basic("praktijk"), json=_registration())
        assert registered.status_code == 201, registered.get_json()
        body = client.get("/api/analysis/export.csv", headers=basic("praktijk")).get_data(as_text=True)
        row = next(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))

        def pseudonym(key: str) -> str:
            return "coach-" + hmac.new(key.encode(), b"coach:coach", hashlib.sha256).hexdigest()[:8]

        assert row["coach"] == pseudonym("p" * 40)
        assert row["coach"] != pseudonym(app.secret_key)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _registration() -> dict:
    from conftest import complaint_payload

    return complaint_payload()


# ---------------------------------------------------------------- sessions end on the server


def test_logout_ends_the_session_on_the_server(app, client):
    assert api_login(client).status_code == 200
    cookie = session_cookie(client)
    assert client.delete("/api/session").status_code == 204
    assert with_cookie(app, cookie).get("/api/complaints").status_code == 401
    assert client.get("/api/complaints").status_code == 401


def test_web_logout_ends_the_session_on_the_server(app, client):
    assert login(client, "behandelaar").status_code == 303
    cookie = session_cookie(client)
    assert submit(client, "/taken", "/logout", {}).status_code == 303
    replayed = with_cookie(app, cookie)
    assert replayed.get("/taken").headers["Location"].startswith("/login")
    assert replayed.get("/api/tasks").status_code == 401


def test_a_password_reset_by_the_practice_ends_the_users_sessions(app, client):
    coach = app.test_client()
    assert login(coach, "coach").status_code == 303
    login(client, "praktijk")
    assert submit(client, "/gebruikers/coach", "/gebruikers/coach/wachtwoord",
                  {"password": "nieuw-wachtwoord"}).status_code == 303
    assert coach.get("/api/tasks").status_code == 401
    assert coach.get("/taken").status_code == 302
    assert client.get("/gebruikers").status_code == 200  # the practice's own session goes on


def test_a_new_own_password_ends_the_other_sessions_but_not_this_one(app):
    here, elsewhere = app.test_client(), app.test_client()
    for browser in (here, elsewhere):
        assert login(browser, "behandelaar").status_code == 303
    assert submit(here, "/account", "/account/wachtwoord", {
        "current_password": PASSWORD, "new_password": "mijn-nieuwe-ww",
        "new_password_repeat": "mijn-nieuwe-ww"}).status_code == 303
    assert here.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302
    assert elsewhere.get("/api/tasks").status_code == 401


def test_a_disabled_user_stays_logged_out_when_enabled_again(app, client):
    coach = app.test_client()
    assert api_login(coach, "coach").status_code == 200
    login(client, "praktijk")
    assert submit(client, "/gebruikers/coach", "/gebruikers/coach/actief", {"active": "nee"}).status_code == 303
    assert coach.get("/api/tasks").status_code == 401
    assert submit(client, "/gebruikers/coach", "/gebruikers/coach/actief", {"active": "ja"}).status_code == 303
    assert coach.get("/api/tasks").status_code == 401
    assert api_login(app.test_client(), "coach").status_code == 200


def test_remembered_basic_credentials_end_with_a_change_made_elsewhere(app, client):
    from werkzeug.security import generate_password_hash

    from service.models import User

    for username in ("coach", "coach2"):
        assert client.get("/api/tasks", headers=basic(username)).status_code == 200  # now remembered
    with app.app_context():  # as another process would: straight in the database, no forget() here
        db.session.execute(db.update(User).where(User.username == "coach")
                           .values(password_hash=generate_password_hash("ander-wachtwoord")))
        db.session.execute(db.update(User).where(User.username == "coach2").values(active=False))
        db.session.commit()
    assert client.get("/api/tasks", headers=basic("coach")).status_code == 401
    assert client.get("/api/tasks", headers=basic("coach", "ander-wachtwoord")).status_code == 200
    assert client.get("/api/tasks", headers=basic("coach2")).status_code == 401


def test_a_session_ends_twelve_hours_after_it_was_last_written(backend, request, tmp_path, password_hash, clock):
    from service.config import Config

    assert Config.PERMANENT_SESSION_LIFETIME == timedelta(hours=12)
    app = _app(backend, request, tmp_path, password_hash,
               extra={"PERMANENT_SESSION_LIFETIME": Config.PERMANENT_SESSION_LIFETIME})
    try:
        client = app.test_client()
        assert api_login(client).status_code == 200
        clock.shift(hours=11, minutes=59)
        assert client.get("/api/complaints").status_code == 200
        clock.shift(minutes=2)
        assert client.get("/api/complaints").status_code == 401
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.sqlite_only
@pytest.mark.parametrize("secure", [False, True])
def test_the_session_cookie_is_http_only_same_site_and_secure_when_set(backend, request, tmp_path, password_hash,
                                                                       clock, secure):
    app = _app(backend, request, tmp_path, password_hash, extra={"SESSION_COOKIE_SECURE": secure})
    response = api_login(app.test_client())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure
    with app.app_context():
        db.engine.dispose()


# ---------------------------------------------------------------- login throttling


def fail(client, username, times, address="127.0.0.1"):
    for _ in range(times):
        assert api_login(client, username, "fout-wachtwoord", address).status_code == 422


def test_ten_failures_lock_the_username_for_fifteen_minutes_even_with_the_right_password(app, client, clock):
    fail(client, "behandelaar", 9)
    clock.shift(minutes=14)
    fail(client, "behandelaar", 1)  # the tenth within fifteen minutes
    refused = api_login(client, "behandelaar")
    assert refused.status_code == 429
    assert refused.get_json()["error"] == "Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw."
    assert refused.headers["Retry-After"] == "900"
    assert client.get("/api/tasks", headers=basic("behandelaar")).status_code == 429
    web = app.test_client()
    page = login(web, "behandelaar")
    assert page.status_code == 429
    assert "Te veel mislukte inlogpogingen. Probeer het over 15 minuten opnieuw." in visible_text(page)
    assert web.get("/taken").status_code == 302
    # another user at the same address is not affected
    assert api_login(app.test_client(), "coach").status_code == 200
    assert client.get("/api/tasks", headers=basic("coach")).status_code == 200
    clock.shift(minutes=14)
    assert api_login(client, "behandelaar").status_code == 429
    clock.shift(minutes=1)
    assert api_login(client, "behandelaar").status_code == 200
    assert login(app.test_client(), "behandelaar").status_code == 303


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client, clock):
    for _ in range(12):
        fail(client, "behandelaar", 1)
        clock.shift(minutes=2)  # never ten within fifteen minutes
    assert api_login(client, "behandelaar").status_code == 200


def test_basic_credentials_are_counted_and_locked_too(app, client):
    for _ in range(10):
        assert client.get("/api/tasks", headers=basic("coach", "geraden")).status_code == 401
    assert client.get("/api/tasks", headers=basic("coach")).status_code == 429
    assert api_login(app.test_client(), "coach").status_code == 429


def test_a_locked_username_is_locked_from_every_address(app, client):
    fail(client, "coach", 10, address="192.0.2.1")
    assert api_login(app.test_client(), "coach", address="198.51.100.7").status_code == 429


def test_logging_in_forgives_ones_own_mistypes(client):
    fail(client, "coach", 9)
    assert api_login(client, "coach").status_code == 200
    fail(client, "coach", 9)
    assert api_login(client, "coach").status_code == 200


def test_an_address_with_fifty_failures_is_locked_for_every_username(app, client, clock):
    office, elsewhere = "192.0.2.10", "192.0.2.11"
    for number in range(49):
        fail(client, f"gok{number}", 1, address=office)
    assert api_login(app.test_client(), "praktijk", address=office).status_code == 200
    fail(client, "nog-een-gok", 1, address=office)
    refused = api_login(app.test_client(), "praktijk", address=office)
    assert refused.status_code == 429
    assert api_login(app.test_client(), "praktijk", address=elsewhere).status_code == 200
    clock.shift(minutes=15)
    assert api_login(app.test_client(), "praktijk", address=office).status_code == 200


@pytest.mark.parametrize("username", ["niemand", "coach"])
def test_an_unknown_or_disabled_username_costs_a_password_check_too(app, client, monkeypatch, username):
    from service.accounts import users

    if username == "coach":
        with app.app_context():
            users.set_active("coach", False, actor=users.find("praktijk"), now=now())
    checked = []
    real = users.check_password_hash

    def recording(pwhash, password):
        checked.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(users, "check_password_hash", recording)
    assert api_login(client, username, PASSWORD).status_code == 422
    assert checked == [users._DUMMY_HASH]
    assert client.get("/api/tasks", headers=basic(username, "nog-iets")).status_code == 401
    assert checked == [users._DUMMY_HASH] * 2


def test_basic_credentials_with_a_nul_byte_are_a_failed_login_not_an_error(client):
    import base64

    for raw in (b"coach\x00:x", b"coach:geheim\x00", "co\u00e9ch:x".encode()):
        headers = {"Authorization": "Basic " + base64.b64encode(raw).decode()}
        assert client.get("/api/tasks", headers=headers).status_code == 401, raw


def test_old_failures_are_pruned(app, client, clock):
    from service.models import LoginFailure

    fail(client, "coach", 3)
    clock.shift(minutes=31)
    fail(client, "coach", 1)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(LoginFailure.id))) == 1


# ---------------------------------------------------------------- headers


CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@pytest.mark.sqlite_only
def test_every_answer_carries_the_security_headers_and_personal_data_is_not_cached(app, client):
    login(client, "praktijk")
    answers = {
        "login page": app.test_client().get("/login"),
        "page": client.get("/taken"),
        "error page": client.get("/klachten/999999"),
        "api": client.get("/api/complaints"),
        "api error": app.test_client().get("/api/complaints"),
        "csv": client.get("/api/analysis/export.csv"),
        "static": client.get("/static/style.css"),
        "vendor": client.get(_vendor_path(app)),
    }
    for name, response in answers.items():
        assert response.headers["Content-Security-Policy"] == CSP, name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        assert response.headers["Referrer-Policy"] == "same-origin", name
        assert response.headers["X-Frame-Options"] == "DENY", name
        cached = name in ("static", "vendor")
        assert (response.headers.get("Cache-Control") == "no-store") is not cached, (name, response.headers)
    assert answers["vendor"].status_code == 200
    assert "max-age=31536000" in answers["vendor"].headers["Cache-Control"]
    for response in answers.values():
        response.close()  # the file answers


def _vendor_path(app) -> str:
    with app.test_request_context():
        from service.web.vendor import vendor_url

        return vendor_url("bpmn-js/dist/bpmn-navigated-viewer.production.min.js")


def test_the_login_page_shows_the_lockout_in_dutch(app, client):
    for _ in range(10):
        login(client, "coach", "fout-wachtwoord")
    page = login(client, "coach")
    assert page.status_code == 429 and page.headers["Retry-After"] == "900"
    assert "Inloggen is niet gelukt" in text(page)
