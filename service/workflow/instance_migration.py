"""Move a running instance onto another definition without moving its armed timers."""

from collections.abc import Mapping
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimeDateEventDefinition
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from service.workflow.definitions import Definition
from service.workflow.runtime import SERIALIZER, EngineError, guarded, is_timer, tasks_of
from service.workflow.scripting import RestrictedScriptEngine

# States of tasks that stay in the tree when an instance moves; predictions below them are made again.
_PLACED = TaskState.COMPLETED | TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR \
    | TaskState.CANCELLED


class _KeepMoments(RestrictedScriptEngine):
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
    top, _ = diff_workflow(SERIALIZER.registry, wf, new.spec, new.subprocess_specs)
    names = [getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
             for task in top.removed if task.state & _PLACED]
    return tuple(dict.fromkeys(names))


def waiting_elements(wf: BpmnWorkflow) -> frozenset[str]:
    """Return the BPMN ids of the events an instance waits for (timers, messages)."""
    return frozenset(task.task_spec.bpmn_id for task in tasks_of(wf, TaskState.WAITING)
                     if getattr(task.task_spec, "bpmn_id", None))


def armed_moments(wf: BpmnWorkflow) -> dict[str, str]:
    """Return the stored moment of every waiting timer by task id (what a migration must keep)."""
    return {str(task.id): task.internal_data["event_value"] for task in tasks_of(wf, TaskState.WAITING)
            if is_timer(task.task_spec) and task.internal_data.get("event_value") is not None}


def migrate(wf: BpmnWorkflow, new: Definition) -> None:
    """Move an instance onto another definition in place; armed timers and waiting tasks' data stay as they were.

    Raises EngineError when an element the instance has passed or waits in does not exist in the new one.
    """
    blockers = migration_blockers(wf, new)
    if blockers:
        raise EngineError(f"not in the new version: {', '.join(blockers)}")
    top, _ = diff_workflow(SERIALIZER.registry, wf, new.spec, new.subprocess_specs)
    kept = {task.id: (dict(task.internal_data), task.data)
            for task in tasks_of(wf, TaskState.READY | TaskState.WAITING | TaskState.STARTED)}
    moments = {task_id: internal["event_value"] for task_id, (internal, _) in kept.items()
               if isinstance(internal.get("event_value"), str)}
    own_engine = wf.script_engine
    wf.script_engine = _KeepMoments(own_engine, moments)

    def run():
        migrate_workflow(top, wf, new.spec)
        for task in tasks_of(wf, TaskState.READY | TaskState.WAITING | TaskState.STARTED):
            if task.id not in kept:
                continue
            internal, data = kept[task.id]
            task.data = data  # a reset task re-inherits its parent's data: keep what it had (an extension)
            if "event_value" in internal and not task.internal_data.get("event_fired"):
                task.internal_data["event_value"] = internal["event_value"]  # durations and cycles too
        wf.do_engine_steps()

    try:
        guarded(run)
    finally:
        wf.script_engine = own_engine
