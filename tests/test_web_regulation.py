"""The complaint page's actions of the regulation read more exactly: withdraw, delay notice, another handler."""

import io

from conftest import START
from helpers import deadline, kinds, tick
from test_web import as_user, file_url
from web_helpers import submit, text


def test_the_handler_withdraws_a_complaint_from_its_page(client, cases):
    complaint = cases.make(at_task="hear_coach")
    as_user(client, "behandelaar")
    page = text(client.get(file_url(complaint)))
    assert "Klacht intrekken" in page
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/intrekking",
                      {"withdrawn_on": START.date().isoformat(), "channel": "oral", "reason": "Uitgepraat."})
    assert response.status_code == 303
    page = text(client.get(file_url(complaint)))
    assert "De intrekking is vastgelegd" in page and "mondeling ingetrokken" in page
    assert "Klacht intrekken" not in page and "vervallen" in page
    assert cases.get(complaint["id"])["status"] == "withdrawn"


def test_a_refused_withdrawal_shows_the_form_again_with_the_message(client, cases):
    complaint = cases.make(at_task="hear_coach")
    as_user(client, "behandelaar")
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/intrekking",
                      {"withdrawn_on": "2099-01-01", "channel": "written"})
    assert response.status_code == 422
    assert "De datum van intrekking mag niet in de toekomst liggen." in text(response)
    assert cases.get(complaint["id"])["status"] == "open"


def test_a_delay_notice_is_offered_only_once_the_term_has_passed(client, cases, clock, app):
    complaint = cases.make(at_task="decide_measures")
    as_user(client, "behandelaar")
    assert "Vertragingsbericht sturen" not in text(client.get(file_url(complaint)))
    clock.shift(days=43)
    tick(app)
    as_user(client, "behandelaar")
    page = text(client.get(file_url(complaint)))
    assert "Vertragingsbericht sturen" in page and "Termijn verlengen" not in page
    expected = clock.today().replace(day=28) if clock.today().day < 28 else clock.today()
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/vertraging",
                      {"reason": "De coach was ziek.", "expected_on": (expected.replace(year=expected.year + 1))
                       .isoformat()})
    assert response.status_code == 303
    after = cases.get(complaint["id"])
    assert "delay_notice" in kinds(after) and deadline(after, "call_report")["overdue"] is True
    assert "vertragingsbericht" in [letter["kind"] for letter in after["letters"]]


def test_the_practice_appoints_another_handler_from_the_page(client, cases):
    complaint = cases.make(at_task="hear_coach")
    as_user(client, "behandelaar")
    assert "Andere behandelaar aanstellen" not in text(client.get(file_url(complaint)))  # the practice does this
    as_user(client, "praktijk")
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/behandelaar",
                      {"handler_username": "behandelaar2", "handler_name": "B. Tweede",
                       "handler_function": "Klachtbehandelaar", "reason": "Ziekte van de behandelaar."})
    assert response.status_code == 303
    assert "Er is een andere behandelaar aangesteld" in text(client.get(file_url(complaint)))
    assert cases.get(complaint["id"])["handler"]["username"] == "behandelaar2"


# ---------------------------------------------------------------- errors are seen (issue 16)


def test_a_refused_action_brings_the_reader_to_its_message_with_the_values_kept(client, cases):
    complaint = cases.make(at_task="hear_coach")
    as_user(client, "behandelaar")
    page = text(client.get(file_url(complaint)))
    for anchor in ("ext-errors", "wd-errors", "att-errors"):
        assert f'{file_url(complaint)}/' in page and f'#{anchor}"' in page
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/intrekking",
                      {"withdrawn_on": "2099-01-01", "channel": "written", "reason": "Toch niet nodig."})
    assert response.status_code == 422
    html = text(response)
    assert '<div class="error-summary" id="wd-errors" role="alert"' in html
    assert "Toch niet nodig." in html  # the value typed is kept


def test_the_upload_limit_is_stated_and_an_oversize_file_gets_a_dutch_page_with_a_way_back(client, cases, app):
    complaint = cases.make(at_task="hear_coach")
    as_user(client, "behandelaar")
    page = text(client.get(file_url(complaint)))
    assert "Hoogstens 10 MB per bestand." in page
    app.config["MAX_CONTENT_LENGTH"] = 100_000  # the same refusal as at 11 MB, without making a temporary file
    too_big = b"%PDF-1.4\n" + b"0" * 150_000
    response = submit(client, file_url(complaint), f"{file_url(complaint)}/bijlagen",
                      {"file": (io.BytesIO(too_big), "verslag.pdf")},
                      headers={"Referer": f"http://localhost{file_url(complaint)}"})
    assert response.status_code == 413
    html = text(response)
    assert "een bestand mag hoogstens 10 MB zijn. Er is niets opgeslagen." in html
    assert f'<a href="http://localhost{file_url(complaint)}">Terug naar de vorige pagina</a>' in html
    assert cases.get(complaint["id"])["attachments"] == []
    as_user(client, "praktijk")
    assert "Hoogstens 10 MB per bestand." in text(client.get("/klachten/nieuw"))


def test_a_withdrawal_reports_a_future_date_together_with_the_missing_channel(client, cases, api):
    complaint = cases.make(at_task="hear_coach")
    response = api.post(f"/api/complaints/{complaint['id']}/withdrawal", {"withdrawn_on": "2099-01-01"})
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "withdrawn_on": ["De datum van intrekking mag niet in de toekomst liggen."],
        "channel": ["Dit veld is verplicht."]}
    assert cases.get(complaint["id"])["status"] == "open"
