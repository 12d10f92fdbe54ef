"""For every replicated table: no row commits without its outbox event, none survives a rollback.

Rows are built generically from the schema, so a table added later is covered without a new test.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import UniqueConstraint, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from counter_app.domain.ids import new_id
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import REPLICATED_MODELS, Base, OutboxEvent
from counter_app.persistence.models.base import UTCDateTime
from counter_app.persistence.outbox import record_event

TABLES = sorted(model.__tablename__ for model in REPLICATED_MODELS)


def _value(column, session: Session, event_id: str) -> Any:  # type: ignore[no-untyped-def]
    if column.name == "outbox_event_id":
        return event_id
    unique = _in_unique_constraint(column)
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column
        existing = None if column.unique else session.execute(select(target).limit(1)).scalar()
        if existing is None:
            existing = _insert_row(session, target.table.name)
        return existing
    kind = datetime if isinstance(column.type, UTCDateTime) else column.type.python_type
    if kind is bool:
        return False
    if kind is int:
        return int(new_id()[-8:], 16) if unique else 1
    if kind is datetime:
        return utcnow()
    if kind is date:
        return date(2026, 11, 23) - timedelta(days=int(new_id()[-4:], 16)) if unique else date(2026, 11, 23)
    if kind is bytes:
        return b""
    if kind is str:
        return new_id()[-(getattr(column.type, "length", None) or 36):]
    return {}


def _in_unique_constraint(column) -> bool:  # type: ignore[no-untyped-def]
    return bool(column.unique) or any(
        isinstance(c, UniqueConstraint) and column.name in c.columns for c in column.table.constraints
    )


def _insert_row(session: Session, table_name: str, event_id: str | None = None) -> str:
    """Insert one valid row (parents made as needed, each with its own event) and return its id."""
    table = Base.metadata.tables[table_name]
    if event_id is None and "outbox_event_id" in table.c:
        event_id = record_event(session, channel="ops", event_type="test.parent", aggregate_type=table_name,
                                aggregate_id=new_id(), payload={}).event_id
    row = {}
    for column in table.columns:
        if column.primary_key and column.autoincrement is True:
            continue
        if column.nullable and not column.foreign_keys and column.name != "outbox_event_id":
            continue
        if column.nullable and column.foreign_keys:
            continue
        row[column.name] = _value(column, session, event_id or "")
    session.execute(insert(table), [row])
    pk = list(table.primary_key.columns)[0]
    return row.get(pk.name) or session.execute(select(func.max(pk))).scalar()


def _count(session: Session, table_name: str) -> int:
    return session.scalar(select(func.count()).select_from(Base.metadata.tables[table_name]))


def test_every_fact_table_is_replicated() -> None:
    assert {"payment", "payment_allocation", "receipt", "rating", "ticket", "ticket_event", "application",
            "application_stage_event", "inquiry", "daily_settlement"} <= set(TABLES)


@pytest.mark.parametrize("table_name", TABLES)
def test_no_row_commits_without_its_event(seeded_db, table_name: str) -> None:
    with unit_of_work(seeded_db.sessions) as session:
        _insert_row(session, table_name)  # parents and one good row, committed with their events
        before = _count(session, table_name)
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        with unit_of_work(seeded_db.sessions) as session:
            _insert_row(session, table_name, event_id=new_id())  # an event id that was never written
    with unit_of_work(seeded_db.sessions) as session:
        assert _count(session, table_name) == before


@pytest.mark.parametrize("table_name", TABLES)
def test_a_rollback_leaves_neither_row_nor_event(seeded_db, table_name: str) -> None:
    with unit_of_work(seeded_db.sessions) as session:
        rows, events = _count(session, table_name), _count(session, "outbox_event")

    class Abort(Exception):
        pass

    with pytest.raises(Abort):
        with unit_of_work(seeded_db.sessions) as session:
            _insert_row(session, table_name)
            assert _count(session, table_name) == rows + 1
            raise Abort
    with unit_of_work(seeded_db.sessions) as session:
        assert (_count(session, table_name), _count(session, "outbox_event")) == (rows, events)


def test_events_are_numbered_per_channel_without_gaps(node_db) -> None:
    with unit_of_work(node_db.sessions) as session:
        for channel in ("payments", "ops", "payments", "applications", "payments"):
            record_event(session, channel=channel, event_type="t", aggregate_type="x", aggregate_id="1", payload={"a": 1})
    with unit_of_work(node_db.sessions) as session:
        rows = session.execute(select(OutboxEvent.channel, OutboxEvent.channel_seq).order_by(OutboxEvent.seq)).all()
        hashes = set(session.scalars(select(OutboxEvent.payload_sha256)))
    assert rows == [("payments", 1), ("ops", 1), ("payments", 2), ("applications", 1), ("payments", 3)]
    assert len(hashes) == 1  # the same payload hashes the same


def test_unknown_channel_is_a_bug(node_db) -> None:
    with pytest.raises(ValueError):
        with unit_of_work(node_db.sessions) as session:
            record_event(session, channel="misc", event_type="t", aggregate_type="x", aggregate_id="1", payload={})
