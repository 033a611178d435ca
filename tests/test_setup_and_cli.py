"""init-db with migrations, users create, and the OpenAPI description."""

import uuid
import warnings

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import PASSWORD, PG_ADMIN_URL, basic

from service import create_app
from service.extensions import db
from service.models import ProcessVersion, User


@pytest.fixture
def empty_database_url(backend, tmp_path, request):
    """A database with no tables at all, as on a fresh machine."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    request.getfixturevalue("pg_database")  # skips or fails (CI) when PostgreSQL is unreachable
    name = f"klachten_fresh_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_app(empty_database_url, tmp_path, clock):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database_url, "TIMER_WAKE_INTERVAL": 0,
                      "INSTANCE_DIR": tmp_path})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _index_columns(conn, name: str) -> list[str]:
    """The columns and expressions of an index as the database keeps it, in order."""
    if conn.dialect.name == "sqlite":
        definition = conn.exec_driver_sql(f"SELECT sql FROM sqlite_master WHERE name = '{name}'").scalar()
    else:
        definition = conn.exec_driver_sql(f"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}'").scalar()
    inner = definition[definition.index("(") + 1:definition.rindex(")")].replace("((", "(").replace("))", ")")
    return [part.strip() for part in inner.split(", ")]


def test_init_db_migrates_an_empty_database_and_deploys_the_process(fresh_app):
    runner = fresh_app.test_cli_runner()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Deployed process version 1" in result.output
    with fresh_app.app_context():
        with db.engine.connect() as conn:
            # Neither side reflects an index on an expression (the worklist's): compared by its definition below.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", ".*expression-based index .?ix_(tasks_worklist|complaints_due_order)")
                assert compare_metadata(MigrationContext.configure(conn), db.metadata) == []
            assert _index_columns(conn, "ix_tasks_worklist") == [
                "state", "role", "assignee", "(due_on IS NULL)", "due_on", "created_at", "id"]
            assert _index_columns(conn, "ix_complaints_due_order") == ["(due_on IS NULL)", "due_on", "id"]
        assert db.session.scalar(db.select(db.func.count(ProcessVersion.id))) == 1
        assert db.session.scalar(db.select(ProcessVersion.comment)) == "Eerste versie, bij het inrichten"
    again = runner.invoke(args=["init-db"])
    assert again.exit_code == 0
    assert "Deployed" not in again.output
    with fresh_app.app_context():
        assert db.session.scalar(db.select(db.func.count(ProcessVersion.id))) == 1


def test_users_create_hashes_the_password_and_checks_roles(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["users", "create", "fenna", "--role", "handler", "--role", "coach",
                                 "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    with fresh_app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "fenna"))
        assert user.roles == {"handler", "coach"}
        assert PASSWORD not in user.password_hash
    client = fresh_app.test_client()
    assert client.get("/api/tasks", headers=basic("fenna")).status_code == 200
    assert runner.invoke(args=["users", "create", "fenna", "--role", "handler",
                               "--password", PASSWORD]).exit_code == 1
    bad_role = runner.invoke(args=["users", "create", "gijs", "--role", "admin", "--password", PASSWORD])
    assert bad_role.exit_code != 0


def test_seed_demo_makes_complaints_in_different_stages(fresh_app):
    runner = fresh_app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "login: praktijk" in result.output
    statuses = [line.split(": ")[1].split(",")[0] for line in result.output.splitlines()
                if line.startswith("complaint ")]
    assert sorted(set(statuses)) == ["closed", "open"]
    assert "Demo complaints exist already." in runner.invoke(args=["seed-demo"]).output


def test_openapi_describes_every_api_route(app, client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    described = {path for path in spec["paths"]}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and rule.rule != "/api/openapi.json":
            path = rule.rule.replace("<int:", "{").replace("<", "{").replace(">", "}")
            assert path in described, path
    assert "ComplaintCreate" in spec["components"]["schemas"]
    create = spec["components"]["schemas"]["ComplaintCreate"]
    assert set(create["required"]) >= {"complainant", "received_on", "official"}


def test_session_login_authenticates_api_calls(client):
    refused = client.post("/api/session", json={"username": "praktijk", "password": "fout"})
    assert refused.status_code == 422
    assert client.post("/api/session", json={"username": "praktijk", "password": PASSWORD}).status_code == 200
    assert client.get("/api/complaints").status_code == 200
    assert client.delete("/api/session").status_code == 204
    assert client.get("/api/complaints").status_code == 401


def test_the_root_sends_a_visitor_who_is_not_logged_in_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/api/openapi.json").status_code == 200


def test_the_app_does_not_start_with_a_broken_letter_template(tmp_path):
    import shutil

    from conftest import ROOT

    from service.letters.render import LetterError

    shutil.copytree(ROOT / "letter_templates", tmp_path / "templates")
    (tmp_path / "templates" / "eindverslag.docx").write_bytes(b"kapot")
    with pytest.raises(LetterError, match="eindverslag.docx"):
        create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_DIR": tmp_path,
                    "LETTER_TEMPLATES_DIR": tmp_path / "templates"})


def schema_problems(value, schema: dict, path: str = "$") -> list[str]:
    """Check value against the OpenAPI subset the analysis schema uses; every key must be described."""
    if value is None:
        return [] if schema.get("nullable") else [f"{path}: null"]
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not schema_problems(value, s, path)]
        return [] if len(matches) == 1 else [f"{path}: {value!r} matches {len(matches)} of oneOf"]
    kind = schema.get("type")
    checks = {"object": dict, "array": list, "string": str, "boolean": bool}
    if kind in checks and not isinstance(value, checks[kind]):
        return [f"{path}: {value!r} is not {kind}"]
    if kind in ("integer", "number") and (isinstance(value, bool) or not isinstance(
            value, int if kind == "integer" else int | float)):
        return [f"{path}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{path}: {value!r} not in {schema['enum']}"]
    problems = []
    if kind == "object":
        properties = schema.get("properties", {})
        problems += [f"{path}.{key}: not described" for key in value if key not in properties]
        problems += [f"{path}.{key}: missing" for key in schema.get("required", []) if key not in value]
        for key, item in value.items():
            if key in properties:
                problems += schema_problems(item, properties[key], f"{path}.{key}")
    if kind == "array":
        for index, item in enumerate(value):
            problems += schema_problems(item, schema["items"], f"{path}[{index}]")
    return problems


def test_the_analysis_answers_match_their_openapi_schema(cases, api, client):
    cases.make(at_task=None)
    cases.make(at_task="hear_coach")
    schema = client.get("/api/openapi.json").get_json()["components"]["schemas"]["Analysis"]
    exact = api.get("/api/analysis", user="praktijk").get_json()
    suppressed = api.get("/api/analysis", user="eigenaar").get_json()
    assert exact["received"] == 2 and suppressed["received"] == "<5"
    assert schema_problems(exact, schema) == []
    assert schema_problems(suppressed, schema) == []
    assert schema_problems({**exact, "extra": 1}, schema) == ["$.extra: not described"]


def test_users_disable_ends_the_sessions_at_once_and_enable_lets_them_log_in_again(app):
    from web_helpers import login

    runner = app.test_cli_runner()
    browser = app.test_client()
    assert login(browser, "coach").status_code == 303
    result = runner.invoke(args=["users", "disable", "coach"])
    assert result.exit_code == 0, result.output
    assert "User coach disabled" in result.output
    assert browser.get("/taken").status_code == 302  # to the login page
    assert browser.get("/api/tasks").status_code == 401
    assert app.test_client().get("/api/tasks", headers=basic("coach")).status_code == 401
    assert runner.invoke(args=["users", "enable", "coach"]).exit_code == 0
    assert browser.get("/api/tasks").status_code == 401  # the old session stays ended
    assert app.test_client().get("/api/tasks", headers=basic("coach")).status_code == 200
    assert _user_history(app) == [("cli", "user_disabled", "coach"), ("cli", "user_enabled", "coach")]


def test_users_reset_password_and_set_roles_are_recorded(app):
    runner = app.test_cli_runner()
    client = app.test_client()
    assert client.get("/api/tasks", headers=basic("coach2")).status_code == 200
    result = runner.invoke(args=["users", "reset-password", "coach2", "--password", "een-nieuw-wachtwoord"])
    assert result.exit_code == 0, result.output
    assert client.get("/api/tasks", headers=basic("coach2")).status_code == 401
    assert client.get("/api/tasks", headers=basic("coach2", "een-nieuw-wachtwoord")).status_code == 200
    result = runner.invoke(args=["users", "set-roles", "coach2", "--role", "handler", "--role", "coach"])
    assert result.exit_code == 0, result.output
    assert "handler" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.username == "coach2")).roles == {"coach", "handler"}
    assert _user_history(app) == [("cli", "user_password_reset", "coach2"), ("cli", "user_roles_changed", "coach2")]
    assert "een-nieuw-wachtwoord" not in str(_user_history(app, detail=True))


@pytest.mark.parametrize("args, message", [
    (["users", "disable", "niemand"], "no such user"),
    (["users", "reset-password", "coach", "--password", "kort"], "minstens 8 tekens"),
    (["users", "set-roles", "coach", "--role", "admin"], "admin"),
])
def test_users_commands_refuse_what_the_page_refuses(app, args, message):
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert _user_history(app) == []


def _user_history(app, detail=False) -> list:
    from service.models import HistoryEvent

    with app.app_context():
        events = db.session.scalars(db.select(HistoryEvent).where(HistoryEvent.complaint_id.is_(None))
                                    .order_by(HistoryEvent.id)).all()
        return [(e.actor, e.kind, e.detail["username"]) + ((e.detail,) if detail else ()) for e in events
                if e.kind.startswith("user_")]
