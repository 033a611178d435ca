"""Run the benchmarks and print their figures: python -m bench [--sizes 1000,10000] [--backend sqlite|postgresql].

What users wait for (issue 15) at each size: the lists and pages per role, the complaint page, the dashboard, an
idle tick, a task completion against bare SpiffWorkflow in the same run; then 1,000 deadlines passing at once.
"""

import argparse
import os
import platform
import statistics
import time
from datetime import date
from uuid import UUID

import psycopg
import time_machine
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from sqlalchemy import text

from service import create_app
from service.complaints.classification import seed_defaults
from service.extensions import db
from service.models import Complaint
from service.workflow import runtime, scripting
from service.workflow.versions import load_definition

from . import fixtures, waits


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:7.2f} ms   p95 {percentile(values, 0.95) * 1000:7.2f} ms"


def make_app(url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TIMER_WAKE_INTERVAL": 0, "TESTING": False})
    with app.app_context():
        db.create_all()
        from service.process.deploy import deploy

        seed_defaults()
        deploy((fixtures.ROOT_BPMN).read_bytes(), actor="bench", now=fixtures.START, ctx=app.extensions["klachten"])
        fixtures.make_users()
    return app


def bench_task_completion(app, ids: list[int], rounds: int) -> dict[str, list[float]]:
    """Time completing `hear_coach` through the HTTP API and, on twin complaints, in the engine alone.

    "bare" is SpiffWorkflow as it comes: restore the full instance (diagram included) with its own
    serializer, complete the task, serialize. "engine" is the service's engine path without web or SQL:
    restore on the cached definition of the complaint's version, complete, snapshot, serialize.
    """
    import base64

    header = {"Authorization": "Basic " + base64.b64encode(f"behandelaar:{fixtures.PASSWORD}".encode()).decode()}
    client = app.test_client()
    fields = fixtures.FIELDS["hear_coach"]
    rounds = min(rounds, (len(ids) - 1) // 3)
    api_ids = ids[1:rounds + 1]
    engine_ids = ids[rounds + 1:2 * rounds + 1]
    bare_ids = ids[2 * rounds + 1:3 * rounds + 1]
    full = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    with app.app_context():
        tasks = {cid: next(t.id for t in db.session.get(Complaint, cid).tasks if t.state == "open")
                 for cid in api_ids}
        states, full_states = {}, {}
        functions = app.extensions["klachten"].functions(fixtures.START)
        for cid in engine_ids + bare_ids:
            complaint = db.session.get(Complaint, cid)
            definition = load_definition(complaint.process_version)
            task_id = next(t.id for t in complaint.tasks if t.state == "open")
            states[cid] = (complaint.workflow_state, definition, task_id)
            wf = runtime.restore(complaint.workflow_state, definition, functions)
            full_states[cid] = (full.serialize_json(wf), task_id)
        db.session.remove()
    client.get("/api/tasks", headers=header)  # warm up: credentials verified once, diagram parsed
    times = {"api": [], "engine": [], "bare": []}
    for api_cid, engine_cid, bare_cid in zip(api_ids, engine_ids, bare_ids, strict=True):
        begin = time.perf_counter()
        response = client.post(f"/api/tasks/{tasks[api_cid]}", json=fields, headers=header)
        times["api"].append(time.perf_counter() - begin)
        assert response.status_code == 200, response.get_json()

        state, definition, task_id = states[engine_cid]
        begin = time.perf_counter()
        wf = runtime.restore(state, definition, functions)
        runtime.complete(wf, task_id, fields)
        runtime.snapshot(wf)
        runtime.serialize(wf)
        times["engine"].append(time.perf_counter() - begin)

        state, task_id = full_states[bare_cid]
        begin = time.perf_counter()
        wf = full.deserialize_json(state)
        wf.script_engine = scripting.script_engine(functions)
        task = wf.get_task_from_id(UUID(task_id))
        task.set_data(**fields)
        task.run()
        wf.do_engine_steps()
        full.serialize_json(wf)
        times["bare"].append(time.perf_counter() - begin)
    return times


def build(backend: str, url: str, total: int):
    """An app on a fresh database with `total` complaints at mixed stages, received over a year; ids per stage."""
    app = make_app(url)
    with app.app_context():
        per_stage = fixtures.populate(total, app.extensions["klachten"])
        fixtures.spread()
        # The planner's statistics, as PostgreSQL's autovacuum keeps them after bulk inserts (and SQLite's ANALYZE):
        # without them it takes every table for empty and joins row by row.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.session.remove()
    return app, per_stage


def run(backend: str, total: int, rounds: int, repeats: int = 15) -> dict:
    """Measure what users wait for with `total` complaints; print it and return the figures."""
    print(f"== {backend}: {total} complaints at mixed stages")
    result: dict = {"total": total}
    with time_machine.travel(fixtures.START, tick=False):
        with fixtures.database(backend) as url:
            begin = time.perf_counter()
            app, per_stage = build(backend, url, total)
            print(f"   setup (bulk inserts): {time.perf_counter() - begin:.1f} s")
            result["requests"] = waits.requests(app, repeats)
            for label, found in result["requests"].items():
                print(f"   {label:45s}: median {found['median']:8.2f} ms   p95 {found['p95']:8.2f} ms   "
                      f"{found['statements']:3d} statements")
            result["memory"] = waits.peak_memory(app)
            for label, mib in result["memory"].items():
                print(f"   peak memory, {label:38s}: {mib:6.2f} MiB")
            idle = waits.idle_tick(app, 200)
            result["idle_tick"] = statistics.median(idle) * 1000
            print(f"   idle tick                                    : {ms(idle)}")
            hear_coach = per_stage[fixtures.PATH.index("hear_coach")]
            times = bench_task_completion(app, hear_coach, rounds)
            api, own, bare = times["api"], times["engine"], times["bare"]
            result["completion"] = {key: statistics.median(values) * 1000 for key, values in times.items()}
            print(f"   complete one task, HTTP API                  : {ms(api)}")
            print(f"   bare SpiffWorkflow (full instance)           : {ms(bare)}   restore + complete + serialize")
            print(f"   service engine path (no web, no SQL)         : {ms(own)}")
            print(f"   ratio API / bare engine (median)             : "
                  f"{statistics.median(api) / statistics.median(bare):.2f}   target <= 2")
            with app.app_context():
                db.engine.dispose()
    return result


def catch_up(backend: str, due: int = 1000) -> None:
    """Fire `due` deadlines that pass at the same moment, in one wake-up."""
    with time_machine.travel(fixtures.START, tick=False), fixtures.database(backend) as url:
        app = make_app(url)
        found = waits.catch_up(app, due)
        print(f"== {backend}: {due} deadlines passing at one moment")
        print(f"   one wake-up fired {found['fired']} complaints in {found['seconds']:.1f} s "
              f"({found['seconds'] / max(found['fired'], 1) * 1000:.1f} ms each), {found['left']} left due; "
              f"the last fired at most the wake interval + {found['seconds']:.1f} s after the due moment "
              f"(before issue 15: {found['old_wakeups']} wake-ups of {found['batch']})")
        with app.app_context():
            db.engine.dispose()


def summary(backend: str, results: list[dict]) -> None:
    """Compare the smallest and the largest database: the targets of issue 15."""
    small, large = results[0], results[-1]
    if small is large:
        return
    print(f"== {backend}: {small['total']} -> {large['total']} complaints (targets: list pages <= 1.5x and, on "
          "PostgreSQL, < 100 ms; memory flat)")
    for label in waits.LIST_PAGES + [label for label in small["requests"] if label not in waits.LIST_PAGES]:
        before, after = small["requests"][label]["median"], large["requests"][label]["median"]
        met = after <= 1.5 * before and (backend != "postgresql" or after < 100)
        flag = ("met" if met else "NOT MET") if label in waits.LIST_PAGES else ""
        print(f"   {label:45s}: {before:8.2f} -> {after:8.2f} ms   x{after / before:5.2f}   {flag}")
    for label in small["memory"]:
        print(f"   peak memory, {label:38s}: {small['memory'][label]:6.2f} -> {large['memory'][label]:6.2f} MiB")
    print(f"   idle tick                                    : {small['idle_tick']:8.2f} -> "
          f"{large['idle_tick']:8.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="numbers of complaints, comma-separated")
    parser.add_argument("--rounds", type=int, default=100, help="task completions timed per size")
    parser.add_argument("--repeats", type=int, default=15, help="times each request is timed")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--no-letters", action="store_true", help="skip the letter rendering rate")
    args = parser.parse_args()
    print(f"klachtenregeling benchmarks, {date.today().isoformat()}, {platform.node()}, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    from . import letters

    if not args.no_letters:
        letters.run()
    sizes = [int(size) for size in args.sizes.split(",")]
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "postgresql":
            try:
                psycopg.connect(fixtures.PG_ADMIN, connect_timeout=3).close()
            except psycopg.OperationalError as err:
                print(f"== postgresql: not reachable ({err}); skipped")
                continue
        results = [run(backend, size, args.rounds, args.repeats) for size in sizes]
        catch_up(backend)
        summary(backend, results)


if __name__ == "__main__":
    main()
