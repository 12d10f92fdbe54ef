"""The SQLite database of one node: engine with the pragmas that make a commit durable,
short sessions, and the split between "the environment is broken" and "this is a bug"."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.errors import UserError

BUSY_TIMEOUT_MS = 10_000


class DatabaseUnavailable(UserError):
    """Disk full, file locked, read-only or corrupt: IT can fix it; nothing was written."""

    code = "database_unavailable"


#: SQLite's primary result codes (https://sqlite.org/rescode.html) that mean the file or the disk,
#: not the program: busy/locked, out of memory, read-only, I/O error, corrupt, disk full, cannot
#: open, lock protocol, not a database. Extended codes carry the primary one in their low byte.
_ENVIRONMENT_CODES = frozenset({5, 6, 7, 8, 10, 11, 13, 14, 15, 26})
_DAMAGED_CODES = frozenset({11, 26})  # SQLITE_CORRUPT, SQLITE_NOTADB


def sqlite_error_code(error: BaseException) -> int | None:
    """The primary SQLite result code of a ``sqlite3`` error or of SQLAlchemy's wrapper of one."""
    original = error.orig if isinstance(error, DBAPIError) else error
    code = getattr(original, "sqlite_errorcode", None) if isinstance(original, sqlite3.Error) else None
    return None if code is None else code & 0xFF


def is_environment_error(error: BaseException) -> bool:
    """Disk full, file locked, read-only, unopenable or damaged: told by SQLite's error code."""
    return sqlite_error_code(error) in _ENVIRONMENT_CODES


def is_damaged_database(error: BaseException) -> bool:
    """The file is corrupt or is not an SQLite database at all."""
    return sqlite_error_code(error) in _DAMAGED_CODES


class NodeConnection(sqlite3.Connection):
    """The connection of a node's database. Every transaction of it commits through
    :meth:`commit`, the sessions' (SQLAlchemy calls it) and the queue's plain-SQL batches alike,
    so a writer that must announce its commit asks :meth:`after_commit` here, whichever path
    it wrote through. The callbacks run once, on the committing thread, after the commit; a
    rollback, or a commit that failed, drops them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._after_commit: dict[str, Callable[[], None]] = {}

    def after_commit(self, key: str, callback: Callable[[], None]) -> None:
        """Run ``callback`` after this transaction commits (once per ``key``)."""
        self._after_commit[key] = callback

    def commit(self) -> None:
        after, self._after_commit = self._after_commit, {}
        super().commit()
        for callback in after.values():
            callback()

    def rollback(self) -> None:
        self._after_commit = {}
        super().rollback()


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy issue BEGIN itself so that BEGIN IMMEDIATE can be asked for.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path) -> Engine:
    """An engine for one SQLite file: WAL, synchronous=FULL, foreign keys, busy timeout, and
    every write transaction taken with BEGIN IMMEDIATE so two writers never deadlock."""
    engine = create_engine(f"sqlite:///{path}",
                           connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "factory": NodeConnection})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commits on success, rolls back on any error, translates a broken
    environment (disk full, locked file) into :class:`DatabaseUnavailable`."""
    try:
        with factory.begin() as session:
            yield session
    except DBAPIError as error:
        if is_environment_error(error):
            raise DatabaseUnavailable(f"database unavailable: {error.orig}") from error
        raise
