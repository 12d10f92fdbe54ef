"""The sync worker's side of the outbox: read a batch in order, store head office's answers,
rewind after a head-office restore, and keep ``sync_state``. Each function is one short
transaction; an acknowledgement is written only from head office's answer (G6).

What is delivered (migration 0014): an event whose ``seq`` is at or below its channel's mark
(``outbox_ack.through_seq``), or whose own ``state`` is ``acked`` / ``quarantined``. An answered
batch moves the mark — one small row — instead of rewriting every event row under SQLite's single
write lock, where a payment at the window would wait behind it. Reads run in deferred
transactions: they neither wait for nor block the window's writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from counter_app.core.crashpoints import crash_point
from counter_app.core.syncwire import canonical_json
from counter_app.persistence.database import unit_of_work
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import NodeIdentity, OutboxAck, OutboxEvent, SyncState
from counter_app.persistence.outbox import CHANNELS
from counter_app.services.billing.ledger import read_session

PEER = "hq"
ACKED = "acked"
QUARANTINED = "quarantined"
PENDING = "pending"
DONE_STATES = (ACKED, QUARANTINED)


_WIRE_COLUMNS = (OutboxEvent.event_id, OutboxEvent.node_id, OutboxEvent.channel, OutboxEvent.channel_seq,
                 OutboxEvent.event_type, OutboxEvent.aggregate_type, OutboxEvent.aggregate_id,
                 OutboxEvent.schema_version, OutboxEvent.created_at, OutboxEvent.payload, OutboxEvent.payload_sha256,
                 OutboxEvent.prev_chain, OutboxEvent.chain, OutboxEvent.seq)


def wire_event(row: Any) -> dict[str, Any]:
    """An outbox row (or a row of ``_WIRE_COLUMNS``) as the contract's event E."""
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
    seqs: tuple[int, ...] = ()  # the events' local seq, in order
    encoded: tuple[str, ...] = ()  # each event's canonical JSON, made once


def push_body(node_id: str, incarnation: int, events: list[dict[str, Any]] | tuple[dict[str, Any], ...],
              backlog: dict[str, Any] | None = None, encoded: tuple[str, ...] | list[str] | None = None) -> bytes:
    """The push's canonical JSON: {backlog?, events, incarnation, node_id}. Given the events'
    own canonical JSON (``encoded``), it is put together from them instead of encoding the events
    again (the sync thread's largest cost, on the interpreter lock the window's thread wants too)."""
    if encoded is None:
        encoded = [canonical_json(event) for event in events]
    parts = [] if backlog is None else [f'"backlog":{canonical_json(backlog)}']
    parts += [f'"events":[{",".join(encoded)}]', f'"incarnation":{canonical_json(incarnation)}',
              f'"node_id":{canonical_json(node_id)}']
    return ("{" + ",".join(parts) + "}").encode("utf-8")


def marks(session: Session) -> dict[str, int]:
    """Per channel, the seq at and below which every event is delivered."""
    held = dict(session.execute(select(OutboxAck.channel, OutboxAck.through_seq)).all())
    return {channel: int(held.get(channel) or 0) for channel in CHANNELS}


def pending_where(channel: str, above: int) -> ColumnElement[bool]:
    """Events of ``channel`` still to send, above ``above`` (the mark or the worker's cursor):
    a range of the index (channel, state, seq)."""
    return and_(OutboxEvent.channel == channel, OutboxEvent.state == PENDING, OutboxEvent.seq > above)


def delivered_where(mark: dict[str, int]) -> ColumnElement[bool]:
    """Events head office answered for: at or below their channel's mark, or marked one by one."""
    return or_(OutboxEvent.state.in_(DONE_STATES),
               *(and_(OutboxEvent.channel == channel, OutboxEvent.seq <= seq) for channel, seq in mark.items()))


def delivery_states(session: Session) -> dict[str, str]:
    """event id → ``pending`` | ``acked`` | ``quarantined``, the mark applied (for tests and tools)."""
    mark = marks(session)
    return {event_id: (ACKED if state == PENDING and seq <= mark.get(channel, 0) else state)
            for event_id, channel, seq, state in session.execute(
                select(OutboxEvent.event_id, OutboxEvent.channel, OutboxEvent.seq, OutboxEvent.state))}


def next_batch(sessions: sessionmaker[Session], node_id: str, incarnation: int, channel: str,
               max_events: int, max_bytes: int, after: int = 0) -> Batch | None:
    """The oldest pending events of ``channel`` in local order (above ``after`` too, the events the
    worker has answers for but has not marked yet), as many as fit both limits."""
    with read_session(sessions) as session:
        above = max(marks(session)[channel], after)
        rows = session.execute(select(*_WIRE_COLUMNS).where(pending_where(channel, above))
                               .order_by(OutboxEvent.seq).limit(max_events)).all()
    if not rows:
        return None
    overhead = len(push_body(node_id, incarnation, [])) + REPORT_ROOM
    size, chosen, encoded = overhead, [], []
    for row in rows:
        event = wire_event(row)
        text = canonical_json(event)
        grown = len(text.encode("utf-8")) + (1 if chosen else 0)
        if size + grown > max_bytes:
            if not chosen:  # one event alone is too big for any request: it can never be sent
                return Batch(channel, (), b"", (event["event_id"],))
            break
        chosen.append(event)
        encoded.append(text)
        size += grown
    return Batch(channel, tuple(chosen), push_body(node_id, incarnation, chosen, encoded=encoded), (),
                 tuple(row.seq for row in rows[:len(chosen)]), tuple(encoded))


@dataclass
class Answers:
    """Head office's answers for one batch, sorted: ``through`` is the seq of the last event of the
    answered run at the batch's start (the channel's mark may move there); ``one_by_one`` are
    (event id, state, result) to write on the rows themselves: quarantined events, and events
    answered after one that was not."""

    channel: str
    through: int = 0
    one_by_one: list[tuple[str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"acked": 0, "quarantined": 0, "unanswered": 0})


def read_results(batch: Batch, results: list[dict[str, Any]]) -> Answers:
    """Sort head office's per-event answers: applied/duplicate → acked, quarantined → quarantined;
    an event it did not answer for stays pending."""
    by_id: dict[str, tuple[str, str]] = {}
    for result in results:
        event_id, status = result.get("event_id"), result.get("status")
        if not isinstance(event_id, str) or event_id in by_id:
            continue
        if status == "applied" or (status == "duplicate" and not result.get("code")):
            by_id[event_id] = (ACKED, str(status))
        elif status in (QUARANTINED, "duplicate"):  # a duplicate of an event head office holds in quarantine
            text = f"{result.get('code') or 'quarantined'}: {result.get('detail') or ''}".strip(": ")[:200]
            by_id[event_id] = (QUARANTINED, text)
    answers, run = Answers(batch.channel), True
    for event, seq in zip(batch.events, batch.seqs):
        answer = by_id.get(event["event_id"])
        if answer is None:
            answers.counts["unanswered"] += 1
            run = False
            continue
        answers.counts["acked" if answer[0] == ACKED else "quarantined"] += 1
        if run:
            answers.through = seq
        if answer[0] == QUARANTINED or not run:
            answers.one_by_one.append((event["event_id"], *answer))
    return answers


def write_answers(sessions: sessionmaker[Session], answers: list[Answers], now: datetime) -> None:
    """One short write: each channel's mark moved forward, and the few rows answered one by one."""
    through: dict[str, int] = {}
    for answer in answers:
        through[answer.channel] = max(through.get(answer.channel, 0), answer.through)
    one_by_one = [row for answer in answers for row in answer.one_by_one]
    if not one_by_one and not any(through.values()):
        return
    with unit_of_work(sessions) as session:
        for channel, seq in through.items():
            if seq:
                move_mark(session, channel, seq, now)
        for event_id, state, text in one_by_one:
            session.execute(update(OutboxEvent).where(OutboxEvent.event_id == event_id, OutboxEvent.state == PENDING)
                            .values(state=state, acked_at=now, result=text))
        crash_point("during_ack")


def move_mark(session: Session, channel: str, seq: int, now: datetime, *, back: bool = False) -> None:
    """Forward only (two workers' answers may arrive in any order), unless ``back`` (a rewind)."""
    statement = sqlite_insert(OutboxAck).values(channel=channel, through_seq=seq, updated_at=now)
    kept = statement.excluded.through_seq if back else func.max(OutboxAck.through_seq, statement.excluded.through_seq)
    session.execute(statement.on_conflict_do_update(index_elements=["channel"],
                                                    set_={"through_seq": kept, "updated_at": now}))


def quarantine_locally(sessions: sessionmaker[Session], event_ids: tuple[str, ...], code: str, now: datetime) -> None:
    with unit_of_work(sessions) as session:
        session.execute(update(OutboxEvent).where(OutboxEvent.event_id.in_(event_ids), OutboxEvent.state == PENDING)
                        .values(state=QUARANTINED, acked_at=now, result=f"local: {code}"[:200]))


def identity(sessions: sessionmaker[Session]) -> NodeIdentity:
    with read_session(sessions) as session:
        return session.scalars(select(NodeIdentity)).one()


def acked_by_node(sessions: sessionmaker[Session]) -> dict[str, dict[str, int]]:
    """Per node id in this outbox (this node and the incarnations before a re-enrolment) and
    channel, the highest channel_seq head office acknowledged."""
    with read_session(sessions) as session:
        rows = session.execute(select(OutboxEvent.node_id, OutboxEvent.channel, func.max(OutboxEvent.channel_seq))
                               .where(delivered_where(marks(session)))
                               .group_by(OutboxEvent.node_id, OutboxEvent.channel)).all()
    return _by_node(rows)


def local_by_node(sessions: sessionmaker[Session]) -> dict[str, dict[str, int]]:
    """Per node id and channel, the highest channel_seq this database holds."""
    with read_session(sessions) as session:
        rows = session.execute(select(OutboxEvent.node_id, OutboxEvent.channel, func.max(OutboxEvent.channel_seq))
                               .group_by(OutboxEvent.node_id, OutboxEvent.channel)).all()
    return _by_node(rows)


def _by_node(rows: Any) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for node, channel, seq in rows:
        found.setdefault(node, {c: 0 for c in CHANNELS})[channel] = int(seq or 0)
    return found


def acked_through(sessions: sessionmaker[Session], node_id: str) -> dict[str, int]:
    """Per channel, the highest channel_seq of this node's events head office acknowledged."""
    return acked_by_node(sessions).get(node_id) or {channel: 0 for channel in CHANNELS}


def local_max(sessions: sessionmaker[Session], node_id: str) -> dict[str, int]:
    return local_by_node(sessions).get(node_id) or {channel: 0 for channel in CHANNELS}


def rewind(sessions: sessionmaker[Session], node_id: str, channel: str, hq_max: int) -> int:
    """Head office lost events (restored from a backup): send ``node_id``'s delivered events of
    ``channel`` above ``hq_max`` again (their payloads are retained): the channel's mark goes back
    to just below the first of them, so what head office still holds after it is sent again too
    and answered ``duplicate``. Returns how many of ``node_id``'s events go again."""
    with unit_of_work(sessions) as session:
        mark = marks(session)
        lost = and_(OutboxEvent.node_id == node_id, OutboxEvent.channel == channel, OutboxEvent.channel_seq > hq_max)
        first, count = session.execute(select(func.min(OutboxEvent.seq), func.count()).where(
            lost, delivered_where({channel: mark[channel]}))).one()
        if not count:
            return 0
        session.execute(update(OutboxEvent).where(lost, OutboxEvent.state.in_(DONE_STATES))
                        .values(state=PENDING, acked_at=None, result="rewound: hq restored"))
        if first <= mark[channel]:
            move_mark(session, channel, first - 1, utcnow(), back=True)
        return int(count)


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


def backlog(session: Session, after: dict[str, int] | None = None) -> tuple[int, int, datetime | None, datetime | None]:
    """(pending, quarantined, oldest pending created_at, oldest pending payment's created_at),
    from the index (channel, state, seq) above each channel's mark (or above ``after``, what the
    worker has sent since). The oldest is the first written."""
    mark = marks(session)
    pending, oldest, oldest_payment = 0, None, None
    for channel in CHANNELS:
        above = pending_where(channel, max(mark[channel], (after or {}).get(channel, 0)))
        pending += session.scalar(select(func.count()).select_from(OutboxEvent).where(above)) or 0
        first = session.scalar(select(OutboxEvent.created_at).where(above).order_by(OutboxEvent.seq).limit(1))
        if first is not None and (oldest is None or first < oldest):
            oldest = first
        if channel == "payments":
            oldest_payment = first
    quarantined = session.scalar(select(func.count()).select_from(OutboxEvent).where(
        OutboxEvent.state == QUARANTINED)) or 0
    return pending, quarantined, oldest, oldest_payment


def backlog_report(sessions: sessionmaker[Session], after: dict[str, int] | None = None) -> dict[str, Any]:
    """What the node tells head office of its backlog (hello, push): head office shows it in
    ``hq-admin nodes``. ``after``: events sent in this very request count as sent."""
    with read_session(sessions) as session:
        pending, quarantined, _, oldest_payment = backlog(session, after)
    return {"pending": pending, "quarantined": quarantined,
            "oldest_unsent_payment_at": oldest_payment.isoformat() if oldest_payment else None}


#: room kept in every push for a backlog report
REPORT_ROOM = len(canonical_json({"backlog": {"pending": 10**12, "quarantined": 10**12,
                                              "oldest_unsent_payment_at": "2000-01-01T00:00:00.000000+00:00"}}))


def has_pending(sessions: sessionmaker[Session]) -> bool:
    with read_session(sessions) as session:
        mark = marks(session)
        return any(session.scalar(select(OutboxEvent.seq).where(pending_where(channel, seq)).limit(1)) is not None
                   for channel, seq in mark.items())
