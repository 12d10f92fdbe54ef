"""The long run of the sync simulation against the real head office on an embedded PostgreSQL:
``python -m tests.perf.sim_sync [--examples 200] [--steps 40] [--seed N]``; prints what was
exercised (faults, crashes, payments) as a table and as JSON. The short run is in the suite
(tests/hq/test_sync_simulation.py)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, seed, settings
from hypothesis.stateful import run_state_machine_as_test


def _template(folder: Path) -> Path:
    from counter_app.core.config import Settings
    from counter_app.core.paths import DataPaths
    from counter_app.services.node import open_node_database
    from counter_app.services.seed import seed_demo

    paths = DataPaths(folder).ensure()
    db = open_node_database(paths, Settings())
    seed_demo(db, Settings(), accounts=60)
    db.dispose()
    connection = sqlite3.connect(paths.database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return paths.database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--seed", type=int, default=None, help="replay one run (default: a random one, printed)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.disable(logging.CRITICAL)  # the injected faults would log at every step
    from tests.hq.pg import start_with_template
    from tests.hq.sim_machine import SyncSimulation

    run_seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    folder = Path(tempfile.mkdtemp(prefix="sim-sync-"))
    server, uri = start_with_template(folder / "pgdata")
    try:
        SyncSimulation.template, SyncSimulation.pg_uri = _template(folder / "branch"), uri
        begun = time.perf_counter()
        run_state_machine_as_test(seed(run_seed)(SyncSimulation), settings=settings(
            max_examples=args.examples, stateful_step_count=args.steps, deadline=None, database=None,
            suppress_health_check=list(HealthCheck)))
        elapsed = time.perf_counter() - begun
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    stats = dict(sorted(SyncSimulation.stats.items()))
    print(f"sync simulation against the real head office: {args.examples} examples of up to {args.steps} steps, "
          f"seed {run_seed}, passed in {elapsed:.0f} s ({elapsed / max(1, stats.get('histories', 1)):.2f} s a history)")
    print(f"{'what':<24}{'count':>8}")
    for name, count in stats.items():
        print(f"{name:<24}{count:>8}")
    print(json.dumps({"examples": args.examples, "steps": args.steps, "seed": run_seed, "seconds": round(elapsed, 1),
                      "counts": stats}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
