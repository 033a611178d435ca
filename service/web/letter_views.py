"""Brieven: the practice reads, downloads and previews its letter templates; the process owner uploads a changed one,
goes back to the standard, and takes the letters into use with a new process version."""

import io

from flask import flash, redirect, render_template, request, send_file, url_for

from service import clock, complaints, privacy
from service.api.auth import current_user
from service.errors import DeployRejected, InvalidInput, NotFound
from service.letters import editing
from service.process import deploy
from service.web import bp
from service.web.common import ctx, page, uploaded_files

VIEWERS = ("practice", "process_owner")
OWNER = "process_owner"


def _docx(content: bytes, filename: str):
    return send_file(io.BytesIO(content), mimetype=editing.DOCX, as_attachment=True, download_name=filename)


def _is_owner() -> bool:
    return current_user().has_role(OWNER)


@bp.get("/brieven")
@page(*VIEWERS)
def letters_page(problems: list[str] | None = None, status: int = 200):
    """List every letter template: standard or changed, and whether new complaints already get it."""
    templates = editing.list_templates(ctx())
    return render_template("letters.html", templates=templates, pending=[t for t in templates if not t.in_use],
                           latest=templates[0].latest_version if templates else None, is_owner=_is_owner(),
                           changes=editing.recent_changes(), problems=problems or []), status


@bp.get("/brieven/<name>")
@page(*VIEWERS)
def letter_page(name: str, problems: list[str] | None = None, message: str | None = None, status: int = 200):
    """Show one letter: its state, its text filled with a sample case, the names it may use, and (owner) upload."""
    template = editing.get_template(name, ctx())
    try:
        blocks, preview_error = editing.preview_blocks(template.kind, ctx()), None
    except (InvalidInput, NotFound) as err:  # no sample, or a template that no longer fits: say so, show the rest
        blocks, preview_error = [], err.message
    return render_template("letter.html", template=template, blocks=blocks, preview_error=preview_error,
                           variables=editing.variables(template.kind),
                           required=editing.required_parts(template.kind), is_owner=_is_owner(),
                           problems=problems or [], message=message), status


@bp.get("/brieven/<name>/bestand.docx")
@page(*VIEWERS)
def download_letter_template(name: str):
    """Download the template as it is now (?standaard=1: the standard one) to edit it in Word."""
    kind = editing.kind_of(name)
    standard = request.args.get("standaard") == "1"
    return _docx(editing.template_content(kind, ctx(), standard=standard),
                 f"{kind}-standaard.docx" if standard else f"{kind}.docx")


@bp.get("/brieven/<name>/voorbeeld.docx")
@page(*VIEWERS)
def letter_preview(name: str):
    """Download the letter filled with a fictional sample case, marked VOORBEELD."""
    kind = editing.kind_of(name)
    return _docx(editing.preview(kind, ctx()), f"{kind}-voorbeeld.docx")


@bp.post("/brieven/<name>")
@page(OWNER)
def upload_letter_template(name: str):
    """Check the chosen .docx and keep it as this letter's template; on problems show every one, keep nothing."""
    kind = editing.kind_of(name)
    files = uploaded_files("template")
    if not files:
        return letter_page(kind, message="Kies het bestand met de aangepaste brief.", status=422)
    try:
        editing.upload_template(kind, files[0].data, filename=files[0].filename, actor=current_user().username,
                                now=clock.now(), ctx=ctx())
    except InvalidInput as err:
        return letter_page(kind, problems=err.errors.get("template", []), message=err.message, status=422)
    flash(f"De aangepaste brief {files[0].filename} is opgeslagen. Nieuwe klachten krijgen hem zodra er een "
          "nieuwe procesversie in gebruik is genomen.", "success")
    return redirect(url_for("web.letter_page", name=kind), code=303)


@bp.post("/brieven/<name>/standaard")
@page(OWNER)
def reset_letter_template(name: str):
    """Go back to the standard template of this letter (from the next process version on)."""
    template = editing.reset_template(name, actor=current_user().username, now=clock.now(), ctx=ctx())
    flash(f"{template.label}: de standaardbrief wordt weer gebruikt vanaf de volgende procesversie.", "success")
    return redirect(url_for("web.letter_page", name=template.kind), code=303)


@bp.post("/brieven/nieuwe-procesversie")
@page(OWNER)
def deploy_letters():
    """Deploy the latest diagram again as a new version that keeps the letters as they are now."""
    try:
        version = deploy.deploy_current_letters(actor=current_user().username, now=clock.now(), ctx=ctx(),
                                                comment=request.form.get("comment", "").strip()[:500])
    except DeployRejected as err:
        return letters_page(problems=err.errors.get("bpmn", []), status=422)
    flash(f"Procesversie {version.number} is in gebruik genomen. Nieuwe klachten krijgen de brieven zoals ze nu "
          "zijn; lopende klachten houden de brieven van hun eigen versie.", "success")
    return redirect(url_for("web.letters_page"), code=303)


@bp.get("/klachten/<int:complaint_id>/brieven/<int:letter_id>")
@page()
def download_letter(complaint_id: int, letter_id: int):
    """Download a letter of a complaint the caller may see; a visitor not logged in logs in first and comes back."""
    _, found = complaints.get_letter(complaint_id, letter_id, current_user())
    content = found.content or b""  # empty once retention erased it
    privacy.record_access(complaint_id, actor=current_user().username, action="letter", now=clock.now(), via="web",
                          letter_id=found.id, kind=found.kind, version=found.version)
    return send_file(io.BytesIO(content), mimetype=editing.DOCX, as_attachment=True, download_name=found.filename)
