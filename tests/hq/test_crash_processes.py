"""kill -9 at each named crash point of SYNC.md c.9 and at random moments, with real processes
(``counter-app hq`` on a real PostgreSQL, ``counter-app sync``, a window taking payments) — one
iteration per crash point here; ``python -m tests.perf.crash_sync --iterations 500`` for the long run."""

from __future__ import annotations

import random
from pathlib import Path

from tests.hq.crash_cluster import POINTS, Cluster


def test_killed_processes_lose_and_double_nothing(_seeded_template: Path, hq_url: str, tmp_path: Path) -> None:
    cluster = Cluster(tmp_path, hq_url, _seeded_template, random.Random(20))
    try:
        outcomes = [cluster.iteration(point) for point in POINTS]
    finally:
        cluster.stop()
    assert all(o.exit_code == -9 for o in outcomes), [(o.point, o.exit_code) for o in outcomes]
    assert {o.point for o in outcomes} == set(POINTS)
    assert outcomes[-1].payments >= len(POINTS)  # at least one a crash
