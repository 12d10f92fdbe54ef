"""Rows of the queue's tables on the hub's hot path, read and written with plain SQL on the
session's own SQLite connection (same transaction), in exactly the storage format of the
SQLAlchemy column types, so ORM readers elsewhere see the same values.

A queue operation runs ten-odd statements; through SQLAlchemy's statement layer that costs
more CPU than everything else the hub does, and the hub must answer 1,000 operations a second
on a two-core machine."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from typing import Any, Callable, Sequence

from sqlalchemy import JSON, Boolean, Date, Table

from counter_app.persistence.models import OutboxEvent, Ticket, TicketEvent, WindowState
from counter_app.persistence.models.base import UTCDateTime

UTC = timezone.utc


def write_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def read_datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def write_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def read_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def write_json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def read_json(value: str | None) -> Any:
    return None if value is None else json.loads(value)


class RawTable:
    """Column names and codecs of one mapped table, taken from its SQLAlchemy definition."""

    def __init__(self, table: Table) -> None:
        self.name = table.name
        self.columns: tuple[str, ...] = tuple(column.name for column in table.columns)
        self.readers: dict[str, Callable[[Any], Any]] = {}
        self.writers: dict[str, Callable[[Any], Any]] = {}
        for column in table.columns:
            kind = column.type
            if isinstance(kind, UTCDateTime):
                self.readers[column.name], self.writers[column.name] = read_datetime, write_datetime
            elif isinstance(kind, Date):
                self.readers[column.name], self.writers[column.name] = read_date, write_date
            elif isinstance(kind, JSON):
                self.readers[column.name], self.writers[column.name] = read_json, write_json
            elif isinstance(kind, Boolean):
                self.readers[column.name], self.writers[column.name] = bool, int
        quoted = ", ".join(f'"{name}"' for name in self.columns)
        self.select = f'SELECT {quoted} FROM "{self.name}"'
        self.insert = f'INSERT INTO "{self.name}" ({quoted}) VALUES ({", ".join("?" * len(self.columns))})'

    def decode(self, row: Sequence[Any]) -> dict[str, Any]:
        values = dict(zip(self.columns, row))
        for name, reader in self.readers.items():
            if values[name] is not None:
                values[name] = reader(values[name])
        return values

    def encode(self, values: dict[str, Any], names: Sequence[str] | None = None) -> tuple[Any, ...]:
        out = []
        for name in names or self.columns:
            value = values.get(name)
            writer = self.writers.get(name)
            out.append(writer(value) if writer is not None and value is not None else value)
        return tuple(out)

    def update(self, names: Sequence[str], key: str) -> str:
        sets = ", ".join(f'"{name}" = ?' for name in names)
        return f'UPDATE "{self.name}" SET {sets} WHERE "{key}" = ?'


TICKETS = RawTable(Ticket.__table__)  # type: ignore[arg-type]
EVENTS = RawTable(TicketEvent.__table__)  # type: ignore[arg-type]
WINDOW_STATES = RawTable(WindowState.__table__)  # type: ignore[arg-type]
OUTBOX_EVENTS = RawTable(OutboxEvent.__table__)  # type: ignore[arg-type]
del OUTBOX_EVENTS.writers["payload"]  # given as the canonical text its digest is of (models.base.dumps)


def placeholders(count: int) -> str:
    return ", ".join("?" * count) if count else "NULL"


def fetch_one(connection: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    return connection.execute(sql, params).fetchone()


def fetch_value(connection: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    row = connection.execute(sql, params).fetchone()
    return None if row is None else row[0]
