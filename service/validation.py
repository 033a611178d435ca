"""Deploy-time checks of a diagram: every problem is reported with its element, nothing half-deployed."""

from collections.abc import Mapping
from datetime import datetime

from . import clock, engine, expressions
from .diagram_functions import FUNCTION_NAMES, make_functions
from .forms import FormDefinition
from .models import ROLES

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
STATUSES = ("resolved", "closed")


def _sample_value(field) -> object:
    return {
        "boolean": True, "number": 1, "date": "2026-04-01", "multiple_choice": [],
        "choice": (field.choices[0].value if getattr(field, "choices", None) else "x"),
    }.get(field.type, "tekst")


def validate_diagram(xml: bytes, *, process_id: str, forms: Mapping[str, FormDefinition],
                     max_bytes: int, letter_templates_dir: str | None = None) -> list[str]:
    """Return every problem that keeps a diagram from being deployed (empty: deployable)."""
    if len(xml) > max_bytes:
        return [f"diagram: the file is {len(xml)} bytes, more than the limit of {max_bytes}"]
    try:
        definition = engine.parse(xml, process_id, any_process=True)
    except engine.InvalidDiagram as err:
        return err.problems
    problems: list[str] = []
    if definition.process_id != process_id:
        problems.append(f"{definition.process_id}: the process must have the id {process_id!r}")
    elements = definition.elements
    sample = dict(CASE_DATA_SAMPLE) | MESSAGE_VARIABLES
    for form in forms.values():
        sample.update({f.name: _sample_value(f) for f in form.fields})
    now = clock.now()
    functions = make_functions(now=now, skip_non_working_days=False)
    for element in elements.values():
        if element.script is not None:
            found = expressions.check_script(element.script)
            problems += [f"{_label(element)}: script: {p}" for p in found]
            if not found:
                try:
                    sample.update(expressions.execute(element.script, sample, functions))
                except expressions.ExpressionError as err:
                    problems.append(f"{_label(element)}: script fails: {err}")
    known = set(sample) | FUNCTION_NAMES
    for element in elements.values():
        problems += _check_element(element, forms, known)
        for what, source in element.expressions:
            problems += _check_expression(element, what, source, sample, functions, known)
    problems += _check_contract(elements)
    problems += _check_deadlines(elements)
    problems += _check_letters(elements, letter_templates_dir)
    return problems


def _check_letters(elements: Mapping[str, engine.Element], templates_dir: str | None) -> list[str]:
    """Every letter the diagram names must be a known kind with a template whose variables the case provides."""
    if templates_dir is None:
        return []
    from . import letter_context, letters

    problems = []
    named = {e.properties["letter"]: e for e in elements.values() if "letter" in e.properties}
    for kind, element in sorted(named.items()):
        if kind not in letters.KINDS:
            problems.append(f"{_label(element)}: letter {kind!r} is not a known letter kind")
    problems += letters.check_templates(templates_dir, set(letter_context.KEYS))
    return problems


def _label(element: engine.Element) -> str:
    return f"{element.bpmn_id} ({element.name})" if element.name else element.bpmn_id


def _check_element(element: engine.Element, forms: Mapping[str, FormDefinition], known: set[str]) -> list[str]:
    problems = []
    label = _label(element)
    if element.kind == "user_task":
        role = element.properties.get("role")
        if role not in ROLES:
            problems.append(f"{label}: user task needs a role property ({', '.join(ROLES)}), has {role!r}")
        form = element.properties.get("form")
        if not form:
            problems.append(f"{label}: user task needs a form property")
        elif form not in forms:
            problems.append(f"{label}: form {form!r} does not exist in forms/")
    if element.kind == "gateway" and element.has_default is False and element.expressions:
        problems.append(f"{label}: exclusive gateway has conditions but no default flow")
    if element.kind == "other":
        problems.append(f"{label}: this kind of element is not supported by the service")
    if element.kind == "task":
        problems.append(f"{label}: a plain or manual task waits for a person without a form; "
                        "use a user task with a role and form, or a script task")
    status = element.properties.get("status")
    if status is not None and status not in STATUSES:
        problems.append(f"{label}: status property must be one of {', '.join(STATUSES)}")
    return problems


def _check_expression(element, what, source, sample, functions, known) -> list[str]:
    label = _label(element)
    if source is None or not str(source).strip():
        return [f"{label}: {what} expression is empty"]
    found = expressions.check_expression(source)
    if found:
        return [f"{label}: {what}: {p}" for p in found]
    unknown = expressions.names_used(source) - known
    if unknown:
        return [f"{label}: {what}: unknown name(s) {', '.join(sorted(unknown))} in {source!r}"]
    if what != "timer":
        return []
    try:
        value = expressions.evaluate(source, sample, functions)
    except expressions.ExpressionError as err:
        return [f"{label}: timer expression {source!r} fails: {err}"]
    return _check_timer_value(label, source, value)


def _check_timer_value(label: str, source: str, value: object) -> list[str]:
    if not isinstance(value, str):
        return [f"{label}: timer expression {source!r} gives {value!r}, not a date-time text"]
    if value.upper().startswith(("P", "R")):
        return []  # a duration or cycle: its own syntax is checked by the engine when armed
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return [f"{label}: timer expression {source!r} gives {value!r}, not an ISO 8601 date-time"]
    if moment.tzinfo is None:
        return [f"{label}: timer expression {source!r} gives {value!r} without a timezone"]
    return []


def _check_contract(elements: Mapping[str, engine.Element]) -> list[str]:
    problems = []
    for task_id in CONTRACT_TASKS:
        element = elements.get(task_id)
        if element is None:
            problems.append(f"{task_id}: user task of the public contract is missing")
        elif element.kind != "user_task":
            problems.append(f"{task_id}: must be a user task (is {element.kind})")
    return problems


def _check_deadlines(elements: Mapping[str, engine.Element]) -> list[str]:
    problems = []
    timers = {e.properties["deadline"] for e in elements.values() if "deadline" in e.properties}
    for element in elements.values():
        if "deadline" in element.properties:
            if element.kind != "timer_event" or element.attached_to is None:
                problems.append(f"{_label(element)}: a deadline must be a timer boundary event")
            elif element.cancel_activity:
                problems.append(f"{_label(element)}: a deadline timer must be non-interrupting")
        meets = element.properties.get("meets_deadline")
        if meets is not None and meets not in timers:
            problems.append(f"{_label(element)}: meets deadline {meets!r}, which no timer declares")
    return problems
