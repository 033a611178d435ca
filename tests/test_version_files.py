"""A complaint keeps the forms and letter templates of the version it runs on, whatever is deployed later."""

import json
import shutil
from pathlib import Path

import docx
import pytest
from conftest import ROOT, _app, basic, task_fields
from diagrams import DIAGRAM
from helpers import docx_text
from test_letters import letters_of

from service.extensions import db

NEW_SENTENCE = "Deze brief volgt de regeling van versie twee."


@pytest.fixture
def app(backend, request, tmp_path, password_hash, clock):
    """The usual app, reading forms and letter templates from copies that a test may change."""
    shutil.copytree(ROOT / "forms", tmp_path / "forms")
    shutil.copytree(ROOT / "letter_templates", tmp_path / "templates")
    app = _app(backend, request, tmp_path, password_hash,
               {"FORMS_DIR": tmp_path / "forms", "LETTER_TEMPLATES_DIR": tmp_path / "templates"})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def change_the_files(folder: Path) -> None:
    """Drop the field `place` from send_acknowledgement and add a sentence to the acknowledgement letter."""
    form_path = folder / "forms" / "send_acknowledgement.json"
    form = json.loads(form_path.read_text(encoding="utf-8"))
    form["fields"] = [field for field in form["fields"] if field["name"] != "place"]
    form_path.write_text(json.dumps(form), encoding="utf-8")
    letter_path = folder / "templates" / "ontvangstbevestiging.docx"
    document = docx.Document(str(letter_path))
    document.add_paragraph(NEW_SENTENCE)
    document.save(str(letter_path))


def deploy_again(client) -> int:
    response = client.post("/api/process-versions", data=DIAGRAM.encode(), content_type="application/xml",
                           headers=basic("eigenaar"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def acknowledge(api, cases, complaint, fields):
    task = cases.open_task(complaint, "send_acknowledgement")
    return api.post(f"/api/tasks/{task['id']}", fields, user="behandelaar")


def acknowledgement_text(client, cases, complaint) -> str:
    complaint = cases.get(complaint["id"])
    [letter] = letters_of(complaint, "ontvangstbevestiging")
    response = client.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}", headers=basic("praktijk"))
    return docx_text(response.data)


def test_a_complaint_keeps_the_form_and_letter_of_its_version(app, api, client, cases, tmp_path):
    old = cases.make(at_task="send_acknowledgement")
    change_the_files(tmp_path)
    assert deploy_again(client) == 2
    new = cases.make(at_task="send_acknowledgement")
    assert (old["process_version"], new["process_version"]) == (1, 2)

    without_place = {k: v for k, v in task_fields("send_acknowledgement").items() if k != "place"}
    refused = acknowledge(api, cases, old, without_place)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == {"place": ["Dit veld is verplicht."]}  # still required on version 1
    assert acknowledge(api, cases, old, task_fields("send_acknowledgement")).status_code == 200
    assert NEW_SENTENCE not in acknowledgement_text(client, cases, old)

    unknown = acknowledge(api, cases, new, task_fields("send_acknowledgement"))
    assert unknown.status_code == 422
    assert unknown.get_json()["errors"] == {"place": ["Onbekend veld."]}
    assert acknowledge(api, cases, new, without_place).status_code == 200
    assert NEW_SENTENCE in acknowledgement_text(client, cases, new)


def test_a_version_keeps_its_files_in_the_database_and_lays_its_templates_out_once(app, client, cases, tmp_path):
    from service.models import ProcessVersion, ProcessVersionFile

    with app.app_context():
        version = db.session.scalar(db.select(ProcessVersion))
        rows = db.session.execute(db.select(ProcessVersionFile.kind, ProcessVersionFile.name)).all()
        assert version.forms_sha256 and version.templates_sha256
        folder = tmp_path / "versions" / version.templates_sha256[:16] / "letter_templates"
    assert ("form", "send_acknowledgement") in rows
    assert ("letter_template", "ontvangstbevestiging.docx") in rows and ("letter_template", "letterhead.json") in rows
    assert not folder.exists()
    cases.make(at_task="assess_admissibility")  # makes the acknowledgement
    assert (folder / "ontvangstbevestiging.docx").read_bytes() == \
        (tmp_path / "templates" / "ontvangstbevestiging.docx").read_bytes()
    assert deploy_again(client) == 2  # the same files: the same folder
    assert sorted(p.name for p in (tmp_path / "versions").iterdir()) == [version.templates_sha256[:16]]


def test_the_web_form_of_a_task_is_the_one_of_its_version(app, client, cases, tmp_path):
    from test_web import as_user

    old = cases.make(at_task="send_acknowledgement")
    change_the_files(tmp_path)
    deploy_again(client)
    new = cases.make(at_task="send_acknowledgement")
    as_user(client, "behandelaar")
    old_page = client.get(f"/taken/{cases.open_task(old, 'send_acknowledgement')['id']}").get_data(as_text=True)
    new_page = client.get(f"/taken/{cases.open_task(new, 'send_acknowledgement')['id']}").get_data(as_text=True)
    assert 'name="place"' in old_page
    assert 'name="place"' not in new_page


def test_the_diff_shows_a_changed_form_and_letter(app, client, tmp_path):
    change_the_files(tmp_path)
    deploy_again(client)
    diff = client.get("/api/process-versions/diff?from=1&to=2", headers=basic("eigenaar")).get_json()
    assert diff["changed"] == [{"id": "send_acknowledgement", "name": "Ontvangstbevestiging sturen",
                                "kind": "user_task", "changes": ["form", "letter"], "values": {}}]


def test_a_version_deployed_before_its_files_were_kept_uses_the_current_ones(app, api, cases, tmp_path):
    from service.models import ProcessVersion

    with app.app_context():
        db.session.execute(db.update(ProcessVersion).values(forms_sha256=None, templates_sha256=None))
        db.session.commit()
    complaint = cases.make(at_task="send_acknowledgement")
    assert acknowledge(api, cases, complaint, task_fields("send_acknowledgement")).status_code == 200
    assert not (tmp_path / "versions").exists()


def test_kept_files_cannot_be_changed(app):
    from service.models import ProcessVersionFile

    with app.app_context():
        row = db.session.scalar(db.select(ProcessVersionFile))
        row.content = b"anders"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.commit()
        db.session.rollback()

