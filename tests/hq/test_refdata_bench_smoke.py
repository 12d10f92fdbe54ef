"""The snapshot/delta benchmark (tests/perf/bench_ref_snapshot.py) in miniature: it runs, the
branch ends equal to head office, and it reports its figures."""

from __future__ import annotations

from tests.perf.bench_ref_snapshot import run


def test_snapshot_benchmark_smoke() -> None:
    result = run(accounts=300, bills_per_account=4, delta=100, days=2, page=500, quiet=True)
    assert result["bills"] == 1200 and result["rows"] == 1800
    assert result["stage_pages"] >= 4 and result["stage_page_p99_ms"] >= result["stage_page_median_ms"] > 0
    assert len(result["delta_total_s"]) == 2 and result["delta_page_p99_ms"] >= result["delta_page_median_ms"] > 0
