"""The sync worker's side of the outbox: read a batch in order, store head office's answers,
rewind after a head-office restore, and keep ``sync_state``. Each function is one short
transaction; an acknowledgement is written only from head office's answer (G6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from counter_app.core.crashpoints import crash_point
from counter_app.core.syncwire import canonical_json
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import NodeIdentity, OutboxEvent, SyncState
from counter_app.persistence.outbox import CHANNELS

PEER = "hq"
ACKED = "acked"
QUARANTINED = "quarantined"
PENDING = "pending"
DONE_STATES = (ACKED, QUARANTINED)


def wire_event(row: OutboxEvent) -> dict[str, Any]:
    """An outbox row as the contract's event E."""
    return {"event_id": row.event_id, "node_id": row.node_id, "channel": row.channel, "channel_seq": row.channel_seq,
            "event_type": row.event_type, "aggregate_type": row.aggregate_type, "aggregate_id": row.aggregate_id,
            "schema_version": row.schema_version, "created_at": row.created_at.isoformat(), "payload": row.payload,
            "payload_sha256": row.payload_sha256, "prev_chain": row.prev_chain, "chain": row.chain}


@dataclass(frozen=True)
class Batch:
    channel: str
    events: tuple[dict[str, Any], ...]
    body: bytes
    oversized: tuple[str, ...] = ()  # event ids that alone exceed the byte limit


def push_body(node_id: str, incarnation: int, events: list[dict[str, Any]]) -> bytes:
    return canonical_json({"node_id": node_id, "incarnation": incarnation, "events": events}).encode("utf-8")


def next_batch(sessions: sessionmaker[Session], node_id: str, incarnation: int, channel: str,
               max_events: int, max_bytes: int) -> Batch | None:
    """The oldest pending events of ``channel`` in local order, as many as fit both limits."""
    with unit_of_work(sessions) as session:
        rows = session.scalars(select(OutboxEvent).where(OutboxEvent.channel == channel, OutboxEvent.state == PENDING)
                               .order_by(OutboxEvent.seq).limit(max_events)).all()
        events = [wire_event(row) for row in rows]
    if not events:
        return None
    overhead = len(push_body(node_id, incarnation, []))
    size, chosen = overhead, []
    for event in events:
        grown = len(canonical_json(event).encode("utf-8")) + (1 if chosen else 0)
        if size + grown > max_bytes:
            if not chosen:  # one event alone is too big for any request: it can never be sent
                return Batch(channel, (), b"", (event["event_id"],))
            break
        chosen.append(event)
        size += grown
    return Batch(channel, tuple(chosen), push_body(node_id, incarnation, chosen))


def store_results(sessions: sessionmaker[Session], batch: Batch, results: list[dict[str, Any]], now: datetime) -> dict[str, int]:
    """Head office's per-event answers: applied/duplicate → acked, quarantined (or a duplicate
    of an event head office holds in quarantine: its code is given) → quarantined.
    An event it did not answer for stays pending. Returns counts by status."""
    sent = {event["event_id"] for event in batch.events}
    counts = {"acked": 0, "quarantined": 0, "unanswered": 0}
    with unit_of_work(sessions) as session:
        answered = set()
        for result in results:
            event_id, status = result.get("event_id"), result.get("status")
            if event_id not in sent or event_id in answered:
                continue
            if status == "applied" or (status == "duplicate" and not result.get("code")):
                state, text = ACKED, str(status)
            elif status == QUARANTINED or status == "duplicate":  # a duplicate of a quarantined event stays so
                state = QUARANTINED
                text = f"{result.get('code') or 'quarantined'}: {result.get('detail') or ''}".strip(": ")[:200]
            else:
                continue
            answered.add(event_id)
            counts["acked" if state == ACKED else "quarantined"] += 1
            session.execute(update(OutboxEvent).where(OutboxEvent.event_id == event_id, OutboxEvent.state == PENDING)
                            .values(state=state, acked_at=now, result=text))
        crash_point("during_ack")
    counts["unanswered"] = len(sent) - len(answered)
    return counts


def quarantine_locally(sessions: sessionmaker[Session], event_ids: tuple[str, ...], code: str, now: datetime) -> None:
    with unit_of_work(sessions) as session:
        session.execute(update(OutboxEvent).where(OutboxEvent.event_id.in_(event_ids), OutboxEvent.state == PENDING)
                        .values(state=QUARANTINED, acked_at=now, result=f"local: {code}"[:200]))


def identity(sessions: sessionmaker[Session]) -> NodeIdentity:
    with unit_of_work(sessions) as session:
        return session.scalars(select(NodeIdentity)).one()


def acked_through(sessions: sessionmaker[Session], node_id: str) -> dict[str, int]:
    """Per channel, the highest channel_seq of this node's events head office acknowledged."""
    with unit_of_work(sessions) as session:
        rows = dict(session.execute(select(OutboxEvent.channel, func.max(OutboxEvent.channel_seq))
                                    .where(OutboxEvent.node_id == node_id, OutboxEvent.state.in_(DONE_STATES))
                                    .group_by(OutboxEvent.channel)).all())
    return {channel: int(rows.get(channel) or 0) for channel in CHANNELS}


def local_max(sessions: sessionmaker[Session], node_id: str) -> dict[str, int]:
    with unit_of_work(sessions) as session:
        rows = dict(session.execute(select(OutboxEvent.channel, func.max(OutboxEvent.channel_seq))
                                    .where(OutboxEvent.node_id == node_id).group_by(OutboxEvent.channel)).all())
    return {channel: int(rows.get(channel) or 0) for channel in CHANNELS}


def rewind(sessions: sessionmaker[Session], node_id: str, channel: str, hq_max: int) -> int:
    """Head office lost events (restored from a backup): send this node's acknowledged events of
    ``channel`` above ``hq_max`` again (their payloads are retained). Returns how many."""
    with unit_of_work(sessions) as session:
        result = session.execute(update(OutboxEvent).where(
            OutboxEvent.node_id == node_id, OutboxEvent.channel == channel, OutboxEvent.channel_seq > hq_max,
            OutboxEvent.state.in_(DONE_STATES)).values(state=PENDING, acked_at=None, result="rewound: hq restored"))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]


def lock_receipts(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as session:
        session.execute(update(NodeIdentity).values(receipts_locked=True))


def save_state(sessions: sessionmaker[Session], **values: Any) -> None:
    with unit_of_work(sessions) as session:
        row = session.get(SyncState, PEER)
        if row is None:
            row = SyncState(peer=PEER, status="never", acked_through={}, last_error="")
            session.add(row)
        for name, value in values.items():
            setattr(row, name, value[:500] if name == "last_error" and isinstance(value, str) else value)


def has_pending(sessions: sessionmaker[Session]) -> bool:
    with unit_of_work(sessions) as session:
        return session.scalar(select(OutboxEvent.seq).where(OutboxEvent.state == PENDING).limit(1)) is not None
