"""Gebruikers (the practice manages users) and Mijn account (everyone: own password, e-mail and digest choice)."""

from flask import flash, redirect, render_template, request, url_for

from service import clock, mail
from service.accounts import users
from service.api.auth import current_user, keep_session
from service.errors import InvalidInput, NotFound
from service.models import ROLES
from service.web import bp
from service.web.common import ctx, page

NEW_USER_FIELDS = ("username", "display_name", "email", "password")


def _mail_state() -> dict:
    """Whether mail is on, for the pages' explanation."""
    settings = ctx().mail
    return {"enabled": settings.enabled, "reminder_days": settings.reminder_days}


def _users_page(*, errors: dict | None = None, values: dict | None = None, message: str | None = None,
                status: int = 200):
    return render_template(
        "users.html", users=users.all_users(), roles=ROLES, errors=errors or {}, values=values or {},
        chosen_roles=request.form.getlist("roles") if values is not None else [], message=message,
        mail_state=_mail_state(), outbox=mail.outbox_problems(),
    ), status


@bp.get("/gebruikers")
@page("practice")
def users_page():
    """Every user with roles, e-mail address and whether they are active; a form for a new user; mail problems."""
    return _users_page()


@bp.post("/gebruikers")
@page("practice")
def add_user():
    """Create a user with roles, an e-mail address and a first password."""
    values = {name: request.form.get(name, "") for name in NEW_USER_FIELDS}
    try:
        user = users.create_user(values["username"], values["password"], request.form.getlist("roles"),
                                 now=clock.now(), display_name=values["display_name"], email=values["email"],
                                 actor=current_user())
    except InvalidInput as err:
        values["password"] = ""  # never sent back to the browser
        return _users_page(errors=err.errors, values=values, message=err.message, status=422)
    flash(f"De gebruiker {user.display_name} ({user.username}) is aangemaakt.", "success")
    return redirect(url_for("web.user_page", username=user.username), code=303)


def _user_page(username: str, *, form: str | None = None, errors: dict | None = None, values: dict | None = None,
               message: str | None = None, status: int = 200):
    """One user's page; form names the form that was refused, with its input."""
    user = users.find(username)
    if user is None:
        raise NotFound("Gebruiker niet gevonden.")
    return render_template("user.html", person=user, roles=ROLES, form=form, errors=errors or {},
                           values=values or {}, message=message), status


@bp.get("/gebruikers/<username>")
@page("practice")
def user_page(username: str):
    """Change one user's roles and e-mail address, reset the password, disable or enable them."""
    return _user_page(username)


@bp.post("/gebruikers/<username>/rollen")
@page("practice")
def change_user_roles(username: str):
    """Save a user's roles."""
    roles = request.form.getlist("roles")
    try:
        user = users.change_roles(username, roles, actor=current_user(), now=clock.now())
    except InvalidInput as err:
        return _user_page(username, form="roles", errors=err.errors, values={"roles": roles}, message=err.message,
                          status=422)
    flash(f"De rollen van {user.display_name} zijn opgeslagen.", "success")
    return redirect(url_for("web.user_page", username=username), code=303)


@bp.post("/gebruikers/<username>/e-mail")
@page("practice")
def change_user_email(username: str):
    """Save a user's e-mail address (empty: none)."""
    email = request.form.get("email", "")
    try:
        user = users.set_email(username, email, actor=current_user(), now=clock.now())
    except InvalidInput as err:
        return _user_page(username, form="email", errors=err.errors, values={"email": email}, message=err.message,
                          status=422)
    flash(f"Het e-mailadres van {user.display_name} is opgeslagen.", "success")
    return redirect(url_for("web.user_page", username=username), code=303)


@bp.post("/gebruikers/<username>/wachtwoord")
@page("practice")
def reset_user_password(username: str):
    """Give a user a new password."""
    try:
        user = users.reset_password(username, request.form.get("password", ""), actor=current_user(),
                                    now=clock.now())
    except InvalidInput as err:
        return _user_page(username, form="password", errors=err.errors, message=err.message, status=422)
    keep_session(user)  # the user's other sessions ended; the practice resetting its own keeps this one
    flash(f"Het wachtwoord van {user.display_name} is gewijzigd. Geef het nieuwe wachtwoord persoonlijk door.",
          "success")
    return redirect(url_for("web.user_page", username=username), code=303)


@bp.post("/gebruikers/<username>/actief")
@page("practice")
def change_user_active(username: str):
    """Disable a user (no login, no mail) or enable them again."""
    active = request.form.get("active") == "ja"
    try:
        user = users.set_active(username, active, actor=current_user(), now=clock.now())
    except InvalidInput as err:
        return _user_page(username, form="active", errors=err.errors, message=err.message, status=422)
    flash(f"{user.display_name} is " + ("weer actief en kan inloggen." if active else
                                        "uitgeschakeld: inloggen kan niet meer en er gaat geen e-mail meer heen."),
          "success")
    return redirect(url_for("web.user_page", username=username), code=303)


def _account_page(*, form: str | None = None, errors: dict | None = None, values: dict | None = None,
                  message: str | None = None, status: int = 200):
    return render_template("account.html", form=form, errors=errors or {}, values=values or {}, message=message,
                           mail_state=_mail_state()), status


@bp.get("/account")
@page()
def account_page():
    """Your own password, e-mail address and whether you get one overview a day instead of separate mails."""
    return _account_page()


@bp.post("/account/wachtwoord")
@page()
def change_own_password():
    """Change your own password; the current one is asked."""
    try:
        user = users.change_own_password(current_user(), request.form.get("current_password", ""),
                                         request.form.get("new_password", ""),
                                         request.form.get("new_password_repeat", ""), now=clock.now())
    except InvalidInput as err:
        return _account_page(form="password", errors=err.errors, message=err.message, status=422)
    keep_session(user)  # the new password ends the user's other sessions, not this one
    flash("Uw wachtwoord is gewijzigd.", "success")
    return redirect(url_for("web.account_page"), code=303)


@bp.post("/account/e-mail")
@page()
def change_own_mail():
    """Save your own e-mail address and digest choice."""
    email = request.form.get("email", "")
    digest = request.form.get("mail_digest") == "ja"
    try:
        users.update_own_mail(current_user(), email, digest, now=clock.now())
    except InvalidInput as err:
        return _account_page(form="mail", errors=err.errors, values={"email": email, "mail_digest": digest},
                             message=err.message, status=422)
    flash("Uw e-mailinstellingen zijn opgeslagen.", "success")
    return redirect(url_for("web.account_page"), code=303)
