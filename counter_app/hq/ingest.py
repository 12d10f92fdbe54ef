"""``POST /v1/sync/push``: checking a batch and storing each event exactly once with its effect.

One transaction per batch, under an advisory lock per pushing node (two workers pushing the same
node's events apply them once, G2/c.9 #6); the answer is built only after it committed (G6).
Each event is decided on its own (G10): applied, duplicate, or quarantined with a code."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from counter_app.core import syncwire
from counter_app.domain.staff_rules import PASSWORD_CHANGED
from counter_app.hq.auth import Caller
from counter_app.hq.errors import HQError, upgrade_required
from counter_app.hq.events import CHANNELS
from counter_app.hq.models import ChannelProgress, InboundEvent, ReceiptClaim, SyncIncident
from counter_app.hq.payments import PAYMENT_EVENTS, payment_row
from counter_app.hq.quarantine import release_waiting
from counter_app.hq.staff_events import apply_staff_events

log = logging.getLogger(__name__)


class RaceLost(Exception):
    """Another transaction stored one of these event ids meanwhile: run the batch again."""


@dataclass
class Outcome:
    results: list[dict[str, Any]]
    counts: dict[str, int] = field(default_factory=dict)
    lag_seconds: float | None = None


def _result(event_id: str, status: str, code: str | None = None, detail: str | None = None) -> dict[str, Any]:
    return {"event_id": event_id, "status": status, "code": code, "detail": detail}


_EVENT_COLUMNS = (("event_id", "text"), ("node_id", "text"), ("channel", "text"), ("channel_seq", "bigint"),
                  ("event_type", "text"), ("aggregate_type", "text"), ("aggregate_id", "text"),
                  ("schema_version", "int"), ("created_at", "timestamptz"), ("payload", "jsonb"),
                  ("payload_sha256", "text"), ("prev_chain", "text"), ("chain", "text"),
                  ("received_at", "timestamptz"), ("received_by", "text"), ("apply_status", "text"),
                  ("error_code", "text"), ("error_detail", "text"))
_PAYMENT_COLUMNS = (("payment_id", "text"), ("event_id", "text"), ("node_id", "text"), ("branch_code", "text"),
                    ("terminal_code", "text"), ("kind", "text"), ("reverses_id", "text"), ("receipt_no", "text"),
                    ("account_no", "text"), ("business_date", "text"), ("amount_fen", "bigint"),
                    ("late_fee_fen", "bigint"), ("to_balance_fen", "bigint"), ("from_balance_fen", "bigint"),
                    ("clerk_no", "text"), ("window_number", "int"), ("created_at", "timestamptz"),
                    ("posted_at", "timestamptz"))


def insert_rows(connection: Connection, table: str, columns: tuple[tuple[str, str], ...], rows: list[dict[str, Any]],
                tail: str = "") -> list[Any]:
    """One INSERT … SELECT FROM unnest(arrays) for many rows: a single round trip, a statement that
    never changes (SQLAlchemy's multi-row VALUES cost more to compile than to run) and binary
    parameters (text arrays would be escaped character by character). Runs on the driver's
    connection, inside the caller's transaction."""
    names = ", ".join(name for name, _ in columns)
    arrays = ", ".join(f"%b::{kind}[]" for _, kind in columns)  # %b: sent in binary
    values = tuple([row[name] for row in rows] for name, _ in columns)
    with connection.connection.driver_connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {tail}", values)
        return cursor.fetchall() if cursor.description else [None] * cursor.rowcount


class _Batch:
    """What the database already holds about one batch, loaded in three queries."""

    def __init__(self, connection: Connection, events: list[dict[str, Any]]) -> None:
        self.stored = {r.event_id: r._asdict() for r in connection.exec_driver_sql(
            "SELECT event_id, payload_sha256, apply_status, error_code FROM inbound_event WHERE event_id = ANY(%s)",
            ([e["event_id"] for e in events],))}
        keys = list({(e["node_id"], e["channel"], e["channel_seq"] + d) for e in events for d in (-1, 0)})
        self.slots: dict[tuple[str, str, int], tuple[str, str]] = {}
        for row in connection.exec_driver_sql(
                "SELECT e.node_id, e.channel, e.channel_seq, e.event_id, e.chain FROM inbound_event e "
                "JOIN unnest(%s::text[], %s::text[], %s::bigint[]) AS k(node_id, channel, channel_seq) "
                "USING (node_id, channel, channel_seq) ORDER BY e.received_at",
                ([k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys])):
            self.slots.setdefault((row.node_id, row.channel, row.channel_seq), (row.event_id, row.chain))
        wanted = {e["payload"].get("payment", {}).get(k) for e in events if e["event_type"] in PAYMENT_EVENTS
                  and isinstance(e["payload"].get("payment"), dict) for k in ("id", "reverses_id")}
        wanted = {w for w in wanted if isinstance(w, str)}
        self.payments: set[str] = set()
        self.waiting = False  # a void or refund of one of these payments waits in quarantine
        if wanted:
            for kind, key in connection.exec_driver_sql(
                    "SELECT 'booked', payment_id FROM hq_payment WHERE payment_id = ANY(%(ids)s) UNION ALL "
                    "SELECT 'waiting', event_id FROM inbound_event WHERE apply_status = 'quarantined' "
                    "AND error_code = 'depends_on_missing' AND payload->'payment'->>'reverses_id' = ANY(%(ids)s)",
                    {"ids": list(wanted)}):
                if kind == "booked":
                    self.payments.add(key)
                else:
                    self.waiting = True


def _decide(event: dict[str, Any], batch: _Batch, caller: Caller) -> tuple[str, str | None, str | None, dict | None]:
    """(status, code, detail, incident kind or None) for one new event."""
    event["payload_json"] = syncwire.canonical_json(event["payload"])
    digest = syncwire.sha256_hex(event["payload_json"].encode("utf-8"))
    if digest != event["payload_sha256"]:
        return "quarantined", "payload_hash_mismatch", f"payload hashes to {digest}", None
    if syncwire.chain_hash(event["prev_chain"], event["event_id"], event["payload_sha256"]) != event["chain"]:
        return "quarantined", "chain_broken", "chain is not the hash of prev_chain, event_id and payload", "chain_broken"
    key = (event["node_id"], event["channel"], event["channel_seq"])
    taken = batch.slots.get(key)
    if taken is not None and taken[0] != event["event_id"]:
        return ("quarantined", "sequence_conflict", f"channel_seq {key[2]} already holds event {taken[0]}",
                "sequence_conflict")
    before = batch.slots.get((key[0], key[1], key[2] - 1))
    if before is not None and before[1] != event["prev_chain"]:
        return ("quarantined", "chain_broken", f"prev_chain differs from the chain of event {before[0]} "
                "head office holds: an earlier event was edited or removed", "chain_broken")
    payload_node = event["payload"].get("node_id")
    if payload_node is not None and payload_node != event["node_id"]:
        return "quarantined", "node_mismatch", f"payload names node {payload_node}", None
    payload_branch = event["payload"].get("branch_code")
    if payload_branch is not None and payload_branch != caller.branch_code:
        return "quarantined", "branch_mismatch", f"payload names branch {payload_branch}, node is of {caller.branch_code}", None
    return "applied", None, None, None


def _incident(kind: str, event: dict[str, Any], detail: str, now: datetime) -> dict[str, Any]:
    return {"kind": kind, "node_id": event["node_id"], "event_id": event["event_id"],
            "payload_sha256": event["payload_sha256"], "detail": detail, "raised_at": now,
            "evidence": {k: v for k, v in event.items() if k not in ("created_at_dt", "payload_json")}}


def _event_row(event: dict[str, Any], caller: Caller, now: datetime, status: str, code: str | None,
               detail: str | None) -> dict[str, Any]:
    return {"event_id": event["event_id"], "node_id": event["node_id"], "channel": event["channel"],
            "channel_seq": event["channel_seq"], "event_type": event["event_type"],
            "aggregate_type": event["aggregate_type"], "aggregate_id": event["aggregate_id"],
            "schema_version": event["schema_version"], "created_at": event["created_at_dt"],
            "payload": event.get("payload_json") or syncwire.canonical_json(event["payload"]),
            "payload_sha256": event["payload_sha256"], "prev_chain": event["prev_chain"],
            "chain": event["chain"], "received_at": now, "received_by": caller.node_id, "apply_status": status,
            "error_code": code, "error_detail": detail}


def apply_batch(connection: Connection, caller: Caller, body: dict[str, Any], now: datetime) -> Outcome:
    """Everything the push does inside its transaction (the caller commits, then answers)."""
    events = body["events"]
    node_ids = {e["node_id"] for e in events} | {body["node_id"]}
    if body["node_id"] != caller.node_id or not caller.may_push_for(connection, node_ids):
        raise HQError(403, "node_mismatch", "events of another node: a node pushes only its own events",
                      node_id=caller.node_id)
    if any(e["schema_version"] not in syncwire.ACCEPTED_SCHEMA_VERSIONS for e in events):
        raise upgrade_required()
    for node in sorted(node_ids):  # in one order everywhere: no deadlock between two workers
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"node:{node}"})
    batch = _Batch(connection, events)
    results: list[dict[str, Any]] = []
    rows, payments, incidents = [], [], []
    seen: dict[str, dict[str, Any]] = {}
    newest: datetime | None = None
    for event in events:
        eid = event["event_id"]
        earlier = batch.stored.get(eid) or seen.get(eid)
        if earlier is not None:
            if earlier["payload_sha256"] == event["payload_sha256"]:
                booked = earlier["apply_status"] == "applied"  # released or re-applied since: no code
                results.append(_result(eid, "duplicate", None if booked else earlier["error_code"],
                                       f"stored earlier as {earlier['apply_status']}"))
            else:
                detail = "an event with this id and another payload is already stored"
                incidents.append(_incident("event_id_conflict", event, detail, now))
                results.append(_result(eid, "quarantined", "event_id_conflict", detail))
            continue
        status, code, detail, incident = _decide(event, batch, caller)
        payment = None
        if status == "applied" and event["event_type"] in PAYMENT_EVENTS:
            payment, code, detail = payment_row(event, caller, batch.payments, now)
            if payment is None:
                status = "quarantined"
        if incident:
            incidents.append(_incident(incident, event, detail or "", now))
        row = _event_row(event, caller, now, status, code, detail)
        rows.append(row)
        seen[eid] = row
        batch.slots.setdefault((event["node_id"], event["channel"], event["channel_seq"]), (eid, event["chain"]))
        batch.waiting = batch.waiting or code == "depends_on_missing"
        if payment is not None:
            payments.append(payment)
            batch.payments.add(payment["payment_id"])
        if newest is None or event["created_at_dt"] > newest:
            newest = event["created_at_dt"]
        results.append(_result(eid, status, code, detail))
    if rows:
        if len(insert_rows(connection, "inbound_event", _EVENT_COLUMNS, rows, "ON CONFLICT DO NOTHING")) != len(rows):
            raise RaceLost()
    if payments:
        _post_payments(connection, payments, events, incidents, now)
        if batch.waiting:
            release_waiting(connection, [p["payment_id"] for p in payments if p["kind"] == "payment"], now)
    if incidents:
        connection.execute(pg_insert(SyncIncident).values(incidents).on_conflict_do_nothing())
    staff_events = list({e["event_id"]: e for e in events if e["event_type"] == PASSWORD_CHANGED
                         and seen.get(e["event_id"], {}).get("apply_status") == "applied"}.values())
    if staff_events:  # new this push (a duplicate was applied when it first came)
        apply_staff_events(connection, caller.branch_code, staff_events)
    _advance_progress(connection, {(e["node_id"], e["channel"]) for e in events}, rows)
    counts: dict[str, int] = {}
    for result in results:
        counts[result["status"]] = counts.get(result["status"], 0) + 1
    lag = (now - newest).total_seconds() if newest is not None else None
    return Outcome(results, counts, lag)


def _post_payments(connection: Connection, payments: list[dict[str, Any]], events: list[dict[str, Any]],
                   incidents: list[dict[str, Any]], now: datetime) -> None:
    """Book the payments; a receipt number already used keeps both payments and raises an incident (G3)."""
    insert_rows(connection, "hq_payment", _PAYMENT_COLUMNS, payments)
    claims = {p["receipt_no"]: p["payment_id"] for p in reversed(payments)}  # the first in the batch claims
    won = {row[0] for row in insert_rows(
        connection, "receipt_claim", (("receipt_no", "text"), ("payment_id", "text")),
        [{"receipt_no": r, "payment_id": p} for r, p in claims.items()], "ON CONFLICT DO NOTHING RETURNING receipt_no")}
    by_event = {e["event_id"]: e for e in events}
    for payment in payments:
        receipt = payment["receipt_no"]
        if receipt in won and claims[receipt] == payment["payment_id"]:
            continue
        holder = connection.execute(select(ReceiptClaim.payment_id).where(ReceiptClaim.receipt_no == receipt)).scalar()
        holder = holder or claims[receipt]
        incidents.append(_incident("receipt_collision", by_event[payment["event_id"]],
                                   f"receipt {receipt} of payment {payment['payment_id']} was already used by "
                                   f"payment {holder}; both are kept", now))
        log.warning("receipt collision: %s used by %s and %s", receipt, holder, payment["payment_id"])


def _advance_progress(connection: Connection, streams: set[tuple[str, str]], rows: list[dict[str, Any]]) -> None:
    """node_channel_progress: the highest channel_seq below which head office holds every event.
    The node's advisory lock is held, so nobody else moves it meanwhile."""
    for node, channel in sorted(streams):
        new = sorted({r["channel_seq"] for r in rows if r["node_id"] == node and r["channel"] == channel})
        if not new:
            continue
        current = connection.execute(select(ChannelProgress.max_contiguous_seq, ChannelProgress.max_seen_seq).where(
            ChannelProgress.node_id == node, ChannelProgress.channel == channel)).first()
        contiguous, seen = (current.max_contiguous_seq, current.max_seen_seq) if current else (0, 0)
        if new[0] == contiguous + 1 and new[-1] - new[0] + 1 == len(new) and seen <= new[-1]:
            contiguous = new[-1]  # the usual case: the next run, nothing stored beyond it
        elif new[0] <= contiguous + 1:
            held = connection.execute(select(InboundEvent.channel_seq).distinct().where(
                InboundEvent.node_id == node, InboundEvent.channel == channel,
                InboundEvent.channel_seq > contiguous).order_by(InboundEvent.channel_seq)).scalars()
            for seq in held:
                if seq != contiguous + 1:
                    break
                contiguous = seq
        seen = max(seen, new[-1])
        connection.execute(pg_insert(ChannelProgress).values(
            node_id=node, channel=channel, max_contiguous_seq=contiguous, max_seen_seq=seen)
            .on_conflict_do_update(index_elements=["node_id", "channel"],
                                   set_={"max_contiguous_seq": contiguous, "max_seen_seq": seen}))


def hq_max_seq(connection: Connection, node_id: str) -> dict[str, int]:
    return hq_max_seqs(connection, {node_id})[node_id]


def hq_max_seqs(connection: Connection, node_ids: set[str]) -> dict[str, dict[str, int]]:
    """Per node and channel, the channel_seq below which head office holds every event."""
    held = {node: {channel: 0 for channel in CHANNELS} for node in node_ids}
    if node_ids:
        for node, channel, seq in connection.execute(select(
                ChannelProgress.node_id, ChannelProgress.channel, ChannelProgress.max_contiguous_seq)
                .where(ChannelProgress.node_id.in_(node_ids))):
            if channel in held[node]:
                held[node][channel] = int(seq)
    return held
