"""Moving running complaints to a newer version: only when safe, every due date kept, one transaction each."""

from datetime import date, timedelta

import pytest
from conftest import basic
from diagrams import DIAGRAM, changed, renamed
from helpers import deadline, kinds

from service.extensions import db
from service.models import Complaint
from service.workflow import instance_migration, runtime
from service.workflow.versions import load_definition

LONGER_CALL_REPORT = ("due_date(received_on, 42)", "due_date(received_on, 50)")


def deploy(client, text: str) -> int:
    response = client.post("/api/process-versions", data=text.encode(), content_type="application/xml",
                           headers=basic("eigenaar"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["number"]


def migration(client, number: int, method: str = "GET"):
    response = client.open(f"/api/process-versions/{number}/migration", method=method, headers=basic("eigenaar"))
    assert response.status_code == 200, response.get_json()
    return {item["reference"]: item for item in response.get_json()}


def armed_moments(app, complaint_id: int) -> dict[str, str]:
    """The moments the waiting timers of a complaint have stored, by task id."""
    with app.app_context():
        complaint = db.session.scalar(db.select(Complaint).where(Complaint.id == complaint_id)
                                      .options(db.undefer(Complaint.workflow_state)))
        wf = runtime.restore(complaint.workflow_state, load_definition(complaint.process_version), {})
        return instance_migration.armed_moments(wf)


def test_a_safe_migration_keeps_every_due_date_and_continues_on_the_new_version(app, api, client, cases, clock):
    extended = cases.make(at_task="hear_coach")
    new_due_on = (clock.today() + timedelta(days=60)).isoformat()
    response = api.post(f"/api/complaints/{extended['id']}/extensions",
                        {"reason": "Coach op vakantie.", "new_due_on": new_due_on, "complainant_consent": True})
    assert response.status_code == 201, response.get_json()
    clock.shift(days=45)  # past the original six weeks of this case: a timer armed again would fire now
    waiting = cases.make(at_task="send_acknowledgement")
    before = {c["id"]: (cases.get(c["id"])["deadlines"], armed_moments(app, c["id"])) for c in (extended, waiting)}
    assert deadline(cases.get(extended["id"]), "call_report")["due_on"] == new_due_on
    assert all(moments for _, moments in before.values())

    v2 = deploy(client, renamed("send_final_report", "Eindverslag opstellen en sturen",
                                changed(LONGER_CALL_REPORT)))
    preview = migration(client, v2)
    assert {ref: (item["safe"], item["reasons"], item["from_version"]) for ref, item in preview.items()} == {
        extended["reference"]: (True, [], 1), waiting["reference"]: (True, [], 1)}
    assert cases.get(extended["id"])["process_version"] == 1  # a preview changes nothing

    done = migration(client, v2, "POST")
    assert all(item["migrated"] and item["safe"] for item in done.values())
    for complaint in (extended, waiting):
        after = cases.get(complaint["id"])
        assert after["process_version"] == 2
        assert (after["deadlines"], armed_moments(app, complaint["id"])) == before[complaint["id"]]
        assert after["history"][-1]["kind"] == "migrated"
        assert after["history"][-1]["detail"] == {"from": 1, "to": 2}
        assert not after["overdue"]

    assert migration(client, v2) == {}  # nothing left to move
    # The extended case goes on under version 2: its term stays the extended date, the renamed task shows.
    extended = cases.walk(cases.get(extended["id"]), "hear_coach", "coach_agreement")
    assert deadline(extended, "call_report")["due_on"] == new_due_on
    extended = cases.walk(extended, "decide_measures", "offer_call")
    assert cases.open_task(extended, "send_final_report")["name"] == "Eindverslag opstellen en sturen"
    extended = cases.walk(extended, "send_final_report", "record_preventive_measures", "record_offer_carried_out")
    assert extended["status"] == "closed" and extended["process_version"] == 2
    # The other keeps the six weeks it was registered with (the term runs from receipt and was armed then);
    # a complaint registered on version 2 gets the new fifty days.
    waiting = cases.walk(cases.get(waiting["id"]), "send_acknowledgement", "assess_admissibility")
    received = date.fromisoformat(waiting["received_on"])
    assert deadline(waiting, "call_report")["due_on"] == (received + timedelta(days=42)).isoformat()
    newer = cases.register()
    assert newer["process_version"] == 2
    assert deadline(newer, "call_report")["due_on"] == (
        date.fromisoformat(newer["received_on"]) + timedelta(days=50)).isoformat()


HEAR_COACH_BY_PRACTICE = ('name="role" value="handler" />\n          <spiffworkflow:property name="form" '
                          'value="hear_coach"', 'name="role" value="practice" />\n          '
                          '<spiffworkflow:property name="form" value="hear_coach"')


def test_a_complaint_past_a_changed_step_stays_on_its_version(app, client, cases):
    past = cases.make(at_task="decide_measures")
    before = cases.make(at_task="send_acknowledgement")
    v2 = deploy(client, changed(HEAR_COACH_BY_PRACTICE))
    preview = migration(client, v2)
    assert preview[before["reference"]]["safe"] is True
    item = preview[past["reference"]]
    assert item["safe"] is False
    assert item["reasons"] == ["Stap 'Reactie coach vastleggen' (hear_coach) is al gedaan en is gewijzigd in "
                               "versie 2 (rol)."]
    done = migration(client, v2, "POST")
    assert done[past["reference"]] == {**item, "migrated": False}
    assert done[before["reference"]]["migrated"] is True
    kept = cases.get(past["id"])
    assert kept["process_version"] == 1 and "migrated" not in kinds(kept)
    kept = cases.walk(kept, "decide_measures", "offer_call", "send_final_report", "record_preventive_measures",
                      "record_offer_carried_out")
    assert kept["status"] == "closed"


def test_a_new_name_for_a_done_step_does_not_block_a_migration(app, client, cases):
    past = cases.make(at_task="decide_measures")
    v2 = deploy(client, renamed("hear_coach", "Coach horen"))
    item = migration(client, v2, "POST")[past["reference"]]
    assert item["safe"] is True and item["migrated"] is True, item["reasons"]
    assert cases.get(past["id"])["process_version"] == 2


# The call-report timer under another id: for a running complaint, the timer it waits for is gone.
NEW_TIMER_ID = (('"timer_call_report"', '"timer_six_weeks"'), (">timer_call_report<", ">timer_six_weeks<"))


def test_a_complaint_waiting_for_a_removed_timer_stays_on_its_version(app, client, cases):
    waiting = cases.make(at_task="hear_coach")
    v2 = deploy(client, changed(*NEW_TIMER_ID))
    done = migration(client, v2, "POST")
    item = done[waiting["reference"]]
    assert item["migrated"] is False
    assert any("timer_call_report" in reason and "niet bestaat in versie 2" in reason
               for reason in item["reasons"])
    assert cases.get(waiting["id"])["process_version"] == 1


def test_a_removed_timer_that_a_complaint_passed_blocks_it_too(app, client, cases, clock):
    from helpers import tick

    past = cases.make(at_task="offer_call")
    clock.shift(days=43)
    tick(app)  # the six weeks pass: the timer fires and stays in the complaint's history
    past = cases.complete(cases.get(past["id"]), "offer_call", complainant_satisfied=False)
    v2 = deploy(client, changed(*NEW_TIMER_ID))
    reasons = migration(client, v2)[past["reference"]]["reasons"]
    assert reasons == ["Stap 'Ontvangst + 6 weken' (timer_call_report) is al gedaan, maar bestaat niet in versie 2."]


def test_a_timer_a_complaint_never_reached_does_not_block_it(app, client, cases):
    met = cases.make(at_task="offer_call")
    met = cases.complete(met, "offer_call", complainant_satisfied=False)  # the report met the term in time
    v2 = deploy(client, changed(*NEW_TIMER_ID))
    item = migration(client, v2, "POST")[met["reference"]]
    assert item["safe"] is True and item["migrated"] is True


def test_closed_and_newer_complaints_are_not_listed(app, client, cases, clock):
    closed = cases.make(at_task=None)
    v2 = deploy(client, renamed("send_final_report", "Eindverslag versturen"))
    on_two = cases.make(at_task="hear_coach")
    listed = migration(client, v2)
    assert on_two["reference"] not in listed
    # A closed complaint has no step left to move: an escalation is recorded on the version it ran on.
    assert closed["reference"] not in listed


def test_a_complaint_changed_at_the_same_time_is_left_alone(app, client, cases, monkeypatch):
    from service.errors import ConcurrentChange
    from service.process import migration as process_migration

    complaint = cases.make(at_task="hear_coach")
    v2 = deploy(client, renamed("send_final_report", "Eindverslag opstellen"))

    def lose_the_race(*args, **kwargs):
        raise ConcurrentChange()

    monkeypatch.setattr(process_migration, "_migrate_one", lose_the_race)
    item = migration(client, v2, "POST")[complaint["reference"]]
    assert item["migrated"] is False
    assert item["reasons"] == [ConcurrentChange.message]
    assert cases.get(complaint["id"])["process_version"] == 1


@pytest.mark.parametrize("number", [1, 2])
def test_nothing_to_move_to_the_first_or_an_equal_version(client, cases, number):
    cases.make(at_task="hear_coach")
    if number == 2:
        deploy(client, DIAGRAM)
        assert all(item["safe"] for item in migration(client, 2).values())
    else:
        assert migration(client, 1) == {}


def test_a_migrated_complaint_can_still_have_its_term_extended(app, api, client, cases, clock):
    """The extension reads case data the complaint has had since registration, also after moving versions."""
    waiting = {at: cases.make(at_task=at) for at in ("send_acknowledgement", "hear_coach", "decide_measures")}
    v2 = deploy(client, renamed("send_final_report", "Eindverslag opstellen"))
    done = migration(client, v2, "POST")
    assert all(done[c["reference"]]["migrated"] for c in waiting.values()), done
    for at, complaint in waiting.items():
        new_due_on = (clock.today() + timedelta(days=50)).isoformat()
        response = api.post(f"/api/complaints/{complaint['id']}/extensions",
                            {"reason": "Coach ziek.", "new_due_on": new_due_on})
        assert response.status_code == 201, (at, response.get_json())
        assert deadline(response.get_json(), "call_report")["due_on"] == new_due_on
