"""Log in and out with the web session; the root page."""

from flask import flash, redirect, render_template, request, url_for

from service.api.auth import check_credentials, current_user, end_session, start_session
from service.errors import TooManyAttempts
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
    try:
        user = check_credentials(username, password) if username and password else None
    except TooManyAttempts as err:
        return (render_template("login.html", username=username, next=target, error=err.message), err.status,
                err.headers())
    if user is None:
        return render_template("login.html", username=username, next=target, error=LOGIN_FAILED)
    start_session(user)
    return redirect(target or url_for("web.my_tasks"), code=303)


@bp.post("/logout")
def logout():
    """End the web session on the server (every session of the user: the cookie no longer counts anywhere)."""
    end_session()
    flash("U bent uitgelogd.", "success")
    return redirect(url_for("web.login"), code=303)
