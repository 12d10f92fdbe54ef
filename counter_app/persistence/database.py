"""The SQLite database of one node: engine with the pragmas that make a commit durable,
short sessions, and the split between "the environment is broken" and "this is a bug"."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.errors import UserError

BUSY_TIMEOUT_MS = 10_000


class DatabaseUnavailable(UserError):
    """Disk full, file locked, read-only or corrupt: IT can fix it; nothing was written."""

    code = "database_unavailable"


_ENVIRONMENT_ERRORS = ("disk", "full", "locked", "readonly", "read-only", "corrupt", "malformed", "unable to open", "busy")


def is_environment_error(error: BaseException) -> bool:
    text = str(error).lower()
    return isinstance(error, (OperationalError, sqlite3.OperationalError)) and any(w in text for w in _ENVIRONMENT_ERRORS)


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
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
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
    except OperationalError as error:
        if is_environment_error(error):
            raise DatabaseUnavailable(f"database unavailable: {error.orig}") from error
        raise
