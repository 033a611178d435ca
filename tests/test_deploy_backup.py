"""Production as docs/deploy.md says: a pg_dump backup restores into a fresh database and the service runs on it;
gunicorn loads the app with its config, and exactly one worker per gunicorn wakes the timers."""

import os
import runpy
import shutil
import subprocess
import sys
import uuid
from types import SimpleNamespace

import psycopg
import pytest
from conftest import PASSWORD, PG_ADMIN_URL, ROOT, basic, complaint_payload, task_fields

from service import create_app
from service.extensions import db

BIN = os.path.dirname(sys.executable)


def _tool(name: str) -> str:
    """Return the path of a PostgreSQL client program; skip without it (fail in CI, where .ci/run installs it)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (Debian package postgresql-client)")
        pytest.skip(f"{name} is not installed (Debian package postgresql-client)")
    return path


@pytest.fixture
def new_database(pg_database):
    """Make empty PostgreSQL databases on request (skips, or fails in CI, without PostgreSQL); drop them after."""
    made = []

    def make() -> str:
        name = f"klachten_backup_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"

    yield make
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _app(url: str, instance):
    """The app as production starts it, on a libpq URL (DATABASE_URL's form)."""
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://", "postgresql+psycopg://"),
                       "TIMER_WAKE_INTERVAL": 0, "INSTANCE_DIR": instance})


def _close(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_a_pg_dump_restores_into_a_fresh_database_and_the_service_runs_on_it(new_database, tmp_path, clock):
    pg_dump, pg_restore = _tool("pg_dump"), _tool("pg_restore")
    source_url = new_database()
    source = _app(source_url, tmp_path / "instance")
    runner = source.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0  # the migrations, as in production
    for name, roles in (("praktijk", ["practice"]), ("behandelaar", ["handler"]), ("coach", ["coach"])):
        roles_args = [arg for role in roles for arg in ("--role", role)]
        result = runner.invoke(args=["users", "create", name, *roles_args, "--password", PASSWORD])
        assert result.exit_code == 0, result.output
    client = source.test_client()
    made = [client.post("/api/complaints", json=complaint_payload(), headers=basic("praktijk")).get_json()
            for _ in range(3)]
    appoint = next(t for t in made[0]["tasks"] if t["task"] == "appoint_handler")
    assert client.post(f"/api/tasks/{appoint['id']}", json=task_fields("appoint_handler"),
                       headers=basic("praktijk")).status_code == 200
    before = {c["id"]: client.get(f"/api/complaints/{c['id']}", headers=basic("praktijk")).get_json() for c in made}
    _close(source)

    dump = tmp_path / "klachten.dump"
    subprocess.run([pg_dump, "-Fc", "--no-owner", "-f", str(dump), source_url], check=True, timeout=120)
    target_url = new_database()
    subprocess.run([pg_restore, "--no-owner", "--exit-on-error", "-d", target_url, str(dump)], check=True,
                   timeout=120)

    # A new machine: the restored database and an empty instance folder (the version files are laid out anew).
    restored = _app(target_url, tmp_path / "new-instance")
    try:
        again = restored.test_cli_runner().invoke(args=["init-db"])
        assert again.exit_code == 0 and "Deployed" not in again.output  # up to date, nothing deployed twice
        client = restored.test_client()
        listed = client.get("/api/complaints", headers=basic("praktijk")).get_json()
        assert sorted(c["reference"] for c in listed) == sorted(c["reference"] for c in made)
        for complaint_id, resource in before.items():
            assert client.get(f"/api/complaints/{complaint_id}", headers=basic("praktijk")).get_json() == resource
        task = next(t for t in before[made[0]["id"]]["tasks"] if t["task"] == "send_acknowledgement")
        done = client.post(f"/api/tasks/{task['id']}", json=task_fields("send_acknowledgement"),
                           headers=basic("behandelaar"))
        assert done.status_code == 200, done.get_json()
        assert "ontvangstbevestiging" in [letter["kind"] for letter in done.get_json()["letters"]]
        fresh = client.post("/api/complaints", json=complaint_payload(), headers=basic("praktijk"))
        assert fresh.status_code == 201  # the sequences came along: no id or reference taken twice
        assert fresh.get_json()["reference"] not in {c["reference"] for c in made}
    finally:
        _close(restored)


# ---------------------------------------------------------------- gunicorn


def test_gunicorn_loads_the_app_with_its_config(tmp_path):
    env = {**os.environ, "KLACHTEN_INSTANCE_DIR": str(tmp_path), "KLACHTEN_TIMER_WAKE_INTERVAL": "0"}
    env.pop("DATABASE_URL", None)  # the embedded database: loading the app touches no database
    result = subprocess.run([os.path.join(BIN, "gunicorn"), "--config", "gunicorn.conf.py", "--check-config",
                             "service.wsgi:app"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _worker(pid: int):
    return SimpleNamespace(pid=pid)


def test_exactly_one_worker_per_gunicorn_wakes_the_timers(monkeypatch):
    monkeypatch.setenv("KLACHTEN_TIMER_WAKE_INTERVAL", "30")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is False  # a preloaded app would start the thread in the master
    server = SimpleNamespace(WORKERS={}, log=SimpleNamespace(info=lambda *args: None))

    def spawn(pid):
        worker = _worker(pid)
        config["pre_fork"](server, worker)
        server.WORKERS[pid] = worker
        config["post_fork"](server, worker)  # in the child, before the app is loaded
        return os.environ["KLACHTEN_TIMER_WAKE_INTERVAL"]

    assert [spawn(1), spawn(2)] == ["30", "0"]
    del server.WORKERS[2]
    assert spawn(3) == "0"  # a waker still lives
    del server.WORKERS[1]  # the waker dies (or is recycled): its replacement takes over
    assert spawn(4) == "30"
    config["on_reload"](server)  # HUP: new workers start while the old ones stop
    assert [spawn(5), spawn(6)] == ["30", "0"]


def test_with_the_wake_interval_off_no_worker_wakes(monkeypatch):
    monkeypatch.setenv("KLACHTEN_TIMER_WAKE_INTERVAL", "0")  # cron runs `flask --app service tick` instead
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    server = SimpleNamespace(WORKERS={}, log=SimpleNamespace(info=lambda *args: None))
    worker = _worker(1)
    config["pre_fork"](server, worker)
    config["post_fork"](server, worker)
    assert os.environ["KLACHTEN_TIMER_WAKE_INTERVAL"] == "0"
