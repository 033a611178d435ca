"""Benchmark: the analysis dashboard's queries (service.analysis.figures) with 10,000 complaints.

run() prints the median and p95 of figures() for a whole year, for a year with a category filter, and of the
per-complaint export; the target is under 300 ms for the dashboard figures. With the same data it times the
Klachten page (one page of 50 rows, first and last), through the test client: the same target.
"""

import base64
import statistics
import time
from datetime import date

import time_machine

from service import analysis, create_app
from service.complaints.classification import seed_defaults
from service.extensions import db

from . import fixtures

TARGET_MS = 300


def _times(fn, repeats: int) -> list[float]:
    fn()  # warm up
    result = []
    for _ in range(repeats):
        begin = time.perf_counter()
        fn()
        result.append(time.perf_counter() - begin)
        db.session.remove()
    return result


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def _complaints_page(app, total: int, repeats: int) -> None:
    """Time the Klachten page (the list the practice searches) on its first and its last page."""
    client = app.test_client()
    header = {"Authorization": "Basic " + base64.b64encode(f"praktijk:{fixtures.PASSWORD}".encode()).decode()}
    last = -(-total // app.config["COMPLAINTS_PER_PAGE"])

    def show(number: int) -> None:
        response = client.get(f"/klachten?pagina={number}", headers=header)
        assert response.status_code == 200 and f"pagina {number} van {last}" in response.get_data(as_text=True)

    print(f"   Klachten page 1 of {last}         : {_ms(_times(lambda: show(1), repeats))}   target < {TARGET_MS} ms")
    print(f"   Klachten page {last} of {last}       : {_ms(_times(lambda: show(last), repeats))}")


def run(backend: str = "sqlite", total: int = 10_000, repeats: int = 20) -> None:
    """Fill a fresh database with `total` complaints and print the dashboard query time."""
    print(f"== analysis, {backend}: {total} complaints")
    with time_machine.travel(fixtures.START, tick=False), fixtures.database(backend) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TIMER_WAKE_INTERVAL": 0, "TESTING": False})
        with app.app_context():
            db.create_all()
            seed_defaults()
            from service.process.deploy import deploy

            deploy(fixtures.ROOT_BPMN.read_bytes(), actor="bench", now=fixtures.START, ctx=app.extensions["klachten"])
            fixtures.make_users()
            begin = time.perf_counter()
            fixtures.populate(total, app.extensions["klachten"])
            fixtures.spread()
            print(f"   setup: {time.perf_counter() - begin:.1f} s")
            year = analysis.Filters(date(2025, 3, 4), date(2026, 3, 3))
            category = analysis.Filters(date(2025, 3, 4), date(2026, 3, 3), category_id=1)
            figures = analysis.figures(year)
            assert figures["received"] == total, figures["received"]
            dashboard = _times(lambda: analysis.figures(year), repeats)
            print(f"   dashboard figures, one year      : {_ms(dashboard)}   target < {TARGET_MS} ms")
            print(f"   dashboard figures, one category  : {_ms(_times(lambda: analysis.figures(category), repeats))}")
            export = _times(lambda: analysis.export_rows(year, b"bench"), max(3, repeats // 4))
            print(f"   export rows (CSV content)        : {_ms(export)}")
            _complaints_page(app, total, repeats)
            db.engine.dispose()


if __name__ == "__main__":
    run()
