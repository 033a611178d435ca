"""The regulation read more exactly (REGULATION.md, CONTRACT.md "Additions, 2026-12"), as scenarios on both databases.

Each test reads like a clause: the 6-week term binds the written report of the call, a withdrawal stops everything,
a late practice still writes, and an open complaint whose term passed may go to an outside body.
"""

from datetime import date, timedelta
from pathlib import Path

from conftest import START, basic, task_fields
from diagrams import changed
from helpers import deadline, docx_text, kinds, open_tasks, tick

from service import create_app
from service.extensions import db


def letter_text(api, complaint: dict, kind: str) -> str:
    """The text of the newest letter of a kind, as the complainant would read it."""
    letter = [item for item in complaint["letters"] if item["kind"] == kind][-1]
    response = api.get(f"/api/complaints/{complaint['id']}/letters/{letter['id']}")
    assert response.status_code == 200
    return docx_text(response.data)


def passed(complaint: dict) -> list[str]:
    return [e["detail"]["deadline"] for e in complaint["history"] if e["kind"] == "deadline_passed"]


# ---------------------------------------------------------------- the 6-week term: the written report of the call


def test_both_terms_from_receipt_are_on_the_complaint_from_registration(cases, clock):
    complaint = cases.register()
    assert deadline(complaint, "acknowledgement")["due_on"] == (clock.today() + timedelta(days=14)).isoformat()
    assert deadline(complaint, "call_report")["due_on"] == (clock.today() + timedelta(days=42)).isoformat()
    assert all(d["cancelled_on"] is None and d["met_on"] is None for d in complaint["deadlines"])


def test_a_call_reported_in_time_meets_the_term_even_when_the_complainant_is_not_satisfied(cases, clock, api, app):
    complaint = cases.make(at_task="offer_call")
    clock.shift(days=20)
    complaint = cases.complete(complaint, "offer_call", complainant_satisfied=False,
                               complainant_reaction="Ik wil een andere coach.")
    report = deadline(complaint, "call_report")
    assert report["met_on"] == clock.today().isoformat() and report["overdue"] is False
    assert "verslag_telefoongesprek" in [letter["kind"] for letter in complaint["letters"]]
    clock.shift(days=30)  # long past the six weeks, still not resolved
    tick(app)
    complaint = cases.get(complaint["id"])
    assert "call_report" not in passed(complaint) and not deadline(complaint, "call_report")["overdue"]
    analysis = api.get("/api/analysis?year=2026").get_json()
    assert analysis["deadlines"]["call_report"] == {"decided": 1, "on_time": 1, "share": 1.0}


def test_a_call_reported_after_six_weeks_is_met_late(cases, clock):
    complaint = cases.make(at_task="offer_call")
    clock.shift(days=45)
    complaint = cases.complete(complaint, "offer_call")
    report = deadline(complaint, "call_report")
    assert report["met_on"] == clock.today().isoformat() and report["overdue"] is True


def test_not_taken_into_handling_cancels_the_six_weeks_which_never_pass(cases, clock, api, app):
    complaint = cases.make(at_task="assess_admissibility")
    complaint = cases.complete(complaint, "assess_admissibility", taken_into_handling=False,
                               reason="Geen klacht in de zin van het reglement.")
    assert deadline(complaint, "call_report")["cancelled_on"] == clock.today().isoformat()
    assert "deadline_cancelled" in kinds(complaint)
    clock.shift(days=60)
    tick(app)
    complaint = cases.get(complaint["id"])
    assert "call_report" not in passed(complaint)
    assert deadline(complaint, "call_report")["overdue"] is False and complaint["overdue"] is True  # the notice
    assert passed(complaint) == ["unfounded_notice"]


def test_the_resolution_day_is_the_day_of_the_satisfied_call(cases, clock):
    complaint = cases.make(at_task="offer_call")
    called_on = clock.today().isoformat()
    clock.shift(days=2)  # the call is written up two days later
    complaint = cases.complete(complaint, "offer_call", called_on=called_on)
    assert complaint["resolved_on"] == called_on
    assert deadline(complaint, "final_report")["due_on"] == (
        date.fromisoformat(called_on) + timedelta(days=14)).isoformat()


def test_a_call_cannot_lie_before_the_decision_it_reports(cases, api, clock):
    complaint = cases.make(at_task="offer_call")
    task = cases.open_task(complaint, "offer_call")
    day_before = (clock.today() - timedelta(days=1)).isoformat()
    response = api.post(f"/api/tasks/{task['id']}", task_fields("offer_call", called_on=day_before),
                        user="behandelaar")
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["called_on"]
    assert open_tasks(cases.get(complaint["id"])) == ["offer_call"]


# ---------------------------------------------------------------- withdrawal


def withdraw(api, complaint, user="praktijk", **body):
    payload = {"withdrawn_on": START.date().isoformat(), "channel": "written", **body}
    return api.post(f"/api/complaints/{complaint['id']}/withdrawal", payload, user=user)


def test_a_withdrawal_at_every_phase_stops_the_process_and_nothing_falls_due_after(cases, api, clock, app):
    phases = [None, "send_acknowledgement", "hear_coach", "offer_call", "send_final_report"]
    made = {phase: cases.make(at_task=phase) if phase else cases.register() for phase in phases}
    for phase, complaint in made.items():
        response = withdraw(api, complaint, reason="Opgelost in een gesprek." if phase else None)
        assert response.status_code == 201, (phase, response.get_json())
        withdrawn = response.get_json()
        assert withdrawn["status"] == "withdrawn" and withdrawn["tasks"] == [], phase
        assert all(d["met_on"] or d["cancelled_on"] == clock.today().isoformat()
                   for d in withdrawn["deadlines"]), phase
        assert "withdrawn" in kinds(withdrawn)
        assert "bevestiging_intrekking" in [letter["kind"] for letter in withdrawn["letters"]]
    # Across a restart, months later: no timer of a withdrawn complaint fires.
    clock.shift(days=120)
    restarted = create_app({**app.config})
    assert tick(restarted) == "0 timer(s) fired."
    for complaint in made.values():
        after = cases.get(complaint["id"])
        assert passed(after) == [] and not after["overdue"] and after["status"] == "withdrawn"
    with restarted.app_context():
        db.session.remove()
        db.engine.dispose()


def test_the_withdrawal_is_confirmed_in_writing(cases, api):
    complaint = cases.make(at_task="hear_coach")
    withdrawn = withdraw(api, complaint, user="behandelaar", channel="oral",
                         reason="Ik heb het met mijn coach uitgesproken.").get_json()
    text = letter_text(api, withdrawn, "bevestiging_intrekking")
    assert "mondeling laten weten dat u uw klacht" in text
    assert "Ik heb het met mijn coach uitgesproken." in text
    assert "De termijnen uit ons klachtenreglement lopen niet meer" in text


def test_a_withdrawal_is_refused_when_it_cannot_be(cases, api, clock):
    closed = cases.make()
    assert withdraw(api, closed).status_code == 409
    complaint = cases.make(at_task="hear_coach")
    future = withdraw(api, complaint, withdrawn_on=(clock.today() + timedelta(days=1)).isoformat())
    assert future.status_code == 422 and list(future.get_json()["errors"]) == ["withdrawn_on"]
    early = withdraw(api, complaint, withdrawn_on=(clock.today() - timedelta(days=30)).isoformat())
    assert early.status_code == 422 and list(early.get_json()["errors"]) == ["withdrawn_on"]
    assert withdraw(api, complaint, user="behandelaar2").status_code == 403  # not this complaint's handler
    assert withdraw(api, complaint).status_code == 201
    assert withdraw(api, complaint).status_code == 409
    assert cases.get(complaint["id"])["status"] == "withdrawn"


# ---------------------------------------------------------------- extensions and delay notices


def extend(api, complaint, **body):
    payload = {"reason": "De coach is ziek.", "new_due_on": (START.date() + timedelta(days=50)).isoformat(), **body}
    return api.post(f"/api/complaints/{complaint['id']}/extensions", payload, user="praktijk")


def test_no_extension_before_a_handler_is_appointed_or_off_the_handling_path(cases, api):
    assert extend(api, cases.register()).status_code == 409
    refused = cases.make(at_task="assess_admissibility")
    refused = cases.complete(refused, "assess_admissibility", taken_into_handling=False, reason="Buiten reglement.")
    response = extend(api, refused)
    assert response.status_code == 409 and "vervallen" in response.get_json()["error"]
    assert extend(api, cases.make(at_task="hear_coach")).status_code == 201


def delay(api, complaint, **body):
    payload = {"reason": "De behandelaar was drie weken ziek.",
               "expected_on": (date.today() + timedelta(days=400)).isoformat(), **body}
    return api.post(f"/api/complaints/{complaint['id']}/delay-notices", payload, user="behandelaar")


def test_a_delay_notice_once_the_call_report_term_has_passed(cases, api, clock, app):
    complaint = cases.make(at_task="decide_measures")
    assert delay(api, complaint).status_code == 409  # before the term passed: extend instead
    clock.shift(days=43)
    tick(app)
    too_soon = delay(api, complaint, expected_on=clock.today().isoformat())
    assert too_soon.status_code == 422 and list(too_soon.get_json()["errors"]) == ["expected_on"]
    expected = (clock.today() + timedelta(days=7)).isoformat()
    response = delay(api, complaint, expected_on=expected)
    assert response.status_code == 201, response.get_json()
    complaint = response.get_json()
    report = deadline(complaint, "call_report")
    assert report["overdue"] is True and report["met_on"] is None
    assert [n["expected_on"] for n in complaint["delay_notices"]] == [expected]
    text = letter_text(api, complaint, "vertragingsbericht")
    assert "De behandelaar was drie weken ziek." in text and "Dat is ons niet gelukt" in text
    assert extend(api, complaint).status_code == 409  # the term has passed: no extension any more


# ---------------------------------------------------------------- escalation while overdue


def test_an_open_complaint_may_be_escalated_once_a_term_has_passed(cases, api, clock, app):
    complaint = cases.make(at_task="hear_coach", commissioning_client={"kind": "uwv", "name": "UWV"})
    body = {"route": "ombudsman", "reason": "Ik hoor niets."}
    early = api.post(f"/api/complaints/{complaint['id']}/escalations", body, user="behandelaar")
    assert early.status_code == 409
    clock.shift(days=43)
    tick(app)
    response = api.post(f"/api/complaints/{complaint['id']}/escalations", body, user="behandelaar")
    assert response.status_code == 201, response.get_json()
    escalated = response.get_json()
    assert escalated["status"] == "open" and open_tasks(escalated) == ["hear_coach"]
    assert "informatie_ombudsman" in [letter["kind"] for letter in escalated["letters"]]


def test_an_escalation_window_is_a_practice_setting_off_by_default(cases, api, clock, app):
    complaint = cases.make()
    clock.shift(days=500)
    body = {"route": "ombudsman", "reason": "Na lange tijd."}
    assert api.post(f"/api/complaints/{complaint['id']}/escalations", body).status_code == 201
    ctx = app.extensions["klachten"]
    app.extensions["klachten"] = ctx.__class__(**{**ctx.__dict__, "escalation_window_days": 365})
    refused = api.post(f"/api/complaints/{complaint['id']}/escalations", body)
    assert refused.status_code == 409 and "365 dagen" in refused.get_json()["error"]


# ---------------------------------------------------------------- the final report states only what is decided


def test_the_final_report_before_the_measures_says_they_are_still_being_assessed(cases, api):
    complaint = cases.make(at_task="send_final_report")
    complaint = cases.complete(complaint, "send_final_report")
    text = letter_text(api, complaint, "eindverslag")
    assert "beoordeelt nog of er maatregelen nodig zijn" in text
    assert "geen aanvullende maatregelen nodig" not in text


def test_the_final_report_after_the_measures_states_them(cases, api):
    complaint = cases.make(at_task="send_final_report")
    complaint = cases.complete(complaint, "record_preventive_measures", measures_needed=False)
    complaint = cases.complete(complaint, "send_final_report")
    text = letter_text(api, complaint, "eindverslag")
    assert "geen aanvullende maatregelen nodig" in text and "beoordeelt nog" not in text


# ---------------------------------------------------------------- a deadline edited once, in a new version


def test_a_term_changed_in_one_place_applies_to_new_complaints_only(cases, client, clock):
    old = cases.register()
    text = changed(("end_of(due_date(received_on, 14))", "end_of(due_date(received_on, 21))"))
    response = client.post("/api/process-versions", data=text.encode(), content_type="application/xml",
                           headers=basic("eigenaar"))
    assert response.status_code == 201, response.get_json()
    new = cases.register()
    assert deadline(new, "acknowledgement")["due_on"] == (clock.today() + timedelta(days=21)).isoformat()
    assert deadline(cases.get(old["id"]), "acknowledgement")["due_on"] == (
        clock.today() + timedelta(days=14)).isoformat()


# ---------------------------------------------------------------- the coach agrees with the summary of their reaction


def test_the_coach_is_asked_about_the_summary_of_their_own_reaction(app):
    form = app.extensions["klachten"].forms["coach_agreement"]
    assert form.fields[0].label == "Geeft de samenvatting uw reactie op de klacht juist weer?"


def test_a_coach_who_keeps_disagreeing_cannot_stall_the_case(cases, api):
    complaint = cases.make(at_task="hear_coach")
    task = cases.open_task(complaint, "hear_coach")
    early = api.post(f"/api/tasks/{task['id']}", task_fields("hear_coach", proceed_without_agreement=True,
                                                             disagreement_note="Geen tijd."), user="behandelaar")
    assert early.status_code == 422 and list(early.get_json()["errors"]) == ["proceed_without_agreement"]
    complaint = cases.complete(complaint, "hear_coach")
    complaint = cases.complete(complaint, "coach_agreement", agrees=False,
                               remarks="De samenvatting laat weg dat de klant zelf afzegde.")
    task = cases.open_task(complaint, "hear_coach")
    missing = api.post(f"/api/tasks/{task['id']}", task_fields("hear_coach", proceed_without_agreement=True),
                       user="behandelaar")
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["disagreement_note"]
    complaint = cases.complete(complaint, "hear_coach", proceed_without_agreement=True,
                               disagreement_note="De coach en de klager blijven van mening verschillen.")
    assert open_tasks(complaint) == ["decide_measures"], "no new agreement is asked"
    complaint = cases.walk(complaint, "decide_measures", "offer_call", "send_final_report")
    text = letter_text(api, complaint, "eindverslag")
    assert "is het niet eens met deze samenvatting" in text
    assert "De samenvatting laat weg dat de klant zelf afzegde." in text
    assert "De coach en de klager blijven van mening verschillen." in text
    assert "is akkoord met deze samenvatting" not in text


# ---------------------------------------------------------------- replacing the handler; nobody acts on their own case


def replace(api, complaint, user="praktijk", **body):
    payload = {"handler_username": "behandelaar2", "handler_name": "B. Tweede", "handler_function": "klachtbehandelaar",
               "reason": "De klacht gaat ook over de eerste behandelaar.", **body}
    return api.post(f"/api/complaints/{complaint['id']}/handler", payload, user=user)


def test_the_practice_appoints_another_handler_and_the_work_follows(cases, api):
    complaint = cases.make(at_task="hear_coach")
    response = replace(api, complaint)
    assert response.status_code == 200, response.get_json()
    replaced = response.get_json()
    assert replaced["handler"] == {"username": "behandelaar2", "name": "B. Tweede", "function": "klachtbehandelaar"}
    assert [t["assignee"] for t in replaced["tasks"]] == ["behandelaar2"]
    assert "handler_replaced" in kinds(replaced)
    assert [t["task"] for t in api.get("/api/tasks", user="behandelaar2").get_json()] == ["hear_coach"]
    assert api.get("/api/tasks", user="behandelaar").get_json() == []
    assert api.get(f"/api/complaints/{complaint['id']}", user="behandelaar").status_code == 403
    complaint = cases.complete(replaced, "hear_coach", user="behandelaar2")
    assert open_tasks(complaint) == ["coach_agreement"]


def test_a_handler_is_replaced_only_by_the_practice_and_never_by_the_coach_concerned(cases, api):
    complaint = cases.make(at_task="hear_coach")
    assert replace(api, complaint, user="behandelaar").status_code == 403
    refused = replace(api, complaint, handler_username="coach")
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["handler_username"]
    assert replace(api, cases.register()).status_code == 409  # no handler yet: the task appoints one
    assert cases.get(complaint["id"])["handler"]["username"] == "behandelaar"


def test_nobody_acts_on_a_complaint_about_themselves_whatever_their_roles(cases, api, app):
    from service.models import User

    with app.app_context():  # the coach concerned also holds the practice and handler roles
        user = db.session.scalar(db.select(User).where(User.username == "coach"))
        user.roles_text = "coach,practice,handler"
        db.session.commit()
    complaint = cases.make(at_task="hear_coach")
    url = f"/api/complaints/{complaint['id']}"
    attempts = {
        "extension": api.post(f"{url}/extensions", {"reason": "x", "new_due_on": "2026-05-01"}, user="coach"),
        "classification": api.client.put(f"{url}/classification", json={"outcome": "unfounded"},
                                         headers=basic("coach")),
        "withdrawal": withdraw(api, complaint, user="coach"),
        "handler": replace(api, complaint, user="coach"),
    }
    assert {name: r.status_code for name, r in attempts.items()} == dict.fromkeys(attempts, 403)
    assert all("klacht over uzelf" in r.get_json()["error"] for r in attempts.values())
    assert kinds(cases.get(complaint["id"])) == kinds(complaint)


# ---------------------------------------------------------------- step 8: what was agreed is carried out


def test_an_agreed_offer_is_recorded_as_carried_out_without_holding_up_the_final_report(cases, api, clock):
    complaint = cases.make(at_task="offer_call")
    complaint = cases.complete(complaint, "offer_call")
    assert open_tasks(complaint) == ["record_offer_carried_out", "record_preventive_measures", "send_final_report"]
    complaint = cases.walk(complaint, "send_final_report", "record_preventive_measures")
    assert complaint["status"] == "resolved", "the complaint closes once the agreed offer is carried out"
    clock.shift(days=10)
    complaint = cases.complete(complaint, "record_offer_carried_out", carried_out_on=clock.today().isoformat())
    assert complaint["status"] == "closed"
    assert complaint["data"]["carried_out_on"] == clock.today().isoformat()


def test_no_carrying_out_without_an_offer_or_a_satisfied_complainant(cases):
    without_offer = cases.make(at_task="decide_measures")
    without_offer = cases.walk(cases.complete(without_offer, "decide_measures", offer_types=[]), "offer_call")
    assert open_tasks(without_offer) == ["record_preventive_measures", "send_final_report"]
    closed_against = cases.make(at_task="offer_call")
    closed_against = cases.complete(closed_against, "offer_call", complainant_satisfied=False)
    closed_against = cases.complete(closed_against, "reconsider", next_step="close")
    assert open_tasks(closed_against) == ["record_preventive_measures", "send_final_report"]


def test_consent_to_a_longer_extension_records_when_and_how(cases, api, clock):
    complaint = cases.make(at_task="hear_coach")
    far = (clock.today() + timedelta(days=42 + 35)).isoformat()
    body = {"reason": "Onderzoek loopt uit.", "new_due_on": far, "complainant_consent": True,
            "consent_given_on": clock.today().isoformat(), "consent_channel": "email"}
    future = dict(body, consent_given_on=(clock.today() + timedelta(days=1)).isoformat())
    refused = api.post(f"/api/complaints/{complaint['id']}/extensions", future, user="behandelaar")
    assert refused.status_code == 422 and list(refused.get_json()["errors"]) == ["consent_given_on"]
    response = api.post(f"/api/complaints/{complaint['id']}/extensions", body, user="behandelaar")
    assert response.status_code == 201, response.get_json()
    extended = response.get_json()
    assert [(e["consent_given_on"], e["consent_channel"]) for e in extended["extensions"]] == [
        (clock.today().isoformat(), "email")]
    text = letter_text(api, extended, "verlengingsbericht")
    assert "per e-mail ermee ingestemd dat wij de termijn tot deze datum verlengen" in text


def test_a_complaint_on_a_version_without_a_withdrawal_path_can_be_withdrawn_too(cases, api, client, clock, app):
    """Complaints still running on the diagram of 0.7 (no withdrawal path) end the same way."""
    old = (Path(__file__).parent / "data" / "klachtenreglement-0.7.bpmn").read_bytes()
    response = client.post("/api/process-versions", data=old, content_type="application/xml",
                           headers=basic("eigenaar"))
    assert response.status_code == 201, response.get_json()
    complaint = cases.make(at_task="hear_coach")
    assert complaint["process_version"] == 2
    withdrawn = withdraw(api, complaint, user="behandelaar").get_json()
    assert withdrawn["status"] == "withdrawn" and withdrawn["tasks"] == []
    assert all(d["met_on"] or d["cancelled_on"] for d in withdrawn["deadlines"])
    assert "bevestiging_intrekking" in [letter["kind"] for letter in withdrawn["letters"]]
    clock.shift(days=120)
    assert tick(app) == "0 timer(s) fired."
    assert passed(cases.get(complaint["id"])) == []
