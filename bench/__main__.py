"""Run the benchmarks and print their figures: python -m bench [--complaints N] [--backend sqlite|postgresql]."""

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

from service import create_app
from service.complaints import timers
from service.extensions import db
from service.models import Complaint
from service.workflow import runtime, scripting
from service.workflow.versions import load_definition

from . import fixtures


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


def bench_idle_tick(app, repeats: int) -> list[float]:
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


def run(backend: str, total: int, rounds: int) -> None:
    print(f"== {backend}: {total} complaints at mixed stages")
    with time_machine.travel(fixtures.START, tick=False):
        with fixtures.database(backend) as url:
            app = make_app(url)
            begin = time.perf_counter()
            with app.app_context():
                per_stage = fixtures.populate(total, app.extensions["klachten"])
            print(f"   setup: {time.perf_counter() - begin:.1f} s")
            hear_coach = per_stage[fixtures.PATH.index("hear_coach")]
            times = bench_task_completion(app, hear_coach, rounds)
            api, own, bare = times["api"], times["engine"], times["bare"]
            print(f"   complete one task, HTTP API          : {ms(api)}")
            print(f"   bare SpiffWorkflow (full instance)   : {ms(bare)}   restore + complete + serialize")
            print(f"   service engine path (no web, no SQL) : {ms(own)}   same, on the version's cached diagram")
            print(f"   ratio API / bare engine (median)     : {statistics.median(api) / statistics.median(bare):.2f}"
                  "   target <= 2")
            print(f"   ratio API / service engine (median)  : {statistics.median(api) / statistics.median(own):.2f}")
            with app.app_context():
                db.engine.dispose()
        with fixtures.database(backend) as small_url, fixtures.database(backend) as large_url:
            small, large = make_app(small_url), make_app(large_url)
            with small.app_context():
                fixtures.populate(100, small.extensions["klachten"], open_only=True)
            with large.app_context():
                fixtures.populate(total, large.extensions["klachten"], open_only=True)
            idle_small, idle_large = bench_idle_tick(small, 300), bench_idle_tick(large, 300)
            print(f"   idle tick,    100 open      : {ms(idle_small)}")
            print(f"   idle tick, {total:6d} open      : {ms(idle_large)}")
            print(f"   ratio {total} / 100 (median): "
                  f"{statistics.median(idle_large) / statistics.median(idle_small):.2f}   target <= 1.5")
            for one in (small, large):
                with one.app_context():
                    db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    print(f"klachtenregeling benchmarks, {date.today().isoformat()}, {platform.node()}, "
          f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    from . import analysis, letters

    letters.run()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        if backend == "postgresql":
            try:
                psycopg.connect(fixtures.PG_ADMIN, connect_timeout=3).close()
            except psycopg.OperationalError as err:
                print(f"== postgresql: not reachable ({err}); skipped")
                continue
        analysis.run(backend, args.complaints)
        run(backend, args.complaints, args.rounds)


if __name__ == "__main__":
    main()
