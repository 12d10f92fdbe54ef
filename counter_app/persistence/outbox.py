"""Writing the outbox: a service that records a replicated fact calls :func:`record_event`
in the same transaction, explicitly. Nothing here runs on its own."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from counter_app.domain.ids import new_id
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import NodeIdentity, OutboxEvent
from counter_app.persistence.models.base import dumps

CHANNELS = ("payments", "applications", "ops")


def node_id(session: Session) -> str:
    identity = session.scalars(select(NodeIdentity)).first()
    if identity is None:
        raise RuntimeError("this database has no node identity; run migrations and enrolment first")
    return identity.node_id


@dataclass(frozen=True)
class RecordedEvent:
    """The outbox event just written: its id is what the fact's rows point to."""

    event_id: str
    channel: str
    channel_seq: int


def record_event(
    session: Session,
    *,
    channel: str,
    event_type: str,
    aggregate_type: str,
    aggregate_id: str,
    payload: dict[str, Any],
    node: str | None = None,
    schema_version: int = 1,
    state: str = "pending",
) -> RecordedEvent:
    """Append one outbox event, numbered next in its channel, in the caller's transaction.

    A plain INSERT rather than an ORM object: the hub writes one per transaction at a thousand
    operations a second, and the unit-of-work flush cost more than the write itself."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown outbox channel {channel!r}")
    last = session.scalar(select(func.max(OutboxEvent.channel_seq)).where(OutboxEvent.channel == channel))
    body = dumps(payload)
    event = RecordedEvent(new_id(), channel, (last or 0) + 1)
    session.execute(insert(OutboxEvent), [{
        "event_id": event.event_id,
        "channel": channel,
        "channel_seq": event.channel_seq,
        "event_type": event_type,
        "aggregate_type": aggregate_type,
        "aggregate_id": aggregate_id,
        "schema_version": schema_version,
        "payload": payload,
        "payload_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "node_id": node or node_id(session),
        "created_at": utcnow(),
        "state": state,
        "result": "",
    }])
    return event

