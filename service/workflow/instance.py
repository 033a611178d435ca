"""A workflow instance being worked on: started or restored on its definition, acted on, then stored.

This is the one object callers hold while they change a workflow (spiff-example-cli's `Instance` is the model).
The complaint's step runner (`complaints.step`) and the quarterly review both use it; what each stores beside
the serialized state (task rows and letters, or the review's own columns) is theirs.
"""

from collections.abc import Callable, Mapping

from service.workflow import runtime
from service.workflow.definitions import Definition


class Instance:
    """One workflow instance on its definition, with the restricted functions of this moment."""

    def __init__(self, workflow, definition: Definition):
        self.workflow = workflow
        self.definition = definition

    @classmethod
    def start(cls, definition: Definition, case_data: Mapping, functions: Mapping[str, Callable]) -> "Instance":
        """Start an instance with its case data and run it to its first waits."""
        return cls(runtime.start(definition, case_data, functions), definition)

    @classmethod
    def restore(cls, state: str, definition: Definition, functions: Mapping[str, Callable]) -> "Instance":
        """Restore a stored instance on the definition it runs on."""
        return cls(runtime.restore(state, definition, functions), definition)

    def has_ready_task(self, task_id: str) -> bool:
        """Return whether the instance waits for this user task."""
        return runtime.find_ready_task(self.workflow, task_id) is not None

    def complete(self, task_id: str, fields: Mapping) -> None:
        """Complete a ready user task with validated fields and run on."""
        runtime.complete(self.workflow, task_id, fields)

    def fire_timers(self) -> None:
        """Fire the timers that are due and run on."""
        runtime.fire_timers(self.workflow)

    def deliver_message(self, name: str, payload: Mapping) -> bool:
        """Deliver a message to the event waiting for it; False when nothing waits."""
        return runtime.deliver_message(self.workflow, name, payload)

    def cancel(self) -> None:
        """End the instance: every open task and waiting timer is cancelled."""
        runtime.cancel(self.workflow)

    def set_case_data(self, values: Mapping) -> None:
        """Change case data for the steps to come; waiting date timers take it into account."""
        runtime.set_case_data(self.workflow, values)

    def correct_case_data(self, values: Mapping) -> bool:
        """Correct registered case data for the steps to come; False when the instance has ended."""
        return runtime.correct_case_data(self.workflow, values)

    def evaluate(self, source: str) -> object:
        """Evaluate an expression of the diagram against the instance's current data."""
        return runtime.evaluate_in_workflow(self.workflow, source)

    def completed_counts(self) -> dict[str, int]:
        """Return how often each element has completed so far."""
        return runtime.completed_counts(self.workflow)

    def snapshot(self) -> runtime.Snapshot:
        """Return what the service keeps in rows: ready tasks, deadlines, statuses, the next due time."""
        return runtime.snapshot(self.workflow)

    def serialize(self) -> str:
        """Return the instance as JSON for storage (without its definition)."""
        return runtime.serialize(self.workflow)
