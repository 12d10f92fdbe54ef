"""Writing the outbox: a service that records a replicated fact calls :func:`record_event`
in the same transaction, explicitly (the queue writes its rows with plain SQL: :func:`next_event_row`,
then :func:`announce`).

After such a transaction commits, the callbacks given to :func:`on_commit` run (the sync worker of
this process wakes, SYNC.md c.6): the commit hook is the node's connection's
(:class:`counter_app.persistence.database.NodeConnection`), which every path commits through. A
worker in another process notices the new events by polling the outbox's highest ``seq``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from counter_app.core.syncwire import chain_hash, sha256_hex
from counter_app.domain.ids import new_id
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import NodeIdentity, OutboxEvent
from counter_app.persistence.models.base import dumps

CHANNELS = ("payments", "applications", "ops")
_callbacks: list[Callable[[], None]] = []
_callbacks_lock = threading.Lock()
log = logging.getLogger(__name__)


def on_commit(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` (quick, thread-safe: it runs in the committing thread) after each commit
    that wrote outbox events in this process. Returns the function that unregisters it."""
    with _callbacks_lock:
        _callbacks.append(callback)

    def forget() -> None:
        with _callbacks_lock:
            if callback in _callbacks:
                _callbacks.remove(callback)
    return forget


def announce(connection: Any) -> None:
    """The transaction open on ``connection`` (the driver's: a node's database connection) wrote
    outbox events: call the :func:`on_commit` callbacks once it commits."""
    after_commit = getattr(connection, "after_commit", None)
    if after_commit is not None:  # a node's database; elsewhere nobody is listening
        after_commit("outbox", _committed)


def _committed() -> None:
    with _callbacks_lock:
        callbacks = list(_callbacks)
    for callback in callbacks:
        try:
            callback()
        except Exception:  # a listener's bug must not fail the caller's committed transaction
            log.exception("outbox commit callback failed")


def highest_seq(session: Session) -> int:
    """The newest outbox event's ``seq`` (0 for none): what a worker in another process polls."""
    return int(session.scalar(select(func.max(OutboxEvent.seq))) or 0)


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

    Events are numbered and hash-chained per (node, channel): ``chain`` =
    ``chain_hash(prev_chain, event_id, payload_sha256)`` with the node's previous event in the
    channel (``""`` for its first), so head office notices an edited or missing event.

    A plain INSERT rather than an ORM object: the hub writes one per transaction at a thousand
    operations a second, and the unit-of-work flush cost more than the write itself."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown outbox channel {channel!r}")
    node = node or node_id(session)
    last = session.execute(select(OutboxEvent.channel_seq, OutboxEvent.chain)
                           .where(OutboxEvent.node_id == node, OutboxEvent.channel == channel)
                           .order_by(OutboxEvent.channel_seq.desc()).limit(1)).first()
    row = next_event_row(last, channel=channel, event_type=event_type, aggregate_type=aggregate_type,
                         aggregate_id=aggregate_id, payload_text=dumps(payload), node=node,
                         schema_version=schema_version, state=state)
    session.execute(insert(OutboxEvent), [{**row, "payload": payload}])
    announce(session.connection().connection.driver_connection)
    return RecordedEvent(row["event_id"], channel, row["channel_seq"])


#: The channel's last event, for :func:`next_event_row` (plain SQL, for callers without the ORM).
LAST_EVENT_SQL = ("SELECT channel_seq, chain FROM outbox_event WHERE node_id = ? AND channel = ? "
                  "ORDER BY channel_seq DESC LIMIT 1")


def next_event_row(last: Any, *, channel: str, event_type: str, aggregate_type: str, aggregate_id: str,
                   payload_text: str, node: str, schema_version: int = 1, state: str = "pending",
                   event_id: str | None = None) -> dict[str, Any]:
    """The column values of the outbox event after ``last`` (the channel's last ``(channel_seq,
    chain)``, or ``None``): numbered and chained as :func:`record_event` says. ``payload_text``
    is the payload as :func:`counter_app.persistence.models.base.dumps` writes it (the digest's input);
    ``event_id`` a new id unless the caller took one before (for rows that point at the event)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown outbox channel {channel!r}")
    previous_seq, previous_chain = (last[0], last[1]) if last is not None else (0, "")
    digest = sha256_hex(payload_text.encode("utf-8"))
    event_id = event_id or new_id()
    return {
        "event_id": event_id,
        "channel": channel,
        "channel_seq": previous_seq + 1,
        "event_type": event_type,
        "aggregate_type": aggregate_type,
        "aggregate_id": aggregate_id,
        "schema_version": schema_version,
        "payload": payload_text,
        "payload_sha256": digest,
        "prev_chain": previous_chain,
        "chain": chain_hash(previous_chain, event_id, digest),
        "node_id": node,
        "created_at": utcnow(),
        "state": state,
        "result": "",
    }

