"""Move running complaints onto a newer process version, only when that is safe, keeping every due date.

Safe means: every element the complaint has already done exists unchanged in the new version (a changed
letter excepted: letters already made are kept as they were), its open tasks and the events it waits for
exist there, and SpiffWorkflow can place its task tree on the new diagram. Armed timers keep the moment
they had (instance_migration.migrate), so no deadline moves. Each complaint moves in its own transaction.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import undefer

from service.complaints.step import Step
from service.context import Context
from service.errors import ConcurrentChange
from service.extensions import db, transaction
from service.models import Complaint, ProcessVersion
from service.process.diff import CHANGE_LABELS, Diff, diff_versions
from service.workflow import definitions, instance_migration, runtime
from service.workflow.instance import Instance
from service.workflow.sync import assignee_for, record
from service.workflow.versions import get_version, load_definition

# A letter already made stays as it was; nothing the complaint does next depends on its template. A name is a
# label: a step done under its old name is the same step (open tasks take the new name when they move).
HARMLESS_CHANGES = frozenset({"letter", "name"})


@dataclass
class Assessment:
    """Whether one complaint can move to the target version, and why not."""

    complaint_id: int
    reference: str
    from_version: int
    reasons: list[str] = field(default_factory=list)
    migrated: bool = False

    @property
    def safe(self) -> bool:
        return not self.reasons

    def as_dict(self, *, with_result: bool = False) -> dict:
        """Return the API shape: complaint_id, reference, from_version, safe, reasons (and migrated)."""
        item = {"complaint_id": self.complaint_id, "reference": self.reference, "from_version": self.from_version,
                "safe": self.safe, "reasons": list(self.reasons)}
        if with_result:
            item["migrated"] = self.migrated
        return item


def _candidate_ids(target: ProcessVersion) -> list[int]:
    """Return the complaints on an older version of the process that may still be running, by id.

    A closed or withdrawn complaint has no step left to move: an escalation after closing is recorded on the
    version it ran on. Diagrams before 0.8.0 kept a closed complaint waiting on a one-year escalation timer;
    such a complaint is still listed while that timer waits.
    """
    query = (
        select(Complaint.id).join(ProcessVersion, Complaint.process_version_id == ProcessVersion.id)
        .where(ProcessVersion.process_id == target.process_id, ProcessVersion.number < target.number)
        .where(or_(Complaint.status.not_in(("closed", "withdrawn")), Complaint.next_due_at.is_not(None)))
        .order_by(Complaint.id)
    )
    return list(db.session.scalars(query))


def _load(complaint_id: int) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.id == complaint_id)
                             .options(undefer(Complaint.workflow_state)))


def _label(element: definitions.Element | None, bpmn_id: str) -> str:
    return f"'{element.name}' ({bpmn_id})" if element is not None and element.name else bpmn_id


def _assess(complaint: Complaint, target: ProcessVersion, diff: Diff, *, now: datetime, ctx: Context):
    """Return (assessment, the workflow moved in memory or None, completed counts before the move).

    The assessment is None when the complaint's process has ended: there is nothing to move.
    """
    found = Assessment(complaint.id, complaint.reference, complaint.process_version.number)
    old = load_definition(complaint.process_version)
    try:
        wf = runtime.restore(complaint.workflow_state, old, ctx.functions(now))
        snap = runtime.snapshot(wf)
    except Exception as err:  # a stored state that cannot be read is not moved either
        found.reasons.append(f"De procesinstantie kan niet worden gelezen: {err}")
        return found, None, {}
    if snap.finished:
        return None, None, {}
    found.reasons += _reasons(wf, snap, old, diff, target.number)
    if found.reasons:
        return found, None, snap.completed_counts
    try:  # the real move, in memory: only what survives a save and a restore on the new version is safe
        instance_migration.migrate(wf, diff.new)
        moved = runtime.restore(runtime.serialize(wf), diff.new, ctx.functions(now))
        runtime.snapshot(moved)
    except Exception as err:  # any failure of the engine means: do not move this complaint
        found.reasons.append(f"Overzetten naar versie {target.number} lukt niet: {err}")
        return found, None, snap.completed_counts
    return found, moved, snap.completed_counts


def _reasons(wf, snap: runtime.Snapshot, old: definitions.Definition, diff: Diff, number: int) -> list[str]:
    """Return why an instance cannot move to the new definition of the diff (empty: it can)."""
    new = diff.new
    reasons: list[str] = []
    missing: set[str] = set()  # elements already named as missing

    def label(bpmn_id: str, element: definitions.Element | None = None) -> str:
        return _label(element or old.elements.get(bpmn_id), bpmn_id)

    for bpmn_id in sorted(snap.completed_elements):
        if bpmn_id not in new.elements:
            missing.add(bpmn_id)
            reasons.append(f"Stap {label(bpmn_id)} is al gedaan, maar bestaat niet in versie {number}.")
            continue
        changes = [c for c in diff.changed.get(bpmn_id, ()) if c not in HARMLESS_CHANGES]
        if changes:
            what = ", ".join(CHANGE_LABELS[c] for c in changes)
            reasons.append(f"Stap {label(bpmn_id)} is al gedaan en is gewijzigd in versie {number} ({what}).")
    open_ids = {task.bpmn_id for task in snap.ready}
    for bpmn_id in sorted(open_ids):
        element = new.elements.get(bpmn_id)
        if element is None:
            missing.add(bpmn_id)
            reasons.append(f"Open taak {label(bpmn_id)} bestaat niet in versie {number}.")
        elif element.kind != "user_task":
            reasons.append(f"Open taak {label(bpmn_id, element)} is in versie {number} geen gebruikerstaak meer.")
    for bpmn_id in sorted(instance_migration.waiting_elements(wf)):
        changes = diff.changed.get(bpmn_id, ())
        if bpmn_id not in new.elements:
            missing.add(bpmn_id)
            reasons.append(f"De klacht wacht op {label(bpmn_id)}, dat niet bestaat in versie {number}.")
        elif "deadline" in changes or "kind" in changes:
            reasons.append(f"De klacht wacht op {label(bpmn_id)}, dat in versie {number} een andere termijn "
                           f"bewaakt of een ander soort gebeurtenis is.")
    for element in diff.added:
        if element.kind == "timer_event" and element.attached_to in open_ids:
            reasons.append(f"Versie {number} heeft een nieuwe timer {label(element.bpmn_id, element)} op de open "
                           f"taak {element.attached_to}; die zou voor deze klacht niet starten.")
    for name in instance_migration.migration_blockers(wf, new):
        # The engine's own parts of an element are named after it: hear_coach.BoundaryEventSplit.
        bpmn_id = name if name in old.elements else name.split(".")[0]
        if name in missing or bpmn_id in missing:
            continue
        missing.add(bpmn_id)
        if name != bpmn_id:
            reasons.append(f"De timers rond stap {label(bpmn_id)}, waar deze klacht al langs is gekomen, zijn "
                           f"anders in versie {number}.")
        else:  # e.g. a timer that was cancelled when its task was done
            reasons.append(f"Onderdeel {label(name)}, dat deze klacht al heeft doorlopen, bestaat niet in versie "
                           f"{number}.")
    return reasons


def preview(number: int, *, now: datetime, ctx: Context) -> list[Assessment]:
    """Tell for every running complaint on an older version whether it can move to version `number`."""
    target = get_version(ctx.process_id, number)
    diffs: dict[int, Diff] = {}
    found = []
    for complaint_id in _candidate_ids(target):
        complaint = _load(complaint_id)
        diff = diffs.get(complaint.process_version_id)
        if diff is None:
            diff = diffs[complaint.process_version_id] = diff_versions(complaint.process_version, target)
        assessment, _, _ = _assess(complaint, target, diff, now=now, ctx=ctx)
        if assessment is not None:
            found.append(assessment)
    return found


def migrate(number: int, *, actor: str, now: datetime, ctx: Context) -> list[Assessment]:
    """Move every complaint that can safely move to version `number`, each in its own transaction."""
    target = get_version(ctx.process_id, number)
    diffs: dict[int, Diff] = {}
    results = []
    for complaint_id in _candidate_ids(target):
        try:
            assessment = _migrate_one(complaint_id, target, diffs, actor=actor, now=now, ctx=ctx)
        except ConcurrentChange as err:
            complaint = db.session.get(Complaint, complaint_id)
            assessment = Assessment(complaint_id, complaint.reference, complaint.process_version.number,
                                    [err.message])
        if assessment is not None:
            results.append(assessment)
    return results


@transaction
def _migrate_one(complaint_id: int, target: ProcessVersion, diffs: dict[int, Diff], *, actor: str,
                 now: datetime, ctx: Context) -> Assessment | None:
    complaint = _load(complaint_id)
    source = complaint.process_version
    diff = diffs.get(source.id)
    if diff is None:
        diff = diffs[source.id] = diff_versions(source, target)
    assessment, wf, before = _assess(complaint, target, diff, now=now, ctx=ctx)
    if assessment is None or wf is None:
        return assessment
    complaint.process_version = target
    step = Step(complaint, Instance(wf, diff.new), actor=actor, now=now, ctx=ctx, before=before)
    snap = step.store()
    ready = {task.id: task for task in snap.ready}
    for row in complaint.tasks:  # an open task takes its name and role from the new version
        task = ready.get(row.id)
        if row.state == "open" and task is not None:
            row.name = task.name
            row.role = task.properties.get("role", row.role)
            row.assignee = assignee_for(complaint, row.role)
    record(complaint, "migrated", actor, now, **{"from": source.number, "to": target.number})
    step.make_letters(snap)
    assessment.migrated = True
    return assessment
