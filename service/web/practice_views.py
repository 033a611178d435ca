"""Praktijkgegevens: the practice's letterhead and logo, and the profiles of the handlers (function, NOLOC)."""

from flask import Response, flash, redirect, render_template, request, url_for

from service import clock, practice
from service.accounts import users
from service.api.auth import current_user
from service.errors import InvalidInput, NotFound
from service.web import bp
from service.web.common import page, uploaded_files, users_with_role

SETTINGS_FIELDS = ("name", "address", "phone", "email", "website", "place")
PROFILE_FIELDS = ("display_name", "function", "noloc_number")
LOGO_ACCEPT = ".png,.jpg,.jpeg,image/png,image/jpeg"


def _render(*, errors: dict | None = None, form: str | None = None, values: dict | None = None,
            status: int = 200, message: str | None = None):
    """The page; form names the form that was refused ("settings" or a handler's username) with its input."""
    settings = practice.current_settings()
    if values is None or form != "settings":
        shown = {name: getattr(settings, name) if settings else "" for name in SETTINGS_FIELDS}
    else:
        shown = values
    return render_template(
        "practice.html", settings=settings, values=shown, logo=practice.logo_info(settings),
        handlers=users_with_role("handler"), errors=errors or {}, form=form, posted=values or {},
        message=message, logo_accept=LOGO_ACCEPT,
    ), status


@bp.get("/praktijk")
@page("practice")
def practice_settings_page():
    """The practice's details for the letterhead, its logo, and the handlers' profiles."""
    return _render()


@bp.post("/praktijk")
@page("practice")
def save_practice_settings():
    """Save the letterhead details and (optionally) a new logo or the removal of the logo."""
    values = {name: request.form.get(name, "") for name in SETTINGS_FIELDS}
    files = uploaded_files("logo")
    try:
        practice.save_settings(values, logo=files[0].data if files else None,
                               remove_logo=request.form.get("remove_logo") == "ja", actor=current_user(),
                               now=clock.now())
    except InvalidInput as err:
        return _render(errors=err.errors, form="settings", values=values, status=422, message=err.message)
    flash("De praktijkgegevens zijn opgeslagen. Nieuwe brieven krijgen deze briefkop.", "success")
    return redirect(url_for("web.practice_settings_page"), code=303)


@bp.get("/praktijk/logo")
@page("practice")
def practice_logo():
    """The saved logo, shown on the page."""
    settings = practice.current_settings()
    if settings is None or not settings.logo:
        raise NotFound("Er is geen logo opgeslagen.")
    return Response(settings.logo, mimetype=settings.logo_content_type,
                    headers={"Cache-Control": "private, no-cache"})


@bp.post("/praktijk/behandelaars/<username>")
@page("practice")
def save_handler_profile(username: str):
    """Save one handler's name, function and NOLOC membership number."""
    values = {name: request.form.get(name, "") for name in PROFILE_FIELDS}
    try:
        user = users.update_profile(username, values, actor=current_user(), now=clock.now())
    except InvalidInput as err:
        return _render(errors=err.errors, form=username, values=values, status=422, message=err.message)
    flash(f"Het profiel van {user.display_name} is opgeslagen.", "success")
    return redirect(url_for("web.practice_settings_page", _anchor="behandelaars"), code=303)
