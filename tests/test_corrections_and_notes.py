"""Putting the record right and keeping notes (issue 16, points 8 and 11): the practice corrects the registration
with a reason, a corrected letter is uploaded as a new version, and the handler and the practice keep dated notes
with files; the intake phone call of an oral complaint is the first of them."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from conftest import START, Api, Cases, basic, complaint_payload
from helpers import docx_text, kinds, login, shots_dir
from web_helpers import field_error, submit, text, visible_text
from web_helpers import login as web_login

from service.clock import now
from service.complaints.step import Step
from service.extensions import db
from service.models import Complaint, Letter, Note

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def history(complaint: dict, kind: str) -> list[dict]:
    return [event for event in complaint["history"] if event["kind"] == kind]


def workflow_value(app, complaint_id: int, name: str):
    """Read a variable as the workflow's next step would (restored from its stored JSON)."""
    with app.app_context():
        complaint = db.session.get(Complaint, complaint_id)
        step = Step.restore(complaint, actor="test", now=now(), ctx=app.extensions["klachten"])
        return step.evaluate(name)


def letter_bytes(api, complaint: dict, kind: str) -> bytes:
    letter = [row for row in complaint["letters"] if row["kind"] == kind][-1]
    response = api.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}")
    assert response.status_code == 200
    return response.data


def with_macros(docx: bytes) -> bytes:
    """The same document with a VBA project added, as Word keeps macros."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 60)
    return out.getvalue()


# ---------------------------------------------------------------- A. correcting the registration

CORRECTIONS = [
    ({"complainant": {"address": "Nieuwe Gracht 5\n3512 AB Utrecht"}}, "complainant.address",
     "Voorbeeldstraat 1, 1234 AB Nergenshuizen", "Nieuwe Gracht 5\n3512 AB Utrecht"),
    ({"complainant": {"email": "jan.devries@example.net"}}, "complainant.email", "jan@example.org",
     "jan.devries@example.net"),
    ({"complainant": {"email": None}}, "complainant.email", "jan@example.org", None),
    ({"complainant": {"phone": "030 987 65 43"}}, "complainant.phone", "0612345678", "030 987 65 43"),
    ({"commissioning_client": {"kind": "municipality", "name": "Gemeente Utrecht"}}, "commissioning_client.kind",
     "uwv", "municipality"),
    ({"commissioning_client": {"name": "UWV Utrecht"}}, "commissioning_client.name", "UWV Voorbeeldstad",
     "UWV Utrecht"),
    ({"commissioning_client": {"address": "Postbus 1\n3500 AA Utrecht"}}, "commissioning_client.address", None,
     "Postbus 1\n3500 AA Utrecht"),
    ({"commissioning_client": {"contact_person": "mevrouw J. de Boer"}}, "commissioning_client.contact_person",
     None, "mevrouw J. de Boer"),
    ({"concerns_personal_data": True}, "concerns_personal_data", False, True),
]


@pytest.mark.parametrize(("body", "path", "old", "new"), CORRECTIONS, ids=[c[1] + str(i) for i, c in
                                                                           enumerate(CORRECTIONS)])
def test_each_correction_changes_the_field_and_is_in_the_history(api, cases, body, path, old, new):
    complaint = cases.register()
    response = api.client.patch(f"/api/complaints/{complaint['id']}/registration",
                                json={**body, "reason": "Telefonisch doorgegeven door de klager."},
                                headers=basic("praktijk"))
    assert response.status_code == 200, response.get_json()
    corrected = response.get_json()
    section, _, key = path.rpartition(".")
    shown = corrected[section].get(key) if section else corrected[key]
    assert shown == new
    [event] = history(corrected, "registration_corrected")
    assert event["detail"]["fields"][path] == {"from": old, "to": new}
    assert event["detail"]["reason"] == "Telefonisch doorgegeven door de klager."
    assert event["actor"] == "praktijk"


def test_only_what_changed_is_recorded_and_none_clears_the_client(api, cases):
    complaint = cases.register(commissioning_client={"kind": "uwv", "name": "UWV Voorbeeldstad",
                                                     "contact_person": "de heer P. Jansen"})
    response = api.client.patch(f"/api/complaints/{complaint['id']}/registration", json={
        "complainant": {"address": complaint["complainant"]["address"], "phone": "0612345678"},
        "commissioning_client": {"kind": "none"}, "reason": "Geen opdrachtgever: de klager betaalde zelf."},
        headers=basic("praktijk"))
    assert response.status_code == 200, response.get_json()
    fields = history(response.get_json(), "registration_corrected")[0]["detail"]["fields"]
    assert fields == {"commissioning_client.kind": {"from": "uwv", "to": "none"},
                      "commissioning_client.name": {"from": "UWV Voorbeeldstad", "to": None},
                      "commissioning_client.contact_person": {"from": "de heer P. Jansen", "to": None}}
    assert response.get_json()["commissioning_client"] == {"kind": "none", "name": None}


REFUSALS = [
    ({"complainant": {"address": "Elders 1"}}, "reason"),
    ({"reason": "Zomaar."}, "_schema"),
    ({"complainant": {"address": ""}, "reason": "Leeg."}, "complainant.address"),
    ({"complainant": {"email": "geen-adres"}, "reason": "Typfout."}, "complainant.email"),
    ({"complainant": {"name": "Iemand anders"}, "reason": "Naam."}, "complainant.name"),
    ({"commissioning_client": {"kind": "werkgever"}, "reason": "Soort."}, "commissioning_client.kind"),
    ({"commissioning_client": {"name": None}, "reason": "Naam weg."}, "commissioning_client.name"),
    ({"concerns_personal_data": "ja", "reason": "Persoonsgegevens."}, "concerns_personal_data"),
    ({"description": "Anders", "reason": "Omschrijving."}, "description"),
    ({"complainant": {"phone": "0612345678"}, "reason": "Zelfde nummer."}, None),
]


@pytest.mark.parametrize(("body", "field"), REFUSALS)
def test_a_refused_correction_changes_nothing(api, cases, body, field):
    complaint = cases.register()
    before = cases.get(complaint["id"])
    response = api.client.patch(f"/api/complaints/{complaint['id']}/registration", json=body,
                                headers=basic("praktijk"))
    assert response.status_code == 422, response.get_json()
    answer = response.get_json()
    if field is None:
        assert answer["error"] == "Er is niets gewijzigd."
    else:
        assert field in answer["errors"], answer
        assert all(re.search(r"[a-z]", message) for message in answer["errors"][field])
    after = cases.get(complaint["id"])
    assert after["complainant"] == before["complainant"]
    assert after["commissioning_client"] == before["commissioning_client"]
    assert after["concerns_personal_data"] == before["concerns_personal_data"]
    assert after["history"] == before["history"]


@pytest.mark.parametrize("user", ["coach", "behandelaar", "behandelaar2", "eigenaar"])
def test_only_the_practice_corrects_the_registration(api, cases, user):
    complaint = cases.make(at_task="send_acknowledgement")  # behandelaar is its handler
    response = api.client.patch(f"/api/complaints/{complaint['id']}/registration",
                                json={"complainant": {"phone": "010 111 22 33"}, "reason": "Nieuw nummer."},
                                headers=basic(user))
    assert response.status_code == 403
    assert not history(cases.get(complaint["id"]), "registration_corrected")


def test_an_unknown_complaint_is_404(api):
    response = api.client.patch("/api/complaints/999/registration",
                                json={"complainant": {"phone": "010"}, "reason": "x"}, headers=basic("praktijk"))
    assert response.status_code == 404


def test_a_letter_made_after_the_correction_shows_the_new_address(api, cases):
    complaint = cases.register()
    response = api.client.patch(f"/api/complaints/{complaint['id']}/registration", json={
        "complainant": {"address": "Nieuwe Gracht 5\n3512 AB Utrecht"}, "reason": "De klager is verhuisd."},
        headers=basic("praktijk"))
    assert response.status_code == 200
    complaint = cases.walk(complaint, "appoint_handler", "send_acknowledgement")
    content = docx_text(letter_bytes(api, complaint, "ontvangstbevestiging"))
    assert "Nieuwe Gracht 5" in content and "3512 AB Utrecht" in content
    assert "Voorbeeldstraat 1" not in content


def test_the_personal_data_correction_reaches_the_workflow(app, api, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    assert workflow_value(app, complaint["id"], "concerns_personal_data") is False
    response = api.client.patch(f"/api/complaints/{complaint['id']}/registration", json={
        "concerns_personal_data": True, "commissioning_client": {"kind": "employer", "name": "Bakkerij Jansen"},
        "reason": "Bij de intake verkeerd aangevinkt."}, headers=basic("praktijk"))
    assert response.status_code == 200, response.get_json()
    assert workflow_value(app, complaint["id"], "concerns_personal_data") is True
    assert workflow_value(app, complaint["id"], "commissioning_client_kind") == "employer"
    # the steps to come carry it on, and the open task and deadlines are as they were
    assert [t["task"] for t in response.get_json()["tasks"]] == ["send_acknowledgement"]
    complaint = cases.walk(response.get_json(), "send_acknowledgement", "assess_admissibility")
    assert workflow_value(app, complaint["id"], "concerns_personal_data") is True


def test_a_closed_complaint_can_be_corrected_and_its_case_record_is_made_anew(app, api, cases):
    complaint = cases.make()  # closed
    assert complaint["status"] == "closed"
    records = [row for row in complaint["letters"] if row["kind"] == "klachtenformulier"]
    response = api.client.patch(f"/api/complaints/{complaint['id']}/registration", json={
        "concerns_personal_data": True, "reason": "Achteraf bleek het over persoonsgegevens te gaan."},
        headers=basic("praktijk"))
    assert response.status_code == 200, response.get_json()
    after = response.get_json()
    assert len([row for row in after["letters"] if row["kind"] == "klachtenformulier"]) == len(records) + 1
    assert after["status"] == "closed" and after["tasks"] == []


# ---------------------------------------------------------------- B. uploading a corrected letter

def upload(api, complaint_id, letter_id, data, *, reason="Tikfout in de aanhef verbeterd.", user="praktijk",
           filename="brief.docx"):
    form = {"reason": reason} if reason is not None else {}
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    return api.client.post(f"/api/complaints/{complaint_id}/letters/{letter_id}/upload", data=form,
                           headers=basic(user), content_type="multipart/form-data")


def test_an_uploaded_letter_becomes_the_next_version(api, cases):
    complaint = cases.make(at_task="assess_admissibility")
    old = next(row for row in complaint["letters"] if row["kind"] == "ontvangstbevestiging")
    original = letter_bytes(api, complaint, "ontvangstbevestiging")
    response = upload(api, complaint["id"], old["id"], original + b"", user="behandelaar")
    assert response.status_code == 201, response.get_json()
    new = response.get_json()
    assert (new["kind"], new["version"], new["replaces_id"], new["step"]) == ("ontvangstbevestiging", 2, old["id"],
                                                                              "upload")
    assert new["filename"].endswith("-ontvangstbevestiging-v2.docx")
    after = cases.get(complaint["id"])
    versions = [row for row in after["letters"] if row["kind"] == "ontvangstbevestiging"]
    assert [row["version"] for row in versions] == [1, 2]
    assert api.get(f"/api/complaints/{complaint['id']}/letters/{old['id']}").data == original
    assert api.get(f"/api/complaints/{complaint['id']}/letters/{new['id']}").data == original
    [event] = history(after, "letter_uploaded")
    assert event["detail"]["letter"] == "ontvangstbevestiging" and event["detail"]["reason"].startswith("Tikfout")

    again = upload(api, complaint["id"], old["id"], original)
    assert again.status_code == 409
    assert "nieuwere versie" in again.get_json()["error"]


@pytest.mark.parametrize(("data", "reason", "field"), [
    (PNG, "Reden.", "file"),
    (b"PK\x03\x04 geen zip", "Reden.", "file"),
    (None, "Reden.", "file"),
    ("macros", "Reden.", "file"),
    ("docx", None, "reason"),
])
def test_a_refused_upload_stores_nothing(app, api, cases, data, reason, field):
    complaint = cases.make(at_task="assess_admissibility")
    old = next(row for row in complaint["letters"] if row["kind"] == "ontvangstbevestiging")
    original = letter_bytes(api, complaint, "ontvangstbevestiging")
    body = {"macros": with_macros(original), "docx": original}[data] if isinstance(data, str) else data
    response = upload(api, complaint["id"], old["id"], body, reason=reason)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    if data == "macros":
        assert "macro" in response.get_json()["errors"]["file"][0]
    after = cases.get(complaint["id"])
    assert [row["id"] for row in after["letters"]] == [row["id"] for row in complaint["letters"]]
    assert not history(after, "letter_uploaded")


@pytest.mark.parametrize("user", ["coach", "behandelaar2"])
def test_only_the_practice_or_the_own_handler_uploads_a_letter(api, cases, user):
    complaint = cases.make(at_task="assess_admissibility")
    old = next(row for row in complaint["letters"] if row["kind"] == "ontvangstbevestiging")
    response = upload(api, complaint["id"], old["id"], letter_bytes(api, complaint, "ontvangstbevestiging"),
                      user=user)
    assert response.status_code == 403


# ---------------------------------------------------------------- C. notes

def test_a_note_via_the_api_is_kept_and_in_the_history(api, cases, clock):
    complaint = cases.make(at_task="send_acknowledgement")
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    response = api.post(f"/api/complaints/{complaint['id']}/notes",
                        {"noted_on": yesterday, "kind": "phone", "text": "Klager belde.\nWil een gesprek."},
                        user="behandelaar")
    assert response.status_code == 201, response.get_json()
    [note] = response.get_json()["notes"]
    assert (note["noted_on"], note["kind"], note["text"], note["author"], note["attachments"]) == (
        yesterday, "phone", "Klager belde.\nWil een gesprek.", "behandelaar", [])
    [event] = history(response.get_json(), "note_added")
    assert event["detail"] == {"note_id": note["id"], "kind": "phone", "noted_on": yesterday}


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"noted_on": "2026-03-04", "kind": "phone", "text": "Morgen."}, "noted_on", "toekomst"),
    ({"noted_on": "2026-03-04", "kind": "fax", "text": ""}, "noted_on", "toekomst"),
    ({"noted_on": "2026-03-03", "kind": "fax", "text": "Fax."}, "kind", "Kies een van"),
    ({"noted_on": "2026-03-03", "kind": "email"}, "text", "verplicht"),
    ({"noted_on": "2026-03-03", "kind": "email", "text": "x" * 20001}, "text", "20000"),
    ({"noted_on": "3 maart", "kind": "email", "text": "x"}, "noted_on", "geldige datum"),
])
def test_a_refused_note_is_a_dutch_field_message(api, cases, body, field, message):
    complaint = cases.register()
    response = api.post(f"/api/complaints/{complaint['id']}/notes", body)
    assert response.status_code == 422
    assert message in " ".join(response.get_json()["errors"][field])
    after = cases.get(complaint["id"])
    assert after["notes"] == [] and not history(after, "note_added")


@pytest.mark.parametrize("user", ["coach", "behandelaar2", "eigenaar"])
def test_only_the_practice_or_the_own_handler_adds_notes(api, cases, user):
    complaint = cases.make(at_task="send_acknowledgement")
    response = api.post(f"/api/complaints/{complaint['id']}/notes",
                        {"noted_on": "2026-03-03", "kind": "other", "text": "Notitie."}, user=user)
    assert response.status_code == 403


def test_the_oral_intake_note_is_a_phone_note_on_the_day_of_receipt(api, cases, clock):
    received = (clock.today() - timedelta(days=2)).isoformat()
    complaint = cases.register(channel="oral", received_on=received, dated_on=received,
                               intake_note="Klager belde over twee gemiste afspraken.")
    [note] = complaint["notes"]
    assert (note["kind"], note["noted_on"], note["author"]) == ("phone", received, "praktijk")
    assert "note_added" in kinds(complaint)
    refused = api.post("/api/complaints", {**complaint_payload(), "intake_note": "Belde."})  # a written complaint
    assert refused.status_code == 422 and "intake_note" in refused.get_json()["errors"]


# ---------------------------------------------------------------- the web page

def test_the_page_corrects_the_registration_and_lands_on_a_refusal(client, cases):
    complaint = cases.register()
    web_login(client, "praktijk")
    page = f"/klachten/{complaint['id']}"
    html = text(client.get(page))
    assert "Registratie corrigeren" in html
    assert f'action="/klachten/{complaint["id"]}/registratie#reg-errors"' in html
    form = {"complainant_address": "Nieuwe Gracht 5\n3512 AB Utrecht", "complainant_email": "jan@example.org",
            "complainant_phone": "0612345678", "commissioning_client_kind": "uwv",
            "commissioning_client_name": "UWV Voorbeeldstad", "commissioning_client_address": "",
            "commissioning_client_contact_person": "", "concerns_personal_data": "nee", "reason": ""}
    refused = submit(client, page, f"/klachten/{complaint['id']}/registratie", form)
    assert refused.status_code == 422
    body = text(refused)
    assert 'id="reg-errors"' in body and field_error(body, "reg-reason") == "Dit veld is verplicht."
    assert "Nieuwe Gracht 5\n3512 AB Utrecht</textarea>" in body  # the values are kept
    assert not history(cases.get(complaint["id"]), "registration_corrected")

    done = submit(client, page, f"/klachten/{complaint['id']}/registratie",
                  {**form, "complainant_email": "jan.devries@example.net", "reason": "De klager is verhuisd."})
    assert done.status_code == 303
    shown = visible_text(client.get(page))
    assert "De registratie is gecorrigeerd." in shown
    assert "Registratie gecorrigeerd: adres, e-mailadres" in shown and "De klager is verhuisd." in shown

    nothing = submit(client, page, f"/klachten/{complaint['id']}/registratie",
                     {**form, "complainant_email": "jan.devries@example.net", "reason": "Nog eens."})
    assert nothing.status_code == 422 and "Er is niets gewijzigd." in text(nothing)


def test_the_coach_and_a_handler_do_not_see_the_correction_form(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    web_login(client, "behandelaar")
    html = text(client.get(f"/klachten/{complaint['id']}"))
    assert "Registratie corrigeren" not in html and "Notitie toevoegen" in html
    response = submit(client, f"/klachten/{complaint['id']}", f"/klachten/{complaint['id']}/registratie",
                      {"complainant_phone": "010", "reason": "x"})
    assert response.status_code == 403


def test_notes_on_the_page_newest_first_with_files(client, cases, clock):
    complaint = cases.make(at_task="send_acknowledgement")
    web_login(client, "behandelaar")
    page = f"/klachten/{complaint['id']}"
    future = (clock.today() + timedelta(days=1)).isoformat()
    refused = submit(client, page, f"/klachten/{complaint['id']}/notities",
                     {"noted_on": future, "kind": "", "text": "Gesprek met de klager."})
    assert refused.status_code == 422
    body = text(refused)
    assert 'id="note-errors"' in body
    assert field_error(body, "note-noted_on") == "De datum van de notitie mag niet in de toekomst liggen."
    assert field_error(body, "note-kind") == "Dit veld is verplicht."
    assert "Gesprek met de klager.</textarea>" in body

    first = submit(client, page, f"/klachten/{complaint['id']}/notities",
                   {"noted_on": (clock.today() - timedelta(days=1)).isoformat(), "kind": "email",
                    "text": "E-mail van de klager:\nzij kan dinsdag.", "files": (io.BytesIO(PNG), "mail.png")},
                   content_type="multipart/form-data")
    assert first.status_code == 303, text(first)
    second = submit(client, page, f"/klachten/{complaint['id']}/notities",
                    {"noted_on": clock.today().isoformat(), "kind": "meeting", "text": "Gesprek gevoerd."},
                    content_type="multipart/form-data")
    assert second.status_code == 303
    html = text(client.get(page))
    notes = html[html.index('id="notes-heading"'):html.index('id="note-form-heading"')]
    assert notes.index("Gesprek gevoerd.") < notes.index("E-mail van de klager:\nzij kan dinsdag.")
    assert "e-mail (ontvangen of verstuurd)" in notes and "gesprek" in notes and "3 maart 2026" in notes
    assert "mail.png" in notes
    resource = cases.get(complaint["id"])
    files = {a["id"]: a["filename"] for a in resource["attachments"]}
    [with_file] = [n for n in resource["notes"] if n["kind"] == "email"]
    assert [files[i] for i in with_file["attachments"]] == ["mail.png"]
    assert "Notitie toegevoegd: gesprek van 3 maart 2026" in visible_text(client.get(page))


def test_a_bad_file_with_a_note_stores_nothing(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    web_login(client, "praktijk")
    page = f"/klachten/{complaint['id']}"
    response = submit(client, page, f"/klachten/{complaint['id']}/notities",
                      {"noted_on": "2026-03-03", "kind": "other", "text": "Met bijlage.",
                       "files": (io.BytesIO(b"MZ\x90\x00 programma"), "virus.exe")},
                      content_type="multipart/form-data")
    assert response.status_code == 422
    assert "virus.exe" in field_error(text(response), "note-files")
    after = cases.get(complaint["id"])
    assert after["notes"] == [] and after["attachments"] == []


def test_the_intake_page_keeps_the_phone_call_as_a_note(app, client, clock):
    web_login(client, "praktijk")
    form = {"complainant_name": "Fatima Öztürk", "complainant_address": "Laan 3\n1234 AB Dorp",
            "dated_on": "2026-03-02", "received_on": "2026-03-02", "channel": "oral",
            "description": "Klacht telefonisch ingediend.", "coach": "coach", "commissioning_client_kind": "none",
            "concerns_personal_data": "nee", "official": "ja",
            "intake_note": "Mevrouw belde om 9.15 uur; zij was boos over de afgezegde sessie."}
    response = submit(client, "/klachten/nieuw", "/klachten/nieuw", form)
    assert response.status_code == 303, text(response)
    with app.app_context():
        [note] = db.session.query(Note).all()
        assert (note.kind, note.noted_on.isoformat(), note.author) == ("phone", "2026-03-02", "praktijk")
        assert note.text.startswith("Mevrouw belde")


def test_the_page_uploads_a_corrected_letter(app, client, cases, api):
    complaint = cases.make(at_task="assess_admissibility")
    old = next(row for row in complaint["letters"] if row["kind"] == "ontvangstbevestiging")
    original = letter_bytes(api, complaint, "ontvangstbevestiging")
    web_login(client, "behandelaar")
    page = f"/klachten/{complaint['id']}"
    action = f"/klachten/{complaint['id']}/brieven/{old['id']}/upload"
    assert f'action="{action}#lt{old["id"]}-errors"' in text(client.get(page))
    refused = submit(client, page, action, {"reason": "Macro's?", "file": (io.BytesIO(with_macros(original)),
                                                                           "brief.docm")},
                     content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "macro" in field_error(text(refused), f"lt{old['id']}-file")
    done = submit(client, page, action, {"reason": "Datum verbeterd.", "file": (io.BytesIO(original), "brief.docx")},
                  content_type="multipart/form-data")
    assert done.status_code == 303
    html = visible_text(client.get(page))
    assert "Ontvangstbevestiging (versie 2)" in html and "Gecorrigeerde brief geüpload: Ontvangstbevestiging" in html
    with app.app_context():
        assert db.session.query(Letter).filter_by(replaces_id=old["id"]).count() == 1


# ---------------------------------------------------------------- in Debian Chromium

def test_correct_note_and_upload_in_the_browser(page, live_server, app, tmp_path, browser):
    shots = shots_dir(tmp_path)
    complaint = Cases(Api(app.test_client())).make(at_task="assess_admissibility")
    letter = next(row for row in complaint["letters"] if row["kind"] == "ontvangstbevestiging")
    original = Api(app.test_client()).get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}").data
    login(page, live_server, "praktijk")
    page.goto(f"{live_server}/klachten/{complaint['id']}")

    # a refused correction first: the page lands on the message with the values kept
    page.fill("#reg-complainant_address", "Nieuwe Gracht 5\n3512 AB Utrecht")
    page.fill("#reg-complainant_email", "jan.devries@")
    page.click("button:has-text('Registratie corrigeren')")
    page.wait_for_url(re.compile(r"#reg-errors$"))
    summary = page.locator("#reg-errors")
    assert "Vul een geldig e-mailadres in." in summary.inner_text()
    assert "Dit veld is verplicht." in summary.inner_text()
    assert summary.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight }")
    assert page.input_value("#reg-complainant_address") == "Nieuwe Gracht 5\n3512 AB Utrecht"
    page.screenshot(path=str(shots / "registratie-corrigeren.png"))  # where the refused form lands
    page.fill("#reg-complainant_email", "jan.devries@example.net")
    page.fill("#reg-reason", "De klager is verhuisd en gaf het nieuwe adres telefonisch door.")
    page.click("button:has-text('Registratie corrigeren')")
    page.wait_for_selector("text=De registratie is gecorrigeerd.")
    history_table = page.locator("#history-heading + .table-wrap")
    assert "Registratie gecorrigeerd: adres, e-mailadres" in history_table.inner_text()
    history_table.screenshot(path=str(tmp_path / "geschiedenis.png"))

    # a note with a file
    page.fill("#note-noted_on", START.date().isoformat())
    page.select_option("#note-kind", "phone")
    page.fill("#note-text", "Klager belde: het nieuwe adres is Nieuwe Gracht 5.\nZij wil de brieven voortaan ook "
                            "per e-mail.")
    page.set_input_files("#note-files", files=[{"name": "aantekening.png", "mimeType": "image/png",
                                                 "buffer": PNG}])
    page.click("button:has-text('Notitie toevoegen')")
    page.wait_for_selector("text=De notitie is toegevoegd.")
    notes = page.locator(".notes")
    assert "telefoongesprek" in notes.inner_text() and "aantekening.png" in notes.inner_text()

    # a corrected letter
    page.locator("details.letter-upload summary").first.click()
    page.set_input_files(f"#lt{letter['id']}-file", files=[{
        "name": "ontvangstbevestiging-verbeterd.docx", "buffer": original,
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    page.fill(f"#lt{letter['id']}-reason", "Aanhef verbeterd in Word.")
    page.click("button:has-text('Gecorrigeerde brief opslaan')")
    page.wait_for_selector("text=De gecorrigeerde brief is opgeslagen")
    assert "Ontvangstbevestiging (versie 2)" in page.inner_text("#letters-heading + ul")
    page.locator("section:has(#letters-heading)").screenshot(path=str(tmp_path / "brieven.png"))
    page.locator("section:has(#notes-heading)").screenshot(path=str(shots / "notities.png"))

    # nothing scrolls sideways on a phone
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL").new_page()
    login(phone, live_server, "praktijk")
    phone.goto(f"{live_server}/klachten/{complaint['id']}")
    phone.locator("details.letter-upload summary").first.click()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the complaint page is {width}px wide on a 390px screen"
    phone.locator("section:has(#notes-heading)").screenshot(path=str(tmp_path / "notities-telefoon.png"))
    phone.locator("section:has(#letters-heading)").screenshot(path=str(tmp_path / "brieven-telefoon.png"))
    phone.context.close()
