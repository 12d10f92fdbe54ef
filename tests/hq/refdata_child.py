"""A branch process pulling reference data, for the kill -9 tests: it says ``SWAP stream`` (a
snapshot's swap begins) or ``APPLY stream`` (a page's apply begins) on stdout just before that
transaction's work.

    python -m tests.hq.refdata_child HQ_URL NODE_ID SECRET_B64 DATA_DIR BRANCH
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import Any

import httpx

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.services.node import open_node_database
from counter_app.services.sync.refdata import apply as ap
from counter_app.services.sync.refdata import pull_all
from tests.hq.refdata_wire import node_call
from tests.hq.wire import Node


def _announcing(name: str, original: Any) -> Any:
    def run(*args: Any, **kw: Any) -> Any:
        print(f"{name} {args[1]}", flush=True)  # (connection, stream, ...)
        return original(*args, **kw)
    return run


def main(argv: list[str]) -> int:
    url, node_id, secret, data_dir, branch = argv
    ap.swap_snapshot = _announcing("SWAP", ap.swap_snapshot)
    ap.apply_page = _announcing("APPLY", ap.apply_page)
    node = Node(node_id, base64.b64decode(secret), branch, "T", 1)
    db = open_node_database(DataPaths(Path(data_dir)).ensure(), Settings())
    with httpx.Client(base_url=url, timeout=60) as client:
        report = pull_all(db.sessions, node_call(client, node), branch)
    db.dispose()
    print("DONE" if report.ok else f"FAILED {report}", flush=True)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
