"""A branch process pulling reference data, for the kill -9 tests: it says ``SWAP stream`` (a
snapshot's swap begins) or ``APPLY stream`` (a page's apply begins) on stdout just before that
transaction's work. With ``--hold STREAM`` it also says ``MOVED STREAM`` once that stream's rows
are written into the live tables, and then waits there (at most a minute), its transaction open:
a kill at any moment after ``SWAP``/``APPLY`` then lands before the commit, however fast the
machine. ``--snapshot-page N``: snapshot pages of N rows (several pages from a small data set).

    python -m tests.hq.refdata_child HQ_URL NODE_ID SECRET_B64 DATA_DIR BRANCH [--hold STREAM] [--snapshot-page N]
"""

from __future__ import annotations

import argparse
import base64
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.services.node import open_node_database
from counter_app.services.sync.refdata import apply as ap
from counter_app.services.sync.refdata import pull_all
from counter_app.services.sync.refdata.pull import SNAPSHOT_LIMIT, StreamPuller
from tests.hq.refdata_wire import node_call
from tests.hq.wire import Node


def _announcing(name: str, original: Any) -> Any:
    def run(*args: Any, **kw: Any) -> Any:
        print(f"{name} {args[1]}", flush=True)  # (connection, stream, ...)
        return original(*args, **kw)
    return run


def _holding(stream: str, original: Any) -> Any:
    def run(*args: Any, **kw: Any) -> Any:  # (connection, stream, bucket, sid, snapshot=...)
        moved = original(*args, **kw)
        if args[1] == stream:
            print(f"MOVED {stream}", flush=True)
            time.sleep(60)  # killed here; bounded should nobody kill it
        return moved
    return run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    for name in ("url", "node_id", "secret", "data_dir", "branch"):
        parser.add_argument(name)
    parser.add_argument("--hold", default=None)
    parser.add_argument("--snapshot-page", type=int, default=SNAPSHOT_LIMIT)
    args = parser.parse_args(argv)
    ap.swap_snapshot = _announcing("SWAP", ap.swap_snapshot)
    ap.apply_page = _announcing("APPLY", ap.apply_page)
    if args.hold:
        ap._move = _holding(args.hold, ap._move)
    node = Node(args.node_id, base64.b64decode(args.secret), args.branch, "T", 1)
    db = open_node_database(DataPaths(Path(args.data_dir)).ensure(), Settings())
    with httpx.Client(base_url=args.url, timeout=60) as client:
        call = node_call(client, node)
        report = pull_all(db.sessions, call, args.branch,
                          puller=StreamPuller(db.sessions, call, snapshot_limit=args.snapshot_page))
    db.dispose()
    print("DONE" if report.ok else f"FAILED {report}", flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
