"""Quarantined events at head office: listed, and resolved by a person, either re-applied (e.g. a
void whose payment has arrived since) or rejected with a reason. Never deleted (c.12)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from counter_app.domain.timeutil import utcnow
from counter_app.hq.auth import Caller
from counter_app.hq.errors import HQError, invalid
from counter_app.hq.models import HQPayment, InboundEvent, ReceiptClaim, SyncIncident, SyncNode
from counter_app.hq.payments import PAYMENT_EVENTS, payment_row


@dataclass(frozen=True)
class QuarantinedEvent:
    event_id: str
    node_id: str
    channel: str
    channel_seq: int
    event_type: str
    error_code: str | None
    error_detail: str | None
    received_at: datetime


def list_quarantine(engine: Engine, node_id: str | None = None) -> list[QuarantinedEvent]:
    query = (select(InboundEvent.event_id, InboundEvent.node_id, InboundEvent.channel, InboundEvent.channel_seq,
                    InboundEvent.event_type, InboundEvent.error_code, InboundEvent.error_detail,
                    InboundEvent.received_at)
             .where(InboundEvent.apply_status == "quarantined")
             .order_by(InboundEvent.received_at, InboundEvent.node_id, InboundEvent.channel_seq))
    if node_id:
        query = query.where(InboundEvent.node_id == node_id)
    with engine.connect() as connection:
        return [QuarantinedEvent(*row) for row in connection.execute(query)]


def _quarantined(connection: Any, event_id: str) -> Any:
    row = connection.execute(select(InboundEvent).where(InboundEvent.event_id == event_id).with_for_update()).first()
    if row is None:
        raise invalid("event_id", "the id of an event head office holds")
    if row.apply_status != "quarantined":
        raise invalid("event_id", f"an event in quarantine (this one is {row.apply_status})")
    return row


def reject(engine: Engine, event_id: str, reason: str, by: str, now: datetime | None = None) -> None:
    if not reason.strip():
        raise invalid("reason", "say why the event is rejected")
    with engine.begin() as connection:
        _quarantined(connection, event_id)
        connection.execute(update(InboundEvent).where(InboundEvent.event_id == event_id).values(
            apply_status="rejected", resolved_at=now or utcnow(), resolved_by=by, resolution=f"rejected: {reason}"))


def _book(connection: Any, row: Any, now: datetime) -> tuple[bool, str | None, str | None]:
    """Book the payment of a stored event (its effect, as at first receipt). (done, code, detail)."""
    node = connection.execute(select(SyncNode).where(SyncNode.node_id == row.received_by)).first()
    caller = Caller(node.node_id, node.branch_code, node.terminal_code, node.incarnation)
    event = {"event_id": row.event_id, "node_id": row.node_id, "event_type": row.event_type,
             "payload": row.payload, "created_at_dt": row.created_at}
    payment = row.payload.get("payment") if isinstance(row.payload, dict) else None
    ids = [p for p in ((payment or {}).get("id"), (payment or {}).get("reverses_id")) if isinstance(p, str)]
    known = set(connection.execute(select(HQPayment.payment_id).where(HQPayment.payment_id.in_(ids))).scalars())
    booked, code, detail = payment_row(event, caller, known, now)
    if booked is None:
        return False, code, detail
    connection.execute(pg_insert(HQPayment).values(booked))
    claimed = connection.execute(pg_insert(ReceiptClaim).values(
        receipt_no=booked["receipt_no"], payment_id=booked["payment_id"]).on_conflict_do_nothing()
        .returning(ReceiptClaim.receipt_no)).first()
    if claimed is None:
        connection.execute(pg_insert(SyncIncident).values(
            kind="receipt_collision", node_id=row.node_id, event_id=row.event_id,
            payload_sha256=row.payload_sha256, raised_at=now, evidence={"payload": row.payload},
            detail=f"receipt {booked['receipt_no']} already used; both are kept").on_conflict_do_nothing())
    return True, None, None


def release_waiting(connection: Any, payment_ids: list[str], now: datetime) -> list[str]:
    """Voids and refunds quarantined as ``depends_on_missing`` whose payment was just booked are
    booked now, after it (G9), in the order they were received. Returns their event ids."""
    if not payment_ids:
        return []
    waiting = connection.execute(select(InboundEvent).where(
        InboundEvent.apply_status == "quarantined", InboundEvent.error_code == "depends_on_missing",
        InboundEvent.payload["payment"]["reverses_id"].astext.in_(payment_ids))
        .order_by(InboundEvent.received_at, InboundEvent.channel_seq).with_for_update()).all()
    released = []
    for row in waiting:
        done, _, _ = _book(connection, row, now)
        if done:
            reverses = row.payload["payment"]["reverses_id"]
            connection.execute(update(InboundEvent).where(InboundEvent.event_id == row.event_id).values(
                apply_status="applied", resolved_at=now, resolved_by="head office",
                resolution=f"applied when payment {reverses} arrived"))
            released.append(row.event_id)
    return released


def reapply(engine: Engine, event_id: str, reason: str, by: str, now: datetime | None = None) -> str:
    """Apply the event's effect now (the person vouches for it). Returns the new status. A void
    whose payment is still absent stays quarantined: that rule is not overridden by hand."""
    now = now or utcnow()
    with engine.begin() as connection:
        row = _quarantined(connection, event_id)
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"node:{row.node_id}"})
        if row.event_type in PAYMENT_EVENTS:
            done, code, detail = _book(connection, row, now)
            if not done:
                raise HQError(409, code or "invalid_payload", f"cannot apply: {detail}", detail=detail)
        connection.execute(update(InboundEvent).where(InboundEvent.event_id == event_id).values(
            apply_status="applied", resolved_at=now, resolved_by=by,
            resolution=f"re-applied (was {row.error_code}): {reason}"))
    return "applied"


def incidents(engine: Engine, limit: int = 200) -> list[Any]:
    with engine.connect() as connection:
        return list(connection.execute(select(SyncIncident.id, SyncIncident.kind, SyncIncident.node_id,
                                              SyncIncident.event_id, SyncIncident.detail, SyncIncident.raised_at)
                                       .order_by(SyncIncident.id.desc()).limit(limit)))
