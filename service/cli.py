"""Command-line interface: init-db, users (create, disable, enable, reset-password, set-roles), tick, retention,
deploy, seed-demo (flask --app service ...)."""

import sys
from pathlib import Path

import click
from flask import Blueprint, current_app

from service import clock, mail
from service.complaints import timers
from service.errors import DeployRejected, InvalidInput, NotFound
from service.models import ROLES, User
from service.process import deploy

bp = Blueprint("cli", __name__, cli_group=None)


def _ctx():
    return current_app.extensions["klachten"]


def _process_file() -> Path:
    return Path(current_app.config["PROCESSES_DIR"]) / f"{current_app.config['PROCESS_ID']}.bpmn"


@bp.cli.command("init-db")
def init_db():
    """Create or upgrade the schema and deploy the process when no version is deployed."""
    from flask_migrate import upgrade

    Path(current_app.config["INSTANCE_DIR"]).mkdir(parents=True, exist_ok=True)
    upgrade(directory=str(Path(__file__).parent / "migrations"))
    try:
        version = deploy.ensure_deployed(_process_file().read_bytes(), actor="system", now=clock.now(),
                                         ctx=_ctx())
    except DeployRejected as err:
        _fail("The process diagram is not valid:", [problem.english() for problem in err.problems])
    click.echo("Database ready." + (f" Deployed process version {version.number}." if version else ""))


@bp.cli.group("users")
def users():
    """Manage users."""

@users.command("create")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
@click.option("--password", required=True)
@click.option("--name", "display_name", default="")
@click.option("--function", default=None, help="A handler's function as letters show it, e.g. Loopbaancoach.")
@click.option("--noloc-number", default=None, help="A handler's NOLOC membership number.")
@click.option("--email", default=None, help="Where the service mails the user (tasks, reminders, deadlines).")
def create_user(username, roles, password, display_name, function, noloc_number, email):
    """Create a user with one or more roles (a handler with the function and NOLOC number letters show)."""
    from service.accounts.users import create_user as create

    try:
        create(username, password, list(roles), now=clock.now(), display_name=display_name, function=function,
               noloc_number=noloc_number, email=email)
    except InvalidInput as err:
        _fail("User not created:", [f"{k}: {' '.join(v)}" for k, v in err.errors.items()])
    click.echo(f"User {username} created with role(s) {', '.join(roles)}.")


def _cli_actor() -> User:
    """The person at the command line: acts as the practice; the history records them as `cli`."""
    return User(username="cli", display_name="cli", roles_text="practice")


def _change_user(change, username: str, **kwargs):
    """Run a users function as the cli actor; a refusal is printed (exit 1)."""
    try:
        return change(username, actor=_cli_actor(), now=clock.now(), **kwargs)
    except NotFound:
        _fail(f"User {username} not changed:", ["no such user"])
    except InvalidInput as err:
        _fail(f"User {username} not changed:", [f"{k}: {' '.join(v)}" for k, v in err.errors.items()])


@users.command("disable")
@click.argument("username")
def disable_user(username):
    """Disable a user: they cannot log in, their sessions end at once, they get no mail."""
    from service.accounts.users import set_active

    _change_user(set_active, username, active=False)
    click.echo(f"User {username} disabled; their sessions have ended.")


@users.command("enable")
@click.argument("username")
def enable_user(username):
    """Enable a disabled user again."""
    from service.accounts.users import set_active

    _change_user(set_active, username, active=True)
    click.echo(f"User {username} enabled.")


@users.command("reset-password")
@click.argument("username")
@click.option("--password", required=True, prompt=True, hide_input=True, confirmation_prompt=True)
def reset_user_password(username, password):
    """Give a user a new password; their sessions end."""
    from service.accounts.users import reset_password

    _change_user(reset_password, username, password=password)
    click.echo(f"Password of {username} changed; their sessions have ended.")


@users.command("set-roles")
@click.argument("username")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES))
def set_user_roles(username, roles):
    """Replace a user's roles with the given ones."""
    from service.accounts.users import change_roles

    _change_user(change_roles, username, roles=list(roles))
    click.echo(f"User {username} now has role(s) {', '.join(sorted(set(roles)))}.")


@bp.cli.command("tick")
def tick():
    """Fire every timer that is due now, send the queued mail, and print how many timers fired and mails went."""
    fired = timers.fire_due_timers(clock.now(), _ctx())
    click.echo(f"{fired} timer(s) fired.")
    if _ctx().mail.enabled:  # without a mail server nothing is queued, and the output stays one line
        click.echo(f"{mail.deliver_outbox(clock.now(), _ctx())} mail(s) sent.")


@bp.cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only count the complaints that would be anonymised; change nothing.")
def retention(dry_run):
    """Anonymise the complaints closed or withdrawn more than KLACHTEN_RETENTION_DAYS days ago, unless held."""
    from service.privacy import run_retention

    count = run_retention(clock.now(), _ctx(), dry_run=dry_run)
    if dry_run:
        click.echo(f"{count} complaint(s) would be anonymised (dry run: nothing changed).")
    else:
        click.echo(f"{count} complaint(s) anonymised.")


@bp.cli.command("deploy")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--comment", default="")
@click.option("--actor", default="cli")
def deploy_file(file, comment, actor):
    """Validate a BPMN file and deploy it as the next version, or list every problem."""
    try:
        version = deploy.deploy(file.read_bytes(), actor=actor, now=clock.now(), ctx=_ctx(), comment=comment)
    except DeployRejected as err:
        _fail(f"{file}: not deployed, {len(err.problems)} problem(s):",
              [problem.english() for problem in err.problems])
    click.echo(f"{file}: deployed as version {version.number} ({version.sha256[:12]}).")


@bp.cli.command("seed-demo")
def seed_demo():
    """Create demo users and a few demo complaints in different stages (idempotent)."""
    from service.demo import seed

    for line in seed(now=clock.now(), ctx=_ctx()):
        click.echo(line)
    if _ctx().mail.enabled:
        click.echo(f"E-mail is on: mail goes out through {_ctx().mail.server}:{_ctx().mail.port}.")
    else:
        click.echo("E-mail is off: nothing is queued or sent. To turn it on, set KLACHTEN_MAIL_SERVER (and "
                   "KLACHTEN_MAIL_PORT, KLACHTEN_MAIL_USERNAME, KLACHTEN_MAIL_PASSWORD, KLACHTEN_MAIL_USE_TLS, "
                   "KLACHTEN_MAIL_DEFAULT_SENDER as needed); see docs/email.md.")


def _fail(title: str, problems: list[str]) -> None:
    click.echo(title, err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    sys.exit(1)
