"""E-mail against a real SMTP server (aiosmtpd on a free port): who gets what and when, nothing lost while the
server is down, nothing sent twice, nothing sent without MAIL_SERVER; the pages Gebruikers and Mijn account."""

import email
import email.policy
import socket
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from conftest import PASSWORD, _app, basic
from helpers import tick
from sqlalchemy import select, text
from web_helpers import field_error, login, submit, visible_text

from service import clock as service_clock
from service.accounts import users
from service.dutch import nl_date
from service.extensions import db
from service.mail import deliver_outbox, outbox_problems
from service.mail.delivery import claim
from service.mail.messages import Mail
from service.mail.outbox import queue
from service.models import OutboxMail, User

BASE_URL = "https://klachten.example.org"
ADDRESSES = {"praktijk": "praktijk@example.org", "behandelaar": "behandelaar@example.org",
             "behandelaar2": "behandelaar2@example.org", "coach": "coach@example.org"}


class Collector:
    """The SMTP handler: keeps every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on a fixed free port that can be stopped and started again."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = Collector()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.handler.messages

    def to(self, address: str, subject_part: str = "") -> list:
        """Return the messages delivered to address whose subject contains subject_part."""
        return [m for m in self.messages if m["To"] == address and subject_part in m["Subject"]]

    def clear(self):
        self.handler.messages.clear()


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def _with_addresses(app):
    with app.app_context():
        for username, address in ADDRESSES.items():
            db.session.scalar(select(User).where(User.username == username)).email = address
        db.session.commit()


@pytest.fixture
def app(backend, request, tmp_path, password_hash, clock, smtp):
    """The test app with e-mail on, sending to the test SMTP server; the users have e-mail addresses."""
    app = _app(backend, request, tmp_path, password_hash,
               extra={"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "BASE_URL": BASE_URL,
                      "MAIL_DEFAULT_SENDER": "Klachtenregeling <klachten@example.org>"})
    _with_addresses(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def deliver(app) -> int:
    with app.app_context():
        return deliver_outbox(service_clock.now(), app.extensions["klachten"])


def outbox(app) -> list[OutboxMail]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
        db.session.expunge_all()
        return rows


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


def open_task_id(cases, complaint, task):
    return cases.open_task(complaint, task)["id"]


# ------------------------------------------------------------------ who gets what, and when

def test_a_new_complaint_mails_the_practice_and_appointing_a_handler_mails_the_handler(app, cases, smtp):
    complaint = cases.register()
    appoint = open_task_id(cases, complaint, "appoint_handler")
    assert deliver(app) == 1
    [mail] = smtp.to("praktijk@example.org")
    assert mail["Subject"] == f"Nieuwe taak: {cases.open_task(complaint, 'appoint_handler')['name']} " \
                              f"({complaint['reference']})"
    assert mail["From"] == "Klachtenregeling <klachten@example.org>"
    assert f"{BASE_URL}/taken/{appoint}" in body(mail)
    assert f'href="{BASE_URL}/taken/{appoint}"' in html(mail)
    smtp.clear()

    complaint = cases.complete(complaint, "appoint_handler")
    handler_tasks = [t for t in complaint["tasks"] if t["role"] == "handler"]
    assert handler_tasks
    assert deliver(app) == len(handler_tasks)
    mails = smtp.to("behandelaar@example.org")
    assert len(mails) == len(handler_tasks)
    for task, mail in zip(sorted(handler_tasks, key=lambda t: t["name"]),
                          sorted(mails, key=lambda m: m["Subject"]), strict=True):
        text_body = body(mail)
        assert complaint["reference"] in mail["Subject"] and task["name"] in mail["Subject"]
        assert f"Klacht: {complaint['reference']}" in text_body
        assert f"Taak: {task['name']}" in text_body
        assert f"{BASE_URL}/taken/{task['id']}" in text_body
        assert "Geachte Behandelaar," in text_body
        if task["due_on"]:
            assert "uiterlijk " in text_body and task["due_on"][:4] in text_body
        # Nothing of the case beyond reference, task and link: no complainant, no description, no client.
        for secret in ("Jan de Vries", "Voorbeeldstraat", "jan@example.org", "afspraken niet na", "UWV"):
            assert secret not in text_body and secret not in html(mail) and secret not in mail["Subject"]
    assert smtp.to("coach@example.org") == []


def test_a_due_date_in_the_mail_is_in_dutch(app, cases, smtp):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    assert task["due_on"]
    deliver(app)
    [mail] = smtp.to("behandelaar@example.org", task["name"])
    assert f"Termijn: uiterlijk {nl_date(task['due_on'])}" in body(mail)


def test_a_coach_task_mails_the_coach_concerned(app, cases, smtp):
    complaint = cases.make(at_task="coach_agreement")
    deliver(app)
    task = cases.open_task(complaint, "coach_agreement")
    [mail] = smtp.to("coach@example.org")
    assert task["name"] in mail["Subject"]
    assert f"{BASE_URL}/taken/{task['id']}" in body(mail)
    assert smtp.to("coach2@example.org") == []


def test_replacing_the_handler_mails_the_new_handler(app, cases, api, smtp):
    complaint = cases.make(at_task="send_acknowledgement")
    deliver(app)
    smtp.clear()
    response = api.post(f"/api/complaints/{complaint['id']}/handler",
                        {"handler_username": "behandelaar2", "handler_function": "Loopbaancoach",
                         "reason": "Ziekte van de behandelaar."})
    assert response.status_code == 200, response.get_json()
    assert deliver(app) >= 1
    assert smtp.to("behandelaar2@example.org", "Nieuwe taak")
    assert smtp.to("behandelaar@example.org") == []


def test_a_passed_deadline_mails_the_practice_once(app, cases, clock, smtp):
    complaint = cases.register()
    deliver(app)
    smtp.clear()
    due = next(d for d in complaint["deadlines"] if d["name"] == "acknowledgement")["due_on"]
    clock.to_day(date.fromisoformat(due) + timedelta(days=1), hour=9)
    output = tick(app)
    assert output.startswith("1 timer(s) fired.")
    [mail] = smtp.to("praktijk@example.org", "Termijn verstreken")
    assert complaint["reference"] in mail["Subject"]
    assert f"{BASE_URL}/klachten/{complaint['id']}" in body(mail)
    assert "Jan de Vries" not in body(mail)
    assert smtp.to("behandelaar@example.org", "Termijn verstreken") == []
    clock.shift(hours=1)
    tick(app)
    assert len(smtp.to("praktijk@example.org", "Termijn verstreken")) == 1


def test_a_reminder_goes_reminder_days_before_the_due_date_and_only_once(app, cases, clock, smtp):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    due = date.fromisoformat(task["due_on"])
    deliver(app)
    smtp.clear()
    assert due - timedelta(days=4) >= service_clock.local_date(service_clock.now())
    clock.to_day(due - timedelta(days=4), hour=23, minute=59)
    tick(app)
    assert smtp.to("behandelaar@example.org", "Herinnering") == []
    clock.to_day(due - timedelta(days=3), hour=6, minute=59)
    tick(app)
    assert smtp.to("behandelaar@example.org", "Herinnering") == []
    clock.to_day(due - timedelta(days=3), hour=7, minute=0)
    assert tick(app).endswith("1 mail(s) sent.")
    [mail] = smtp.to("behandelaar@example.org", "Herinnering")
    assert task["name"] in mail["Subject"] and complaint["reference"] in mail["Subject"]
    assert "verloopt over 3 dagen" in body(mail)
    assert f"{BASE_URL}/taken/{task['id']}" in body(mail)
    for moment in (dict(hour=12), dict(hour=23)):
        clock.to_day(due - timedelta(days=3), **moment)
        tick(app)
    clock.to_day(due - timedelta(days=1), hour=9)
    tick(app)
    assert len(smtp.to("behandelaar@example.org", "Herinnering")) == 1
    assert [m for m in smtp.messages if "Herinnering" in m["Subject"] and m["To"] != "behandelaar@example.org"] == []


def test_the_reminder_days_are_a_setting(backend, request, tmp_path, password_hash, clock, smtp, cases_factory):
    app = _app(backend, request, tmp_path, password_hash,
               extra={"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "REMINDER_DAYS": 1})
    _with_addresses(app)
    try:
        cases = cases_factory(app)
        complaint = cases.make(at_task="send_acknowledgement")
        task = cases.open_task(complaint, "send_acknowledgement")
        due = date.fromisoformat(task["due_on"])
        clock.to_day(due - timedelta(days=2), hour=9)
        tick(app)
        assert smtp.to("behandelaar@example.org", "Herinnering") == []
        clock.to_day(due - timedelta(days=1), hour=9)
        tick(app)
        [mail] = smtp.to("behandelaar@example.org", "Herinnering")
        assert "verloopt morgen" in body(mail)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def cases_factory():
    from conftest import Api, Cases

    return lambda app: Cases(Api(app.test_client()))


def test_no_mail_is_queued_or_sent_without_a_mail_server(backend, request, tmp_path, password_hash, clock, smtp,
                                                         cases_factory):
    app = _app(backend, request, tmp_path, password_hash)  # no MAIL_SERVER
    _with_addresses(app)
    try:
        cases = cases_factory(app)
        complaint = cases.make(at_task="coach_agreement")
        clock.shift(days=40)
        assert tick(app).splitlines()[-1].endswith("timer(s) fired.")
        assert deliver(app) == 0
        with app.app_context():
            assert db.session.scalar(select(db.func.count(OutboxMail.id))) == 0
        assert smtp.messages == []
        assert complaint["reference"]
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_digest_users_get_one_overview_a_day_instead_of_separate_mails(app, cases, clock, smtp):
    with app.app_context():
        me = db.session.scalar(select(User).where(User.username == "behandelaar"))
        users.update_own_mail(me, "behandelaar@example.org", True, now=service_clock.now())
    complaint = cases.make(at_task="send_acknowledgement")
    tick(app)  # 10:00: the handler's tasks go into today's overview, not into separate mails
    mails = smtp.to("behandelaar@example.org")
    assert [m["Subject"] for m in mails] == [f"Uw taken in de klachtenregeling op {nl_date(service_clock.now())}"]
    overview = body(mails[0])
    for task in (t for t in complaint["tasks"] if t["role"] == "handler"):
        assert task["name"] in overview and f"{BASE_URL}/taken/{task['id']}" in overview
    assert complaint["reference"] in overview and "Jan de Vries" not in overview
    clock.shift(hours=5)
    tick(app)
    assert len(smtp.to("behandelaar@example.org")) == 1
    clock.to_day(service_clock.local_date(service_clock.now()) + timedelta(days=1), hour=6, minute=59)
    tick(app)
    assert len(smtp.to("behandelaar@example.org")) == 1
    clock.shift(minutes=1)
    tick(app)
    assert len(smtp.to("behandelaar@example.org")) == 2
    assert smtp.to("praktijk@example.org", "Uw taken") == []  # the practice chose separate mails


# ------------------------------------------------------------------ delivery: nothing lost, nothing twice

def test_nothing_is_lost_while_the_mail_server_is_down(app, cases, clock, smtp):
    cases.register()
    smtp.stop()
    assert deliver(app) == 0
    [row] = outbox(app)
    assert (row.status, row.attempts, row.sent_at) == ("queued", 1, None)
    assert row.last_error and "Connection" in row.last_error
    assert row.next_attempt_at == service_clock.now() + timedelta(minutes=1)
    with app.app_context():
        assert [m.id for m in outbox_problems()] == [row.id]

    smtp.start()
    assert deliver(app) == 0  # not before its next attempt
    clock.shift(minutes=1)
    assert deliver(app) == 1
    assert deliver(app) == 0
    assert len(smtp.to("praktijk@example.org")) == 1
    [row] = outbox(app)
    assert (row.status, row.attempts, row.claimed_until, row.next_attempt_at) == ("sent", 2, None, None)
    assert row.sent_at == service_clock.now()


def test_retries_back_off_and_give_up_after_ten_attempts(app, cases, clock, smtp):
    cases.register()
    smtp.stop()
    waits = []
    for _ in range(10):
        deliver(app)
        [row] = outbox(app)
        if row.next_attempt_at is not None:
            waits.append(row.next_attempt_at - service_clock.now())
            clock.move_to(row.next_attempt_at)
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 64, 128, 256)]
    [row] = outbox(app)
    assert (row.status, row.attempts) == ("failed", 10)
    clock.shift(days=1)
    smtp.start()
    assert deliver(app) == 0
    with app.app_context():
        assert [m.status for m in outbox_problems()] == ["failed"]


def test_a_mail_is_sent_once_however_often_delivery_runs(app, cases, smtp):
    cases.make(at_task="hear_coach")
    queued = len(outbox(app))
    assert queued >= 3
    assert deliver(app) == queued
    assert deliver(app) == 0
    assert tick(app).endswith("0 mail(s) sent.")
    assert len(smtp.messages) == queued
    assert len({m["Message-ID"] for m in smtp.messages}) == queued


def test_a_claimed_mail_is_not_claimed_again_until_its_lease_ends(app, clock):
    with app.app_context():
        for n in range(3):
            queue(Mail(f"Onderwerp {n}", "tekst", "<p>tekst</p>"), recipient="x@example.org",
                  dedupe_key=f"test:{n}", now=service_clock.now())
        db.session.commit()
        first = claim(service_clock.now(), 2)
        second = claim(service_clock.now(), 10)
        assert len(first) == 2 and len(second) == 1
        assert not {m.id for m in first} & {m.id for m in second}
        assert claim(service_clock.now(), 10) == []
    clock.shift(minutes=16)  # a worker died before marking: its lease ends and the mail is tried again
    with app.app_context():
        again = claim(service_clock.now(), 10)
        assert sorted(m.id for m in again) == sorted(m.id for m in first + second)
        assert {m.attempts for m in again} == {2}


def test_the_same_event_is_queued_once(app):
    with app.app_context():
        for _ in range(2):
            queue(Mail("Onderwerp", "tekst", "<p>tekst</p>"), recipient="x@example.org", dedupe_key="test:same",
                  now=service_clock.now())
        db.session.commit()
        assert db.session.scalar(select(db.func.count(OutboxMail.id))) == 1


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # SQLite: writers take turns (BEGIN IMMEDIATE)
def test_two_workers_on_postgresql_claim_disjoint_mails(app):
    with app.app_context():
        for n in range(4):
            queue(Mail(f"Onderwerp {n}", "tekst", "<p>tekst</p>"), recipient="x@example.org",
                  dedupe_key=f"test:{n}", now=service_clock.now())
        db.session.commit()
        with db.engine.connect() as other_worker:  # a second worker in the middle of its claim
            held = other_worker.execute(text(
                "SELECT id FROM outbox_mail WHERE status = 'queued' ORDER BY next_attempt_at, id LIMIT 2 "
                "FOR UPDATE SKIP LOCKED")).scalars().all()
            mine = claim(service_clock.now(), 10)
            other_worker.rollback()
        assert len(held) == 2 and len(mine) == 2
        assert not set(held) & {m.id for m in mine}


# ------------------------------------------------------------------ the pages Gebruikers and Mijn account

@pytest.fixture
def web(app):
    client = app.test_client()
    assert login(client, "praktijk").status_code == 303
    return client


def test_the_practice_creates_a_user_with_an_email_address(web, app, smtp):
    response = submit(web, "/gebruikers", "/gebruikers", {
        "username": "fenna", "display_name": "Fenna Faber", "email": "fenna@example.org",
        "roles": ["handler", "coach"], "password": "nieuw-wachtwoord"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/gebruikers/fenna")
    page = visible_text(web.get("/gebruikers"))
    assert "Fenna Faber fenna behandelaar, coach fenna@example.org actief" in page
    with app.app_context():
        user = users.find("fenna")
        assert user.email == "fenna@example.org" and user.roles == {"handler", "coach"} and user.active
    assert app.test_client().get("/api/tasks", headers=basic("fenna", "nieuw-wachtwoord")).status_code == 200


def test_creating_a_user_reports_every_problem_in_dutch_by_field(web):
    response = submit(web, "/gebruikers", "/gebruikers", {
        "username": "praktijk", "display_name": "", "email": "geen-adres", "password": "kort"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "nu-username") == "Deze gebruikersnaam bestaat al."
    assert field_error(page, "nu-email") == "Vul een geldig e-mailadres in, bijvoorbeeld naam@praktijk.nl."
    assert field_error(page, "nu-roles").startswith("Kies een of meer rollen")
    assert field_error(page, "nu-password") == "Het wachtwoord moet minstens 8 tekens hebben."
    assert "kort" not in page.split('id="nu-password"')[1].split(">")[0]


def test_the_practice_changes_roles_email_and_password(web, app):
    assert submit(web, "/gebruikers/coach2", "/gebruikers/coach2/rollen",
                  {"roles": ["coach", "handler"]}).status_code == 303
    assert submit(web, "/gebruikers/coach2", "/gebruikers/coach2/e-mail",
                  {"email": "c2@example.org"}).status_code == 303
    bad = submit(web, "/gebruikers/coach2", "/gebruikers/coach2/e-mail", {"email": "c2@"})
    assert bad.status_code == 422
    assert field_error(bad.get_data(as_text=True), "u-email").startswith("Vul een geldig e-mailadres in")
    client = app.test_client()
    assert client.get("/api/tasks", headers=basic("coach2")).status_code == 200  # remembered credentials
    assert submit(web, "/gebruikers/coach2", "/gebruikers/coach2/wachtwoord",
                  {"password": "opnieuw-ingesteld"}).status_code == 303
    assert client.get("/api/tasks", headers=basic("coach2")).status_code == 401  # the old one no longer works
    assert client.get("/api/tasks", headers=basic("coach2", "opnieuw-ingesteld")).status_code == 200
    with app.app_context():
        user = users.find("coach2")
        assert user.roles == {"coach", "handler"} and user.email == "c2@example.org"
        kinds = list(db.session.scalars(select(db.text("kind")).select_from(db.text("history"))
                                        .where(db.text("complaint_id IS NULL"))))
        assert {"user_roles_changed", "user_email_changed", "user_password_reset"} <= set(kinds)


def test_the_practice_cannot_take_away_its_own_practice_role_or_disable_itself(web):
    response = submit(web, "/gebruikers/praktijk", "/gebruikers/praktijk/rollen", {"roles": ["handler"]})
    assert response.status_code == 422
    assert "eigen rol praktijk" in field_error(response.get_data(as_text=True), "u-roles")
    response = submit(web, "/gebruikers/praktijk", "/gebruikers/praktijk/actief", {"active": "nee"})
    assert response.status_code == 422
    assert "U kunt uzelf niet uitschakelen." in visible_text(response)


def test_a_disabled_user_cannot_log_in_and_loses_their_session(web, app, smtp, cases):
    coach = app.test_client()
    assert login(coach, "coach").status_code == 303
    assert coach.get("/taken").status_code == 200
    assert app.test_client().get("/api/tasks", headers=basic("coach")).status_code == 200
    assert submit(web, "/gebruikers/coach", "/gebruikers/coach/actief", {"active": "nee"}).status_code == 303
    assert "uitgeschakeld" in visible_text(web.get("/gebruikers"))
    assert coach.get("/taken").status_code == 302  # the session no longer counts: to the login page
    assert app.test_client().get("/api/tasks", headers=basic("coach")).status_code == 401
    refused = login(app.test_client(), "coach")
    assert refused.status_code == 200 and "Onbekende gebruikersnaam of onjuist wachtwoord." in visible_text(refused)
    cases.make(at_task="coach_agreement")
    deliver(app)
    assert smtp.to("coach@example.org") == []  # and gets no mail
    assert submit(web, "/gebruikers/coach", "/gebruikers/coach/actief", {"active": "ja"}).status_code == 303
    assert login(app.test_client(), "coach").status_code == 303


def test_only_the_practice_manages_users(app):
    client = app.test_client()
    login(client, "behandelaar")
    assert client.get("/gebruikers").status_code == 403
    assert client.get("/gebruikers/coach").status_code == 403
    assert client.get("/account").status_code == 200


def test_a_user_changes_their_own_password_only_with_the_current_one(app):
    client = app.test_client()
    login(client, "behandelaar")
    response = submit(client, "/account", "/account/wachtwoord", {
        "current_password": "fout", "new_password": "kort", "new_password_repeat": "kort"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "a-current_password") == "Het huidige wachtwoord klopt niet."
    assert field_error(page, "a-new_password") == "Het wachtwoord moet minstens 8 tekens hebben."
    response = submit(client, "/account", "/account/wachtwoord", {
        "current_password": PASSWORD, "new_password": "mijn-nieuwe-ww", "new_password_repeat": "mijn-nieuwe-w"})
    assert field_error(response.get_data(as_text=True), "a-new_password_repeat") == \
        "De twee nieuwe wachtwoorden zijn niet gelijk."
    assert app.test_client().get("/api/tasks", headers=basic("behandelaar")).status_code == 200
    response = submit(client, "/account", "/account/wachtwoord", {
        "current_password": PASSWORD, "new_password": "mijn-nieuwe-ww", "new_password_repeat": "mijn-nieuwe-ww"})
    assert response.status_code == 303
    assert "Uw wachtwoord is gewijzigd." in visible_text(client.get("/account"))
    assert app.test_client().get("/api/tasks", headers=basic("behandelaar")).status_code == 401
    assert app.test_client().get("/api/tasks", headers=basic("behandelaar", "mijn-nieuwe-ww")).status_code == 200


def test_a_user_sets_their_own_address_and_digest(app):
    client = app.test_client()
    login(client, "coach")
    bad = submit(client, "/account", "/account/e-mail", {"email": "coach at example"})
    assert bad.status_code == 422
    assert field_error(bad.get_data(as_text=True), "a-email").startswith("Vul een geldig e-mailadres in")
    assert submit(client, "/account", "/account/e-mail",
                  {"email": "cas@example.org", "mail_digest": "ja"}).status_code == 303
    with app.app_context():
        user = users.find("coach")
        assert (user.email, user.mail_digest) == ("cas@example.org", True)
    assert submit(client, "/account", "/account/e-mail", {"email": ""}).status_code == 303
    with app.app_context():
        user = users.find("coach")
        assert (user.email, user.mail_digest) == (None, False)


def test_the_practice_sees_mail_that_failed(web, app, cases, smtp):
    cases.register()
    smtp.stop()
    deliver(app)
    page = visible_text(web.get("/gebruikers"))
    assert "Uitgaande e-mail met problemen" in page
    assert "praktijk@example.org" in page and "opnieuw" in page and "ConnectionRefusedError" in page


def test_the_pages_say_when_mail_is_off(backend, request, tmp_path, password_hash, clock):
    app = _app(backend, request, tmp_path, password_hash)
    try:
        client = app.test_client()
        login(client, "praktijk")
        assert "E-mail staat uit" in visible_text(client.get("/gebruikers"))
        assert "E-mail staat op dit moment uit" in visible_text(client.get("/account"))
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


# ------------------------------------------------------------------ the command line

def test_users_create_takes_an_email_address(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "gijs", "--role", "handler", "--password", PASSWORD,
                                 "--email", "gijs@example.org"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["users", "create", "hanna", "--role", "coach", "--password", PASSWORD,
                              "--email", "hanna@"])
    assert bad.exit_code == 1
    assert "email: Vul een geldig e-mailadres in" in bad.output
    with app.app_context():
        assert users.find("gijs").email == "gijs@example.org"
        assert users.find("hanna") is None
