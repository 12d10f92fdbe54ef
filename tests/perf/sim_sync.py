"""The long run of the sync state machine: ``python -m tests.perf.sim_sync [--examples N] [--steps N]``
(defaults 200 examples of up to 60 steps; 40 examples of 40 steps took 9 minutes on 2 busy cores)."""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, settings
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
    return paths.database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--steps", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.getLogger("counter_app").setLevel(logging.CRITICAL)  # the injected faults would log every step
    from tests.integration.sync_machine import SyncMachine

    with tempfile.TemporaryDirectory() as folder:
        SyncMachine.template = _template(Path(folder))
        begun = time.perf_counter()
        run_state_machine_as_test(SyncMachine, settings=settings(
            max_examples=args.examples, stateful_step_count=args.steps, deadline=None, database=None,
            suppress_health_check=list(HealthCheck)))
    print(f"sync state machine: {args.examples} examples of up to {args.steps} steps passed "
          f"in {time.perf_counter() - begun:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
