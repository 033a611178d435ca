"""The refusals of CONTRACT.md: clear field errors, and nothing stored or advanced."""

import pytest
from conftest import PASSWORD, basic, complaint_payload, task_fields
from helpers import open_tasks


def count(api):
    return len(api.get("/api/complaints").get_json())


@pytest.mark.parametrize("change, field", [
    ({"complainant": {"address": "Straat 1"}}, "complainant.name"),
    ({"complainant": {"name": "A", "address": ""}}, "complainant.address"),
    ({"complainant": {"name": "A", "address": "B", "email": "geen-mail"}}, "complainant.email"),
    ({"dated_on": "gisteren"}, "dated_on"),
    ({"received_on": None}, "received_on"),
    ({"channel": "fax"}, "channel"),
    ({"description": ""}, "description"),
    ({"commissioning_client": {"kind": "employer"}}, "commissioning_client.name"),
    ({"commissioning_client": {"kind": "bank", "name": "X"}}, "commissioning_client.kind"),
    ({"concerns_personal_data": "ja"}, "concerns_personal_data"),
    ({"official": False}, "official"),
    ({"unexpected": 1}, "unexpected"),
])
def test_registration_refusals_name_the_field_and_store_nothing(api, change, field):
    response = api.post("/api/complaints", complaint_payload(**change))
    assert response.status_code == 422
    body = response.get_json()
    assert field in body["errors"], body
    assert body["error"]
    assert count(api) == 0


def test_missing_fields_are_all_reported_at_once(api):
    response = api.post("/api/complaints", {"official": True})
    assert response.status_code == 422
    assert {"complainant", "dated_on", "received_on", "channel", "description", "coach",
            "commissioning_client", "concerns_personal_data"} <= set(response.get_json()["errors"])


@pytest.mark.parametrize("change, field", [
    ({"received_on": "2099-01-01", "dated_on": "2026-03-01"}, "received_on"),
    ({"received_on": "2026-03-01", "dated_on": "2026-03-02"}, "received_on"),
    ({"coach": "behandelaar"}, "coach"),
    ({"coach": "niemand"}, "coach"),
])
def test_registration_rules_that_need_the_database(api, change, field):
    response = api.post("/api/complaints", complaint_payload(**change))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert count(api) == 0


def test_no_commissioning_client_needs_no_name(api):
    response = api.post("/api/complaints", complaint_payload(commissioning_client={"kind": "none"}))
    assert response.status_code == 201
    assert response.get_json()["commissioning_client"] == {"kind": "none", "name": None}


def test_oral_complaint_is_registered(api):
    response = api.post("/api/complaints", complaint_payload(channel="oral"))
    assert response.status_code == 201
    assert response.get_json()["channel"] == "oral"


@pytest.mark.parametrize("body", ["not json", "[1, 2]"])
def test_malformed_body_is_400(client, body):
    response = client.post("/api/complaints", data=body, content_type="application/json",
                           headers=basic("praktijk"))
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]


def test_body_that_is_not_json_is_400(client):
    response = client.post("/api/complaints", data="a=b", headers=basic("praktijk"))
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/complaints", "/api/tasks", "/api/complaints/1"])
def test_no_credentials_is_401(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_wrong_password_is_401(client):
    assert client.get("/api/complaints", headers=basic("praktijk", "fout")).status_code == 401


def test_only_the_practice_registers_complaints(api):
    assert api.post("/api/complaints", complaint_payload(), user="behandelaar").status_code == 403
    assert count(api) == 0


def test_unknown_complaint_is_404(api):
    assert api.get("/api/complaints/999").status_code == 404


def test_unknown_task_is_404(api):
    assert api.post("/api/tasks/00000000-0000-0000-0000-000000000000", {}).status_code == 404


def test_task_of_another_role_is_403_and_changes_nothing(cases, api):
    complaint = cases.register()
    task = complaint["tasks"][0]
    response = api.post(f"/api/tasks/{task['id']}", task_fields("appoint_handler"), user="behandelaar")
    assert response.status_code == 403
    assert open_tasks(cases.get(complaint["id"])) == ["appoint_handler"]


def test_handler_sees_and_works_only_assigned_complaints(cases, api):
    mine = cases.make(at_task="send_acknowledgement")
    other = cases.register()
    cases.complete(other, "appoint_handler", handler_username="behandelaar2")
    assert [c["id"] for c in api.get("/api/complaints", user="behandelaar").get_json()] == [mine["id"]]
    assert api.get(f"/api/complaints/{other['id']}", user="behandelaar").status_code == 403
    tasks = api.get("/api/tasks", user="behandelaar").get_json()
    assert [(t["complaint_id"], t["task"]) for t in tasks] == [(mine["id"], "send_acknowledgement")]
    foreign = cases.open_task(other, "send_acknowledgement")
    response = api.post(f"/api/tasks/{foreign['id']}", task_fields("send_acknowledgement"), user="behandelaar")
    assert response.status_code == 403


def test_coach_sees_only_complaints_about_them(cases, api):
    about_coach = cases.register()
    cases.register(coach="coach2")
    assert [c["id"] for c in api.get("/api/complaints", user="coach").get_json()] == [about_coach["id"]]


def test_invalid_task_fields_are_422_with_field_names_and_nothing_changes(cases, api):
    complaint = cases.make(at_task="send_acknowledgement")
    before = cases.get(complaint["id"])
    task = cases.open_task(complaint, "send_acknowledgement")
    response = api.post(f"/api/tasks/{task['id']}", {"summary": "", "expected_term_weeks": 9, "extra": 1},
                        user="behandelaar")
    assert response.status_code == 422
    assert {"summary", "place", "expected_term_weeks", "extra"} <= set(response.get_json()["errors"])
    after = cases.get(complaint["id"])
    assert after["history"] == before["history"]
    assert after["tasks"] == before["tasks"]
    assert after["data"] == before["data"]


def test_field_the_form_does_not_declare_is_refused(cases, api):
    complaint = cases.make(at_task="assess_admissibility")
    task = cases.open_task(complaint, "assess_admissibility")
    response = api.post(f"/api/tasks/{task['id']}", {"taken_into_handling": True, "resolved_on": "2020-01-01"},
                        user="behandelaar")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["resolved_on"]


@pytest.mark.parametrize("fields, message_part", [
    ({"handler_username": "coach"}, "behandelaar"),
    ({"handler_username": "praktijk"}, "behandelaar"),
    ({"handler_noloc_member": False}, "NOLOC"),
])
def test_handler_appointment_rules(cases, api, fields, message_part):
    complaint = cases.register()
    task = complaint["tasks"][0]
    response = api.post(f"/api/tasks/{task['id']}", task_fields("appoint_handler", **fields))
    assert response.status_code == 422
    messages = " ".join(sum(response.get_json()["errors"].values(), []))
    assert message_part in messages
    assert cases.get(complaint["id"])["handler"] is None


def test_the_coach_concerned_cannot_be_the_handler_even_with_both_roles(app, cases, api):
    from service.extensions import db
    from service.models import User

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "coach"))
        user.roles_text = "coach,handler"
        db.session.commit()
    complaint = cases.register()
    response = api.post(f"/api/tasks/{complaint['tasks'][0]['id']}",
                        task_fields("appoint_handler", handler_username="coach"))
    assert response.status_code == 422
    assert "handler_username" in response.get_json()["errors"]


def test_completed_task_is_409(cases, api):
    complaint = cases.register()
    task = complaint["tasks"][0]
    assert api.post(f"/api/tasks/{task['id']}", task_fields("appoint_handler")).status_code == 200
    again = api.post(f"/api/tasks/{task['id']}", task_fields("appoint_handler"))
    assert again.status_code == 409


def test_offer_call_in_the_future_is_refused(cases, api, clock):
    from datetime import timedelta

    complaint = cases.make(at_task="offer_call")
    task = cases.open_task(complaint, "offer_call")
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    response = api.post(f"/api/tasks/{task['id']}", task_fields("offer_call", called_on=tomorrow),
                        user="behandelaar")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["called_on"]


def test_status_filter_validates_its_value(api):
    assert api.get("/api/complaints?status=weg").status_code == 422


def test_status_filter(cases, api):
    closed = cases.make(at_task="assess_admissibility")
    cases.walk(closed, "assess_admissibility")
    cases.register()
    statuses = {c["status"] for c in api.get("/api/complaints?status=open").get_json()}
    assert statuses == {"open"}


def test_a_session_call_that_another_site_started_is_refused_and_changes_nothing(app, client):
    assert client.post("/api/session", json={"username": "praktijk", "password": PASSWORD}).status_code == 200

    def count() -> int:
        return len(client.get("/api/complaints", headers={"Sec-Fetch-Site": "cross-site"}).get_json())

    assert count() == 0  # reading is not refused
    for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                    {"Origin": "https://elders.example"}):
        refused = client.post("/api/complaints", json=complaint_payload(), headers=headers)
        assert refused.status_code == 403, headers
        assert refused.get_json()["error"] == "Verzoek van een andere website geweigerd; er is niets gewijzigd."
    assert count() == 0
    for headers in ({"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://localhost"}, {}):
        assert client.post("/api/complaints", json=complaint_payload(), headers=headers).status_code == 201
    # Basic credentials are no ambient authority: the headers do not matter for them.
    other = app.test_client()
    assert other.post("/api/complaints", json=complaint_payload(),
                      headers={**basic("praktijk"), "Sec-Fetch-Site": "cross-site"}).status_code == 201
    assert count() == 4
