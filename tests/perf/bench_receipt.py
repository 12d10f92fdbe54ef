"""How long one receipt PDF takes to draw, once the font is registered.

    .venv/bin/python tests/perf/bench_receipt.py [runs]      # prints a table and a JSON line

Each run writes a new file, as the counter does (one PDF per receipt number).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pytest

from counter_app.selfcheck import sample_receipt
from counter_app.services.documents.fonts import register_cjk_font
from counter_app.services.documents.receipt import LAYOUTS, render_receipt


def bench(runs: int, folder: Path) -> dict[str, dict[str, float]]:
    started = time.perf_counter()
    register_cjk_font()
    results: dict[str, dict[str, float]] = {"font_registration_ms": {"once": (time.perf_counter() - started) * 1000}}
    data = sample_receipt()
    for layout in LAYOUTS:
        render_receipt(data, folder / f"warm-{layout}.pdf", layout)
        times = []
        for run in range(runs):
            started = time.perf_counter()
            render_receipt(data, folder / f"{layout}-{run}.pdf", layout)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results[layout] = {
            "runs": runs,
            "median_ms": round(statistics.median(times), 2),
            "p99_ms": round(times[min(runs - 1, int(runs * 0.99))], 2),
            "max_ms": round(times[-1], 2),
        }
    return results


@pytest.mark.perf
def test_bench_smoke(tmp_path: Path) -> None:
    results = bench(5, tmp_path)
    for layout in LAYOUTS:
        assert results[layout]["median_ms"] < 500


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as scratch:
        outcome = bench(count, Path(scratch))
    print(f"{'layout':8} {'runs':>5} {'median ms':>10} {'p99 ms':>8} {'max ms':>8}")
    for name in LAYOUTS:
        row = outcome[name]
        print(f"{name:8} {row['runs']:>5} {row['median_ms']:>10} {row['p99_ms']:>8} {row['max_ms']:>8}")
    print(json.dumps(outcome))
