"""Nothing is lost or half-done: concurrent completions, failing steps, restarts, parallel ticks."""

import os
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import sqlalchemy.exc
from conftest import ROOT, basic, task_fields
from helpers import deadline, kinds, open_tasks, tick

from service import create_app
from service.context import Context
from service.extensions import db
from service.workflow import definitions, runtime


def test_two_threads_completing_one_task_exactly_one_wins(app, cases):
    complaint = cases.register()
    task = complaint["tasks"][0]
    barrier = threading.Barrier(2)
    codes = []

    def complete():
        client = app.test_client()
        barrier.wait()
        response = client.post(f"/api/tasks/{task['id']}", json=task_fields("appoint_handler"),
                               headers=basic("praktijk"))
        codes.append(response.status_code)

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]
    complaint = cases.get(complaint["id"])
    assert kinds(complaint).count("task_completed") == 1
    assert open_tasks(complaint) == ["send_acknowledgement"]


def test_a_stale_write_is_refused_with_409(app, cases, monkeypatch):
    """Optimistic locking: a change based on an old version of the complaint loses, and changes nothing."""
    complaint = cases.register()
    task = complaint["tasks"][0]
    original = runtime.complete

    def someone_else_commits_first(wf, task_id, fields):
        # Another request's committed change: the row's version moves on under this request.
        db.session.connection().execute(
            db.text("UPDATE complaints SET version = version + 1 WHERE id = :id"), {"id": complaint["id"]})
        original(wf, task_id, fields)

    monkeypatch.setattr(runtime, "complete", someone_else_commits_first)
    response = app.test_client().post(f"/api/tasks/{task['id']}", json=task_fields("appoint_handler"),
                                      headers=basic("praktijk"))
    assert response.status_code == 409
    monkeypatch.undo()
    after = cases.get(complaint["id"])
    assert open_tasks(after) == ["appoint_handler"]
    assert after["handler"] is None


def test_a_failing_script_rolls_the_whole_step_back(app, cases, api, monkeypatch):
    complaint = cases.make(at_task="offer_call")
    complaint = cases.complete(complaint, "offer_call", complainant_satisfied=False)
    before = cases.get(complaint["id"])

    original = Context.functions

    def broken(self, now):
        functions = dict(original(self, now))

        def today():
            raise RuntimeError("clock unavailable")

        functions["today"] = today
        return functions

    monkeypatch.setattr(Context, "functions", broken)
    task = cases.open_task(complaint, "reconsider")  # closing against the complainant: resolved today()
    response = api.post(f"/api/tasks/{task['id']}", task_fields("reconsider"), user="behandelaar")
    assert response.status_code == 500
    assert "mark_resolved" in response.get_json()["error"]
    monkeypatch.undo()
    after = cases.get(complaint["id"])
    for key in ("status", "tasks", "deadlines", "history", "data"):
        assert after[key] == before[key], key
    # The step works once the cause is gone.
    assert api.post(f"/api/tasks/{task['id']}", task_fields("reconsider"), user="behandelaar").status_code == 200


def test_a_database_error_mid_step_rolls_everything_back(app, cases, api, monkeypatch):
    complaint = cases.make(at_task="hear_coach")
    before = cases.get(complaint["id"])
    from service.complaints import step as domain

    def failing(*args, **kwargs):
        db.session.flush()
        raise sqlalchemy.exc.OperationalError("UPDATE", {}, Exception("disk I/O error"))

    monkeypatch.setattr(domain, "save_workflow", failing)
    task = cases.open_task(complaint, "hear_coach")
    response = api.post(f"/api/tasks/{task['id']}", task_fields("hear_coach"), user="behandelaar")
    assert response.status_code == 500
    assert response.get_json()["error"]
    monkeypatch.undo()
    after = cases.get(complaint["id"])
    assert after["history"] == before["history"]
    assert after["tasks"] == before["tasks"]
    assert after["data"] == before["data"]


def test_a_failing_timer_becomes_an_incident_and_can_be_retried(app, cases, clock, api, monkeypatch):
    complaint = cases.register()
    clock.shift(days=15)

    def broken(wf):
        raise runtime.EngineError("timer_ack_appoint: boom", "timer_ack_appoint")

    monkeypatch.setattr(runtime, "fire_timers", broken)
    assert tick(app) == "0 timer(s) fired."
    failed = cases.get(complaint["id"])
    assert "timer_ack_appoint" in failed["incident"]
    assert kinds(failed)[-1] == "timer_failed"
    assert deadline(failed, "acknowledgement")["overdue"] is False
    monkeypatch.undo()
    assert api.post(f"/api/complaints/{complaint['id']}/incident/retry", {}).status_code == 200
    assert tick(app) == "1 timer(s) fired."
    fixed = cases.get(complaint["id"])
    assert fixed["incident"] is None
    assert deadline(fixed, "acknowledgement")["overdue"] is True


def test_state_survives_a_restart(app, cases, clock, tmp_path):
    complaint = cases.make(at_task="coach_agreement")
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    definitions._cache.clear()  # a new process has parsed nothing yet
    restarted = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url,
                            "TIMER_WAKE_INTERVAL": 0, "INSTANCE_DIR": tmp_path})
    client = restarted.test_client()
    again = client.get(f"/api/complaints/{complaint['id']}", headers=basic("praktijk")).get_json()
    assert open_tasks(again) == ["coach_agreement"]
    assert again["deadlines"] == complaint["deadlines"]
    task = again["tasks"][0]
    response = client.post(f"/api/tasks/{task['id']}", json=task_fields("coach_agreement"), headers=basic("coach"))
    assert response.status_code == 200
    assert open_tasks(response.get_json()) == ["decide_measures"]
    clock.shift(days=43)
    assert tick(restarted) == "1 timer(s) fired."
    with restarted.app_context():
        db.session.remove()
        db.engine.dispose()


def test_two_tick_processes_fire_each_timer_once(app, cases):
    """PostgreSQL: row locks with SKIP LOCKED; SQLite: writers take turns and re-check the due time."""
    ids = [cases.register()["id"] for _ in range(30)]
    # The test clock stands in March 2026; the processes below run on the real clock, months later,
    # when both terms that run from receipt (acknowledgement and call report) have passed.
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "KLACHTEN_TIMER_WAKE_INTERVAL": "0"}
    flask = str(Path(sys.executable).with_name("flask"))
    procs = [subprocess.Popen([flask, "--app", "service", "tick"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    fired = [int(out.split()[0]) for out, _ in outputs]
    assert sum(fired) == 30, outputs
    api_client = app.test_client()
    for complaint_id in ids:
        complaint = api_client.get(f"/api/complaints/{complaint_id}", headers=basic("praktijk")).get_json()
        assert sorted(e["detail"]["deadline"] for e in complaint["history"] if e["kind"] == "deadline_passed") == [
            "acknowledgement", "call_report"]


def test_times_in_the_api_carry_their_offset_on_every_database(cases, api):
    """CONTRACT.md: times are ISO 8601 with offset (SQLite keeps no offset itself)."""
    complaint = cases.make(at_task="hear_coach")
    body = api.get(f"/api/complaints/{complaint['id']}").get_json()
    moments = [body["registered_at"], *(event["at"] for event in body["history"]),
               *(letter["created_at"] for letter in body["letters"])]
    assert len(moments) > 3
    for moment in moments:
        assert datetime.fromisoformat(moment).utcoffset() is not None, moment


def test_the_practice_retries_an_incident_from_the_complaint_file(app, cases, clock, client, monkeypatch):
    from web_helpers import login, submit, visible_text

    complaint = cases.register()
    clock.shift(days=15)
    monkeypatch.setattr(runtime, "fire_timers", lambda wf: (_ for _ in ()).throw(
        runtime.EngineError("timer_ack_appoint: boom", "timer_ack_appoint")))
    tick(app)
    page = f"/klachten/{complaint['id']}"
    coach = app.test_client()
    login(coach, "coach")
    assert "Storing bij de termijnbewaking." in visible_text(coach.get(page))
    assert "Opnieuw proberen" not in visible_text(coach.get(page))
    assert submit(coach, page, f"{page}/storing", {}).status_code == 403
    login(client, "praktijk")
    shown = visible_text(client.get(page))
    assert "Storing bij de termijnbewaking." in shown and "Melding: EngineError: timer_ack_appoint: boom" in shown
    still = submit(client, page, f"{page}/storing", {}, follow_redirects=True)  # still broken
    assert "Opnieuw geprobeerd, maar de stap mislukt nog: EngineError: timer_ack_appoint: boom" in visible_text(still)
    assert kinds(cases.get(complaint["id"]))[-2:] == ["incident_retried", "timer_failed"]
    assert deadline(cases.get(complaint["id"]), "acknowledgement")["overdue"] is False
    monkeypatch.undo()  # mended
    fixed_page = submit(client, page, f"{page}/storing", {}, follow_redirects=True)
    assert "Opnieuw geprobeerd: de storing is opgelost." in visible_text(fixed_page)
    fixed = cases.get(complaint["id"])
    assert fixed["incident"] is None and deadline(fixed, "acknowledgement")["overdue"] is True
    assert kinds(fixed)[-1] == "incident_resolved"
    again = submit(client, page, f"{page}/storing", {}, follow_redirects=True)
    assert "Deze klacht heeft geen storing; er is niets gewijzigd." in visible_text(again)
