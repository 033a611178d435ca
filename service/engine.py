"""The only module that imports SpiffWorkflow: parse, start, restore, run and inspect workflows.

Nothing here knows about Flask or the database: callers pass data in and get plain values back.
"""

import contextvars
import hashlib
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from lxml import etree
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from . import expressions

log = logging.getLogger(__name__)

_restoring: contextvars.ContextVar["Definition"] = contextvars.ContextVar("restoring")


class _InstanceConverter(BpmnWorkflowConverter):
    """Store a workflow instance without its process definition.

    The definition belongs to the deployed version the complaint started on (immutable, parsed once and
    cached), so each stored instance is a few KB of task state instead of carrying a 17 KB copy of the
    diagram, and restoring skips rebuilding the diagram every time.
    """

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct):
        if "spec" in dct:  # a full instance, as SpiffWorkflow itself stores them
            return super().from_dict(dct)
        definition = _restoring.get()
        workflow = self.target_class(definition.spec, definition.subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_CONFIG = dict(SPIFF_CONFIG)
_CONFIG[BpmnWorkflow] = _InstanceConverter
_SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_CONFIG))
_UNFINISHED = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.FUTURE | TaskState.LIKELY


class EngineError(Exception):
    """A workflow step failed; message names the element and the cause."""

    def __init__(self, message: str, element: str | None = None):
        super().__init__(message)
        self.element = element


class InvalidDiagram(Exception):
    """A diagram could not be parsed; problems lists each one, elements the element each names (or None)."""

    def __init__(self, problems: list[str], elements: list[str | None] | None = None):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.elements = list(elements) if elements is not None else [None] * len(problems)


class _RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates conditions and runs scripts with the service's restricted interpreter, never exec."""

    def __init__(self, functions: Mapping[str, Callable]):
        super().__init__({})
        self.functions = functions

    def evaluate(self, expression, context, external_context=None):
        data = {**(external_context or {}), **context}
        return expressions.evaluate(expression, data, self.functions)

    def execute(self, script, context, external_context=None):
        data = {**(external_context or {}), **context}
        context.update(expressions.execute(script, data, self.functions))
        return True

    def call_service(self, context, **kwargs):
        raise expressions.ExpressionError("service tasks are not supported by this service")


class _ScriptEngine(PythonScriptEngine):
    def validate(self, expression):
        problems = expressions.check_expression(expression)
        if problems:
            raise expressions.ExpressionError("; ".join(problems))


def script_engine(functions: Mapping[str, Callable]) -> PythonScriptEngine:
    """Return a script engine that evaluates only the restricted language with these functions."""
    return _ScriptEngine(environment=_RestrictedEnvironment(functions))


# ---------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Element:
    """One BPMN element of a deployed definition, as the service sees it."""

    bpmn_id: str
    name: str
    kind: str  # user_task, script_task, gateway, timer_event, message_event, event, task, ...
    lane: str | None
    properties: Mapping[str, str]
    expressions: tuple[tuple[str, str], ...] = ()  # (what, source): conditions, timers
    script: str | None = None
    attached_to: str | None = None
    cancel_activity: bool | None = None
    has_default: bool | None = None
    outputs: tuple[str, ...] = ()  # targets of its outgoing sequence flows, sorted
    is_start: bool = False  # a start event of the process


@dataclass(frozen=True)
class Definition:
    """A parsed process definition, cached by the hash of its XML."""

    sha256: str
    process_id: str
    spec: object
    subprocess_specs: Mapping[str, object]
    elements: Mapping[str, Element] = field(repr=False)
    # Flow nodes that cannot be reached from the start event: id -> name. The parser never even reads them.
    unreachable: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def user_tasks(self) -> dict[str, Element]:
        return {k: e for k, e in self.elements.items() if e.kind == "user_task"}

    def with_property(self, name: str) -> list[Element]:
        """Return the elements that carry a spiffworkflow property."""
        return [e for e in self.elements.values() if name in e.properties]


_cache: dict[str, Definition] = {}
_cache_lock = threading.Lock()


def cached(sha256: str) -> Definition | None:
    """Return an already parsed definition by the hash of its XML, or None."""
    with _cache_lock:
        return _cache.get(sha256)


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def check_xml_safety(xml: bytes) -> list[str]:
    """Return problems that make XML unsafe to parse at all (DTDs, entities)."""
    head = xml[:4096].lower()
    if b"<!doctype" in xml.lower() or b"<!entity" in head:
        return ["the file contains a DTD or entity declarations, which are refused"]
    return []


def parse(xml: bytes, process_id: str, *, any_process: bool = False, cache: bool = True) -> Definition:
    """Parse and schema-validate a diagram, or raise InvalidDiagram; results are cached by hash.

    With any_process, a file without process_id yields its first process instead, so that deploy can
    list everything else that is wrong with a diagram drawn for another purpose. Without cache, the result
    is not kept (drafts and checks: only deployed versions stay in memory).
    """
    sha = hashlib.sha256(xml).hexdigest()
    with _cache_lock:
        cached = _cache.get(sha)
    if cached is not None and (cached.process_id == process_id or any_process):
        return cached
    problems = check_xml_safety(xml)
    if problems:
        raise InvalidDiagram(problems)
    parser = SpiffBpmnParser(validator=BpmnValidator())
    tree = None
    try:
        tree = etree.fromstring(xml, parser=_safe_parser())
        parser.add_bpmn_xml(etree.ElementTree(tree), filename="diagram.bpmn")
        found = parser.get_process_ids()
        if process_id not in found:
            if not (any_process and found):
                raise InvalidDiagram([f"{process_id}: no executable process with this id; the file has "
                                      f"{', '.join(found) or 'none'}"])
            process_id = found[0]
        spec = parser.get_spec(process_id)
        subprocess_specs = parser.get_subprocess_specs(process_id)
    except etree.XMLSyntaxError as err:
        raise InvalidDiagram([f"not well-formed XML: {err}"]) from err
    except ValidationException as err:
        element, problem = _describe_validation_error(err, tree)
        raise InvalidDiagram([problem], [element]) from err
    except (SpiffWorkflowException, KeyError, ValueError, AttributeError, TypeError) as err:
        raise InvalidDiagram([f"diagram: {_first_line(err)}"]) from err
    process = next((p for p in tree.iter(f"{_BPMN}process") if p.get("id") == process_id), None)
    flows = _sequence_flows(process)
    elements = _elements(spec, subprocess_specs, flows)
    reachable = _reachable(spec, subprocess_specs)
    unreachable = {node_id: name for node_id, name in _flow_nodes(process).items()
                   if node_id not in reachable}
    unreachable.update({k: e.name for k, e in elements.items() if k not in reachable and k not in unreachable})
    definition = Definition(sha, process_id, spec, subprocess_specs, elements, unreachable)
    if cache:
        with _cache_lock:
            _cache[sha] = definition
    return definition


_BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
# The flow nodes of BPMN 2.0: what a sequence flow can reach (not lanes, flows, data or annotations).
_FLOW_NODES = frozenset(_BPMN + tag for tag in (
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "task",
    "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
    "subProcess", "callActivity", "transaction", "adHocSubProcess",
))


def _flow_nodes(process) -> dict[str, str]:
    """Return every flow node of a process element (nested ones too): id -> name."""
    if process is None:
        return {}
    return {node.get("id"): node.get("name") or "" for node in process.iter()
            if node.tag in _FLOW_NODES and node.get("id")}


def _sequence_flows(process) -> dict[str, tuple[str, ...]]:
    """Return the targets of the sequence flows of a process element by source id."""
    targets: dict[str, set[str]] = {}
    if process is not None:
        for flow in process.iter(f"{_BPMN}sequenceFlow"):
            if flow.get("sourceRef") and flow.get("targetRef"):
                targets.setdefault(flow.get("sourceRef"), set()).add(flow.get("targetRef"))
    return {source: tuple(sorted(found)) for source, found in targets.items()}


def _reachable(spec, subprocess_specs) -> set[str]:
    """Return the BPMN ids reached from the start by following task spec outputs.

    Outputs include boundary events (through their split) and every branch of a gateway, also an event-based
    one; an embedded subprocess is entered at its own start.
    """
    seen: set[int] = set()
    found: set[str] = set()
    pending = [spec.start]
    while pending:
        ts = pending.pop()
        if id(ts) in seen:
            continue
        seen.add(id(ts))
        if getattr(ts, "bpmn_id", None):
            found.add(ts.bpmn_id)
        pending.extend(ts.outputs)
        inner = getattr(ts, "spec", None)  # a subprocess task names the spec of its subprocess
        if isinstance(inner, str) and inner in subprocess_specs:
            pending.append(subprocess_specs[inner].start)
    return found


def _describe_validation_error(err: ValidationException, tree) -> tuple[str | None, str]:
    """Name the element (id and line) of a schema or parser error and keep the message short."""
    element = getattr(err, "id", "") or ""
    line = getattr(err, "line_number", "") or ""
    if not element and line and tree is not None:
        at_line = [e for e in tree.iter() if e.sourceline == line and isinstance(e.tag, str)]
        element = next((e.get("id") for e in at_line if e.get("id")), "")
    message = _first_line(err).split(" Expected is one of")[0]
    message = message.replace("{http://www.omg.org/spec/BPMN/20100524/MODEL}", "bpmn:")
    where = " ".join(p for p in (element, f"(line {line})" if line else "") if p)
    return element or None, f"{where or 'diagram'}: {message}"


def _first_line(err: Exception) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def _all_task_specs(spec, subprocess_specs) -> Iterator:
    for process in [spec, *subprocess_specs.values()]:
        yield from process.task_specs.values()


def _elements(spec, subprocess_specs, flows: Mapping[str, tuple[str, ...]]) -> dict[str, Element]:
    elements = {}
    for ts in _all_task_specs(spec, subprocess_specs):
        bpmn_id = getattr(ts, "bpmn_id", None)
        if not bpmn_id:
            continue  # engine-internal specs (Start, End, boundary splits)
        elements[bpmn_id] = _describe(ts, flows.get(bpmn_id, ()))
    return elements


def _describe(ts, outputs: tuple[str, ...] = ()) -> Element:
    class_name = type(ts).__name__
    props = dict((getattr(ts, "extensions", None) or {}).get("properties", {}))
    exprs: list[tuple[str, str]] = []
    kind = "other"
    event_definition = getattr(ts, "event_definition", None)
    if class_name == "UserTask":
        kind = "user_task"
    elif class_name == "ScriptTask":
        kind = "script_task"
    elif class_name in ("NoneTask", "ManualTask"):
        kind = "task"
    elif "Gateway" in class_name:
        kind = "gateway"
    elif isinstance(event_definition, TimerEventDefinition):
        kind = "timer_event"
        exprs.append(("timer", event_definition.expression))
    elif isinstance(event_definition, MessageEventDefinition):
        kind = "message_event"
    elif event_definition is not None:
        kind = "event"
    elif class_name == "SubWorkflowTask" or "Subprocess" in class_name or "CallActivity" in class_name:
        kind = "subprocess"
    for condition, target in getattr(ts, "cond_task_specs", []) or []:
        if condition is not None:
            source = condition.args[0] if getattr(condition, "args", None) else condition
            exprs.append((f"condition to {target.split('.')[0]}", source))
    return Element(
        bpmn_id=ts.bpmn_id,
        name=ts.bpmn_name or "",
        kind=kind,
        lane=getattr(ts, "lane", None),
        properties=props,
        expressions=tuple(exprs),
        script=getattr(ts, "script", None),
        attached_to=_attached_bpmn_id(ts),
        cancel_activity=getattr(ts, "cancel_activity", None),
        has_default=(getattr(ts, "default_task_spec", None) is not None)
        if hasattr(ts, "default_task_spec") else None,
        outputs=outputs,
        is_start=class_name == "StartEvent",
    )


def _attached_bpmn_id(ts) -> str | None:
    if type(ts).__name__ != "BoundaryEvent":
        return None
    for split in ts.inputs:
        for output in split.outputs:
            if output is not ts and getattr(output, "bpmn_id", None):
                return output.bpmn_id
    return None


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class ReadyTask:
    id: str
    bpmn_id: str
    name: str
    properties: Mapping[str, str]
    deadline: str | None


@dataclass(frozen=True)
class DeadlineState:
    name: str
    due_at: datetime | None
    armed: bool
    fired: bool


@dataclass(frozen=True)
class Snapshot:
    """What the service needs to know about a workflow after a step."""

    ready: tuple[ReadyTask, ...]
    deadlines: Mapping[str, DeadlineState]
    met: frozenset[str]
    statuses: frozenset[str]
    completed_elements: frozenset[str]
    completed_counts: Mapping[str, int]
    finished: bool
    next_due_at: datetime | None


def _guard(action: Callable[[], object]) -> object:
    try:
        return action()
    except EngineError:
        raise
    except (SpiffWorkflowException, expressions.ExpressionError, ValueError, KeyError, TypeError) as err:
        task = getattr(err, "task", None) or getattr(err, "task_spec", None)
        element = None
        if task is not None:
            spec = getattr(task, "task_spec", task)
            element = getattr(spec, "bpmn_id", None) or getattr(spec, "name", None)
        cause = err.__cause__ or getattr(err, "exception", None) or err
        message = f"{element or 'workflow'}: {_first_line(cause if str(cause) else err)}"
        log.warning("workflow step failed: %s", message, exc_info=True)
        raise EngineError(message, element) from err


def start(definition: Definition, case_data: Mapping, functions: Mapping[str, Callable]) -> BpmnWorkflow:
    """Create a workflow with the case data and run it to its first waits."""
    wf = BpmnWorkflow(definition.spec, definition.subprocess_specs, script_engine=script_engine(functions))

    def run():
        for task in wf.get_tasks(state=TaskState.READY):
            task.set_data(**case_data)
        wf.do_engine_steps()

    _guard(run)
    return wf


def restore(state: str, definition: Definition, functions: Mapping[str, Callable]) -> BpmnWorkflow:
    """Rebuild a workflow from its stored JSON on its own definition, with a fresh restricted script engine."""
    token = _restoring.set(definition)
    try:
        wf = _SERIALIZER.deserialize_json(state)
    finally:
        _restoring.reset(token)
    wf.script_engine = script_engine(functions)
    return wf


def serialize(wf: BpmnWorkflow) -> str:
    """Return the workflow as JSON for storage."""
    return _SERIALIZER.serialize_json(wf)


def _workflows(wf: BpmnWorkflow) -> list:
    return [wf, *wf.subprocesses.values()]


def _tasks(wf: BpmnWorkflow, state=TaskState.ANY_MASK) -> Iterator:
    for sub in _workflows(wf):
        yield from sub.get_tasks(state=state)


def find_ready_task(wf: BpmnWorkflow, task_id: str):
    """Return the READY user task with this id, or None."""
    try:
        task = wf.get_task_from_id(UUID(task_id))
    except (ValueError, KeyError, SpiffWorkflowException):
        return None
    if task is None or task.state != TaskState.READY or not task.task_spec.manual:
        return None
    return task


def complete(wf: BpmnWorkflow, task_id: str, fields: Mapping) -> None:
    """Complete a READY user task with already validated fields and run the engine on."""
    task = find_ready_task(wf, task_id)
    if task is None:
        raise EngineError(f"task {task_id} is not ready")

    def run():
        task.set_data(**fields)
        task.run()
        wf.do_engine_steps()

    _guard(run)


def fire_timers(wf: BpmnWorkflow) -> None:
    """Fire every timer that is due now and run the engine on."""

    def run():
        wf.refresh_timers()
        wf.do_engine_steps()

    _guard(run)


def set_case_data(wf: BpmnWorkflow, values: Mapping) -> None:
    """Change case data for the steps to come and re-evaluate waiting date timers with it.

    A waiting timer re-inherits its data from its (finished) parent on every refresh, so its new due time
    is evaluated here from its own expression and stored, instead of changing data it would lose.
    """

    def run():
        for task in _tasks(wf, TaskState.READY | TaskState.STARTED):
            task.set_data(**values)
        for task in _tasks(wf, TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, TimeDateEventDefinition) and not task.internal_data.get("event_fired"):
                data = {**task.data, **values}
                task.internal_data["event_value"] = wf.script_engine.environment.evaluate(
                    definition.expression, data)
        wf.refresh_timers()
        wf.do_engine_steps()

    _guard(run)


def evaluate_in_workflow(wf: BpmnWorkflow, source: str, extra: Mapping | None = None) -> object:
    """Evaluate an expression against the data of the workflow's newest unfinished task."""
    tasks = list(_tasks(wf, _UNFINISHED)) or list(_tasks(wf))
    data = {**tasks[-1].data, **(extra or {})}
    return _guard(lambda: wf.script_engine.environment.evaluate(source, data))


def deliver_message(wf: BpmnWorkflow, message_name: str, payload: Mapping) -> bool:
    """Deliver a message to a waiting catch event; return False when nothing waits for it."""
    for task in _tasks(wf, TaskState.WAITING):
        for definition in _event_definitions(task.task_spec):
            if not (isinstance(definition, MessageEventDefinition) and definition.name == message_name):
                continue

            def run(definition=definition):
                wf.catch(BpmnEvent(definition, dict(payload)))
                wf.do_engine_steps()

            _guard(run)
            return True
    return False


def _event_definitions(spec) -> list:
    """Return a catching element's event definitions (an event-based gateway holds several)."""
    definition = getattr(spec, "event_definition", None)
    if definition is None:
        return []
    return list(getattr(definition, "event_definitions", None) or [definition])


def _is_timer(spec) -> bool:
    return isinstance(spec, CatchingEvent) and any(
        isinstance(d, TimerEventDefinition) for d in _event_definitions(spec))


def _timer_due(task) -> datetime | None:
    definition = task.task_spec.event_definition
    value = task.internal_data.get("event_value")
    if value is None or task.internal_data.get("event_fired"):
        return None
    if isinstance(definition, CycleTimerEventDefinition):
        value = value.get("next") if isinstance(value, dict) else None
        if value is None:
            return None
    try:
        moment = TimerEventDefinition.parse_time_or_duration(value)
    except Exception:  # a malformed stored value: reported by the timer itself when it runs
        return None
    return moment if isinstance(moment, datetime) else None


def snapshot(wf: BpmnWorkflow) -> Snapshot:
    """Return ready user tasks, deadline timers, met deadlines, statuses and the next due time."""
    ready: list[ReadyTask] = []
    deadlines: dict[str, DeadlineState] = {}
    met: set[str] = set()
    statuses: set[str] = set()
    completed: Counter[str] = Counter()
    next_due: datetime | None = None
    for task in _tasks(wf):
        spec = task.task_spec
        bpmn_id = getattr(spec, "bpmn_id", None)
        if bpmn_id is None:
            continue
        props = (getattr(spec, "extensions", None) or {}).get("properties", {})
        state = task.state
        if state == TaskState.COMPLETED:
            completed[bpmn_id] += 1
            if "meets_deadline" in props:
                met.add(props["meets_deadline"])
            if "status" in props:
                statuses.add(props["status"])
        if _is_timer(spec):
            due = _timer_due(task) if state == TaskState.WAITING else None
            if due is not None and (next_due is None or due < next_due):
                next_due = due
            name = props.get("deadline")
            if name and state in (TaskState.WAITING, TaskState.COMPLETED):
                value = task.internal_data.get("event_value")
                due_at = TimerEventDefinition.parse_time_or_duration(value) if value else None
                previous = deadlines.get(name)
                deadlines[name] = DeadlineState(
                    name=name,
                    due_at=due_at or (previous.due_at if previous else None),
                    armed=state == TaskState.WAITING or bool(previous and previous.armed),
                    fired=state == TaskState.COMPLETED or bool(previous and previous.fired),
                )
        if state == TaskState.READY and spec.manual:
            ready.append(ReadyTask(str(task.id), bpmn_id, spec.bpmn_name or bpmn_id, props, _deadline_of(task)))
    return Snapshot(
        ready=tuple(ready),
        deadlines=deadlines,
        met=frozenset(met),
        statuses=frozenset(statuses),
        completed_elements=frozenset(completed),
        completed_counts=dict(completed),
        finished=wf.is_completed(),
        next_due_at=next_due,
    )


def completed_counts(wf: BpmnWorkflow) -> dict[str, int]:
    """Return how often each BPMN element has completed so far (loops complete an element again)."""
    counts: Counter[str] = Counter()
    for task in _tasks(wf, TaskState.COMPLETED):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id is not None:
            counts[bpmn_id] += 1
    return dict(counts)


def _deadline_of(task) -> str | None:
    parent = task.parent
    if parent is None or type(parent.task_spec).__name__ != "BoundaryEventSplit":
        return None
    for sibling in parent.children:
        props = (getattr(sibling.task_spec, "extensions", None) or {}).get("properties", {})
        if sibling is not task and "deadline" in props:
            return props["deadline"]
    return None


# ---------------------------------------------------------------- migration to another version

# States of tasks that stay in the tree when an instance moves; predictions below them are made again.
_PLACED = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR \
    | TaskState.CANCELLED


class _KeepMoments(_ScriptEngine):
    """Answer a re-armed date timer with the moment it already had, so that a migration cannot move it.

    SpiffWorkflow re-arms every waiting task when it moves an instance; a date timer then evaluates its
    expression again on data it re-inherits, which would forget an extension and could fire at once.
    """

    def __init__(self, inner: PythonScriptEngine, moments: Mapping[UUID, str]):
        super().__init__(environment=inner.environment)
        self.moments = moments

    def evaluate(self, task, expression, external_context=None):
        definition = getattr(task.task_spec, "event_definition", None)
        if task.id in self.moments and isinstance(definition, TimeDateEventDefinition):
            return self.moments[task.id]
        return super().evaluate(task, expression, external_context)


def migration_blockers(wf: BpmnWorkflow, new: Definition) -> tuple[str, ...]:
    """Return the elements the instance has done, waits in or holds that the new definition lacks."""
    if wf.subprocesses:
        return tuple(sorted(sub.spec.name for sub in wf.subprocesses.values()))
    top, _ = diff_workflow(_SERIALIZER.registry, wf, new.spec, new.subprocess_specs)
    names = [getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
             for task in top.removed if task.state & _PLACED]
    return tuple(dict.fromkeys(names))


def waiting_elements(wf: BpmnWorkflow) -> frozenset[str]:
    """Return the BPMN ids of the events an instance waits for (timers, messages)."""
    return frozenset(task.task_spec.bpmn_id for task in _tasks(wf, TaskState.WAITING)
                     if getattr(task.task_spec, "bpmn_id", None))


def armed_moments(wf: BpmnWorkflow) -> dict[str, str]:
    """Return the stored moment of every waiting timer by task id (what a migration must keep)."""
    return {str(task.id): task.internal_data["event_value"] for task in _tasks(wf, TaskState.WAITING)
            if _is_timer(task.task_spec) and task.internal_data.get("event_value") is not None}


def migrate(wf: BpmnWorkflow, new: Definition) -> None:
    """Move an instance onto another definition in place; armed timers and waiting tasks' data stay as they were.

    Raises EngineError when an element the instance has passed or waits in does not exist in the new one.
    """
    blockers = migration_blockers(wf, new)
    if blockers:
        raise EngineError(f"not in the new version: {', '.join(blockers)}")
    top, _ = diff_workflow(_SERIALIZER.registry, wf, new.spec, new.subprocess_specs)
    kept = {task.id: (dict(task.internal_data), task.data)
            for task in _tasks(wf, TaskState.READY | TaskState.WAITING | TaskState.STARTED)}
    moments = {task_id: internal["event_value"] for task_id, (internal, _) in kept.items()
               if isinstance(internal.get("event_value"), str)}
    own_engine = wf.script_engine
    wf.script_engine = _KeepMoments(own_engine, moments)

    def run():
        migrate_workflow(top, wf, new.spec)
        for task in _tasks(wf, TaskState.READY | TaskState.WAITING | TaskState.STARTED):
            if task.id not in kept:
                continue
            internal, data = kept[task.id]
            task.data = data  # a reset task re-inherits its parent's data: keep what it had (an extension)
            if "event_value" in internal and not task.internal_data.get("event_fired"):
                task.internal_data["event_value"] = internal["event_value"]  # durations and cycles too
        wf.do_engine_steps()

    try:
        _guard(run)
    finally:
        wf.script_engine = own_engine
