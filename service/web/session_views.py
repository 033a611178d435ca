"""Log in and out with the web session; the root page."""

from flask import current_app, flash, redirect, render_template, request, session, url_for

from service.accounts.users import authenticate
from service.api.auth import current_user
from service.web import bp
from service.web.common import safe_next

LOGIN_FAILED = "Onbekende gebruikersnaam of onjuist wachtwoord."


@bp.get("/")
def index():
    """Send a visitor to their tasks, or to the login page."""
    if current_user() is None:
        return redirect(url_for("web.login"))
    return redirect(url_for("web.my_tasks"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; log in with username and password and go to the requested page."""
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        if current_user() is not None:
            return redirect(target or url_for("web.my_tasks"))
        return render_template("login.html", username="", next=target, error=None)
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    user = authenticate(username, password, current_app.config["SECRET_KEY"]) if username and password else None
    if user is None:
        return render_template("login.html", username=username, next=target, error=LOGIN_FAILED)
    session.clear()
    session["user_id"] = user.id
    return redirect(target or url_for("web.my_tasks"), code=303)


@bp.post("/logout")
def logout():
    """End the web session."""
    session.clear()
    flash("U bent uitgelogd.", "success")
    return redirect(url_for("web.login"), code=303)
