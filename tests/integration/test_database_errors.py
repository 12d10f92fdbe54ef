"""Which SQLite failures are the environment's (IT can fix them; nothing was written) and which are
bugs, told by SQLite's own error codes, not by words in the message: real errors from real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from counter_app.persistence.database import (
    DatabaseUnavailable,
    is_damaged_database,
    is_environment_error,
    make_engine,
    make_session_factory,
    unit_of_work,
)


def _error(path: Path, statement: str, **connect: object) -> sqlite3.Error:
    try:
        connection = sqlite3.connect(path, **connect)  # type: ignore[arg-type]
    except sqlite3.Error as error:
        return error
    try:
        connection.execute(statement)
    except sqlite3.Error as error:
        return error
    finally:
        connection.close()
    raise AssertionError("no error")


def test_bugs_are_not_the_environment_even_when_their_words_say_locked_or_full(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    sqlite3.connect(db).executescript("CREATE TABLE staff (id INTEGER); CREATE TABLE t (id INTEGER PRIMARY KEY);").close()
    for statement in ("SELECT locked_until FROM staff", "SELECT * FROM disk_full", "SELECT * FROM readonly_busy_corrupt",
                      "INSERT INTO t VALUES (1), (1)"):
        error = _error(db, statement)
        assert not is_environment_error(error), (statement, error)
        assert not is_damaged_database(error)


def test_locked_readonly_and_damaged_files_are_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite3"
    sqlite3.connect(db).executescript("CREATE TABLE t (id INTEGER);").close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        locked = _error(db, "INSERT INTO t VALUES (1)", timeout=0)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    readonly = _error(Path(f"file:{db}?mode=ro"), "INSERT INTO t VALUES (1)", uri=True)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all " * 300)
    damaged = _error(junk, "SELECT * FROM sqlite_master")
    missing = _error(Path(f"file:{tmp_path / 'no' / 'such.db'}?mode=ro"), "SELECT 1", uri=True)
    for error in (locked, readonly, damaged, missing):
        assert is_environment_error(error), error
    assert is_damaged_database(damaged) and not is_damaged_database(locked)


def test_the_sqlalchemy_wrappers_are_classified_by_the_same_codes(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all " * 300)
    engine = make_engine(junk)
    with pytest.raises(DBAPIError) as raised, engine.connect() as connection:
        connection.execute(text("SELECT * FROM sqlite_master"))
    assert is_environment_error(raised.value) and is_damaged_database(raised.value)
    engine.dispose()
    good = make_engine(tmp_path / "good.sqlite3")
    with pytest.raises(DBAPIError) as bug, good.connect() as connection:
        connection.execute(text("SELECT locked_until FROM nowhere"))
    assert not is_environment_error(bug.value)
    sessions = make_session_factory(good)
    with pytest.raises(DBAPIError) as kept, unit_of_work(sessions) as session:  # a bug stays a bug
        session.execute(text("SELECT locked_until FROM nowhere"))
    assert not isinstance(kept.value, DatabaseUnavailable)
    good.dispose()
    engine = make_engine(junk)
    with pytest.raises(DatabaseUnavailable), unit_of_work(make_session_factory(engine)) as session:
        session.execute(text("SELECT * FROM sqlite_master"))
    engine.dispose()
