"""The complainant's side (issue 18): the public complaint form, the status page behind a secret link, messages
and withdrawal from it, the letters that reach the complainant, and what the practice sees and does with it."""

import hashlib
import io
import re

import pytest
from conftest import _app, complaint_payload, task_fields
from sqlalchemy import func, select
from test_mail import ADDRESSES, SmtpServer, body, deliver
from web_helpers import field_error, login, submit, text, visible_text

from service.extensions import db
from service.models import AccessLog, Complaint, Deadline, Letter, Note, OutboxMail, PublicSubmission, StatusLink, User

BASE_URL = "https://klachten.example.org"
ACK_SUMMARY = "Afspraken niet nagekomen."
COACH_REACTION = "De coach erkent dat afspraken zijn verzet."


def public_body(**overrides) -> dict:
    """The registration body as the public API takes it: without received_on."""
    body = complaint_payload(**overrides)
    body.pop("received_on")
    return body


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app(backend, request, tmp_path, password_hash, clock, smtp):
    """The app with e-mail on (the test SMTP server); the users have e-mail addresses."""
    app = _app(backend, request, tmp_path, password_hash,
               extra={"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "BASE_URL": BASE_URL})
    with app.app_context():
        for username, address in ADDRESSES.items():
            db.session.scalar(select(User).where(User.username == username)).email = address
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def file_online(client, **overrides) -> dict:
    response = client.post("/api/public/complaints", json=public_body(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def token_of(status_url: str) -> str:
    return status_url.rsplit("/", 1)[1]


def path_of(status_url: str) -> str:
    return status_url.removeprefix(BASE_URL)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def complaint_id(app, reference: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Complaint.id).where(Complaint.reference == reference))


def status_json(client, status_url: str):
    return client.get(path_of(status_url), headers={"Accept": "application/json"})


# ---------------------------------------------------------------- filing


def test_the_coaches_to_choose_from_are_the_active_coaches(app, client):
    response = client.get("/api/public/coaches")
    assert response.status_code == 200
    assert response.get_json() == [{"username": "coach", "name": "Coach"}, {"username": "coach2", "name": "Coach2"}]
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "coach2")).active = False
        db.session.commit()
    assert [c["username"] for c in client.get("/api/public/coaches").get_json()] == ["coach"]


def test_a_complaint_filed_online_is_registered_written_today_with_deadlines_and_the_practice_is_mailed(
        app, client, api, clock, smtp):
    answer = file_online(client)
    assert re.fullmatch(r"KL-2026-\d{4}", answer["reference"])
    assert answer["status_url"].startswith(f"{BASE_URL}/klacht/")
    assert len(token_of(answer["status_url"])) >= 22  # 128 bits, URL-safe
    complaint = api.get(f"/api/complaints/{complaint_id(app, answer['reference'])}").get_json()
    assert complaint["registered_by"] == "online"
    assert complaint["channel"] == "written"
    assert complaint["received_on"] == clock.today().isoformat()
    assert {d["name"] for d in complaint["deadlines"]} >= {"acknowledgement", "call_report"}
    assert [t["task"] for t in complaint["tasks"]] == ["appoint_handler"]
    with app.app_context():  # only the hash of the token is kept
        stored = db.session.scalar(select(StatusLink.token_hash))
        assert stored == hashlib.sha256(token_of(answer["status_url"]).encode()).hexdigest()
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username == "online")) == 0
    deliver(app)
    mails = smtp.to(ADDRESSES["praktijk"], "klachtformulier")
    assert len(mails) == 1
    assert answer["reference"] in mails[0]["Subject"]
    assert f"{BASE_URL}/klachten/{complaint['id']}" in body(mails[0])
    assert "Jan de Vries" not in body(mails[0]) and "afspraken" not in body(mails[0])


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"complainant": {"name": "", "address": "Straat 1"}}, "complainant.name", "Vul tussen 1 en 200 tekens in."),
    ({"complainant": {"name": "Jan"}}, "complainant.address", "Dit veld is verplicht."),
    ({"dated_on": "gisteren"}, "dated_on", "Vul een geldige datum in (JJJJ-MM-DD)."),
    ({"dated_on": "2026-03-04"}, "dated_on", "De datum van uw klacht mag niet in de toekomst liggen."),
    ({"description": ""}, "description", "Vul tussen 1 en 20000 tekens in."),
    ({"official": False}, "official", "Alleen een officiële klacht wordt geregistreerd: de klager moet dit aangeven."),
    ({"coach": "behandelaar"}, "coach", "Kies een coach uit de lijst."),
    ({"coach": "niemand"}, "coach", "Kies een coach uit de lijst."),
    ({"commissioning_client": {"kind": "uwv"}}, "commissioning_client.name", "Dit veld is verplicht."),
    ({"concerns_personal_data": "ja"}, "concerns_personal_data", "Vul true of false in."),
    ({"received_on": "2026-03-03"}, "received_on", "Onbekend veld."),
    ({"channel": "oral"}, "channel", "Kies een van: written."),
])
def test_every_refusal_names_its_field_in_dutch_and_stores_nothing(app, client, change, field, message):
    response = client.post("/api/public/complaints", json={**public_body(), **change})
    assert response.status_code == 422
    assert message in response.get_json()["errors"][field]
    assert count(app, Complaint) == 0
    assert count(app, StatusLink) == 0
    assert count(app, PublicSubmission) == 0
    assert count(app, OutboxMail) == 0


def test_a_sixth_complaint_within_an_hour_from_one_address_is_refused_and_allowed_again_after_it(app, client, clock):
    for _ in range(5):
        file_online(client)
        clock.shift(minutes=5)
    refused = client.post("/api/public/complaints", json=public_body())
    assert refused.status_code == 429
    assert "te veel klachten" in refused.get_json()["error"]
    assert int(refused.headers["Retry-After"]) == 35 * 60  # now 10:25; the first of the five counts until 11:00
    other = client.post("/api/public/complaints", json=public_body(), environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 201  # another address is not affected
    assert count(app, Complaint) == 6
    clock.shift(minutes=35, seconds=1)
    file_online(client)


def test_the_hidden_field_filled_pretends_success_stores_nothing_and_counts(app, client):
    form = {"complainant_name": "Robot", "website": "http://spam.example"}
    for _ in range(5):
        response = client.post("/klacht-indienen", data=form)
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/klacht-indienen/verzonden")
    assert "Uw klacht is verstuurd" in visible_text(client.get("/klacht-indienen/verzonden"))
    assert count(app, Complaint) == 0
    with app.app_context():
        assert set(db.session.scalars(select(PublicSubmission.outcome))) == {"honeypot"}
    assert client.post("/klacht-indienen", data=form).status_code == 429
    assert client.post("/api/public/complaints", json=public_body()).status_code == 429


def test_the_practice_turns_the_form_off_and_on(app, client):
    login(client, "praktijk")
    off = submit(client, "/praktijk", "/praktijk/klachtformulier", {})
    assert off.status_code == 303
    assert "Vul eerst de praktijkgegevens in" in visible_text(client.get("/praktijk"))  # no settings row yet
    submit(client, "/praktijk", "/praktijk", {"name": "MVZLoopbaancoaching", "address": "Kerkstraat 1\n3511 AB Utrecht",
                                              "phone": "030 123 45 67", "email": "info@mvz.nl", "website": "",
                                              "place": "Utrecht"})
    submit(client, "/praktijk", "/praktijk/klachtformulier", {})
    anonymous = client.application.test_client()
    assert anonymous.get("/klacht-indienen").status_code == 404
    assert anonymous.get("/api/public/coaches").status_code == 404
    assert anonymous.post("/api/public/complaints", json=public_body()).status_code == 404
    assert count(app, Complaint) == 0
    assert 'id="pf-public_form_enabled" name="public_form_enabled" value="ja">' in text(client.get("/praktijk"))
    submit(client, "/praktijk", "/praktijk/klachtformulier", {"public_form_enabled": "ja"})
    assert anonymous.get("/klacht-indienen").status_code == 200
    file_online(anonymous)


# ---------------------------------------------------------------- the web form


def web_form(**overrides) -> dict:
    form = {"complainant_name": "Jan de Vries", "complainant_address": "Voorbeeldstraat 1\n1234 AB Nergenshuizen",
            "complainant_email": "jan@example.org", "complainant_phone": "", "dated_on": "2026-03-02",
            "coach": "coach", "description": "De coach kwam twee afspraken niet na.",
            "commissioning_client_kind": "uwv", "commissioning_client_name": "UWV Utrecht",
            "concerns_personal_data": "nee", "official": "ja", "website": ""}
    form.update(overrides)
    return form


def test_the_web_form_shows_the_regulation_and_files_the_complaint(app, client, api):
    page = client.get("/klacht-indienen")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    shown = visible_text(page)
    for part in ("twee weken", "zes weken", "vier weken", "NOLOC", "Autoriteit Persoonsgegevens",
                 "officiële klacht", "Coach2"):
        assert part in shown
    assert "<script" not in text(page)
    response = client.post("/klacht-indienen", data=web_form())
    assert response.status_code == 303
    assert "/klacht/" in response.headers["Location"]
    status_page = client.get(response.headers["Location"])
    assert "Uw klacht is ontvangen" in visible_text(status_page)
    assert "Bewaar deze pagina" in visible_text(status_page)
    complaint = api.get("/api/complaints/1").get_json()
    assert complaint["registered_by"] == "online"
    assert complaint["complainant"]["address"] == "Voorbeeldstraat 1\n1234 AB Nergenshuizen"
    assert complaint["dated_on"] == "2026-03-02"


def test_the_web_form_refuses_in_dutch_per_field_keeping_the_input(app, client):
    response = client.post("/klacht-indienen", data=web_form(complainant_name="", official="", coach="",
                                                            concerns_personal_data="",
                                                            commissioning_client_name=""))
    assert response.status_code == 422
    html = text(response)
    assert field_error(html, "pk-complainant_name") == "Dit veld is verplicht."
    assert field_error(html, "pk-official").startswith("Alleen een officiële klacht")
    assert field_error(html, "pk-coach") == "Dit veld is verplicht."
    assert field_error(html, "pk-concerns_personal_data") == "Dit veld is verplicht."
    assert field_error(html, "pk-commissioning_client_name") == "Dit veld is verplicht."
    assert "De coach kwam twee afspraken niet na." in html
    bad_file = client.post("/klacht-indienen", data={**web_form(), "written_complaint": (
        io.BytesIO(b"MZ not a pdf"), "klacht.exe")}, content_type="multipart/form-data")
    assert bad_file.status_code == 422
    assert "alleen PDF" in field_error(text(bad_file), "pk-written_complaint")
    assert count(app, Complaint) == 0


# ---------------------------------------------------------------- the status page


def walk(api, cid: int, *tasks: str, **fields):
    for task in tasks:
        found = [t for t in api.get(f"/api/complaints/{cid}").get_json()["tasks"] if t["task"] == task][0]
        user = {"practice": "praktijk", "handler": "behandelaar", "coach": "coach"}[found["role"]]
        response = api.post(f"/api/tasks/{found['id']}", task_fields(task, **fields.get(task, {})), user=user)
        assert response.status_code == 200, response.get_json()


def test_the_status_page_shows_only_what_concerns_the_complainant(app, client, api):
    answer = file_online(client)
    cid = complaint_id(app, answer["reference"])
    walk(api, cid, "appoint_handler", "send_acknowledgement", "assess_admissibility", "hear_coach")
    api.post(f"/api/complaints/{cid}/notes", {"noted_on": "2026-03-03", "kind": "phone",
                                              "text": "Interne aantekening over de coach."})
    response = status_json(client, answer["status_url"])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    data = response.get_json()
    assert set(data) == {"reference", "status", "phase", "received_on", "deadlines", "letters"}
    assert data["reference"] == answer["reference"] and data["status"] == "open"
    assert data["phase"] == "De behandelaar onderzoekt uw klacht"
    ack = next(d for d in data["deadlines"] if d["name"] == "acknowledgement")
    assert ack == {"name": "acknowledgement", "due_on": "2026-03-17", "met_on": "2026-03-03"}
    assert [letter["kind"] for letter in data["letters"]] == ["ontvangstbevestiging"]
    assert data["letters"][0]["url"].startswith(answer["status_url"] + "/brieven/")
    page = client.get(path_of(answer["status_url"]))
    shown = visible_text(page)
    assert "Ontvangstbevestiging" in shown and "gehaald op 3 maart 2026" in shown
    for internal in (COACH_REACTION, "Interne aantekening", "Bea Handelaar", "Coach", "gegrond", "UWV"):
        assert internal not in shown
        assert internal not in str(data)
    walk(api, cid, "coach_agreement", "decide_measures")
    assert status_json(client, answer["status_url"]).get_json()["phase"] == "Er is een oplossing voorgesteld"
    with app.app_context():  # every view is in the access log
        views = db.session.scalars(select(AccessLog).where(AccessLog.actor == "online")).all()
        assert [row.action for row in views] == ["view", "view", "view"]
        assert views[0].detail["via"] == "status_page"


def test_letters_download_from_the_status_url_only_for_that_complaint(app, client, api):
    first = file_online(client)
    second = file_online(client)
    first_id, second_id = complaint_id(app, first["reference"]), complaint_id(app, second["reference"])
    walk(api, first_id, "appoint_handler", "send_acknowledgement")
    walk(api, second_id, "appoint_handler", "send_acknowledgement")
    url = status_json(client, first["status_url"]).get_json()["letters"][0]["url"]
    download = client.get(path_of(url))
    assert download.status_code == 200
    assert download.data.startswith(b"PK")
    assert download.headers["Cache-Control"] == "no-store"
    with app.app_context():
        others = db.session.scalars(select(Letter.id).where(Letter.complaint_id == second_id)).all()
    for other in others:
        assert client.get(f"{path_of(first['status_url'])}/brieven/{other}").status_code == 404
    assert client.get(f"{path_of(first['status_url'])}/brieven/999999").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AccessLog).where(AccessLog.action == "letter")) == 1


def test_an_unknown_or_revoked_link_finds_nothing_and_the_practice_renews_it(app, client, api):
    answer = file_online(client)
    cid = complaint_id(app, answer["reference"])
    assert client.get("/klacht/onbekend-token-000000000").status_code == 404
    assert status_json(client, f"{BASE_URL}/klacht/x").get_json()["error"]
    practice = app.test_client()
    login(practice, "praktijk")
    page = practice.get(f"/klachten/{cid}")
    assert "Statuspagina van de klager" in visible_text(page)
    submit(practice, f"/klachten/{cid}", f"/klachten/{cid}/statuslink/intrekken", {})
    assert client.get(path_of(answer["status_url"])).status_code == 404
    assert status_json(client, answer["status_url"]).status_code == 404
    renewed = submit(practice, f"/klachten/{cid}", f"/klachten/{cid}/statuslink/vernieuwen", {})
    new_url = re.search(r'id="new-status-url">([^<]+)<', text(renewed)).group(1)
    assert new_url != answer["status_url"]
    assert status_json(client, new_url).status_code == 200
    assert client.get(path_of(answer["status_url"])).status_code == 404
    coach = app.test_client()
    login(coach, "behandelaar")
    assert coach.post(f"/klachten/{cid}/statuslink/intrekken").status_code in (400, 403)


def test_a_message_lands_in_the_notes_and_the_handler_is_mailed(app, client, api, smtp):
    answer = file_online(client)
    cid = complaint_id(app, answer["reference"])
    path = path_of(answer["status_url"])
    empty = client.post(f"{path}/messages", json={"text": ""})
    assert empty.status_code == 422 and "text" in empty.get_json()["errors"]
    assert client.post(f"{path}/messages", json={"text": "Ik ben bereikbaar na 17 uur."}).status_code == 201
    walk(api, cid, "appoint_handler")
    assert client.post(f"{path}/messages", json={"text": "Nog een vraag."}).status_code == 201
    with app.app_context():
        notes = db.session.scalars(select(Note).order_by(Note.id)).all()
        assert [(n.kind, n.author, n.text) for n in notes] == [
            ("message", "online", "Ik ben bereikbaar na 17 uur."), ("message", "online", "Nog een vraag.")]
    deliver(app)
    assert len(smtp.to(ADDRESSES["praktijk"], "Bericht van de klager")) == 1  # before a handler was appointed
    handler_mail = smtp.to(ADDRESSES["behandelaar"], "Bericht van de klager")
    assert len(handler_mail) == 1 and "Nog een vraag" not in body(handler_mail[0])
    # the page's form: a file with the message, the form token tied to the link
    page = text(client.get(path))
    form_token = re.search(r'name="status_token" value="([^"]+)"', page).group(1)
    refused = client.post(f"{path}/messages", data={"text": "Zonder token"})
    assert refused.status_code == 400
    sent = client.post(f"{path}/messages", data={"status_token": form_token, "text": "Hierbij de mail.",
                                                 "file": (io.BytesIO(b"%PDF-1.4 test"), "mail.pdf")},
                       content_type="multipart/form-data")
    assert sent.status_code == 303
    assert "Uw bericht is verstuurd" in visible_text(client.get(sent.headers["Location"]))
    complaint = api.get(f"/api/complaints/{cid}").get_json()
    assert [a["filename"] for a in complaint["attachments"]] == ["mail.pdf"]


def test_withdrawal_from_the_status_page_stops_the_process_with_its_letter(app, client, api, smtp):
    answer = file_online(client)
    cid = complaint_id(app, answer["reference"])
    path = path_of(answer["status_url"])
    response = client.post(f"{path}/withdrawal", json={"reason": "Opgelost in een gesprek."})
    assert response.status_code == 201
    complaint = api.get(f"/api/complaints/{cid}").get_json()
    assert complaint["status"] == "withdrawn" and complaint["tasks"] == []
    with app.app_context():
        stored = db.session.get(Complaint, cid)
        assert (stored.withdrawal_channel, stored.withdrawal_reason) == ("written", "Opgelost in een gesprek.")
    data = status_json(client, answer["status_url"]).get_json()
    assert data["phase"] == "U heeft uw klacht ingetrokken"
    assert [letter["kind"] for letter in data["letters"]] == ["bevestiging_intrekking"]
    assert client.post(f"{path}/withdrawal", json={}).status_code == 409
    assert client.post(f"{path}/messages", json={"text": "Nog iets"}).status_code == 409
    assert "Een bericht sturen" not in visible_text(client.get(path))
    deliver(app)
    ready = smtp.to("jan@example.org", "Er staat een brief voor u klaar")
    assert len(ready) == 1


def test_the_withdrawal_form_asks_for_confirmation(app, client):
    answer = file_online(client)
    path = path_of(answer["status_url"])
    form_token = re.search(r'name="status_token" value="([^"]+)"', text(client.get(path))).group(1)
    refused = client.post(f"{path}/withdrawal", data={"status_token": form_token, "reason": "x"})
    assert refused.status_code == 422
    assert field_error(text(refused), "si-confirm") == "Vink aan dat u uw klacht wilt intrekken."
    done = client.post(f"{path}/withdrawal", data={"status_token": form_token, "confirm": "ja"})
    assert done.status_code == 303
    assert "Uw klacht is ingetrokken" in visible_text(client.get(path))


# ---------------------------------------------------------------- letters reach the complainant


def test_a_letter_to_the_complainant_is_announced_by_mail_with_a_fresh_link(app, client, api, smtp):
    answer = file_online(client)
    cid = complaint_id(app, answer["reference"])
    walk(api, cid, "appoint_handler", "send_acknowledgement")
    deliver(app)
    mails = smtp.to("jan@example.org")
    assert len(mails) == 1
    assert mails[0]["Subject"] == f"Er staat een brief voor u klaar ({answer['reference']})"
    text_body = body(mails[0])
    assert text_body.startswith("Geachte Jan de Vries & Zn,")
    assert "Ontvangstbevestiging" in text_body
    link = re.search(rf"{re.escape(BASE_URL)}/klacht/[A-Za-z0-9_-]+", text_body).group(0)
    assert link != answer["status_url"]  # a new token: the first is known only to the complainant
    assert status_json(client, link).get_json()["reference"] == answer["reference"]
    assert ACK_SUMMARY not in text_body
    # the complaint page shows how the letter went out; the practice marks it sent by post
    practice = app.test_client()
    login(practice, "praktijk")
    shown = visible_text(practice.get(f"/klachten/{cid}"))
    assert "online beschikbaar sinds" in shown and "gemaild op" in shown
    with app.app_context():
        letter_id = db.session.scalar(select(Letter.id).where(Letter.kind == "ontvangstbevestiging"))
    posted = submit(practice, f"/klachten/{cid}", f"/klachten/{cid}/brieven/{letter_id}/per-post", {})
    assert posted.status_code == 303
    assert "per post verstuurd op 3 maart 2026" in visible_text(practice.get(f"/klachten/{cid}"))
    # revoked links: no more mails
    submit(practice, f"/klachten/{cid}", f"/klachten/{cid}/statuslink/intrekken", {})
    walk(api, cid, "assess_admissibility", "hear_coach", "coach_agreement", "decide_measures", "offer_call")
    deliver(app)
    assert len(smtp.to("jan@example.org")) == 1


def test_a_complaint_registered_by_the_practice_gets_no_letter_mails_without_a_link(app, api, cases, smtp):
    complaint = cases.make(at_task="assess_admissibility")
    deliver(app)
    assert smtp.to("jan@example.org") == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StatusLink)) == 0
    assert complaint["registered_by"] == "praktijk"


def test_online_complaints_are_marked_in_the_list(app, client, cases):
    cases.register()
    file_online(client)
    practice = app.test_client()
    login(practice, "praktijk")
    html = text(practice.get("/klachten"))
    assert html.count('title="Ingediend via het klachtformulier op de website">online</span>') == 1


def test_deadlines_after_withdrawal_are_not_shown_and_met_ones_stay(app, client, api, clock):
    answer = file_online(client)
    cid = complaint_id(app, answer["reference"])
    walk(api, cid, "appoint_handler", "send_acknowledgement")
    clock.shift(days=1)
    client.post(f"{path_of(answer['status_url'])}/withdrawal", json={})
    data = status_json(client, answer["status_url"]).get_json()
    assert [d["name"] for d in data["deadlines"]] == ["acknowledgement"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Deadline).where(
            Deadline.complaint_id == cid, Deadline.cancelled_on.is_not(None))) >= 1


def test_a_post_to_the_status_url_that_is_not_the_pages_form_is_answered_in_json(app, client):
    answer = file_online(client)
    path = path_of(answer["status_url"])
    bare = client.post(f"{path}/messages")
    assert bare.status_code == 400 and bare.is_json
    unknown = client.post("/klacht/onbekend/withdrawal", json={})
    assert unknown.status_code == 404 and unknown.is_json
    assert client.get("/klacht/onbekend").status_code == 404
