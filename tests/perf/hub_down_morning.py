"""Issue 10 item 4, a longer run: the hub down for a morning with many payments, applications and
walk-in ratings at two counters, head office down for part of it (tests/hq/hub_down_world.py,
every check of the suite's short run), each step's seconds printed (a table and JSON).

    PYTHONPATH=$PWD .venv/bin/python -m tests.perf.hub_down_morning
    PYTHONPATH=$PWD .venv/bin/python -m tests.perf.hub_down_morning --early 300 --late 100 --applications 20

Real parts: head office as its own process on an embedded PostgreSQL, ``counter-app hub`` and the
counters' work as processes of their own on their own SQLite files. The short run in the suite:
tests/hq/test_hub_down_morning.py."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from counter_app.hq.database import make_engine
from tests.hq.hub_down_world import MorningFigures, run_morning
from tests.hq.pg import new_database, start_with_template


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.hub_down_morning", description=__doc__.split("\n\n")[0])
    parser.add_argument("--early", type=int, default=150, help="payments at each counter while head office is up")
    parser.add_argument("--late", type=int, default=50, help="payments at each counter while head office is down too")
    parser.add_argument("--applications", type=int, default=10, help="applications at each counter in each part")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="hub-down-"))
    server, uri = start_with_template(folder / "pgdata")
    try:
        url = new_database(uri)
        engine = make_engine(url, pool_size=2)
        figures = run_morning(url, engine, folder / "pg", folder / "run",
                              MorningFigures(args.early, args.late, args.applications, timeout_s=600))
        engine.dispose()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    for name, value in figures.items():
        print(f"{name:<40} {value}")
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
