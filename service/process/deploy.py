"""Deploy a diagram as the next process version, only when it passes every check; keep its forms and templates."""

from datetime import datetime
from pathlib import Path

from service.context import Context
from service.errors import DeployRejected, NotFound
from service.extensions import transaction
from service.forms.definition import FormDefinition, FormDefinitionError
from service.forms.files import parse_forms, read_form_files
from service.letters import editing as letter_editing
from service.models import ProcessVersion
from service.process.validation import Problem, validate_diagram
from service.workflow.sync import record
from service.workflow.version_files import Files, keep, read_templates, templates_folder
from service.workflow.versions import add_version, get_version, latest_version


def current_files(ctx: Context, *, templates: bool = True) -> tuple[dict[str, FormDefinition], Files, list[Problem]]:
    """Read the form files (and letter templates) as they are now: the forms, their content, and form problems.

    A broken form file is reported by file and field (the forms the app started with are used to check the
    rest of the diagram meanwhile).
    """
    forms, form_files, problems = dict(ctx.forms), {}, []
    if ctx.forms_dir is not None:
        try:
            contents = read_form_files(ctx.forms_dir)
            forms = parse_forms(contents)
            form_files = {Path(source).stem: content for source, content in contents.items()}
        except FormDefinitionError as err:
            problems = [Problem(None, "", "form_file", {"text": text}) for text in err.problems]
    return forms, Files(form_files, current_letters(ctx)[0] if templates else {}), problems


def current_letters(ctx: Context) -> tuple[dict[str, bytes], str]:
    """Return the letter templates a deploy keeps now and a folder holding them (for the checks).

    They are the repository's files overlaid with the practice's active uploads (letters/editing.py); with
    uploads, the set is laid out as files under the instance folder, where the new version will find it again.
    """
    templates = read_templates(ctx.letter_templates_dir)
    uploads = letter_editing.active_uploads()
    if not uploads:
        return templates, ctx.letter_templates_dir
    templates.update(uploads)
    return templates, templates_folder(templates, ctx)


def check(xml: bytes, ctx: Context) -> list[Problem]:
    """Return every problem that would keep a diagram from being deployed now; nothing is stored."""
    forms, _, problems = current_files(ctx, templates=False)
    return problems + validate_diagram(xml, process_id=ctx.process_id, forms=forms, max_bytes=ctx.max_bpmn_bytes,
                                       letter_templates_dir=current_letters(ctx)[1])


@transaction
def deploy(xml: bytes, *, actor: str, now: datetime, ctx: Context, comment: str = "",
           origin: dict | None = None) -> ProcessVersion:
    """Validate and store a diagram as version N+1 with the current forms and templates; raise DeployRejected.

    origin adds to the history event where the diagram came from (a draft, an earlier version).
    """
    forms, files, problems = current_files(ctx, templates=False)
    templates, templates_dir = current_letters(ctx)
    problems += validate_diagram(xml, process_id=ctx.process_id, forms=forms, max_bytes=ctx.max_bpmn_bytes,
                                 letter_templates_dir=templates_dir)
    if problems:
        raise DeployRejected(problems)
    version = add_version(xml, process_id=ctx.process_id, actor=actor, now=now, comment=comment)
    keep(version, Files(files.forms, templates))
    record(None, "process_deployed", actor, now, version=version.number, sha256=version.sha256,
           **(origin or {}))
    return version


def redeploy(number: int, *, actor: str, now: datetime, ctx: Context, comment: str = "") -> ProcessVersion:
    """Deploy the diagram of an earlier version again as version N+1, checked like any deploy."""
    source = get_version(ctx.process_id, number)
    return deploy(source.bpmn_xml.encode("utf-8"), actor=actor, now=now, ctx=ctx,
                  comment=comment or f"Versie {number} opnieuw in gebruik genomen", origin={"redeploy_of": number})


def deploy_current_letters(*, actor: str, now: datetime, ctx: Context, comment: str = "") -> ProcessVersion:
    """Deploy the latest version's diagram again, so that new complaints get the letter templates as they are now."""
    latest = latest_version(ctx.process_id)
    if latest is None:
        raise NotFound("Er is nog geen procesversie in gebruik.")
    return deploy(latest.bpmn_xml.encode("utf-8"), actor=actor, now=now, ctx=ctx,
                  comment=comment or "Nieuwe procesversie met de brieven zoals ze nu zijn",
                  origin={"redeploy_of": latest.number, "reason": "letters"})


def ensure_deployed(xml: bytes, *, actor: str, now: datetime, ctx: Context) -> ProcessVersion | None:
    """Deploy the diagram when no version of the process exists yet; return the new version or None."""
    if latest_version(ctx.process_id) is not None:
        return None
    return deploy(xml, actor=actor, now=now, ctx=ctx, comment="Eerste versie, bij het inrichten")
