"""Upgrades keep every record: a database of every released schema (written by the program of that
release, see scripts/make_schema_fixtures.py) is upgraded to head with a backup first; a newer schema
is refused and left untouched; backups and restores round-trip with the receipt guard armed."""

from __future__ import annotations

import gzip
import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.persistence.backup import BackupFailed, integrity_problems, scheduled_backup
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.migrate import SchemaTooNew, head_revision
from counter_app.persistence.models import NodeIdentity
from counter_app.services.node import open_node_database
from counter_app.services.restore import RestoreRefused, restore_database

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "schemas"
VERSIONS = sorted(path.name.split(".")[0] for path in FIXTURES.glob("*.sqlite3.gz"))


def counts(db_file: Path) -> dict[str, int]:
    connection = sqlite3.connect(db_file)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%'")]
        return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}
    finally:
        connection.close()


def unpack(version: str, folder: Path) -> DataPaths:
    paths = DataPaths(folder).ensure()
    paths.database.write_bytes(gzip.decompress((FIXTURES / f"{version}.sqlite3.gz").read_bytes()))
    return paths


def test_every_released_schema_has_a_fixture_up_to_the_head() -> None:
    head = max(re.match(r"(\d{4})_", p.name).group(1) for p in (ROOT / "db" / "versions").glob("0*.py"))  # type: ignore[union-attr]
    assert VERSIONS and VERSIONS[0] <= "0002"
    assert head in VERSIONS, f"schema {head} has no fixture: run python scripts/make_schema_fixtures.py"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_database_of_each_release_upgrades_with_a_backup_and_keeps_every_record(version: str, tmp_path: Path) -> None:
    paths = unpack(version, tmp_path)
    before = counts(paths.database)
    assert before["customer_account"] > 0 and before["bill"] > 0 and before["ticket"] > 0
    node = open_node_database(paths, Settings(role="demo"))
    try:
        head = head_revision(node.engine)
        with unit_of_work(node.sessions) as session:
            identity = session.scalars(select(NodeIdentity)).one()
            assert identity.receipts_locked is False
    finally:
        node.dispose()
    after = counts(paths.database)
    for table, count in before.items():
        if table != "alembic_version":
            assert after.get(table) == count, f"{table}: {count} rows before the upgrade, {after.get(table)} after"
    assert integrity_problems(paths.database) == []
    if version == head:
        assert node.backup_made is None
    else:
        assert node.backup_made is not None and f"before-{version}-to-{head}" in node.backup_made
        assert counts(Path(node.backup_made)) == before  # the copy is the database as it was


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    paths = unpack(VERSIONS[-1], tmp_path)
    connection = sqlite3.connect(paths.database)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    before = counts(paths.database)
    with pytest.raises(SchemaTooNew) as refused:
        open_node_database(paths, Settings(role="demo"))
    assert "9999" in str(refused.value) and "newer than this program" in str(refused.value)
    assert counts(paths.database) == before
    connection = sqlite3.connect(paths.database)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("9999",)
    connection.close()
    assert list(paths.backups.iterdir()) == []


def test_scheduled_backups_are_checked_and_pruned_to_keep(tmp_path: Path) -> None:
    paths = unpack(VERSIONS[-1], tmp_path / "data")
    results = [scheduled_backup(paths.database, paths.backups, keep=2) for _ in range(3)]
    kept = sorted(paths.backups.glob("scheduled-*.sqlite3"))
    assert kept == sorted(result.path for result in results[1:])
    assert results[2].pruned == (results[0].path,)
    assert counts(kept[-1]) == counts(paths.database) and integrity_problems(kept[-1]) == []
    with pytest.raises(BackupFailed):
        scheduled_backup(tmp_path / "missing.sqlite3", paths.backups, keep=2)


def test_restore_round_trip_arms_the_receipt_guard_and_keeps_the_replaced_database(tmp_path: Path) -> None:
    paths = unpack(VERSIONS[-1], tmp_path / "data")
    open_node_database(paths, Settings(role="demo")).dispose()
    backup = scheduled_backup(paths.database, tmp_path / "copies", keep=5).path
    connection = sqlite3.connect(paths.database)  # work done after the backup (facts are append-only: a new row)
    connection.execute("INSERT INTO sync_cursor (stream, epoch, cursor, checksum, updated_at) "
                       "VALUES ('after-backup', 0, 1, '', '2026-12-01 00:00:00')")
    connection.commit()
    connection.close()
    changed = counts(paths.database)

    result = restore_database(paths, backup, Settings(role="demo"))
    assert counts(paths.database) == counts(backup)
    assert result.previous_copy is not None and counts(result.previous_copy) == changed
    node = open_node_database(paths, Settings(role="demo"))
    try:
        with unit_of_work(node.sessions) as session:
            assert session.scalars(select(NodeIdentity)).one().receipts_locked is True
    finally:
        node.dispose()


def test_restore_refuses_an_old_program_s_unknown_schema_and_a_broken_file(tmp_path: Path) -> None:
    paths = unpack(VERSIONS[-1], tmp_path / "data")
    before = counts(paths.database)
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RestoreRefused, match="not sound"):
        restore_database(paths, broken, Settings(role="demo"))
    newer = unpack(VERSIONS[-1], tmp_path / "newer").database
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    with pytest.raises(RestoreRefused, match="newer than this program"):
        restore_database(paths, newer, Settings(role="demo"))
    assert counts(paths.database) == before
    assert not list(paths.root.glob("*.restoring"))


def test_a_backup_of_an_older_release_is_restored_and_upgraded(tmp_path: Path) -> None:
    old = unpack(VERSIONS[0], tmp_path / "old").database
    paths = DataPaths(tmp_path / "data").ensure()
    result = restore_database(paths, old, Settings(role="demo"))
    assert result.schema_of_backup == VERSIONS[0] and result.schema_now == max(VERSIONS)
    assert result.previous_copy is None


def test_restore_refuses_while_the_program_has_the_database_open(tmp_path: Path) -> None:
    paths = unpack(VERSIONS[-1], tmp_path / "data")
    backup = scheduled_backup(paths.database, tmp_path / "copies", keep=1).path
    running = open_node_database(paths, Settings(role="demo"))  # an idle hub: its pool keeps the file open
    try:
        with unit_of_work(running.sessions) as session:
            session.scalars(select(NodeIdentity)).one()
        with pytest.raises(RestoreRefused, match="in use"):
            restore_database(paths, backup, Settings(role="demo"))
    finally:
        running.dispose()
    assert not list(paths.backups.glob("*before-restore*"))
    assert restore_database(paths, backup, Settings(role="demo")).previous_copy is not None
