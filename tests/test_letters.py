"""Every letter is made at its step, kept unchanged with the complaint, downloadable and right."""

import os
import shutil
import subprocess
from datetime import timedelta

import pytest
from conftest import ROOT, basic
from helpers import docx_text, kinds

from service.dutch import nl_date

NAME = "Zoë Ölçer & Zn <BV>"


def letters_of(complaint, kind):
    return [letter for letter in complaint["letters"] if letter["kind"] == kind]


def download(client, complaint, letter, user="praktijk"):
    response = client.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}", headers=basic(user))
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert f"{complaint['reference']}-{letter['kind']}" in response.headers["Content-Disposition"]
    return docx_text(response.data)


def test_acknowledgement_is_made_when_it_is_sent(cases, client, clock):
    complaint = cases.make(at_task="assess_admissibility", complainant={"name": NAME, "address": "Dorpsstraat 1"})
    [letter] = letters_of(complaint, "ontvangstbevestiging")
    assert letter["step"] == "send_acknowledgement"
    text = download(client, complaint, letter)
    assert complaint["reference"] in text
    assert NAME in text
    assert nl_date(clock.today()) in text
    assert "Afspraken niet nagekomen." in text  # the short description
    assert "Bea Handelaar" in text  # the handler signs


def test_notice_and_form_when_not_taken_into_handling(cases, client):
    complaint = cases.make(at_task="assess_admissibility")
    complaint = cases.complete(complaint, "assess_admissibility", taken_into_handling=False,
                               reason="De klacht gaat over een andere organisatie.")
    complaint = cases.complete(complaint, "send_unfounded_notice", explanation="Wend u tot die organisatie.")
    [notice] = letters_of(complaint, "bericht_niet_in_behandeling")
    text = download(client, complaint, notice)
    assert "Wend u tot die organisatie." in text
    assert letters_of(complaint, "klachtenformulier"), "the case record is made when the complaint closes"


def test_a_report_of_every_offer_call(cases, client):
    complaint = cases.make(at_task="offer_call")
    complaint = cases.complete(complaint, "offer_call", complainant_satisfied=False,
                               complainant_reaction="Te weinig sessies.")
    complaint = cases.complete(complaint, "reconsider", next_step="new_offer")
    complaint = cases.complete(complaint, "decide_measures", offer_description="Vier extra sessies.")
    complaint = cases.complete(complaint, "offer_call", complainant_reaction="Nu wel tevreden.")
    first, second = letters_of(complaint, "verslag_telefoongesprek")
    assert "Te weinig sessies." in download(client, complaint, first)
    second_text = download(client, complaint, second)
    assert "Vier extra sessies." in second_text and "Nu wel tevreden." in second_text


def test_extension_letter_states_reason_and_new_date_and_goes_to_the_coach(cases, api, client, clock):
    complaint = cases.make(at_task="decide_measures")
    new_due = clock.today() + timedelta(days=50)
    response = api.post(f"/api/complaints/{complaint['id']}/extensions",
                        {"reason": "De coach is drie weken ziek.", "new_due_on": new_due.isoformat()},
                        user="behandelaar")
    complaint = response.get_json()
    [letter] = letters_of(complaint, "verlengingsbericht")
    text = download(client, complaint, letter)
    assert "De coach is drie weken ziek." in text
    assert nl_date(new_due) in text
    assert "Coach" in text  # a copy goes to the coach concerned (display name of user 'coach')


def test_final_report_and_complaints_form_when_closed(cases, client):
    complaint = cases.make(at_task=None)
    assert complaint["status"] == "closed"
    [final] = letters_of(complaint, "eindverslag")
    assert "Opgelost met twee extra sessies." in download(client, complaint, final)
    [form] = letters_of(complaint, "klachtenformulier")
    text = download(client, complaint, form)
    for expected in (complaint["reference"], "Twee extra sessies zonder kosten.", "Agenda dubbel controleren."):
        assert expected in text


def test_the_complaints_form_lists_every_extension_and_escalation(cases, api, client, clock):
    complaint = cases.make(at_task="decide_measures", concerns_personal_data=True)
    path = f"/api/complaints/{complaint['id']}"
    first_due, second_due = clock.today() + timedelta(days=50), clock.today() + timedelta(days=90)
    assert api.post(f"{path}/extensions", {"reason": "De coach is ziek.", "new_due_on": first_due.isoformat()},
                    user="behandelaar").status_code == 201
    assert api.post(f"{path}/extensions", {"reason": "Klager is op reis.", "new_due_on": second_due.isoformat(),
                                           "complainant_consent": True}, user="behandelaar").status_code == 201
    complaint = cases.walk(cases.get(complaint["id"]), "decide_measures", "offer_call", "send_final_report",
                           "record_preventive_measures", "record_offer_carried_out")
    [form] = letters_of(complaint, "klachtenformulier")
    text = download(client, complaint, form)
    for expected in ("De coach is ziek.", nl_date(first_due), "Klager is op reis.", nl_date(second_due),
                     "De klacht is niet verder voorgelegd."):
        assert expected in text, expected
    for route, reason in (("commissioning_client", "Wil de opdrachtgever erbij."),
                          ("data_protection_authority", "Gegevens gedeeld zonder toestemming.")):
        assert api.post(f"{path}/escalations", {"route": route, "reason": reason}).status_code == 201
    complaint = cases.get(complaint["id"])  # each escalation made the record anew
    forms = letters_of(complaint, "klachtenformulier")
    assert [item["version"] for item in forms] == [1, 2, 3]
    refused = api.post(f"{path}/letters/{form['id']}/versions", {}, user="behandelaar")
    assert refused.status_code == 409  # a newer version exists
    text = download(client, complaint, forms[-1])
    for expected in ("Wil de opdrachtgever erbij.", "Gegevens gedeeld zonder toestemming.", "Opdrachtgever",
                     "Autoriteit Persoonsgegevens", "De coach is ziek.", "Klager is op reis."):
        assert expected in text, expected
    assert "De klacht is niet verder voorgelegd." not in text


@pytest.mark.parametrize("route, kind, expected", [
    ("commissioning_client", "doorverwijzing_opdrachtgever", "UWV Voorbeeldstad"),
    ("ombudsman", "informatie_ombudsman", "Nationale Ombudsman"),
    ("data_protection_authority", "informatie_autoriteit_persoonsgegevens", "autoriteitpersoonsgegevens.nl"),
])
def test_each_escalation_route_has_its_letter(cases, api, client, route, kind, expected):
    complaint = cases.make(at_task="send_final_report", concerns_personal_data=True)
    response = api.post(f"/api/complaints/{complaint['id']}/escalations",
                        {"route": route, "reason": "Niet tevreden & wil verder."})
    assert response.status_code == 201
    complaint = response.get_json()
    [letter] = letters_of(complaint, kind)
    text = download(client, complaint, letter)
    assert expected in text
    assert "Niet tevreden & wil verder." in text
    assert complaint["reference"] in text


def test_a_correction_is_a_new_version_and_the_old_letter_stays(cases, api, client):
    complaint = cases.make(at_task="assess_admissibility")
    [original] = letters_of(complaint, "ontvangstbevestiging")
    before = client.get(f"/api/complaints/{complaint['id']}/letters/{original['id']}", headers=basic("praktijk")).data
    response = api.post(f"/api/complaints/{complaint['id']}/letters/{original['id']}/versions", {},
                        user="behandelaar")
    assert response.status_code == 201
    complaint = response.get_json()
    first, second = letters_of(complaint, "ontvangstbevestiging")
    assert (first["version"], second["version"], second["replaces_id"]) == (1, 2, first["id"])
    assert second["filename"].endswith("-v2.docx")
    after = client.get(f"/api/complaints/{complaint['id']}/letters/{first['id']}", headers=basic("praktijk")).data
    assert after == before
    assert kinds(complaint)[-1] == "letter_made"
    again = api.post(f"/api/complaints/{complaint['id']}/letters/{first['id']}/versions", {}, user="behandelaar")
    assert again.status_code == 409
    assert api.post(f"/api/complaints/{complaint['id']}/letters/{first['id']}/versions", {},
                    user="coach").status_code == 403


def test_a_stored_letter_cannot_be_changed(app, cases):
    from service.extensions import db
    from service.models import Letter

    cases.make(at_task="assess_admissibility")
    with app.app_context():
        letter = db.session.scalar(db.select(Letter))
        letter.content = b"tampered"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.commit()
        db.session.rollback()


def test_a_broken_template_fails_the_step_and_changes_nothing(app, cases, api, tmp_path):
    from service.extensions import db
    from service.models import ProcessVersion

    shutil.copytree(ROOT / "letter_templates", tmp_path / "templates")
    (tmp_path / "templates" / "ontvangstbevestiging.docx").write_bytes(b"not a word file")
    ctx = app.extensions["klachten"]
    app.extensions["klachten"] = ctx.__class__(**{**ctx.__dict__,
                                                  "letter_templates_dir": str(tmp_path / "templates")})
    with app.app_context():  # a version deployed before 0.4.0 keeps no templates: it uses the current files
        db.session.execute(db.update(ProcessVersion).values(templates_sha256=None))
        db.session.commit()
    complaint = cases.make(at_task="send_acknowledgement")
    before = cases.get(complaint["id"])
    task = cases.open_task(complaint, "send_acknowledgement")
    from conftest import task_fields

    response = api.post(f"/api/tasks/{task['id']}", task_fields("send_acknowledgement"), user="behandelaar")
    assert response.status_code == 500
    assert "ontvangstbevestiging" in response.get_json()["error"]
    after = cases.get(complaint["id"])
    for key in ("tasks", "letters", "history", "data", "deadlines"):
        assert after[key] == before[key], key


def test_every_letter_opens_in_a_word_processor(cases, api, client, tmp_path):
    """LibreOffice converts every letter the founded path and the escalations make (CI must have it)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is required in CI (apt-get install libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed")
    complaint = cases.make(at_task=None, concerns_personal_data=True)
    for route in ("commissioning_client", "ombudsman", "data_protection_authority"):
        complaint = api.post(f"/api/complaints/{complaint['id']}/escalations",
                             {"route": route, "reason": "Niet tevreden."}).get_json()
    files = []
    for letter in complaint["letters"]:
        data = client.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}", headers=basic("praktijk")).data
        path = tmp_path / letter["filename"]
        path.write_bytes(data)
        files.append(path)
    # 4 letters of the path (two final reports: complainant and coach), the record made at closing and anew after
    # each of the 3 escalations, and the 3 escalation letters
    assert len(files) == 11
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, files)],
                   check=True, capture_output=True, timeout=180)
    for path in files:
        pdf = tmp_path / "pdf" / (path.stem + ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF"), path.name
