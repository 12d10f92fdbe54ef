"""Declarative base, column types and the mixins every table shares."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from typing import Any, Callable

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from counter_app.domain.ids import new_id

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC; naive values are refused rather than guessed."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime(),
        date: Date(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        str: String(),
    }


def uuid_pk() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


class Replicated:
    """A fact that flows upstream: made on one node, carried by the outbox event it points to.

    ``outbox_event_id`` is a deferred foreign key, so SQLite refuses at COMMIT any row whose
    outbox event was not written in the same transaction, and a rollback removes both.
    """

    __replicated__ = True

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    node_id: Mapped[str] = mapped_column(String(36))
    outbox_event_id: Mapped[str] = mapped_column(
        String(36),
        ForeignKey("outbox_event.event_id", deferrable=True, initially="DEFERRED"),
        index=True,
    )


class Reference:
    """Reference data owned by head office, read-only at the branch, versioned for sync."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    hq_version: Mapped[int] = mapped_column(Integer, default=0)


def dumps(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """The canonical JSON text (keys sorted, compact, UTF-8); ``default`` as in :func:`json.dumps`."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=default)
