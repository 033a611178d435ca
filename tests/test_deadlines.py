"""Deadlines fire once, on the right day (00:00 Europe/Amsterdam after the due date), across DST."""

from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import deadline, kinds, tick

from service.clock import AMSTERDAM


def passed_events(complaint, name):
    return [e for e in complaint["history"] if e["kind"] == "deadline_passed" and e["detail"]["deadline"] == name]


# (deadline, how to get there, the task(s) that meet it)
SETUPS = {
    "acknowledgement": (None, ["appoint_handler", "send_acknowledgement"]),
    "unfounded_notice": ("not_handled", ["send_unfounded_notice"]),
    "call_report": ("hear_coach", ["hear_coach", "coach_agreement", "decide_measures", "offer_call"]),
    "final_report": ("send_final_report", ["send_final_report"]),
}


def arm(cases, name):
    stage, _ = SETUPS[name]
    if stage is None:
        return cases.register()
    if stage == "not_handled":
        complaint = cases.make(at_task="assess_admissibility")
        return cases.complete(complaint, "assess_admissibility", taken_into_handling=False, reason="Buiten ons")
    return cases.make(at_task=stage)


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=AMSTERDAM)


@pytest.mark.parametrize("name", list(SETUPS))
def test_deadline_missed_by_one_day_fires_once_on_the_next_day(app, cases, clock, name):
    complaint = arm(cases, name)
    due_on = date.fromisoformat(deadline(complaint, name)["due_on"])
    clock.move_to(at(due_on, 23, 59, 59))
    assert tick(app) == "0 timer(s) fired."
    assert deadline(cases.get(complaint["id"]), name)["overdue"] is False
    clock.move_to(at(due_on + timedelta(days=1), 0, 0, 1))
    assert tick(app) == "1 timer(s) fired."
    complaint = cases.get(complaint["id"])
    assert deadline(complaint, name)["overdue"] is True
    assert complaint["overdue"] is True
    assert len(passed_events(complaint, name)) == 1
    clock.shift(days=2)
    tick(app)
    assert len(passed_events(cases.get(complaint["id"]), name)) == 1


@pytest.mark.parametrize("name", list(SETUPS))
def test_deadline_met_on_its_last_day_is_not_overdue(app, cases, clock, name):
    complaint = arm(cases, name)
    due_on = date.fromisoformat(deadline(complaint, name)["due_on"])
    clock.move_to(at(due_on, 23, 50))
    complaint = cases.walk(complaint, *SETUPS[name][1])
    clock.move_to(at(due_on + timedelta(days=1), 0, 30))
    tick(app)
    complaint = cases.get(complaint["id"])
    assert deadline(complaint, name)["met_on"] == due_on.isoformat()
    assert deadline(complaint, name)["overdue"] is False
    assert passed_events(complaint, name) == []


def test_overdue_task_shows_overdue_and_filter_finds_it(app, cases, clock, api):
    late = cases.register()
    on_time = cases.make(at_task="assess_admissibility")
    clock.shift(days=16)
    tick(app)
    late = cases.get(late["id"])
    assert late["tasks"][0]["overdue"] is True
    listed = api.get("/api/complaints?overdue=true").get_json()
    assert [c["id"] for c in listed] == [late["id"]]
    assert [c["id"] for c in api.get("/api/complaints?overdue=false").get_json()] == [on_time["id"]]


def test_deadline_fires_at_local_midnight_across_daylight_saving(app, cases, clock):
    # Received in winter time; the due date lies after the switch to summer time on 29 March 2026.
    clock.move_to(at(date(2026, 3, 20), 9))
    complaint = cases.register()
    assert deadline(complaint, "acknowledgement")["due_on"] == "2026-04-03"
    clock.move_to(datetime(2026, 4, 3, 21, 59, 59, tzinfo=UTC))
    assert tick(app) == "0 timer(s) fired."  # 23:59:59 CEST
    clock.move_to(datetime(2026, 4, 3, 22, 0, 1, tzinfo=UTC))
    assert tick(app) == "1 timer(s) fired."  # 00:00:01 CEST on 4 April
    assert deadline(cases.get(complaint["id"]), "acknowledgement")["overdue"] is True


def test_complaint_received_before_registration_has_less_time(cases, clock):
    received = clock.today() - timedelta(days=3)
    complaint = cases.register(received_on=received.isoformat(), dated_on=(received - timedelta(days=1)).isoformat())
    assert deadline(complaint, "acknowledgement")["due_on"] == (clock.today() + timedelta(days=11)).isoformat()
    assert complaint["tasks"][0]["due_on"] == (clock.today() + timedelta(days=11)).isoformat()


def test_late_acknowledgement_stays_recorded_as_overdue(app, cases, clock):
    complaint = cases.register()
    clock.shift(days=15)
    tick(app)
    complaint = cases.walk(complaint, "appoint_handler", "send_acknowledgement")
    ack = deadline(complaint, "acknowledgement")
    assert ack["met_on"] == clock.today().isoformat()
    assert ack["overdue"] is True
    assert complaint["overdue"] is False  # nothing is still waiting past its date
    assert "deadline_met" in kinds(complaint)


def test_extended_call_report_fires_on_the_new_date_not_the_old(app, cases, clock, api):
    complaint = cases.make(at_task="decide_measures")
    old_due = date.fromisoformat(deadline(complaint, "call_report")["due_on"])
    new_due = old_due + timedelta(days=10)
    response = api.post(f"/api/complaints/{complaint['id']}/extensions",
                        {"reason": "Ziekte coach", "new_due_on": new_due.isoformat()}, user="behandelaar")
    assert response.status_code == 201
    clock.move_to(at(old_due + timedelta(days=1), 8))
    assert tick(app) == "0 timer(s) fired."
    clock.move_to(at(new_due + timedelta(days=1), 0, 0, 1))
    assert tick(app) == "1 timer(s) fired."
    assert deadline(cases.get(complaint["id"]), "call_report")["overdue"] is True


def test_tick_loads_only_due_complaints(app, cases, clock):
    from service.complaints.timers import due_complaint_ids
    from service.extensions import db
    from service.models import Complaint

    cases.register()
    with app.app_context():
        assert due_complaint_ids(datetime.now(AMSTERDAM), 100) == []
        nxt = db.session.scalar(db.select(Complaint.next_due_at))
        assert nxt is not None
        assert len(due_complaint_ids(nxt + timedelta(seconds=1), 100)) == 1


def test_one_tick_fires_every_due_deadline_even_past_one_batch(app, cases, clock):
    """A wake-up goes on with the next batch while a batch came full: 261 complaints due at once, batches of 200."""
    from helpers import clone

    from service.extensions import db
    from service.models import Deadline

    first = cases.register()
    with app.app_context():
        assert app.extensions["klachten"].timer_batch_size == 200
        clone(first["id"], 260, 5000)
    clock.shift(days=15)  # every acknowledgement passed at the same midnight
    assert tick(app) == "261 timer(s) fired."
    with app.app_context():
        late = db.session.scalar(db.select(db.func.count()).where(Deadline.name == "acknowledgement",
                                                                  Deadline.overdue.is_(True)))
    assert late == 261
    assert tick(app) == "0 timer(s) fired."


def test_a_wake_up_stops_after_its_time_budget_and_the_next_goes_on(app, cases, clock):
    import dataclasses

    from helpers import clone

    from service.complaints import timers

    first = cases.register()
    with app.app_context():
        clone(first["id"], 4, 5000)
    clock.shift(days=15)
    ctx = dataclasses.replace(app.extensions["klachten"], timer_batch_size=2, timer_wake_budget_seconds=0)
    with app.app_context():
        assert timers.fire_due_timers(datetime.now(UTC), ctx) == 2, "one batch, then the budget is spent"
        assert timers.fire_due_timers(datetime.now(UTC), ctx) == 2
        assert timers.fire_due_timers(datetime.now(UTC), app.extensions["klachten"]) == 1


def test_the_running_app_wakes_due_timers_itself(app, cases, clock):
    from service import scheduler

    complaint = cases.register()
    assert scheduler.wake_once(app) == 0
    clock.shift(days=15)
    assert scheduler.wake_once(app) == 1
    assert deadline(cases.get(complaint["id"]), "acknowledgement")["overdue"] is True


def test_the_wake_up_thread_is_off_when_the_interval_is_zero(app):
    from service import scheduler

    assert app.config["TIMER_WAKE_INTERVAL"] == 0
    assert scheduler.start(app) is None


def test_the_wake_up_thread_starts_and_stops(app):
    from service import scheduler

    app.config["TIMER_WAKE_INTERVAL"] = 3600
    stop = scheduler.start(app)
    assert stop is not None and not stop.is_set()
    stop.set()
