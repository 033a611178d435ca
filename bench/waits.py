"""What users wait for: the lists, the complaint page, the dashboard, a tick, timers catching up (issue 15).

Each request goes through the Flask test client with HTTP Basic credentials (verified once, then cached), as
the role that uses it; next to its time the number of SQL statements it sent.
"""

import base64
import statistics
import time
import tracemalloc
from contextlib import contextmanager
from datetime import timedelta

import time_machine
from sqlalchemy import event, func, select

from service.complaints import timers
from service.extensions import db
from service.models import Complaint

from . import fixtures

ROLE_USERS = {"practice": "praktijk", "handler": "behandelaar", "coach": "coach"}
# (label, role, path); {file} is a complaint's id, {last} the last page of the Klachten list.
REQUESTS = [
    *[(f"worklist API /api/tasks ({role})", role, "/api/tasks") for role in ROLE_USERS],
    *[(f"worklist page /taken ({role})", role, "/taken") for role in ROLE_USERS],
    *[(f"complaints API /api/complaints ({role})", role, "/api/complaints") for role in ROLE_USERS],
    *[(f"complaints page /klachten ({role})", role, "/klachten") for role in ROLE_USERS],
    ("complaints page, by due date (practice)", "practice", "/klachten?sort=due"),
    ("complaints page, by status (practice)", "practice", "/klachten?sort=status"),
    ("complaints page, overdue only (practice)", "practice", "/klachten?overdue=ja"),
    ("complaints page, last page (practice)", "practice", "/klachten?pagina={last}"),
    ("complaint API /api/complaints/<id>", "handler", "/api/complaints/{file}"),
    ("complaint page /klachten/<id>", "handler", "/klachten/{file}"),
    ("dashboard API /api/analysis (all time)", "practice", "/api/analysis"),
    ("dashboard page /analyse (this year)", "practice", "/analyse"),
]
# The list pages the targets speak of: at the largest size within 1.5x of the smallest, under 100 ms on PostgreSQL.
LIST_PAGES = [label for label, _, _ in REQUESTS if label.startswith(("worklist", "complaints "))
              and "last page" not in label]


def header(role: str) -> dict:
    token = base64.b64encode(f"{ROLE_USERS[role]}:{fixtures.PASSWORD}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@contextmanager
def counted(app):
    """Count the SQL statements sent while the block runs."""
    statements: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def p95_ms(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000


def requests(app, repeats: int) -> dict[str, dict]:
    """Time every request of REQUESTS; return per label its median and p95 (ms) and statements."""
    client = app.test_client()
    with app.app_context():
        # A complaint walked for real (history, letters), open with the handler: the first one with a handler.
        file = db.session.scalar(select(Complaint.id).where(Complaint.status == "open",
                                                            Complaint.handler_username.is_not(None))
                                 .order_by(Complaint.id))
        total = db.session.scalar(select(func.count(Complaint.id)))
    last = -(-total // app.config["COMPLAINTS_PER_PAGE"])
    results = {}
    for label, role, path in REQUESTS:
        url = path.format(file=file, last=last)
        response = client.get(url, headers=header(role))  # warm up
        assert response.status_code == 200, (url, response.status_code)
        with counted(app) as statements:
            client.get(url, headers=header(role))
        times = []
        for _ in range(repeats):
            begin = time.perf_counter()
            client.get(url, headers=header(role))
            times.append(time.perf_counter() - begin)
        results[label] = {"median": median_ms(times), "p95": p95_ms(times), "statements": len(statements)}
    return results


def peak_memory(app) -> dict[str, float]:
    """Peak Python memory (MiB, tracemalloc) of loading the first page of each list."""
    client = app.test_client()
    found = {}
    for label, role, path in [("complaints API, first page (practice)", "practice", "/api/complaints"),
                              ("worklist API, first page (handler)", "handler", "/api/tasks"),
                              ("complaints page, first page (practice)", "practice", "/klachten")]:
        client.get(path, headers=header(role))
        tracemalloc.start()
        tracemalloc.reset_peak()
        client.get(path, headers=header(role))
        found[label] = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    return found


def idle_tick(app, repeats: int) -> list[float]:
    """Time a tick when no timer is due."""
    ctx = app.extensions["klachten"]
    moment = fixtures.now_with_nothing_due()
    times = []
    with app.app_context():
        for _ in range(repeats):
            begin = time.perf_counter()
            fired = timers.fire_due_timers(moment, ctx)
            times.append(time.perf_counter() - begin)
            assert fired == 0
            db.session.remove()
    return times


def catch_up(app, due: int) -> dict:
    """Make `due` complaints whose acknowledgement passes at the same midnight, then wake once just after it.

    Returns how many fired in that one wake-up, how long it took, and the batches the old limit would have needed.
    """
    ctx = app.extensions["klachten"]
    with app.app_context():
        first = fixtures.register(ctx)
        fixtures.clone(first.id, due - 1, 900_000)
        moment = db.session.scalar(select(func.min(Complaint.next_due_at)))
        assert db.session.scalar(select(func.count()).where(Complaint.next_due_at == moment)) == due
        db.session.remove()
        now = moment + timedelta(seconds=1)
        with time_machine.travel(now, tick=False):  # SpiffWorkflow fires a timer by the clock
            begin = time.perf_counter()
            fired = timers.fire_due_timers(now, ctx)
            seconds = time.perf_counter() - begin
        left = db.session.scalar(select(func.count()).where(Complaint.next_due_at < now))
    return {"fired": fired, "seconds": seconds, "left": left, "batch": ctx.timer_batch_size,
            "old_wakeups": -(-due // ctx.timer_batch_size)}
