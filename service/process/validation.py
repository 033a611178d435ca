"""Deploy-time checks of a diagram: every problem is reported with its element, nothing half-deployed."""

from collections.abc import Mapping
from datetime import datetime

from service import clock
from service.forms.definition import FormDefinition
from service.models import ROLES
from service.process.messages import Problem
from service.workflow import definitions, expressions
from service.workflow.functions import FUNCTION_NAMES, make_functions

__all__ = ["Problem", "check_file", "validate_diagram"]

# The user task ids of the public contract (CONTRACT.md): a diagram without them breaks clients.
CONTRACT_TASKS = (
    "appoint_handler", "send_acknowledgement", "assess_admissibility", "send_unfounded_notice", "hear_coach",
    "coach_agreement", "decide_measures", "offer_call", "reconsider", "send_final_report",
    "record_preventive_measures",
)
# Case data every workflow starts with (see complaints._case_data).
CASE_DATA_SAMPLE = {
    "reference": "KL-2026-0001",
    "received_on": "2026-03-27",
    "dated_on": "2026-03-25",
    "channel": "written",
    "concerns_personal_data": True,
    "commissioning_client_kind": "uwv",
    "call_report_extended_until": None,
}
MESSAGE_VARIABLES = {"escalation": {"route": "ombudsman", "reason": "niet tevreden"}}
STATUSES = ("resolved", "closed", "withdrawn")


def _sample_value(field) -> object:
    return {
        "boolean": True, "number": 1, "date": "2026-04-01", "multiple_choice": [],
        "choice": (field.choices[0].value if getattr(field, "choices", None) else "x"),
    }.get(field.type, "tekst")


def check_file(xml: bytes, *, max_bytes: int) -> list[Problem]:
    """Return the problems that keep a file from being read at all: size, DTD or entities, encoding."""
    if len(xml) > max_bytes:
        return [Problem(None, "", "too_large", {"size": len(xml), "limit": max_bytes})]
    if definitions.check_xml_safety(xml):
        return [Problem(None, "", "unsafe_xml")]
    try:
        xml.decode("utf-8")
    except UnicodeDecodeError:
        return [Problem(None, "", "not_utf8")]
    return []


def validate_diagram(xml: bytes, *, process_id: str, forms: Mapping[str, FormDefinition],
                     max_bytes: int, letter_templates_dir: str | None = None,
                     case_data: Mapping[str, object] = CASE_DATA_SAMPLE,
                     contract_tasks: tuple[str, ...] = CONTRACT_TASKS) -> list[Problem]:
    """Return every problem that keeps a diagram from being deployed (empty: deployable).

    case_data is a sample of the data the workflow starts with, contract_tasks the user task ids clients
    rely on; both default to the complaints regulation's (another process passes its own).
    """
    problems = check_file(xml, max_bytes=max_bytes)
    if problems:
        return problems
    try:
        definition = definitions.parse(xml, process_id, any_process=True, cache=False)
    except definitions.InvalidDiagram as err:
        return [Problem(element, "", "parse", {"text": text})
                for text, element in zip(err.problems, err.elements, strict=True)]
    if definition.process_id != process_id:
        problems.append(Problem(definition.process_id, "", "process_id", {"expected": process_id}))
    elements = definition.elements
    sample = dict(case_data) | MESSAGE_VARIABLES
    for form in forms.values():
        sample.update({f.name: _sample_value(f) for f in form.fields})
    now = clock.now()
    functions = make_functions(now=now, skip_non_working_days=False)
    for element in elements.values():
        if element.script is not None:
            found = expressions.check_script(element.script)
            problems += [_problem(element, "script_invalid", detail=p) for p in found]
            if not found:
                try:
                    sample.update(expressions.execute(element.script, sample, functions))
                except expressions.ExpressionError as err:
                    problems.append(_problem(element, "script_fails", detail=str(err)))
    known = set(sample) | FUNCTION_NAMES
    for element in elements.values():
        problems += _check_element(element, forms)
        for what, source in element.expressions:
            problems += _check_expression(element, what, source, sample, functions, known)
    problems += [Problem(node_id, name, "unreachable") for node_id, name in definition.unreachable.items()]
    problems += _check_contract(elements, contract_tasks)
    problems += _check_deadlines(elements)
    problems += _check_letters(elements, letter_templates_dir)
    return problems


def _problem(element: definitions.Element, code: str, **params) -> Problem:
    return Problem(element.bpmn_id, element.name, code, params)


def _check_letters(elements: Mapping[str, definitions.Element], templates_dir: str | None) -> list[Problem]:
    """Every letter the diagram names must be a known kind with a template whose variables the case provides."""
    if templates_dir is None:
        return []
    from service import letters
    from service.letters import context as letter_context

    problems = []
    named = {e.properties["letter"]: e for e in elements.values() if "letter" in e.properties}
    for kind, element in sorted(named.items()):
        if kind not in letters.KINDS:
            problems.append(_problem(element, "letter_unknown", kind=kind))
    problems += [Problem(None, "", "letter_template", {"text": text})
                 for text in letters.checked_templates(templates_dir, frozenset(letter_context.KEYS))]
    return problems


def _check_element(element: definitions.Element, forms: Mapping[str, FormDefinition]) -> list[Problem]:
    problems = []
    if element.kind == "user_task":
        role = element.properties.get("role")
        if role not in ROLES:
            problems.append(_problem(element, "role_missing", roles=", ".join(ROLES), role=role))
        form = element.properties.get("form")
        if not form:
            problems.append(_problem(element, "form_missing"))
        elif form not in forms:
            problems.append(_problem(element, "form_unknown", form=form))
    if element.kind == "gateway" and element.has_default is False and element.expressions:
        problems.append(_problem(element, "gateway_no_default"))
    if element.kind == "other":
        problems.append(_problem(element, "unsupported"))
    if element.kind == "task":
        problems.append(_problem(element, "plain_task"))
    status = element.properties.get("status")
    if status is not None and status not in STATUSES:
        problems.append(_problem(element, "status_invalid", statuses=", ".join(STATUSES)))
    return problems


def _what(what: str) -> dict:
    """Split "timer" / "condition to <target>" into the params of a message."""
    if what.startswith("condition to "):
        return {"what": "condition", "target": what[len("condition to "):]}
    return {"what": what}


def _check_expression(element, what, source, sample, functions, known) -> list[Problem]:
    named = _what(what)
    if source is None or not str(source).strip():
        return [_problem(element, "expression_empty", **named)]
    found = expressions.check_expression(source)
    if found:
        return [_problem(element, "expression_invalid", detail=p, **named) for p in found]
    unknown = expressions.names_used(source) - known
    if unknown:
        return [_problem(element, "unknown_names", names=", ".join(sorted(unknown)), source=source, **named)]
    if what != "timer":
        return []
    try:
        value = expressions.evaluate(source, sample, functions)
    except expressions.ExpressionError as err:
        return [_problem(element, "timer_fails", source=source, detail=str(err))]
    return _check_timer_value(element, source, value)


def _check_timer_value(element: definitions.Element, source: str, value: object) -> list[Problem]:
    if not isinstance(value, str):
        return [_problem(element, "timer_not_text", source=source, value=value)]
    if value.upper().startswith(("P", "R")):
        return []  # a duration or cycle: its own syntax is checked by the engine when armed
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return [_problem(element, "timer_not_iso", source=source, value=value)]
    if moment.tzinfo is None:
        return [_problem(element, "timer_no_timezone", source=source, value=value)]
    return []


def _check_contract(elements: Mapping[str, definitions.Element], contract_tasks: tuple[str, ...]) -> list[Problem]:
    problems = []
    for task_id in contract_tasks:
        element = elements.get(task_id)
        if element is None:
            problems.append(Problem(task_id, "", "contract_task_missing"))
        elif element.kind != "user_task":
            problems.append(Problem(task_id, "", "contract_task_kind", {"kind": element.kind}))
    return problems


def _check_deadlines(elements: Mapping[str, definitions.Element]) -> list[Problem]:
    problems = []
    timers = {e.properties["deadline"] for e in elements.values() if "deadline" in e.properties}
    for element in elements.values():
        if "deadline" in element.properties:
            if element.kind != "timer_event" or element.attached_to is None:
                problems.append(_problem(element, "deadline_not_boundary"))
            elif element.cancel_activity:
                problems.append(_problem(element, "deadline_interrupting"))
        for prop, code in (("meets_deadline", "meets_unknown_deadline"), ("due_by", "due_by_unknown_deadline"),
                           ("cancels_deadline", "cancels_unknown_deadline")):
            named = element.properties.get(prop)
            if named is not None and named not in timers:
                problems.append(_problem(element, code, deadline=named))
    return problems + _check_deadline_defined_once(elements)


def _check_deadline_defined_once(elements: Mapping[str, definitions.Element]) -> list[Problem]:
    """A deadline's term is written once: two timers of one deadline with different terms are refused.

    Changing a term in one place must change it everywhere; otherwise whichever timer happens to be armed wins.
    """
    problems = []
    first: dict[str, definitions.Element] = {}
    for element in elements.values():
        name = element.properties.get("deadline")
        if name is None or not element.expressions:
            continue
        other = first.setdefault(name, element)
        source, other_source = element.expressions[0][1], other.expressions[0][1]
        if other is not element and str(source).strip() != str(other_source).strip():
            problems.append(_problem(element, "deadline_twice", deadline=name, source=source,
                                     other=f"'{other.name}' ({other.bpmn_id})" if other.name else other.bpmn_id,
                                     other_source=other_source))
    return problems
