"""Run workflow instances: start, restore, act (complete, fire timers, messages, case data), snapshot, serialize.

Nothing here knows about Flask or the database: callers pass data in and get plain values back."""

import contextvars
import logging
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
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
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from service.workflow import expressions
from service.workflow.definitions import Definition, first_line
from service.workflow.scripting import script_engine

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
SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_CONFIG))
_UNFINISHED = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.FUTURE | TaskState.LIKELY


class EngineError(Exception):
    """A workflow step failed; message names the element and the cause."""

    def __init__(self, message: str, element: str | None = None):
        super().__init__(message)
        self.element = element


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
    cancelled: frozenset[str]  # deadlines that stopped applying (`cancels_deadline` on a completed element)
    statuses: frozenset[str]
    completed_elements: frozenset[str]
    completed_counts: Mapping[str, int]
    finished: bool
    next_due_at: datetime | None


def run_engine(wf: BpmnWorkflow) -> None:
    """Run the engine until it waits; drop the events nothing in the instance caught.

    A deadline is settled by a message its watcher waits for; a later throw of the same message (a second call
    report) finds no watcher and would pile up in the instance's list of outgoing events.
    """
    wf.do_engine_steps()
    wf.bpmn_events.clear()


def guarded(action: Callable[[], object]) -> object:
    """Run an engine action; turn any failure into an EngineError that names the element."""
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
        message = f"{element or 'workflow'}: {first_line(cause if str(cause) else err)}"
        log.warning("workflow step failed: %s", message, exc_info=True)
        raise EngineError(message, element) from err


def start(definition: Definition, case_data: Mapping, functions: Mapping[str, Callable]) -> BpmnWorkflow:
    """Create a workflow with the case data and run it to its first waits."""
    wf = BpmnWorkflow(definition.spec, definition.subprocess_specs, script_engine=script_engine(functions))

    def run():
        for task in wf.get_tasks(state=TaskState.READY):
            task.set_data(**case_data)
        run_engine(wf)

    guarded(run)
    return wf


def restore(state: str, definition: Definition, functions: Mapping[str, Callable]) -> BpmnWorkflow:
    """Rebuild a workflow from its stored JSON on its own definition, with a fresh restricted script engine."""
    token = _restoring.set(definition)
    try:
        wf = SERIALIZER.deserialize_json(state)
    finally:
        _restoring.reset(token)
    wf.script_engine = script_engine(functions)
    return wf


def serialize(wf: BpmnWorkflow) -> str:
    """Return the workflow as JSON for storage."""
    return SERIALIZER.serialize_json(wf)


def _workflows(wf: BpmnWorkflow) -> list:
    return [wf, *wf.subprocesses.values()]


def tasks_of(wf: BpmnWorkflow, state=TaskState.ANY_MASK) -> Iterator:
    """Yield the tasks of the workflow and of its subprocesses in the given states."""
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
        run_engine(wf)

    guarded(run)


def fire_timers(wf: BpmnWorkflow) -> None:
    """Fire every timer that is due now and run the engine on."""

    def run():
        wf.refresh_timers()
        run_engine(wf)

    guarded(run)


def cancel(wf: BpmnWorkflow) -> None:
    """End the instance: every unfinished task is cancelled, so nothing waits or fires any more."""
    guarded(lambda: wf.cancel())


def set_case_data(wf: BpmnWorkflow, values: Mapping) -> None:
    """Change case data for the steps to come and re-evaluate waiting date timers with it.

    A waiting timer re-inherits its data from its (finished) parent on every refresh, so its new due time
    is evaluated here from its own expression and stored, instead of changing data it would lose.
    """

    def run():
        for task in tasks_of(wf, TaskState.READY | TaskState.STARTED):
            task.set_data(**values)
        case_data = _case_data(wf)
        for task in tasks_of(wf, TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, TimeDateEventDefinition) and not task.internal_data.get("event_fired"):
                data = {**case_data, **task.data, **values}
                task.internal_data["event_value"] = wf.script_engine.environment.evaluate(
                    definition.expression, data)
        wf.refresh_timers()
        run_engine(wf)

    guarded(run)


def correct_case_data(wf: BpmnWorkflow, values: Mapping) -> bool:
    """Correct registered case data (a corrected registration) for the steps to come; False when it has ended.

    The values replace what the instance holds under those names in its ready, started and waiting tasks, in the
    finished tasks a waiting one re-inherits its data from on every refresh, and in the start event (the case data
    an expression reads). Nothing runs on and no timer is re-armed: a waiting timer keeps its moment.
    """
    def run() -> bool:
        live = list(tasks_of(wf, TaskState.READY | TaskState.STARTED | TaskState.WAITING))
        targets = {task.id: task for task in live}
        targets.update({task.parent.id: task.parent for task in live
                        if task.has_state(TaskState.WAITING) and task.parent is not None})
        targets.update({task.id: task for task in wf.get_tasks()
                        if type(task.task_spec).__name__ == "StartEvent"})
        for task in targets.values():
            task.data.update(values)
        return bool(live)

    return guarded(run)


def _case_data(wf: BpmnWorkflow) -> dict:
    """The data the instance started with (the case data of registration).

    A task restored or re-armed by a migration may carry data without a variable the case has had from the
    start (`call_report_extended_until`); an expression evaluated here still finds it.
    """
    return next((dict(task.data) for task in wf.get_tasks()
                 if type(task.task_spec).__name__ == "StartEvent"), {})


def evaluate_in_workflow(wf: BpmnWorkflow, source: str, extra: Mapping | None = None) -> object:
    """Evaluate an expression against the data of the workflow's newest unfinished task."""
    tasks = list(tasks_of(wf, _UNFINISHED)) or list(tasks_of(wf))
    data = {**_case_data(wf), **tasks[-1].data, **(extra or {})}
    return guarded(lambda: wf.script_engine.environment.evaluate(source, data))


def deliver_message(wf: BpmnWorkflow, message_name: str, payload: Mapping) -> bool:
    """Deliver a message to a waiting catch event; return False when nothing waits for it."""
    for task in tasks_of(wf, TaskState.WAITING):
        for definition in _event_definitions(task.task_spec):
            if not (isinstance(definition, MessageEventDefinition) and definition.name == message_name):
                continue

            def run(definition=definition):
                wf.catch(BpmnEvent(definition, dict(payload)))
                run_engine(wf)

            guarded(run)
            return True
    return False


def _event_definitions(spec) -> list:
    """Return a catching element's event definitions (an event-based gateway holds several)."""
    definition = getattr(spec, "event_definition", None)
    if definition is None:
        return []
    return list(getattr(definition, "event_definitions", None) or [definition])


def is_timer(spec) -> bool:
    """Return whether a task spec is an event that catches a timer."""
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
    cancelled: set[str] = set()
    statuses: set[str] = set()
    completed: Counter[str] = Counter()
    next_due: datetime | None = None
    for task in tasks_of(wf):
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
            if "cancels_deadline" in props:
                cancelled.add(props["cancels_deadline"])
            if "status" in props:
                statuses.add(props["status"])
        if is_timer(spec):
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
            ready.append(ReadyTask(str(task.id), bpmn_id, spec.bpmn_name or bpmn_id, props,
                                   props.get("due_by") or _deadline_of(task)))
    return Snapshot(
        ready=tuple(ready),
        deadlines=deadlines,
        met=frozenset(met),
        cancelled=frozenset(cancelled),
        statuses=frozenset(statuses),
        completed_elements=frozenset(completed),
        completed_counts=dict(completed),
        finished=wf.is_completed(),
        next_due_at=next_due,
    )


def completed_counts(wf: BpmnWorkflow) -> dict[str, int]:
    """Return how often each BPMN element has completed so far (loops complete an element again)."""
    counts: Counter[str] = Counter()
    for task in tasks_of(wf, TaskState.COMPLETED):
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id is not None:
            counts[bpmn_id] += 1
    return dict(counts)


def _deadline_of(task) -> str | None:
    """The deadline of a boundary timer on the task (diagrams drawn before `due_by` said it on the task)."""
    parent = task.parent
    if parent is None or type(parent.task_spec).__name__ != "BoundaryEventSplit":
        return None
    for sibling in parent.children:
        props = (getattr(sibling.task_spec, "extensions", None) or {}).get("properties", {})
        if sibling is not task and "deadline" in props:
            return props["deadline"]
    return None
