"""The restore guard and the damaged-database checks at start (issue 9's review list):

* "restoring an older counter database issued receipt …-0000488 to two payments";
* "a zero-byte database file was silently recreated with a new node identity";
* "a corrupted one took payments while integrity_check reported it malformed".
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path
import sys

import pytest

from counter_app.core.config import Settings
from counter_app.core.paths import install_root
from counter_app.domain.errors import NotAllowed
from counter_app.domain.receipt_numbers import parse_receipt_number
from counter_app.services.node import open_node_database
from counter_app.services.sync.files import highwater_path, read_highwater
from counter_app.services.sync.guard import DatabaseRefused
from tests.integration.billing_fixtures import account_with_bills, clerk
from tests.integration.sync_fake_hq import FakeHq
from tests.integration.sync_fixtures import counter_for, enrol_node


def _take(c) -> str:  # type: ignore[no-untyped-def]
    from counter_app.domain.allocation import MethodPart

    account = account_with_bills(c)
    return c.payments.take_payment(clerk(c), account.account_id, [MethodPart("cash", 100)], bill_ids=[]).receipt_no


def _copy(db, target) -> None:  # type: ignore[no-untyped-def]
    """A backup as IT takes one: SQLite's online backup of the live file."""
    source = sqlite3.connect(db.path)
    destination = sqlite3.connect(target)
    source.backup(destination)
    destination.close()
    source.close()


def test_a_restored_database_never_issues_a_receipt_number_twice(seeded_db, data_paths, tmp_path) -> None:
    c = counter_for(seeded_db, data_paths)
    first = _take(c)
    _copy(seeded_db, tmp_path / "yesterday.sqlite3")
    issued = [_take(c) for _ in range(2)]  # ...-0000002 and -0000003 handed to customers
    mark = read_highwater(data_paths.root)
    assert mark is not None and max(mark.seqs.values()) == 3
    assert stat.S_IMODE(os.stat(highwater_path(data_paths.root)).st_mode) == 0o600
    seeded_db.dispose()
    for suffix in ("", "-wal", "-shm"):  # the old copy put back in place
        data_paths.database.with_name(data_paths.database.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(tmp_path / "yesterday.sqlite3", data_paths.database)
    db = open_node_database(data_paths, Settings())
    try:
        assert db.restore_suspected and "seq 3" in db.restore_suspected
        c = counter_for(db, data_paths)
        with pytest.raises(NotAllowed, match="re-enrol"):
            _take(c)  # without the guard this was receipt -0000002 again
        assert parse_receipt_number(first).seq == 1 and [parse_receipt_number(n).seq for n in issued] == [2, 3]
        child = _cli("sync", data_paths.root, "--once")  # what IT sees at the next start: one paragraph
        assert "looks restored" in child.stderr and "re-enrol" in child.stderr.lower() and "Traceback" not in child.stderr
        assert json.loads(child.stdout)["receipts_locked"] is True
        local_terminal = db.terminal_code
        with FakeHq() as hq:  # re-enrolment, with head office's first incarnation: letter A, as before
            db = enrol_node(db, data_paths, hq, terminal=local_terminal)
            again = parse_receipt_number(_take(counter_for(db, data_paths)))
        assert (again.terminal_code, again.incarnation) == (local_terminal, 1)
        assert again.seq == 4 and str(again) not in [first, *issued]  # past the lost copy's numbers
        db.dispose()
        db = open_node_database(data_paths, Settings())
        assert db.restore_suspected is None
    finally:
        db.dispose()


def test_a_zero_byte_or_missing_database_of_a_node_that_existed_is_refused(seeded_db, data_paths) -> None:
    _take(counter_for(seeded_db, data_paths))  # the node existed: it has a high-water mark
    seeded_db.dispose()
    for suffix in ("-wal", "-shm"):
        data_paths.database.with_name(data_paths.database.name + suffix).unlink(missing_ok=True)
    data_paths.database.write_bytes(b"")
    with pytest.raises(DatabaseRefused, match="empty"):
        open_node_database(data_paths, Settings())
    assert data_paths.database.stat().st_size == 0  # nothing was created in its place
    data_paths.database.unlink()
    with pytest.raises(DatabaseRefused, match="missing"):
        open_node_database(data_paths, Settings())
    assert not data_paths.database.exists()
    child = _cli("counter", data_paths.root)
    assert child.returncode == 3 and "Traceback" not in child.stderr
    assert "re-enrol" in child.stderr and "missing" in child.stderr


def test_a_corrupt_database_is_refused_with_a_message_not_a_traceback(seeded_db, data_paths) -> None:
    seeded_db.dispose()
    connection = sqlite3.connect(data_paths.database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = connection.execute("PRAGMA page_size").fetchone()[0]
    # the root pages of tables in use (a page in the middle of the file may be a free page,
    # which no check reads)
    roots = [root for (root,) in connection.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name IN ('bill', 'customer_account', 'staff')")]
    connection.close()
    with open(data_paths.database, "r+b") as handle:  # scribble over them
        for page in roots:
            handle.seek((page - 1) * page_size + 100)
            handle.write(os.urandom(page_size - 200))
    with pytest.raises(DatabaseRefused, match="damaged"):
        open_node_database(data_paths, Settings())
    child = _cli("counter", data_paths.root)
    assert child.returncode == 3 and "Traceback" not in child.stderr, child.stderr
    assert "damaged" in child.stderr and "restore" in child.stderr


def test_a_fresh_node_without_files_still_starts_as_before(data_paths) -> None:
    db = open_node_database(data_paths, Settings())
    try:
        assert db.restore_suspected is None and read_highwater(data_paths.root) is None
    finally:
        db.dispose()


def _cli(role: str, root, *extra: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    config = Path(root).parent / f"{role}.toml"  # a configured PC (without one a screen opens the set-up wizard)
    config.write_text(f'role = "{role if role in ("counter", "hub") else "counter"}"\nwindow = 1\n', encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "counter_app", role, "--data-dir", str(root), "--config", str(config),
                           *(extra or ("--exit-when-ready",))],
                          cwd=install_root(), capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(install_root()), "QT_QPA_PLATFORM": "offscreen"})
