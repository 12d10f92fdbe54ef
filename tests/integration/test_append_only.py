"""Everything money or a rating touched is append-only, enforced by SQLite triggers (migration
0009): plain SQL that edits a fact or deletes a row is refused; what is state stays writable
(an outbox event's delivery state, a ticket's queue state, a follow-up's closing)."""

from __future__ import annotations

import sqlite3

import pytest

from counter_app.core.paths import migrations_dir
from counter_app.core.syncwire import chain_hash
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Base
from counter_app.persistence.outbox import record_event
from tests.integration.test_outbox import _insert_row



def _spec():  # type: ignore[no-untyped-def]
    import importlib.util

    path = migrations_dir() / "versions" / "0009_sync_chain_append_only.py"
    spec = importlib.util.spec_from_file_location("migration_0009", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


M = _spec()
CASES = [(t, c.name) for t in M.FROZEN for c in Base.metadata.tables[t].columns] + [
    (t, c) for t, cols in M.PROTECTED_COLUMNS.items() for c in cols]
FREE = [("outbox_event", "state"), ("outbox_event", "acked_at"), ("outbox_event", "result"), ("ticket", "state"),
        ("ticket", "call_count"), ("ticket", "outbox_event_id"), ("ticket_event", "outbox_event_id"),
        ("rating_followup", "status"), ("rating_followup", "closed_at")]


@pytest.fixture(scope="module")
def facts(tmp_path_factory):  # type: ignore[no-untyped-def]
    """One row in every table concerned, made through the real schema."""
    from counter_app.core.config import Settings
    from counter_app.core.paths import DataPaths
    from counter_app.services.node import open_node_database

    paths = DataPaths(tmp_path_factory.mktemp("facts")).ensure()
    db = open_node_database(paths, Settings())
    with unit_of_work(db.sessions) as session:
        for table in {t for t, _ in CASES + FREE}:
            _insert_row(session, table)
    db.dispose()
    return paths.database


def _connect(path) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


@pytest.mark.parametrize("table, column", CASES)
def test_editing_a_fact_is_refused(facts, table: str, column: str) -> None:
    connection = _connect(facts)
    try:
        before = connection.execute(f"SELECT * FROM {table} ORDER BY rowid LIMIT 1").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match="never edited"):
            connection.execute(f"UPDATE {table} SET {column} = 'edited-' || coalesce({column}, '') "
                               f"WHERE rowid = (SELECT min(rowid) FROM {table})")
        assert connection.execute(f"SELECT * FROM {table} ORDER BY rowid LIMIT 1").fetchone() == before
    finally:
        connection.close()


@pytest.mark.parametrize("table", sorted(M.NEVER_DELETED + ("rating",)))
def test_deleting_a_fact_is_refused(facts, table: str) -> None:
    connection = _connect(facts)
    try:
        count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert count > 0
        with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
            connection.execute(f"DELETE FROM {table}")
        assert connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count
    finally:
        connection.close()


@pytest.mark.parametrize("table, column", FREE)
def test_state_stays_writable(facts, table: str, column: str) -> None:
    connection = _connect(facts)
    try:
        connection.execute("BEGIN")
        connection.execute("PRAGMA defer_foreign_keys = ON")  # the transaction is rolled back anyway
        value = f"coalesce({column}, 0) + 1" if column == "call_count" else "'changed'"
        connection.execute(f"UPDATE {table} SET {column} = {value} WHERE rowid = (SELECT min(rowid) FROM {table})")
        changed = connection.execute(f"SELECT {column} FROM {table} ORDER BY rowid LIMIT 1").fetchone()[0]
        assert changed != connection.execute("SELECT NULL").fetchone()[0]
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def test_events_are_chained_per_node_and_channel(node_db) -> None:
    with unit_of_work(node_db.sessions) as session:
        events = [record_event(session, channel=ch, event_type="t", aggregate_type="x", aggregate_id="1",
                               payload={"n": i}, node=node)
                  for i, (ch, node) in enumerate([("payments", "a"), ("payments", "a"), ("ops", "a"),
                                                  ("payments", "b"), ("payments", "a")])]
    assert [(e.channel, e.channel_seq) for e in events] == [("payments", 1), ("payments", 2), ("ops", 1),
                                                            ("payments", 1), ("payments", 3)]
    connection = _connect(node_db.path)
    try:
        rows = connection.execute("SELECT node_id, channel, channel_seq, event_id, payload_sha256, prev_chain, chain "
                                  "FROM outbox_event ORDER BY node_id, channel, channel_seq").fetchall()
    finally:
        connection.close()
    heads: dict[tuple[str, str], str] = {}
    for node, channel, _seq, event_id, digest, previous, chain in rows:
        assert previous == heads.get((node, channel), "")
        assert chain == chain_hash(previous, event_id, digest)
        heads[(node, channel)] = chain


def test_events_written_before_the_migration_are_chained_by_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command

    from counter_app.persistence.database import make_engine
    from counter_app.persistence.migrate import alembic_config

    db_file = tmp_path / "old.sqlite3"
    engine = make_engine(db_file)
    command.upgrade(alembic_config(engine), "0008")
    raw = sqlite3.connect(db_file)
    with raw:
        for seq, (node, channel, channel_seq) in enumerate([("a", "ops", 1), ("b", "ops", 2), ("a", "ops", 3),
                                                            ("a", "payments", 1)], start=1):
            raw.execute("INSERT INTO outbox_event (event_id, channel, channel_seq, event_type, aggregate_type, "
                        "aggregate_id, schema_version, payload, payload_sha256, node_id, created_at, state, result) "
                        "VALUES (?, ?, ?, 't', 'x', 'x', 1, '{}', ?, ?, '2026-01-01 08:00:00', 'pending', '')",
                        (f"e{seq}", channel, channel_seq, f"d{seq}", node))
    raw.close()
    command.upgrade(alembic_config(engine), "head")
    engine.dispose()
    connection = _connect(db_file)
    try:
        rows = {r[0]: r[1:] for r in connection.execute("SELECT event_id, prev_chain, chain FROM outbox_event")}
    finally:
        connection.close()
    e1 = chain_hash("", "e1", "d1")
    assert rows["e1"] == ("", e1)
    assert rows["e3"] == (e1, chain_hash(e1, "e3", "d3"))  # node a's ops chain skips node b's event
    assert rows["e2"] == ("", chain_hash("", "e2", "d2")) and rows["e4"] == ("", chain_hash("", "e4", "d4"))
