"""Every path of the regulation, end to end through the HTTP API, read like the regulation."""

from datetime import timedelta

import pytest
from helpers import deadline, kinds, open_tasks


def test_registration_starts_with_appointing_a_handler(cases, clock):
    complaint = cases.register()
    assert complaint["reference"] == f"KL-{clock.today().year}-0001"
    assert complaint["status"] == "open"
    assert open_tasks(complaint) == ["appoint_handler"]
    assert complaint["tasks"][0]["role"] == "practice"
    assert deadline(complaint, "acknowledgement")["due_on"] == (clock.today() + timedelta(days=14)).isoformat()
    assert complaint["process_version"] == 1
    assert kinds(complaint) == ["registered"]


def test_references_count_up_per_year(cases):
    first, second = cases.register(), cases.register()
    assert [first["reference"][-4:], second["reference"][-4:]] == ["0001", "0002"]


def test_founded_path_with_new_offer_until_closed(cases, clock):
    complaint = cases.make(at_task="offer_call")
    assert deadline(complaint, "acknowledgement")["met_on"] == clock.today().isoformat()
    first_call = clock.today().isoformat()
    complaint = cases.complete(complaint, "offer_call", complainant_satisfied=False,
                               complainant_reaction="Twee sessies is te weinig.")
    assert open_tasks(complaint) == ["reconsider"]
    assert deadline(complaint, "call_report")["met_on"] == first_call, "the first call's report meets the term"
    complaint = cases.complete(complaint, "reconsider", next_step="new_offer")
    assert open_tasks(complaint) == ["decide_measures"]
    complaint = cases.complete(complaint, "decide_measures", offer_types=["correction", "compensation"],
                               offer_description="Vier extra sessies en restitutie van één sessie.")
    clock.shift(days=3)
    complaint = cases.complete(complaint, "offer_call")
    assert complaint["status"] == "resolved"
    assert complaint["resolved_on"] == clock.today().isoformat()
    assert deadline(complaint, "call_report")["met_on"] == first_call
    assert deadline(complaint, "final_report")["due_on"] == (clock.today() + timedelta(days=14)).isoformat()
    assert open_tasks(complaint) == ["record_offer_carried_out", "record_preventive_measures", "send_final_report"]
    complaint = cases.walk(complaint, "send_final_report", "record_preventive_measures", "record_offer_carried_out")
    assert complaint["status"] == "closed"
    assert complaint["closed_on"] == clock.today().isoformat()
    assert open_tasks(complaint) == []
    assert complaint["data"]["offer_types"] == ["correction", "compensation"]
    assert all(not d["overdue"] for d in complaint["deadlines"])
    assert kinds(complaint).count("task_completed") == 13


def test_coach_disagreeing_sends_the_summary_back(cases):
    complaint = cases.make(at_task="coach_agreement")
    complaint = cases.complete(complaint, "coach_agreement", agrees=False,
                               remarks="Ik heb de afspraken niet verzet, de klant wel.")
    assert open_tasks(complaint) == ["hear_coach"]
    complaint = cases.complete(complaint, "hear_coach",
                               coach_reaction_summary="Afspraken zijn in overleg verzet.")
    complaint = cases.complete(complaint, "coach_agreement", agrees=True)
    assert open_tasks(complaint) == ["decide_measures"]
    assert complaint["data"]["coach_reaction_summary"] == "Afspraken zijn in overleg verzet."


def test_unsatisfied_with_new_investigation_goes_back_to_the_coach(cases):
    complaint = cases.make(at_task="offer_call")
    complaint = cases.complete(complaint, "offer_call", complainant_satisfied=False)
    complaint = cases.complete(complaint, "reconsider", next_step="new_investigation")
    assert open_tasks(complaint) == ["hear_coach"]


def test_unsatisfied_and_closed_resolves_the_complaint(cases, clock):
    complaint = cases.make(at_task="offer_call")
    complaint = cases.complete(complaint, "offer_call", complainant_satisfied=False)
    called = clock.today().isoformat()
    clock.shift(days=1)
    complaint = cases.complete(complaint, "reconsider", next_step="close")
    assert complaint["status"] == "resolved"
    assert complaint["resolved_on"] == clock.today().isoformat()
    assert deadline(complaint, "call_report")["met_on"] == called
    assert open_tasks(complaint) == ["record_preventive_measures", "send_final_report"]


def test_not_taken_into_handling_sends_the_notice_and_closes(cases, clock):
    complaint = cases.make(at_task="assess_admissibility")
    complaint = cases.complete(complaint, "assess_admissibility", taken_into_handling=False,
                               reason="De klacht gaat over een andere organisatie.")
    assert open_tasks(complaint) == ["send_unfounded_notice"]
    assert deadline(complaint, "unfounded_notice")["due_on"] == (
        clock.today() + timedelta(days=28)).isoformat()
    complaint = cases.complete(complaint, "send_unfounded_notice")
    assert complaint["status"] == "closed"
    assert deadline(complaint, "unfounded_notice")["met_on"] == clock.today().isoformat()
    call_report = deadline(complaint, "call_report")
    assert call_report["cancelled_on"] == clock.today().isoformat() and call_report["met_on"] is None
    assert not call_report["overdue"]


def test_reason_is_required_when_not_taken_into_handling(cases, api):
    complaint = cases.make(at_task="assess_admissibility")
    task = cases.open_task(complaint, "assess_admissibility")
    response = api.post(f"/api/tasks/{task['id']}", {"taken_into_handling": False}, user="behandelaar")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["reason"]
    assert open_tasks(cases.get(complaint["id"])) == ["assess_admissibility"]


# ---------------------------------------------------------------- extensions


def extend(api, complaint, user="behandelaar", **body):
    return api.post(f"/api/complaints/{complaint['id']}/extensions", body, user=user)


def test_extension_within_four_weeks_moves_the_call_report_deadline(cases, api, clock):
    complaint = cases.make(at_task="decide_measures")
    original = deadline(complaint, "call_report")["due_on"]
    new_due = (clock.today() + timedelta(days=42 + 20)).isoformat()
    response = extend(api, complaint, reason="De coach is drie weken ziek.", new_due_on=new_due)
    assert response.status_code == 201, response.get_json()
    complaint = response.get_json()
    assert deadline(complaint, "call_report")["due_on"] == new_due
    assert [e["previous_due_on"] for e in complaint["extensions"]] == [original]
    assert complaint["tasks"][0]["due_on"] == new_due
    assert "deadline_extended" in kinds(complaint)


def test_extension_beyond_four_weeks_needs_the_complainants_consent(cases, api, clock):
    complaint = cases.make(at_task="decide_measures")
    far = (clock.today() + timedelta(days=42 + 29)).isoformat()
    refused = extend(api, complaint, reason="Onderzoek loopt uit.", new_due_on=far)
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["complainant_consent"]
    assert deadline(cases.get(complaint["id"]), "call_report")["due_on"] == (
        clock.today() + timedelta(days=42)).isoformat()
    accepted = extend(api, complaint, reason="Onderzoek loopt uit.", new_due_on=far, complainant_consent=True)
    assert accepted.status_code == 201
    assert deadline(accepted.get_json(), "call_report")["due_on"] == far


def test_two_extensions_together_count_against_four_weeks(cases, api, clock):
    complaint = cases.make(at_task="decide_measures")
    base = clock.today() + timedelta(days=42)
    first = extend(api, complaint, reason="Ziekte", new_due_on=(base + timedelta(days=14)).isoformat())
    assert first.status_code == 201
    second = extend(api, complaint, reason="Nog ziek", new_due_on=(base + timedelta(days=29)).isoformat())
    assert second.status_code == 422
    assert extend(api, complaint, reason="Nog ziek",
                  new_due_on=(base + timedelta(days=28)).isoformat()).status_code == 201


@pytest.mark.parametrize("body, field", [
    ({"new_due_on": "2026-06-30"}, "reason"),
    ({"reason": "", "new_due_on": "2026-06-30"}, "reason"),
    ({"reason": "Ziekte", "new_due_on": "2026-03-04"}, "new_due_on"),
    ({"reason": "Ziekte", "new_due_on": "30-06-2026"}, "new_due_on"),
])
def test_extension_refusals_name_the_field(cases, api, body, field):
    complaint = cases.make(at_task="decide_measures")
    response = extend(api, complaint, **body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    assert cases.get(complaint["id"])["extensions"] == []


def test_extension_after_the_call_report_is_a_conflict(cases, api, clock):
    complaint = cases.make(at_task="send_final_report")
    response = extend(api, complaint, reason="Te laat", new_due_on=(clock.today() + timedelta(days=60)).isoformat())
    assert response.status_code == 409


# ---------------------------------------------------------------- escalations


def escalate(api, complaint, route, user="praktijk"):
    return api.post(f"/api/complaints/{complaint['id']}/escalations",
                    {"route": route, "reason": "Klager is niet tevreden met de afhandeling."}, user=user)


@pytest.mark.parametrize("route", ["commissioning_client", "ombudsman", "data_protection_authority"])
def test_each_escalation_route_after_resolution(cases, api, route):
    complaint = cases.make(at_task="send_final_report", concerns_personal_data=True)
    response = escalate(api, complaint, route)
    assert response.status_code == 201, response.get_json()
    complaint = response.get_json()
    assert [e["route"] for e in complaint["escalations"]] == [route]
    assert kinds(complaint)[-2:] == ["escalated", "letter_made"]
    again = escalate(api, complaint, "ombudsman")
    assert again.status_code == 201, "the complainant may take a further route later"


def test_escalation_after_closing_is_still_possible(cases, api):
    complaint = cases.make(at_task=None)
    assert complaint["status"] == "closed"
    assert escalate(api, complaint, "ombudsman").status_code == 201


def test_data_protection_route_is_refused_without_personal_data(cases, api):
    complaint = cases.make(at_task="send_final_report", concerns_personal_data=False)
    response = escalate(api, complaint, "data_protection_authority")
    assert response.status_code == 422
    assert "route" in response.get_json()["errors"]
    assert cases.get(complaint["id"])["escalations"] == []


def test_escalation_before_resolution_is_a_conflict(cases, api):
    complaint = cases.make(at_task="hear_coach")
    assert escalate(api, complaint, "ombudsman").status_code == 409


def test_escalation_with_an_unknown_route_names_the_field(cases, api):
    complaint = cases.make(at_task="send_final_report")
    response = escalate(api, complaint, "rechter")
    assert response.status_code == 422
    assert "route" in response.get_json()["errors"]
