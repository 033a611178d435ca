"""What is not (yet) an official complaint still counts for step 8: signals, kept apart from the complaints."""

from datetime import timedelta

from conftest import START
from test_web import as_user
from web_helpers import submit, text


def signal(api, user="praktijk", **body):
    payload = {"kind": "informal", "received_on": START.date().isoformat(),
               "description": "De klant belde: het verslag kwam laat.", **body}
    return api.post("/api/signals", payload, user=user)


def test_the_practice_records_signals_that_start_no_process(api, cases):
    informal = signal(api, coach="coach")
    assert informal.status_code == 201, informal.get_json()
    early = signal(api, kind="resolved_early", resolution="Direct een nieuwe afspraak gemaakt.")
    assert early.status_code == 201
    assert [s["kind"] for s in api.get("/api/signals").get_json()] == ["resolved_early", "informal"]
    assert api.get("/api/complaints").get_json() == [] and api.get("/api/tasks").get_json() == []


def test_a_signal_is_refused_with_a_message_per_field(api, clock):
    assert signal(api, user="behandelaar").status_code == 403
    response = signal(api, kind="resolved_early", coach="behandelaar",
                      received_on=(clock.today() + timedelta(days=1)).isoformat())
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"received_on", "coach", "resolution"}
    assert api.get("/api/signals").get_json() == []


def test_the_analysis_counts_signals_apart_from_the_complaints(api, cases):
    cases.register()
    for _ in range(3):
        assert signal(api).status_code == 201
    for _ in range(5):
        assert signal(api, kind="resolved_early", resolution="Opgelost aan de telefoon.").status_code == 201
    practice = api.get("/api/analysis?year=2026").get_json()
    assert practice["received"] == 1
    assert practice["signals"] == {"informal": 3, "resolved_early": 5}
    owner = api.get("/api/analysis?year=2026", user="eigenaar").get_json()
    assert owner["signals"] == {"informal": "<5", "resolved_early": 5}
    assert api.get("/api/analysis?year=2025").get_json()["signals"] == {"informal": 0, "resolved_early": 0}


def test_the_practice_records_a_signal_on_its_page_and_sees_it_on_the_dashboard(client, api):
    as_user(client, "praktijk")
    assert "Signaal vastleggen" in text(client.get("/analyse?year=2026"))
    refused = submit(client, "/analyse/signalen", "/analyse/signalen",
                     {"kind": "resolved_early", "received_on": START.date().isoformat(), "description": "Te laat."})
    assert refused.status_code == 422 and "Beschrijf hoe de klacht vroegtijdig is opgelost." in text(refused)
    done = submit(client, "/analyse/signalen", "/analyse/signalen",
                  {"kind": "resolved_early", "received_on": START.date().isoformat(), "description": "Te laat.",
                   "resolution": "Excuses en een nieuwe afspraak."})
    assert done.status_code == 303
    assert "Excuses en een nieuwe afspraak." in text(client.get("/analyse/signalen"))
    assert api.get("/api/analysis?year=2026").get_json()["signals"]["resolved_early"] == 1
