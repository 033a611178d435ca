"""Deploy a diagram as the next process version, only when it passes every check."""

from datetime import datetime

from .context import Context
from .errors import DeployRejected
from .extensions import db
from .forms import FormDefinitionError, load_forms
from .models import ProcessVersion
from .process_versions import add_version, latest_version
from .validation import validate_diagram
from .workflow_sync import record


def deploy(xml: bytes, *, actor: str, now: datetime, ctx: Context, comment: str = "") -> ProcessVersion:
    """Validate and store a diagram as version N+1; raise DeployRejected listing every problem."""
    forms, problems = _current_forms(ctx)
    problems += validate_diagram(xml, process_id=ctx.process_id, forms=forms, max_bytes=ctx.max_bpmn_bytes,
                                 letter_templates_dir=ctx.letter_templates_dir)
    if problems:
        raise DeployRejected(problems)
    try:
        version = add_version(xml, process_id=ctx.process_id, actor=actor, now=now, comment=comment)
        record(None, "process_deployed", actor, now, version=version.number, sha256=version.sha256)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return version


def _current_forms(ctx: Context) -> tuple[dict, list[str]]:
    """Read the form files as they are now, so a deploy reports a broken one by file and field."""
    if ctx.forms_dir is None:
        return dict(ctx.forms), []
    try:
        return load_forms(ctx.forms_dir), []
    except FormDefinitionError as err:
        return dict(ctx.forms), list(err.problems)


def ensure_deployed(xml: bytes, *, actor: str, now: datetime, ctx: Context) -> ProcessVersion | None:
    """Deploy the diagram when no version of the process exists yet; return the new version or None."""
    if latest_version(ctx.process_id) is not None:
        return None
    return deploy(xml, actor=actor, now=now, ctx=ctx, comment="initial deploy")
