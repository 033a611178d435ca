"""A guard against per-row queries: the SQL statements of a request do not grow with the number of complaints.

Each request is counted on a small database and again after it has grown twelvefold (complaints cloned with SQL
Core from real ones, so they stand in every list); the count at the larger size may not exceed the smaller one.
"""

from contextlib import contextmanager

import pytest
from conftest import basic, task_fields
from helpers import clone
from sqlalchemy import event, select

from service.extensions import db
from service.models import Complaint, Task

SMALL, LARGE = 5, 60
READS = [  # (user, path); {file} is a complaint's id
    *[(user, path) for user in ("praktijk", "behandelaar", "coach")
      for path in ("/api/tasks", "/api/complaints", "/api/complaints?status=open&overdue=false", "/taken",
                   "/klachten", "/klachten?sort=due", "/klachten?sort=status")],
    ("eigenaar", "/taken"),
    ("praktijk", "/api/complaints/{file}"), ("behandelaar", "/api/complaints/{file}"),
    ("praktijk", "/klachten/{file}"), ("behandelaar", "/klachten/{file}"), ("coach", "/klachten/{file}"),
]


@contextmanager
def counted():
    """Count the SQL statements sent while the block runs."""
    statements = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def _open_task(app, complaint_id: int, task: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Task.id).where(Task.complaint_id == complaint_id, Task.task == task,
                                                       Task.state == "open"))


def test_no_request_reads_more_statements_as_the_database_grows(app, client, cases):
    # Real complaints waiting for each role: the practice (appoint a handler), the handler, the coach.
    at_practice = cases.register()
    at_handler = cases.make(at_task="send_acknowledgement")
    at_coach = cases.make(at_task="coach_agreement")
    with app.app_context():
        to_complete = clone(at_handler["id"], 2, 9000)  # one completion at each size, on twin complaints
        assert db.session.scalar(select(db.func.count(Complaint.id))) == SMALL
    paths = [(user, path.format(file=at_coach["id"])) for user, path in READS]

    def measure(complaint_id: int) -> dict:
        counts = {}
        for user, path in paths:
            with app.app_context(), counted() as statements:
                response = client.get(path, headers=basic(user))
            assert response.status_code == 200, (user, path, response.status_code)
            counts[(user, path)] = len(statements)
        task_id = _open_task(app, complaint_id, "send_acknowledgement")
        with app.app_context(), counted() as statements:
            response = client.post(f"/api/tasks/{task_id}", json=task_fields("send_acknowledgement"),
                                   headers=basic("behandelaar"))
        assert response.status_code == 200, response.get_json()
        counts[("behandelaar", "complete send_acknowledgement")] = len(statements)
        return counts

    for user, path in paths:  # warm up: credentials checked, diagram parsed, templates compiled
        client.get(path, headers=basic(user))
    small = measure(to_complete[0])
    with app.app_context():
        grown = []
        for source, copies in ((at_practice, 18), (at_handler, 19), (at_coach, 18)):
            grown += clone(source["id"], copies, 9100 + len(grown))
        assert db.session.scalar(select(db.func.count(Complaint.id))) == LARGE
    listed = client.get("/api/complaints?limit=500", headers=basic("praktijk"))
    assert listed.headers["X-Total-Count"] == str(LARGE) and len(listed.get_json()) == LARGE
    assert len(client.get("/api/tasks?limit=500", headers=basic("behandelaar")).get_json()) > 20
    large = measure(to_complete[1])
    grew = {key: (small[key], large[key]) for key in small if large[key] > small[key]}
    assert not grew, f"statements grew with the database (at {SMALL} -> {LARGE} complaints): {grew}"


@pytest.mark.sqlite_only
def test_a_list_page_reads_a_fixed_number_of_statements(app, client, cases):
    """The task list: who is asking (the login throttle's failures, the user), the count, the page with its
    complaints, and the page's deadlines."""
    for _ in range(3):
        cases.register()
    client.get("/api/tasks", headers=basic("praktijk"))
    with app.app_context(), counted() as statements:
        assert len(client.get("/api/tasks", headers=basic("praktijk")).get_json()) == 3
    assert len(statements) <= 6, statements
