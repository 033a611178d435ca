"""The engine alone, restored from JSON after every step (so a save/restore bug cannot hide)."""

import json
from datetime import UTC, datetime

import pytest
from conftest import ROOT
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from service.workflow import definitions, runtime
from service.workflow.functions import due_date_of, dutch_public_holidays, make_functions

DIAGRAM = (ROOT / "processes" / "klachtenreglement.bpmn").read_bytes()
CASE = {"received_on": "2026-11-20", "dated_on": "2026-11-19", "channel": "written",
        "concerns_personal_data": True, "commissioning_client_kind": "uwv", "call_report_extended_until": None}
FIELDS = {
    "appoint_handler": {}, "send_acknowledgement": {}, "assess_admissibility": {"taken_into_handling": True},
    "hear_coach": {"proceed_without_agreement": False}, "coach_agreement": {"agrees": True},
    "decide_measures": {"offer_types": []},
    "offer_call": {"complainant_satisfied": True, "called_on": "2026-11-20"}, "send_final_report": {},
    "record_preventive_measures": {}, "record_offer_carried_out": {},
    "reconsider": {"next_step": "close"}, "send_unfounded_notice": {},
}


@pytest.fixture
def definition():
    return definitions.parse(DIAGRAM, "klachtenreglement")


@pytest.fixture
def functions():
    return make_functions(now=datetime(2026, 11, 20, 10, tzinfo=UTC), skip_non_working_days=False)


def step(definition, functions, state: str, task: str, **fields) -> str:
    """Restore, complete the named ready task, serialize: one request's worth of engine work."""
    wf = runtime.restore(state, definition, functions)
    ready = {t.bpmn_id: t.id for t in runtime.snapshot(wf).ready}
    assert task in ready, f"{task} not ready; ready: {sorted(ready)}"
    runtime.complete(wf, ready[task], {**FIELDS[task], **fields})
    return runtime.serialize(wf)


def ready(definition, functions, state):
    return sorted(t.bpmn_id for t in runtime.snapshot(runtime.restore(state, definition, functions)).ready)


def test_the_founded_path_survives_a_restore_after_every_step(definition, functions):
    state = runtime.serialize(runtime.start(definition, CASE, functions))
    for task in ["appoint_handler", "send_acknowledgement", "assess_admissibility", "hear_coach",
                 "coach_agreement", "decide_measures", "offer_call"]:
        state = step(definition, functions, state, task)
    assert ready(definition, functions, state) == ["record_preventive_measures", "send_final_report"]
    state = step(definition, functions, state, "send_final_report")
    state = step(definition, functions, state, "record_preventive_measures")
    snap = runtime.snapshot(runtime.restore(state, definition, functions))
    assert snap.statuses == {"resolved", "closed"}
    assert {"acknowledgement", "call_report", "final_report"} <= snap.met
    assert snap.ready == ()
    assert not snap.finished, "escalation and withdrawal stay possible: their listeners keep the process open"


def test_a_stored_instance_does_not_carry_the_diagram(definition, functions):
    state = runtime.serialize(runtime.start(definition, CASE, functions))
    stored = json.loads(state)
    assert "spec" not in stored and "subprocess_specs" not in stored
    assert len(state) < len(DIAGRAM) / 2


def test_an_instance_stored_with_its_diagram_still_restores(definition, functions):
    """SpiffWorkflow's own format (diagram embedded) remains readable."""
    wf = runtime.start(definition, CASE, functions)
    full = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG)).serialize_json(wf)
    assert "spec" in json.loads(full)
    restored = runtime.restore(full, definition, functions)
    assert [t.bpmn_id for t in runtime.snapshot(restored).ready] == ["appoint_handler"]


def test_the_escalation_message_is_caught_from_registration_on(definition, functions):
    """The diagram listens from the start; the service decides when an escalation may be recorded (step 9)."""
    wf = runtime.start(definition, CASE, functions)
    assert runtime.deliver_message(wf, "escalatie", {"route": "ombudsman", "reason": "x"}) is True
    assert "inform_ombudsman" in runtime.snapshot(wf).completed_elements
    state = runtime.serialize(wf)
    for task in ["appoint_handler", "send_acknowledgement", "assess_admissibility", "hear_coach",
                 "coach_agreement", "decide_measures", "offer_call"]:
        state = step(definition, functions, state, task)
    wf = runtime.restore(state, definition, functions)
    assert runtime.deliver_message(wf, "escalatie", {"route": "ombudsman", "reason": "x"}) is True
    assert "inform_ombudsman" in runtime.snapshot(wf).completed_elements
    assert runtime.deliver_message(wf, "escalatie", {"route": "commissioning_client", "reason": "y"}) is True
    assert "refer_commissioning_client" in runtime.snapshot(wf).completed_elements


def test_deadline_timers_carry_their_due_moment(definition, functions):
    snap = runtime.snapshot(runtime.start(definition, CASE, functions))
    ack = snap.deadlines["acknowledgement"]
    assert ack.armed and not ack.fired
    assert ack.due_at == datetime(2026, 12, 4, 23, 0, tzinfo=UTC)  # 00:00 CET on 5 December
    assert snap.next_due_at == ack.due_at


@pytest.mark.parametrize("source", ["__import__('os').system('id')", "open('/etc/passwd').read()",
                                    "().__class__.__bases__"])
def test_a_diagram_expression_cannot_reach_python(definition, functions, source):
    wf = runtime.start(definition, CASE, functions)
    with pytest.raises(runtime.EngineError):
        runtime.evaluate_in_workflow(wf, source)


@pytest.mark.parametrize("start, days, skip, expected", [
    ("2026-12-11", 14, False, "2026-12-25"),  # Christmas, setting off: stays
    ("2026-12-11", 14, True, "2026-12-28"),  # Christmas and Boxing Day, then a Sunday
    ("2026-11-20", 14, True, "2026-12-04"),  # a Friday: a working day anyway
    ("2026-11-19", 16, True, "2026-12-07"),  # Saturday -> Monday
    ("2026-03-20", 14, True, "2026-04-07"),  # Good Friday, the Easter weekend and Monday -> Tuesday
    ("2026-04-21", 14, True, "2026-05-06"),  # 5 May, Liberation Day (every year) -> Wednesday 6 May
])
def test_due_dates_move_off_non_working_days_only_when_the_practice_says_so(start, days, skip, expected):
    from datetime import date

    assert due_date_of(date.fromisoformat(start), days, skip_non_working_days=skip).isoformat() == expected


def test_the_calendar_of_the_algemene_termijnenwet_2026():
    from datetime import date

    holidays = dutch_public_holidays(2026)
    assert date(2026, 4, 3) in holidays  # Good Friday counts
    assert date(2026, 5, 5) in holidays  # Liberation Day, every year (not only lustrum years)
    assert date(2026, 4, 6) in holidays  # Easter Monday
    assert date(2026, 4, 27) in holidays  # King's Day
    assert date(2026, 5, 14) in holidays  # Ascension Day
    assert date(2026, 5, 25) in holidays  # Whit Monday
    assert date(2026, 12, 24) not in holidays


def run_to(definition, functions, tasks, state=None, **fields) -> str:
    """Complete each task in turn from a fresh start (or state), restoring from JSON between steps."""
    state = state or runtime.serialize(runtime.start(definition, CASE, functions))
    for task in tasks:
        state = step(definition, functions, state, task, **fields.get(task, {}))
    return state


def deadlines_of(definition, functions, state):
    return runtime.snapshot(runtime.restore(state, definition, functions)).deadlines


def test_both_terms_from_receipt_are_armed_at_registration(definition, functions):
    snap = runtime.snapshot(runtime.start(definition, CASE, functions))
    assert snap.deadlines["acknowledgement"].armed and snap.deadlines["call_report"].armed
    # 42 days after 20 November: due on 1 January 2027, passed at 00:00 CET on 2 January
    assert snap.deadlines["call_report"].due_at == datetime(2027, 1, 1, 23, 0, tzinfo=UTC)
    assert {t.bpmn_id: t.deadline for t in snap.ready} == {"appoint_handler": "acknowledgement"}


def test_the_first_call_report_meets_its_term_whatever_the_answer(definition, functions):
    state = run_to(definition, functions, ["appoint_handler", "send_acknowledgement", "assess_admissibility",
                                           "hear_coach", "coach_agreement", "decide_measures", "offer_call"],
                   offer_call={"complainant_satisfied": False})
    snap = runtime.snapshot(runtime.restore(state, definition, functions))
    assert "call_report" in snap.met
    assert not snap.deadlines.get("call_report") or not snap.deadlines["call_report"].armed
    assert snap.next_due_at is None, "no timer waits once both terms from receipt are met"
    assert [t.bpmn_id for t in snap.ready] == ["reconsider"]


def test_not_taken_into_handling_cancels_the_call_report_term_and_its_timer(definition, functions):
    state = run_to(definition, functions, ["appoint_handler", "send_acknowledgement", "assess_admissibility"],
                   assess_admissibility={"taken_into_handling": False})
    snap = runtime.snapshot(runtime.restore(state, definition, functions))
    assert snap.cancelled == {"call_report"} and "call_report" not in snap.met
    assert snap.deadlines["unfounded_notice"].armed
    assert snap.next_due_at == snap.deadlines["unfounded_notice"].due_at, "the 6-week timer no longer waits"


def test_a_passed_term_fires_once_and_the_task_still_meets_it_later(definition, functions, time_machine):
    state = runtime.serialize(runtime.start(definition, CASE, functions))
    time_machine.move_to(datetime(2026, 12, 6, 9, tzinfo=UTC))
    wf = runtime.restore(state, definition, functions)
    runtime.fire_timers(wf)
    snap = runtime.snapshot(wf)
    assert snap.deadlines["acknowledgement"].fired and not snap.deadlines["call_report"].fired
    state = run_to(definition, functions, ["appoint_handler", "send_acknowledgement"], state=runtime.serialize(wf))
    assert "acknowledgement" in runtime.snapshot(runtime.restore(state, definition, functions)).met


def test_a_withdrawal_ends_every_task_and_timer_at_any_phase(definition, functions):
    for done in ([], ["appoint_handler", "send_acknowledgement"],
                 ["appoint_handler", "send_acknowledgement", "assess_admissibility", "hear_coach"]):
        wf = runtime.restore(run_to(definition, functions, done), definition, functions)
        assert runtime.deliver_message(wf, "intrekking", {"withdrawn_on": "2026-11-25"}) is True
        snap = runtime.snapshot(runtime.restore(runtime.serialize(wf), definition, functions))
        assert snap.statuses == {"withdrawn"} and snap.ready == () and snap.next_due_at is None
        assert snap.finished and "mark_withdrawn" in snap.completed_elements
