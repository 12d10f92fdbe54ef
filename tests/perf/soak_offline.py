"""Issue 10's soak: a 30-day offline run of one counter with a fake clock (50,000 payments, 3 tariff
versions, 1 revocation), then 100 enrolled nodes reconnecting at once; drain times and head
office's load printed (a table and JSON), both ends compared per (terminal, business day).

    PYTHONPATH=$PWD .venv/bin/python -m tests.perf.soak_offline            # the issue's figures
    PYTHONPATH=$PWD .venv/bin/python -m tests.perf.soak_offline --days 3 --payments 300 --nodes 5

Real parts: head office as its own process (uvicorn on 127.0.0.1) on an embedded PostgreSQL,
counters enrolled for real on their own SQLite files, payments through the real fee service.
The short run in the suite: tests/hq/test_soak_smoke.py."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.hq.pg import start_with_template
from tests.hq.soak_counter import SoakFigures, run_offline_soak
from tests.hq.soak_fleet import FleetFigures, run_fleet


def _args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.soak_offline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=30, help="fake days head office is unreachable")
    parser.add_argument("--payments", type=int, default=50_000, help="payments the counter takes meanwhile")
    parser.add_argument("--tariffs", type=int, default=3, help="tariff versions head office publishes meanwhile")
    parser.add_argument("--login-days", type=int, default=31, help="[offline] login_days of the counter")
    parser.add_argument("--accounts", type=int, default=300, help="accounts of the branch (cached bills)")
    parser.add_argument("--nodes", type=int, default=100, help="nodes reconnecting at once (0: skip)")
    parser.add_argument("--node-payments", type=int, default=300, help="offline payments each of them holds")
    parser.add_argument("--workers", type=int, default=4, help="processes the reconnecting nodes run in")
    parser.add_argument("--skip-soak", action="store_true", help="only the reconnecting nodes")
    parser.add_argument("--json", type=Path, help="write the summary here too")
    return parser.parse_args(argv)


def _table(report: dict[str, Any]) -> str:
    lines = []
    for part, figures in report.items():
        if isinstance(figures, dict):
            for key, value in figures.items():
                lines.append(f"{part:<12} {key:<28} {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    folder = Path(tempfile.mkdtemp(prefix="soak-offline-"))
    server, uri = start_with_template(folder / "pgdata")
    report: dict[str, Any] = {}
    began = time.monotonic()
    try:
        if not args.skip_soak:
            soak = run_offline_soak(uri, folder / "soak", SoakFigures(days=args.days, payments=args.payments,
                                    tariffs=args.tariffs, login_days=args.login_days, accounts=args.accounts),
                                    log=lambda line: print(line, file=sys.stderr, flush=True))
            report.update(soak)
            print(json.dumps(soak, ensure_ascii=False), file=sys.stderr, flush=True)  # kept should the rest fail
        if args.nodes:
            report["fleet"] = run_fleet(uri, folder / "fleet",
                                        FleetFigures(nodes=args.nodes, payments=args.node_payments,
                                                     workers=args.workers),
                                        log=lambda line: print(line, file=sys.stderr, flush=True))
            print(json.dumps(report["fleet"], ensure_ascii=False), file=sys.stderr, flush=True)
        report["total_s"] = round(time.monotonic() - began, 1)
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    print(_table(report))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
