"""Fixtures: an app per test on SQLite and, when reachable, PostgreSQL; API helpers; complaint factory."""

import base64
import os
import shutil
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import time_machine
from jinja2 import BytecodeCache
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from service import create_app
from service.clock import AMSTERDAM
from service.extensions import db
from service.models import User

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("KLACHTEN_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
PASSWORD = "geheim-wachtwoord"
USERS = {
    "praktijk": ["practice"],
    "behandelaar": ["handler"],
    "behandelaar2": ["handler"],
    "coach": ["coach"],
    "coach2": ["coach"],
    "eigenaar": ["process_owner"],
}
# A fixed Tuesday in winter time, so tests read like a calendar.
START = datetime(2026, 3, 3, 10, 0, tzinfo=AMSTERDAM)


def pytest_collection_modifyitems(config, items):
    """Run a test marked sqlite_only on SQLite alone: its behaviour does not depend on the database."""
    kept, dropped = [], []
    for item in items:
        on_postgres = getattr(item, "callspec", None) and item.callspec.params.get("backend") == "postgresql"
        (dropped if on_postgres and item.get_closest_marker("sqlite_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session")
def password_hash():
    """Hash the test password once, with a cheap method: the service checks a hash with the method written in it,
    and thousands of logins in the suite would otherwise cost a slow scrypt check each (the service's own
    hashing, scrypt, is what `users create` and the pages use; tests of it create users that way)."""
    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture(scope="session")
def pg_database():
    """Create a throw-away PostgreSQL database for the session; skip (or fail in CI) when unreachable."""
    name = f"klachten_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as err:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN_URL}: {err}")
        pytest.skip(f"PostgreSQL not reachable: {err}")
    admin.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)
    state = {"url": url, "schema_ready": False}
    yield state
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


class _CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates kept for the whole run (keyed by the template's source checksum, so an edited
    template is compiled again): compiling the pages anew for every test's app cost a quarter second a test."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES_COMPILED = _CompiledTemplates()


def _app(backend, request, tmp_path, password_hash, extra=None):
    if backend == "postgresql":
        pg = request.getfixturevalue("pg_database")
        url = pg["url"]
    else:
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": url,
        "TIMER_WAKE_INTERVAL": 0,
        "INSTANCE_DIR": tmp_path,
        # Tests move the clock by days with people logged in: they keep Flask's default of 31 days; the service's
        # 12 hours have their own test (test_security).
        "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
        **(extra or {}),
    }
    app = create_app(config)
    app.jinja_env.bytecode_cache = TEMPLATES_COMPILED  # a new app per test: compile each template once per run
    with app.app_context():
        if backend == "postgresql":
            if not pg["schema_ready"]:
                db.create_all()
                pg["schema_ready"] = True
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        else:
            db.create_all()
        for username, roles in USERS.items():
            db.session.add(User(username=username, display_name=username.capitalize(),
                                password_hash=password_hash, roles_text=",".join(roles),
                                created_at=START))
        db.session.commit()
        from service.complaints.classification import seed_defaults

        seed_defaults()  # what migration 0005 does for a real database
        from service.clock import now
        from service.process.deploy import deploy

        deploy((ROOT / "processes" / "klachtenreglement.bpmn").read_bytes(), actor="test", now=now(),
               ctx=app.extensions["klachten"])
    return app


@pytest.fixture
def app(backend, request, tmp_path, password_hash, clock):
    app = _app(backend, request, tmp_path, password_hash)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def clock():
    """Move the one clock of the service (and of SpiffWorkflow's timers) by hand."""
    with time_machine.travel(START, tick=False) as traveller:
        yield Clock(traveller)


class Clock:
    def __init__(self, traveller):
        self.traveller = traveller

    def move_to(self, moment: datetime):
        self.traveller.move_to(moment)

    def shift(self, **delta):
        self.traveller.shift(timedelta(**delta))

    def to_day(self, day: date, hour: int = 10, minute: int = 0):
        self.traveller.move_to(datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM))

    @staticmethod
    def today() -> date:
        return datetime.now(AMSTERDAM).date()


def basic(username: str, password: str = PASSWORD) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


class Api:
    """A test client that speaks JSON as a named user."""

    def __init__(self, client):
        self.client = client

    def get(self, path, user="praktijk", **kwargs):
        return self.client.get(path, headers=basic(user), **kwargs)

    def post(self, path, json=None, user="praktijk", **kwargs):
        return self.client.post(path, json=json, headers=basic(user), **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(client):
    return Api(client)


def complaint_payload(**overrides) -> dict:
    """A valid registration body (plainly fictional people)."""
    today = datetime.now(AMSTERDAM).date()
    body = {
        "complainant": {"name": "Jan de Vries & Zn", "address": "Voorbeeldstraat 1, 1234 AB Nergenshuizen",
                        "email": "jan@example.org", "phone": "0612345678"},
        "dated_on": today.isoformat(),
        "received_on": today.isoformat(),
        "channel": "written",
        "description": "De coach kwam twee afspraken niet na.",
        "coach": "coach",
        "commissioning_client": {"kind": "uwv", "name": "UWV Voorbeeldstad"},
        "concerns_personal_data": False,
        "official": True,
    }
    for key, value in overrides.items():
        body[key] = value
    return body


def task_fields(task: str, **overrides) -> dict:
    """Valid fields for each user task of the contract."""
    today = datetime.now(AMSTERDAM).date().isoformat()
    defaults = {
        "appoint_handler": {"handler_username": "behandelaar", "handler_name": "Bea Handelaar",
                            "handler_function": "Loopbaancoach, erkend NOLOC-lid", "handler_noloc_member": True},
        "send_acknowledgement": {"summary": "Afspraken niet nagekomen.", "place": "Utrecht",
                                 "expected_term_weeks": 6},
        "assess_admissibility": {"taken_into_handling": True},
        "send_unfounded_notice": {"explanation": "De klacht gaat niet over onze dienstverlening."},
        "hear_coach": {"coach_reaction_summary": "De coach erkent dat afspraken zijn verzet."},
        "coach_agreement": {"agrees": True},
        "decide_measures": {"founded": True, "offer_types": ["correction"],
                            "offer_description": "Twee extra sessies zonder kosten.", "severity": "medium",
                            "cause": "Planningsfout"},
        "offer_call": {"called_on": today, "complainant_satisfied": True,
                       "complainant_reaction": "Tevreden met het aanbod."},
        "reconsider": {"next_step": "close",
                       "close_reason": "Een nieuw aanbod is niet mogelijk; de klager is gewezen op de externe routes."},
        "send_final_report": {"resolution_summary": "Opgelost met twee extra sessies."},
        "record_preventive_measures": {"measures_needed": True, "measures": "Agenda dubbel controleren.",
                                       "consulted": "Praktijkhouder"},
        "record_offer_carried_out": {"carried_out_on": today,
                                     "carried_out_description": "Twee extra sessies gegeven."},
    }
    return {**defaults[task], **overrides}


ROLE_USER = {"practice": "praktijk", "handler": "behandelaar", "coach": "coach"}


class Cases:
    """Factory: register complaints and walk them through tasks via the HTTP API."""

    def __init__(self, api):
        self.api = api

    def register(self, **overrides) -> dict:
        response = self.api.post("/api/complaints", complaint_payload(**overrides))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def get(self, complaint_id: int) -> dict:
        response = self.api.get(f"/api/complaints/{complaint_id}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def open_task(self, complaint: dict, task: str) -> dict:
        found = [t for t in self.get(complaint["id"])["tasks"] if t["task"] == task]
        assert found, f"{task} is not open; open: {[t['task'] for t in self.get(complaint['id'])['tasks']]}"
        return found[0]

    def complete(self, complaint: dict, task: str, user: str | None = None, **fields) -> dict:
        open_task = self.open_task(complaint, task)
        user = user or ROLE_USER[open_task["role"]]
        response = self.api.post(f"/api/tasks/{open_task['id']}", task_fields(task, **fields), user=user)
        assert response.status_code == 200, (task, response.get_json())
        return response.get_json()

    def walk(self, complaint: dict, *tasks: str) -> dict:
        for task in tasks:
            complaint = self.complete(complaint, task)
        return complaint

    def make(self, at_task: str | None = None, **overrides) -> dict:
        """Register a complaint and complete the founded path until at_task is open (None: closed)."""
        complaint = self.register(**overrides)
        for task in FOUNDED_PATH:
            if task == at_task:
                return complaint
            complaint = self.complete(complaint, task)
        return complaint


FOUNDED_PATH = ("appoint_handler", "send_acknowledgement", "assess_admissibility", "hear_coach",
                "coach_agreement", "decide_measures", "offer_call", "send_final_report",
                "record_preventive_measures", "record_offer_carried_out")


@pytest.fixture
def cases(api):
    return Cases(api)


# ---------------------------------------------------------------- browser tests

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; required in CI, skipped elsewhere when absent."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is required in CI (apt-get install chromium)")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def live_server(app):
    """Serve the test app on a free loopback port in a thread of this process (so the clock moves it too)."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """End the run by saying what it ran on: the databases, the browser, LibreOffice, and what was skipped."""
    reports = [r for key in ("passed", "failed", "error") for r in terminalreporter.stats.get(key, [])
               if getattr(r, "when", "call") == "call"]
    ran = {name for name in ("sqlite", "postgresql") if any(f"[{name}" in r.nodeid for r in reports)}
    skipped = terminalreporter.stats.get("skipped", [])
    reasons: dict[str, int] = {}
    for report in skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    browser_ran = any("e2e" in r.nodeid for r in reports)
    terminalreporter.section("what this run used")
    terminalreporter.write_line(f"databases: {', '.join(sorted(ran)) or 'none'}"
                                + ("" if "postgresql" in ran else " (PostgreSQL tests did not run)"))
    terminalreporter.write_line(f"browser: {CHROMIUM} (Playwright)" if browser_ran and Path(CHROMIUM).exists()
                                else "browser: none (browser tests did not run)")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    terminalreporter.write_line(f"LibreOffice: {office}" if office else "LibreOffice: not installed")
    if reasons:
        terminalreporter.write_line(f"skipped: {len(skipped)}")
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"  {count} x {reason}")
    else:
        terminalreporter.write_line("skipped: nothing")
