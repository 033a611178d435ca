"""Benchmark: Word letters rendered per second on one core (all nine kinds, sample contexts)."""

import statistics
import time
from pathlib import Path

from letter_templates.factory.samples import sample_context
from service.letters.render import KINDS, render_letter

TEMPLATES = Path(__file__).resolve().parent.parent / "letter_templates"


def run(seconds: float = 3.0) -> None:
    """Render every letter kind over and over for about `seconds` and print letters per second."""
    contexts = {kind: sample_context(kind) for kind in KINDS}
    begin = time.perf_counter()
    for kind in KINDS:  # the first render of a kind reads the file and compiles its template
        render_letter(kind, contexts[kind], templates_dir=TEMPLATES)
    cold = (time.perf_counter() - begin) / len(KINDS)
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for kind in KINDS:
            before = time.perf_counter()
            render_letter(kind, contexts[kind], templates_dir=TEMPLATES)
            times[kind].append(time.perf_counter() - before)
    elapsed = time.perf_counter() - start
    count = sum(len(values) for values in times.values())
    slowest = max(KINDS, key=lambda kind: statistics.median(times[kind]))
    print("== letters (docxtpl, one core)")
    print(f"   rendered                   : {count / elapsed:7.1f} letters/s   ({count} letters in {elapsed:.1f} s)")
    print(f"   first render of a kind     : {cold * 1000:7.2f} ms   (read + compile, then cached)")
    print(f"   slowest kind, median       : {statistics.median(times[slowest]) * 1000:7.2f} ms   ({slowest})")


if __name__ == "__main__":
    run()
