"""Head office sees each branch node's own backlog (issue 9): the node reports its unsent events,
quarantined events and oldest unsent payment in its hello and in pushes; ``list_nodes`` and
``hq-admin nodes`` show them with the time of the report. Real PostgreSQL, real HTTP."""

from __future__ import annotations

import argparse
import io
from typing import Any

import httpx

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.hq.admin import _run
from counter_app.hq.enrolment import issue_code, list_nodes
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.status import sync_backlog
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.transport import Answer, HttpxTransport, TransportError
from counter_app.services.sync.worker import SyncEngine
from tests.integration.sync_fixtures import counter_for, pay


class _NoPush:
    """The link carries the hello but every push is lost on the way (head office never sees it)."""

    def __init__(self, url: str) -> None:
        self.inner = HttpxTransport(url, connect_timeout=5.0, read_timeout=30.0)

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        if path.endswith("/push"):
            raise TransportError("push dropped by the test's link")
        return self.inner.post(path, body, headers)

    def reset(self) -> None:
        self.inner.reset()

    def close(self) -> None:
        self.inner.close()


def enrolled(hq_url: str, hq_db: Any, seeded_db: NodeDatabase, data_paths: DataPaths, role: str = "hub",
             window: int | None = None) -> NodeDatabase:
    enrol(seeded_db.sessions, data_paths.root, hq_url, issue_code(hq_db.engine, "B001", role, window, 7).code)
    seeded_db.dispose()
    return open_node_database(data_paths, Settings())


def _row(hq_db: Any, node_id: str) -> Any:
    return next(n for n in list_nodes(hq_db.engine) if n.node_id == node_id)


def test_nodes_list_shows_the_branch_s_pending_count_and_oldest_unsent_payment(
        hq: tuple[Any, httpx.Client], hq_db: Any, seeded_db: NodeDatabase, data_paths: DataPaths) -> None:
    handle, _ = hq
    db = enrolled(handle.url, hq_db, seeded_db, data_paths)
    try:
        assert _row(hq_db, db.node_id).pending is None  # never reported
        first = SyncEngine(db.sessions, data_paths.root)
        try:
            assert first.drain().status == "ok"  # the seed's events
        finally:
            first.close()
        row = _row(hq_db, db.node_id)
        assert (row.pending, row.oldest_unsent_payment_at) == (0, None) and row.reported_at is not None
        c = counter_for(db, data_paths)
        for _ in range(3):
            pay(c)
        local = sync_backlog(db)
        assert local.pending >= 3
        cut = SyncEngine(db.sessions, data_paths.root, transport_factory=_NoPush)
        try:
            assert cut.step().status == "offline"  # the hello got through, the push did not
        finally:
            cut.close()
        row = _row(hq_db, db.node_id)
        assert row.pending == local.pending and row.quarantined == 0
        assert row.oldest_unsent_payment_at == local.oldest_pending_payment_at
        out = io.StringIO()
        assert _run(argparse.Namespace(command="nodes"), Settings(), hq_db.engine, out) == 0
        header, line = out.getvalue().splitlines()[0], next(x for x in out.getvalue().splitlines() if db.node_id in x)
        assert "pending" in header and "oldest unsent payment" in header and "reported" in header
        assert f"  {local.pending}  " in line and ("s  " in line or "m  " in line)  # the age: seconds or minutes

        again = SyncEngine(db.sessions, data_paths.root)
        try:
            assert again.drain().status == "ok"
        finally:
            again.close()
        row = _row(hq_db, db.node_id)  # the last push said what would be left: nothing
        assert (row.pending, row.oldest_unsent_payment_at) == (0, None)
    finally:
        db.dispose()
