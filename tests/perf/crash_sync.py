"""kill -9 at the named crash points of SYNC.md c.9 and at random moments, with real processes
(``counter-app hq`` on an embedded PostgreSQL, ``counter-app sync``, a window taking payments):
``python -m tests.perf.crash_sync [--iterations 500] [--seed N]``. After each crash the invariants
are checked on both databases as the crash left them; after the restart and the drain, nothing
committed is lost or doubled and receipt numbers are unique and gap-free per terminal. Prints a
table per crash point (iterations, exit codes, recovery time median and p99) and JSON.
The suite runs one iteration per crash point (tests/hq/test_crash_processes.py)."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from tests.hq.crash_cluster import POINTS, Cluster
    from tests.hq.pg import new_database, start_with_template
    from tests.perf.sim_sync import _template

    run_seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    folder = Path(tempfile.mkdtemp(prefix="crash-sync-"))
    server, uri = start_with_template(folder / "pgdata")
    outcomes = []
    try:
        cluster = Cluster(folder / "run", new_database(uri, "hq_crash"), _template(folder / "template"),
                          random.Random(run_seed))
        begun = time.perf_counter()
        try:
            for i in range(args.iterations):
                outcomes.append(cluster.iteration(POINTS[i % len(POINTS)]))
        finally:
            cluster.stop()
        elapsed = time.perf_counter() - begun
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    rows = {}
    for point in POINTS:
        mine = [o for o in outcomes if o.point == point]
        recover = [o.restart_s + o.drain_s for o in mine]
        drain = [o.drain_s for o in mine]
        rows[point] = {"iterations": len(mine), "killed_9": sum(o.exit_code == -9 for o in mine),
                       "victims": ",".join(sorted({o.victim for o in mine})),
                       "recover_median_s": round(statistics.median(recover), 2) if recover else None,
                       "recover_p99_s": round(_quantile(recover, 0.99), 2) if recover else None,
                       "drain_median_s": round(statistics.median(drain), 2) if drain else None}
    print(f"kill -9 runs: {len(outcomes)} iterations, seed {run_seed}, {elapsed:.0f} s; "
          f"{outcomes[-1].payments if outcomes else 0} payments, all at head office once; "
          f"the window also died {cluster.window_crashes} times at its armed point between iterations")
    print(f"{'crash point':<34}{'iter':>6}{'kill -9':>9}{'recover median':>16}{'p99':>8}{'drain median':>14}  victims")
    for point, row in rows.items():
        print(f"{point:<34}{row['iterations']:>6}{row['killed_9']:>9}{row['recover_median_s'] or 0:>15.2f}s"
              f"{row['recover_p99_s'] or 0:>7.2f}s{row['drain_median_s'] or 0:>13.2f}s  {row['victims']}")
    print(json.dumps({"iterations": len(outcomes), "seed": run_seed, "seconds": round(elapsed, 1),
                      "payments": outcomes[-1].payments if outcomes else 0, "window_crashes": cluster.window_crashes,
                      "points": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
