"""The step runner: every change to a complaint's workflow is restore, act, save rows, make letters.

Registration, task completion, an extension, an escalation and a timer all go through `Step`, so the order
of restoring, acting, storing, mirroring rows and making the step's letters is written once. A step runs inside
the caller's transaction (`extensions.transaction`): nothing here commits, and an exception leaves nothing.
"""

from collections.abc import Callable, Mapping
from datetime import datetime

from service import mail
from service.context import Context
from service.errors import ProcessFailure
from service.letters.production import letters_for_step
from service.models import Complaint, Escalation, Letter, ProcessVersion
from service.workflow import runtime
from service.workflow.instance import Instance
from service.workflow.sync import save_workflow
from service.workflow.versions import load_definition


class Step:
    """One step of a complaint's workflow, on the process version the complaint started on."""

    def __init__(self, complaint: Complaint, instance: Instance, *, actor: str, now: datetime, ctx: Context,
                 before: Mapping[str, int] | None = None):
        self.complaint = complaint
        self.instance = instance
        self.actor = actor
        self.now = now
        self.ctx = ctx
        # How often each element had completed: the step's letters are those of what completes from here.
        self.before = instance.completed_counts() if before is None else before

    @classmethod
    def start(cls, complaint: Complaint, version: ProcessVersion, case_data: Mapping, *, actor: str,
              now: datetime, ctx: Context) -> "Step":
        """Start the complaint's workflow on version with its case data, run to its first waits."""
        instance = _process(Instance.start, load_definition(version), case_data, ctx.functions(now))
        return cls(complaint, instance, actor=actor, now=now, ctx=ctx, before={})

    @classmethod
    def restore(cls, complaint: Complaint, *, actor: str, now: datetime, ctx: Context) -> "Step":
        """Restore the complaint's stored workflow on its own process version, whatever was deployed since."""
        definition = load_definition(complaint.process_version)
        instance = Instance.restore(complaint.workflow_state, definition, ctx.functions(now))
        return cls(complaint, instance, actor=actor, now=now, ctx=ctx)

    @property
    def definition(self):
        """The parsed diagram the complaint runs on."""
        return self.instance.definition

    def has_ready_task(self, task_id: str) -> bool:
        """Return whether the workflow waits for this user task."""
        return self.instance.has_ready_task(task_id)

    def complete(self, task_id: str, fields: Mapping) -> None:
        """Complete a ready user task with validated fields and run the process on."""
        _process(self.instance.complete, task_id, fields)

    def deliver_message(self, name: str, payload: Mapping) -> bool:
        """Deliver a message to the event waiting for it; False when nothing waits."""
        return _process(self.instance.deliver_message, name, payload)

    def set_case_data(self, values: Mapping) -> None:
        """Change case data for the steps to come; waiting date timers take it into account."""
        _process(self.instance.set_case_data, values)

    def correct_case_data(self, values: Mapping) -> bool:
        """Correct registered case data (a corrected registration); False when the workflow has ended."""
        return _process(self.instance.correct_case_data, values)

    def evaluate(self, source: str) -> object:
        """Evaluate an expression of the diagram against the workflow's current data."""
        return _process(self.instance.evaluate, source)

    def cancel(self) -> None:
        """End the workflow: every open task and waiting timer is cancelled."""
        _process(self.instance.cancel)

    def fire_timers(self) -> None:
        """Fire the timers that are due.

        An engine error is not translated: the timer wake-up records it as it is, as the complaint's incident.
        """
        self.instance.fire_timers()

    def save(self, *, escalation: Escalation | None = None) -> list[Letter]:
        """Store the workflow, bring tasks, deadlines and status in line, and make the step's letters."""
        return self.make_letters(self.store(), escalation=escalation)

    def store(self) -> runtime.Snapshot:
        """Store the workflow and bring the complaint's tasks, deadlines, status and next due time in line.

        The mails the step causes (a task became someone's, a deadline passed unmet) are queued here, in the
        step's transaction: they go out after its commit, or not at all.
        """
        known = {row.id for row in self.complaint.tasks}
        passed = {row.name for row in self.complaint.deadlines if row.passed_at is not None}
        snap = save_workflow(self.complaint, self.instance, now=self.now, actor=self.actor)
        mail.tasks_assigned(self.complaint, [row for row in self.complaint.tasks if row.id not in known],
                            now=self.now, ctx=self.ctx)
        mail.deadlines_passed(self.complaint, [row for row in self.complaint.deadlines
                                               if row.passed_at is not None and row.name not in passed],
                              now=self.now, ctx=self.ctx)
        return snap

    def make_letters(self, snap: runtime.Snapshot, *, escalation: Escalation | None = None) -> list[Letter]:
        """Make the letter of every element with a `letter` property that completed during the step."""
        return letters_for_step(self.complaint, self.definition, self.before, snap.completed_counts,
                                actor=self.actor, now=self.now, ctx=self.ctx, escalation=escalation)


def _process(action: Callable, *args):
    """Run an engine action; a failing script or condition is a ProcessFailure that names the element."""
    try:
        return action(*args)
    except runtime.EngineError as err:
        raise ProcessFailure(f"{ProcessFailure.message} ({err})") from err
