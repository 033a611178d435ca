"""Proces: the deployed versions, the diagram with counts per task, the modeler, and a complaint's route.

The pages read the process versions and tasks here; everything that changes a version or a draft is a call
of the JSON API (/api/process-versions, /api/process-drafts) from the page's script, with the session cookie.
"""

import logging

from flask import Response, render_template, request, url_for

from service import clock, complaints, letters
from service.api.auth import current_user
from service.complaints import queries
from service.errors import NotFound
from service.forms.definition import FormDefinitionError
from service.forms.files import load_forms
from service.models import Complaint, ProcessVersion
from service.process.diff import CHANGE_LABELS
from service.web import bp
from service.web.common import ctx, page
from service.web.formatting import DEADLINE_LABELS, LETTER_LABELS, ROLE_LABELS, today
from service.workflow.versions import all_versions, find_version, load_definition

log = logging.getLogger(__name__)

VIEWERS = ("practice", "process_owner")
XML = "application/xml; charset=utf-8"


def _versions() -> list[ProcessVersion]:
    """Return the deployed versions of the service's process, newest first."""
    return all_versions(ctx().process_id, newest_first=True)


def _version(number: int) -> ProcessVersion:
    found = find_version(ctx().process_id, number)
    if found is None:
        raise NotFound("Deze procesversie bestaat niet.")
    return found


def task_counts(version: ProcessVersion | None = None) -> dict[str, dict]:
    """Return per BPMN task id the open complaints waiting in it and how many of those are overdue."""
    return queries.waiting_per_task(today(), version)


def _xml_response(xml: str, filename: str) -> Response:
    response = Response(xml, content_type=XML)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- the process page


@bp.get("/proces")
@page(*VIEWERS)
def process_page():
    """Show the versions, the latest diagram with its waiting complaints, and (process owner) the actions."""
    versions = _versions()
    latest = versions[0] if versions else None
    counts = task_counts()
    return render_template(
        "process.html", versions=versions, latest=latest, counts=counts,
        rows=sorted(counts.items(), key=lambda item: (-item[1]["open"], item[1]["name"])),
        is_owner=current_user().has_role("process_owner"),
        diff_from=request.args.get("from", type=int), diff_to=request.args.get("to", type=int),
        change_labels=CHANGE_LABELS,
    )


@bp.get("/proces/versies/<int:number>")
@page(*VIEWERS)
def version_page(number: int):
    """Show one version's diagram, with the complaints running on it per task."""
    version = _version(number)
    counts = task_counts(version)
    latest = _versions()[0]
    return render_template(
        "process_version.html", version=version, latest=latest, counts=counts,
        rows=sorted(counts.items(), key=lambda item: (-item[1]["open"], item[1]["name"])),
        is_owner=current_user().has_role("process_owner"),
    )


@bp.get("/proces/versies/<int:number>/diagram.bpmn")
@page(*VIEWERS)
def version_bpmn(number: int):
    """Return the BPMN XML of a version, as it was deployed."""
    version = _version(number)
    return _xml_response(version.bpmn_xml, f"{version.process_id}-v{version.number}.bpmn")


# ---------------------------------------------------------------- the modeler


def _form_options() -> list[tuple[str, str]]:
    """Return the forms in forms/ as they are now (what a deploy checks against), by title."""
    forms = ctx().forms
    if ctx().forms_dir:
        try:
            forms = load_forms(ctx().forms_dir)
        except FormDefinitionError:  # a broken file: the check lists it; offer the forms the app started with
            pass
    return sorted(((name, f"{form.title} ({name})") for name, form in forms.items()), key=lambda o: o[1])


def _letter_options() -> list[tuple[str, str]]:
    return [(kind, LETTER_LABELS.get(kind, kind)) for kind in letters.KINDS]


@bp.get("/proces/modeler")
@page("process_owner")
def modeler():
    """Edit the latest version (or ?version=N, or the draft ?draft=ID) and save, check and deploy it."""
    versions = _versions()
    draft_id = request.args.get("draft", "").strip() or None
    number = request.args.get("version", type=int)
    base = _version(number) if number is not None else (versions[0] if versions else None)
    from_version = None if draft_id or base is None else base.number
    config = {
        "draftId": draft_id,
        "versionNumber": from_version,
        "diagramUrl": None if from_version is None else url_for("web.version_bpmn", number=from_version),
        "processUrl": url_for("web.process_page"),
        "moddleUrl": url_for("static", filename="spiffworkflow-moddle.json"),
    }
    return render_template(
        "process_modeler.html", config=config, base=base, draft_id=draft_id,
        roles=list(ROLE_LABELS.items()), forms=_form_options(), letter_kinds=_letter_options(),
    )


# ---------------------------------------------------------------- a complaint's route through the diagram


@bp.get("/klachten/<int:complaint_id>/diagram.bpmn")
@page()
def complaint_bpmn(complaint_id: int):
    """Return the BPMN XML of the version a complaint runs on (for whoever may see the complaint)."""
    complaint = complaints.get_complaint(complaint_id, current_user())
    version = complaint.process_version
    return _xml_response(version.bpmn_xml, f"{version.process_id}-v{version.number}.bpmn")


def _completed_elements(complaint: Complaint) -> dict[str, int]:
    """Return how often each BPMN element of the complaint's workflow has completed.

    Read from the stored workflow (read only: nothing is saved); when that cannot be read, from the
    completed task rows, which know user tasks only.
    """
    try:
        return queries.completed_elements(complaint, now=clock.now(), ctx=ctx())
    except Exception:  # the file must show even when the stored workflow cannot be read
        log.warning("complaint %s: workflow not readable for the diagram", complaint.id, exc_info=True)
        counts: dict[str, int] = {}
        for task in complaint.tasks:
            if task.state == "completed":
                counts[task.task] = counts.get(task.task, 0) + 1
        return counts


def complaint_route(complaint: Complaint) -> dict:
    """Return where a complaint is in its diagram: done, current and overdue elements, and the same as text.

    `diagram` is what the page's viewer marks (element ids); the lists are the text version for everyone.
    """
    try:
        elements = load_definition(complaint.process_version).elements
    except Exception:  # a version that no longer parses still shows its text
        log.warning("complaint %s: diagram of version not readable", complaint.id, exc_info=True)
        elements = {}
    done_counts = _completed_elements(complaint)
    done = sorted(done_counts)
    current = sorted({task.task for task in complaint.tasks if task.state == "open"})
    late_names = [d.name for d in complaint.deadlines if d.overdue]
    overdue: list[str] = []
    for name in late_names:
        timers = [e.bpmn_id for e in elements.values() if e.kind == "timer_event"
                  and e.properties.get("deadline") == name]
        fired = [bpmn_id for bpmn_id in timers if bpmn_id in done_counts]
        overdue += fired or timers
    finished_at = {task.task: task.completed_at for task in complaint.tasks if task.state == "completed"}
    # The definition lists its elements along the flow from the start event: close to the order of the route.
    steps_done = [
        {"id": bpmn_id, "name": element.name or bpmn_id, "times": done_counts[bpmn_id],
         "at": finished_at.get(bpmn_id)}
        for bpmn_id, element in elements.items()
        if bpmn_id in done_counts and element.kind in ("user_task", "script_task")
    ]
    steps_current = [task.name for task in complaint.tasks if task.state == "open"]
    return {
        "diagram": {"url": url_for("web.complaint_bpmn", complaint_id=complaint.id), "done": done, "current": current,
                    "overdue": sorted(set(overdue))},
        "steps_done": steps_done,
        "steps_current": steps_current,
        "deadlines_overdue": [DEADLINE_LABELS.get(name, name) for name in late_names],
        "version": complaint.process_version.number,
    }
