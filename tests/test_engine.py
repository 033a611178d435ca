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
    "hear_coach": {}, "coach_agreement": {"agrees": True}, "decide_measures": {},
    "offer_call": {"complainant_satisfied": True}, "send_final_report": {}, "record_preventive_measures": {},
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
    assert not snap.finished, "the escalation window keeps the process open for a year"


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


def test_the_escalation_message_is_caught_only_after_resolution(definition, functions):
    wf = runtime.start(definition, CASE, functions)
    assert runtime.deliver_message(wf, "escalatie", {"route": "ombudsman", "reason": "x"}) is False
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
])
def test_due_dates_move_off_non_working_days_only_when_the_practice_says_so(start, days, skip, expected):
    from datetime import date

    assert due_date_of(date.fromisoformat(start), days, skip_non_working_days=skip).isoformat() == expected


def test_dutch_public_holidays_2026():
    from datetime import date

    holidays = dutch_public_holidays(2026)
    assert date(2026, 4, 6) in holidays  # Easter Monday
    assert date(2026, 4, 27) in holidays  # King's Day
    assert date(2026, 5, 14) in holidays  # Ascension Day
    assert date(2026, 5, 25) in holidays  # Whit Monday
    assert date(2026, 5, 5) not in holidays  # Liberation Day: a day off only in lustrum years
