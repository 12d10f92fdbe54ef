"""G8 by kill -9: a branch process is killed while it swaps a snapshot in (staged in several pages),
then while it applies a change set of 1,500 bills repriced under a new tariff version (one
transaction, three times a pull page). The child holds each of those transactions open once its
rows are in the live tables, so the kill lands inside the transaction (during the move or after
it) however fast the machine: the branch's tables show none of the snapshot and none of the new
version, with the cursor unmoved; started again, it finishes (from its staged pages) and equals
head office."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from counter_app.core import refstreams as rs
from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.hq.refdata import api
from counter_app.hq.refdata.publisher import Change, publish_now
from counter_app.services.node import open_node_database
from counter_app.services.sync.refdata.apply import TRIGGERS_ASIDE_ABOVE, stream_checksum
from counter_app.services.sync.refdata.staging import TABLES as STAGE_TABLES
from tests.hq.refdata_fixtures import TARIFF, publish_branch
from tests.perf.bench_ref_snapshot import generate

ACCOUNTS, PERIODS = 1000, 12  # 12,000 bills: above TRIGGERS_ASIDE_ABOVE
BILLS = ACCOUNTS * PERIODS
REPRICED = 1500  # one change set: more than a pull page (rs.PULL_PAGE), sent whole
SNAPSHOT_PAGE = "2000"  # rows a snapshot page: 14,000 rows come in 7 pages
READ_ONLY_TABLES = 12  # migration 0012's GUARDED: an insert, an update and a delete trigger each


def _child(url: str, node, folder: Path, *options: str) -> subprocess.Popen:  # type: ignore[no-untyped-def]
    import base64
    return subprocess.Popen([sys.executable, "-m", "tests.hq.refdata_child", url, node.node_id,
                             base64.b64encode(node.secret).decode(), str(folder), "B001",
                             "--snapshot-page", SNAPSHOT_PAGE, *options],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env={**os.environ})


def _kill_at(process: subprocess.Popen, marker: str, nth: int, delay: float) -> list[str]:
    """Wait for the ``nth`` ``marker`` line, wait ``delay`` seconds more, kill -9. Lines seen."""
    seen: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline().strip()  # type: ignore[union-attr]
        if not line:
            break
        seen.append(line)
        if seen.count(marker) == nth:
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            break
    process.wait(30)
    process.stdout.close()  # type: ignore[union-attr]
    return seen


def _state(folder: Path) -> dict[str, object]:
    db = open_node_database(DataPaths(folder).ensure(), Settings())
    try:
        with db.sessions() as session:
            c = session.connection()
            cursor = c.execute(text("SELECT cursor FROM sync_cursor WHERE stream = 'accounts_bills/B001'")).scalar()
            return {"cursor": cursor,
                    "bills": c.execute(text("SELECT count(*) FROM bill WHERE hq_version > 0")).scalar(),
                    "rows": c.execute(text("SELECT (SELECT count(*) FROM bill WHERE hq_version > 0) + (SELECT count(*) "
                                           "FROM customer_account WHERE hq_version > 0) + (SELECT count(*) FROM meter "
                                           "WHERE hq_version > 0)")).scalar(),
                    "new_tariff": c.execute(text("SELECT count(*) FROM bill b JOIN tariff_version t ON "
                                                 "t.id = b.tariff_version_id WHERE t.valid_from = '2027-01-01' "
                                                 "AND b.amount_fen = 777")).scalar(),
                    # staged rows of a snapshot not swapped yet (kept for the next run), and of ones swapped
                    # (dead from the swap's COMMIT on, dropped at the next pull's start)
                    "staged": sum(c.execute(text(f"SELECT count(*) FROM {t} WHERE substr(sid, 10) IN (SELECT sid FROM "
                                                 "ref_snapshot)")).scalar() for t in STAGE_TABLES),
                    "dead": sum(c.execute(text(f"SELECT count(*) FROM {t} WHERE substr(sid, 10) NOT IN (SELECT sid "
                                               "FROM ref_snapshot)")).scalar() for t in STAGE_TABLES),
                    # the swap sets the read-only triggers aside in its transaction: a kill brings them back
                    "triggers": c.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
                                               "name LIKE 'ref_ro_%'")).scalar(),
                    "checksum": stream_checksum(c, "accounts_bills", "B001")}
    finally:
        db.dispose()


def _hq_checksum(engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        row = c.execute(text("SELECT checksum, live_count FROM ref_stream WHERE stream = 'accounts_bills'")).one()
    return int(row[0]), int(row[1])


def test_kill_during_snapshot_swap_and_page_apply_shows_all_or_nothing(hq_db, hq, make_node, tmp_path: Path) -> None:
    handle, _ = hq
    engine = hq_db.engine
    publish_branch(engine)
    api.publish_tariff_version(engine, code="RES", name="居民", user_type="residential", valid_from="2025-01-01",
                               definition=TARIFF, by="test")
    generate(engine, ACCOUNTS, PERIODS)
    node = make_node("B001", "counter", 1)
    folder = tmp_path / "branch"
    rng = random.Random(8)

    # 1. killed during the accounts_bills swap (its transaction held open until the kill)
    hold = ("--hold", "accounts_bills")
    seen = _kill_at(_child(handle.url, node, folder, *hold), "SWAP accounts_bills", 1, rng.uniform(0.0, 0.3))
    assert "DONE" not in seen, "the kill must land before the pull finished"
    state = _state(folder)
    assert (state["cursor"], state["rows"]) == (None, 0), state  # none of it visible
    assert state["triggers"] == 3 * READ_ONLY_TABLES and BILLS > TRIGGERS_ASIDE_ABOVE  # set aside, then back
    assert state["staged"] >= BILLS + 2 * ACCOUNTS  # the fetched pages were kept: the next run only swaps
    # 2. started again: it completes and equals head office
    again = _child(handle.url, node, folder)
    assert again.wait(120) == 0 and "DONE" in again.stdout.read()  # type: ignore[union-attr]
    again.stdout.close()  # type: ignore[union-attr]
    state = _state(folder)
    assert state["bills"] == BILLS and state["checksum"] == _hq_checksum(engine) and state["staged"] == 0
    assert state["dead"] >= BILLS + 2 * ACCOUNTS  # left by the swap for the next pull to drop
    assert state["triggers"] == 3 * READ_ONLY_TABLES

    # 3. a new tariff version and 1,500 bills repriced under it, one change set; killed while applying it
    api.publish_tariff_version(engine, code="RES", name="居民 2027", user_type="residential", valid_from="2027-01-01",
                               definition=TARIFF, by="test")
    with engine.connect() as c:
        bills = c.execute(text("SELECT payload FROM ref_entity WHERE entity = 'bill' ORDER BY entity_key LIMIT :n"),
                          {"n": REPRICED}).scalars().all()
    publish_now(engine, (Change("accounts_bills", "B001", "bill", {**b, "tariff_valid_from": "2027-01-01",
                                                                    "amount_fen": 777}) for b in bills), "test")
    before = state["cursor"]
    seen = _kill_at(_child(handle.url, node, folder, *hold), "APPLY accounts_bills", 1, rng.uniform(0.0, 0.3))
    assert "DONE" not in seen
    state = _state(folder)
    assert (state["new_tariff"], state["cursor"]) == (0, before), state  # none of the change set visible
    again = _child(handle.url, node, folder)
    assert again.wait(120) == 0
    again.stdout.close()  # type: ignore[union-attr]
    state = _state(folder)
    assert state["new_tariff"] == REPRICED and state["checksum"] == _hq_checksum(engine)
    assert state["staged"] == state["dead"] == 0  # the snapshot's dead rows were dropped by a later pull
    assert rs.stream_id("accounts_bills", "B001") == "accounts_bills/B001"
