"""A task form with a file field: the file is kept with the complaint in the same transaction as the task."""

import io
import json
import shutil

import pytest
from conftest import ROOT, _app
from helpers import open_tasks
from test_web import PDF, as_user
from web_helpers import field_error, submit, text

from service.extensions import db


@pytest.fixture
def app(backend, request, tmp_path, password_hash, clock):
    """The usual app, with an optional file field added to the form of send_acknowledgement."""
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    path = forms / "send_acknowledgement.json"
    definition = json.loads(path.read_text(encoding="utf-8"))
    definition["fields"].append({"name": "copy", "type": "file", "label": "Kopie van de verstuurde brief",
                                 "required": False})
    path.write_text(json.dumps(definition), encoding="utf-8")
    app = _app(backend, request, tmp_path, password_hash, {"FORMS_DIR": forms})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


FIELDS = {"summary": "Afspraken niet nagekomen.", "place": "Utrecht", "expected_term_weeks": "3"}


def test_a_file_field_is_a_file_input_in_a_multipart_form(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "behandelaar")
    html = client.get(f"/taken/{task['id']}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert '<input id="f-copy" name="copy" type="file"' in html


def test_the_file_of_a_refused_task_is_not_kept(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "behandelaar")
    url = f"/taken/{task['id']}"
    refused = submit(client, url, url, {**FIELDS, "expected_term_weeks": "0", "copy": (io.BytesIO(PDF), "brief.pdf")},
                     content_type="multipart/form-data")
    assert refused.status_code == 422
    assert field_error(text(refused), "f-expected_term_weeks") == "Moet tussen 1 en 6 liggen."
    bad_file = submit(client, url, url, {**FIELDS, "place": "", "copy": (io.BytesIO(b"geen pdf"), "brief.pdf")},
                      content_type="multipart/form-data")
    assert bad_file.status_code == 422
    assert "inhoud" in field_error(text(bad_file), "f-copy")
    assert field_error(text(bad_file), "f-place") == "Dit veld is verplicht."
    after = cases.get(complaint["id"])
    assert after["attachments"] == [] and open_tasks(after) == ["send_acknowledgement"]


def test_the_file_of_a_completed_task_is_kept_and_its_id_recorded(client, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    as_user(client, "behandelaar")
    url = f"/taken/{task['id']}"
    response = submit(client, url, url, {**FIELDS, "copy": (io.BytesIO(PDF), "brief.pdf")},
                      content_type="multipart/form-data")
    assert response.status_code == 303, text(response)
    after = cases.get(complaint["id"])
    [kept] = after["attachments"]
    assert kept["filename"] == "brief.pdf"
    assert after["data"]["copy"] == str(kept["id"])
    assert open_tasks(after) == ["assess_admissibility"]
    assert "<dt>Kopie van de verstuurde brief</dt><dd class=\"prewrap\">brief.pdf</dd>" in text(
        client.get(f"/klachten/{complaint['id']}"))
