"""Letter preview: the letter a task would make, downloaded before the task is submitted; nothing is kept."""

import base64
import io
import zipfile

from conftest import task_fields
from helpers import docx_text
from web_helpers import login, submit, text, visible_text

from service import complaints

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def web_fields(task: str, **overrides) -> dict:
    return {key: str(value).lower() if isinstance(value, bool) else str(value)
            for key, value in task_fields(task, **overrides).items()}


def task_page(client, cases, task: str) -> tuple[dict, dict, str]:
    """A complaint waiting at task, the complaint as the API shows it now, and the task page, logged in."""
    complaint = cases.make(at_task=task)
    before = cases.get(complaint["id"])
    page = f"/taken/{cases.open_task(complaint, task)['id']}"
    login(client, "behandelaar")
    return complaint, before, page


def test_the_handler_downloads_the_acknowledgement_before_sending_it(client, cases):
    complaint, before, page = task_page(client, cases, "send_acknowledgement")
    assert "Voorbeeld van de brief" in visible_text(client.get(page))
    response = submit(client, page, f"{page}/voorbeeld",
                      web_fields("send_acknowledgement", summary="Afspraken & <verzet> zonder overleg."))
    assert response.status_code == 200 and response.mimetype == DOCX
    assert f"concept-{complaint['reference']}-ontvangstbevestiging.docx" in response.headers["Content-Disposition"]
    letter = docx_text(response.data)
    assert letter.startswith("CONCEPT – niet verzonden.")
    assert "Afspraken & <verzet> zonder overleg." in letter
    assert before["complainant"]["name"] in letter
    after = cases.get(complaint["id"])  # nothing was kept: no letter, no history, the task still open
    assert after == before


def test_a_refused_preview_shows_the_form_with_the_errors_and_keeps_nothing(client, cases):
    complaint, before, page = task_page(client, cases, "send_acknowledgement")
    response = submit(client, page, f"{page}/voorbeeld", web_fields("send_acknowledgement", summary=""))
    assert response.status_code == 422
    assert 'id="f-summary-error"' in text(response)
    assert cases.get(complaint["id"]) == before


def test_a_task_without_a_letter_offers_no_preview(client, cases):
    complaint = cases.make(at_task="hear_coach")
    task = cases.open_task(complaint, "hear_coach")
    login(client, "behandelaar")
    assert "Voorbeeld van de brief" not in visible_text(client.get(f"/taken/{task['id']}"))


def test_the_last_step_previews_the_letter_its_closing_makes(client, cases):
    complaint, before, page = task_page(client, cases, "record_offer_carried_out")
    response = submit(client, page, f"{page}/voorbeeld", web_fields("record_offer_carried_out"))
    assert response.mimetype == DOCX  # the task has no letter itself; closing the complaint makes one
    assert f"concept-{complaint['reference']}-klachtenformulier.docx" in response.headers["Content-Disposition"]
    assert cases.get(complaint["id"]) == before


def test_several_letters_come_as_one_zip(client, cases, monkeypatch):
    complaint = cases.make(at_task="send_acknowledgement")
    task = cases.open_task(complaint, "send_acknowledgement")
    made = [complaints.LetterPreview("a", "concept-a.docx", b"A"),
            complaints.LetterPreview("b", "concept-b.docx", b"B")]
    monkeypatch.setattr(complaints, "preview_task_letters", lambda *args, **kwargs: made)
    page = f"/taken/{task['id']}"
    login(client, "behandelaar")
    response = submit(client, page, f"{page}/voorbeeld", web_fields("send_acknowledgement"))
    assert response.mimetype == "application/zip"
    assert f"concept-{complaint['reference']}-brieven.zip" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert {name: archive.read(name) for name in archive.namelist()} == {"concept-a.docx": b"A", "concept-b.docx": b"B"}


def test_the_api_previews_the_letters_and_keeps_nothing(api, cases):
    complaint = cases.make(at_task="send_acknowledgement")
    before = cases.get(complaint["id"])
    task = cases.open_task(complaint, "send_acknowledgement")
    path = f"/api/tasks/{task['id']}/letter-preview"
    response = api.post(path, json=task_fields("send_acknowledgement"), user="behandelaar")
    assert response.status_code == 200
    [letter] = response.get_json()["letters"]
    assert letter["kind"] == "ontvangstbevestiging"
    assert letter["filename"] == f"concept-{complaint['reference']}-ontvangstbevestiging.docx"
    assert "Afspraken niet nagekomen." in docx_text(base64.b64decode(letter["content_base64"]))
    refused = api.post(path, json={"summary": ""}, user="behandelaar")
    assert refused.status_code == 422 and "summary" in refused.get_json()["errors"]
    assert api.post(path, json=task_fields("send_acknowledgement"), user="coach").status_code == 403
    assert cases.get(complaint["id"]) == before
