"""Head office's PostgreSQL tables (SYNC.md c.4). Made by the migrations in ``db_hq/``; these
classes describe them for queries and for Alembic's comparison. Nothing here is ever deleted
but spent request nonces."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class HQBase(DeclarativeBase):
    pass


Stamp = DateTime(timezone=True)


class EnrolCode(HQBase):
    """A one-time enrolment code, stored as its SHA-256 only."""

    __tablename__ = "enrol_code"

    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    branch_code: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(16))
    window: Mapped[int | None] = mapped_column(Integer)
    terminal_code: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(Stamp)
    expires_at: Mapped[datetime] = mapped_column(Stamp)
    used_at: Mapped[datetime | None] = mapped_column(Stamp)
    used_by_node: Mapped[str | None] = mapped_column(String(36))


class SyncNode(HQBase):
    """One enrolled branch node (a hub or a window PC's database)."""

    __tablename__ = "sync_node"
    __table_args__ = (Index("ix_sync_node_terminal", "branch_code", "terminal_code", "incarnation", unique=True),)

    node_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    branch_code: Mapped[str] = mapped_column(String(10))
    terminal_code: Mapped[str] = mapped_column(String(8))
    role: Mapped[str] = mapped_column(String(16))
    window: Mapped[int | None] = mapped_column(Integer)
    incarnation: Mapped[int] = mapped_column(Integer)
    #: the HMAC key itself (it must be kept to verify signatures); never logged nor listed
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(12), default="active")  # active / superseded / revoked
    predecessor_id: Mapped[str | None] = mapped_column(String(36))
    reported_previous_id: Mapped[str | None] = mapped_column(String(36))
    hostname: Mapped[str] = mapped_column(String(255))
    app_version: Mapped[str] = mapped_column(String(40))
    schema_version: Mapped[int] = mapped_column(Integer)
    enrolled_at: Mapped[datetime] = mapped_column(Stamp)
    status_changed_at: Mapped[datetime | None] = mapped_column(Stamp)
    status_reason: Mapped[str | None] = mapped_column(Text)
    last_seen_at: Mapped[datetime | None] = mapped_column(Stamp)
    last_lag_seconds: Mapped[float | None] = mapped_column()
    reported_acked: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class RequestNonce(HQBase):
    """Nonces of signed requests seen in the last minutes: a replayed request is refused."""

    __tablename__ = "request_nonce"

    node_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(Stamp, index=True)


class InboundEvent(HQBase):
    """Every event a node pushed, payload included, kept forever: the audit trail."""

    __tablename__ = "inbound_event"
    __table_args__ = (
        Index("ix_inbound_event_seq", "node_id", "channel", "channel_seq"),
        Index("ix_inbound_event_aggregate", "aggregate_type", "aggregate_id"),
        Index("ix_inbound_event_quarantine", "apply_status", postgresql_where="apply_status = 'quarantined'"),
    )

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    node_id: Mapped[str] = mapped_column(String(36), ForeignKey("sync_node.node_id"))
    channel: Mapped[str] = mapped_column(String(16))
    channel_seq: Mapped[int] = mapped_column(BigInteger)
    event_type: Mapped[str] = mapped_column(String(64))
    aggregate_type: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Stamp)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    payload_sha256: Mapped[str] = mapped_column(String(64))
    prev_chain: Mapped[str] = mapped_column(String(64))
    chain: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(Stamp)
    received_by: Mapped[str] = mapped_column(String(36))  # the credential that delivered it
    apply_status: Mapped[str] = mapped_column(String(12))  # applied / quarantined / rejected
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_detail: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(Stamp)
    resolved_by: Mapped[str | None] = mapped_column(String(64))
    resolution: Mapped[str | None] = mapped_column(Text)


class HQPayment(HQBase):
    """A payment, void or refund as head office books it. Amounts in fen."""

    __tablename__ = "hq_payment"

    payment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), ForeignKey("inbound_event.event_id"), unique=True)
    node_id: Mapped[str] = mapped_column(String(36), index=True)
    branch_code: Mapped[str] = mapped_column(String(10))
    terminal_code: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(10))  # payment / void / refund
    reverses_id: Mapped[str | None] = mapped_column(String(36), index=True)
    receipt_no: Mapped[str] = mapped_column(String(40), index=True)  # not unique: a collision keeps both
    account_no: Mapped[str | None] = mapped_column(String(40))
    business_date: Mapped[str | None] = mapped_column(String(10))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    late_fee_fen: Mapped[int] = mapped_column(BigInteger)
    to_balance_fen: Mapped[int] = mapped_column(BigInteger)
    from_balance_fen: Mapped[int] = mapped_column(BigInteger)
    clerk_no: Mapped[str | None] = mapped_column(String(20))
    window_number: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(Stamp)
    posted_at: Mapped[datetime] = mapped_column(Stamp)


class ReceiptClaim(HQBase):
    """The first payment seen with each receipt number; a second one is a collision (G3)."""

    __tablename__ = "receipt_claim"

    receipt_no: Mapped[str] = mapped_column(String(40), primary_key=True)
    payment_id: Mapped[str] = mapped_column(String(36))


class SyncIncident(HQBase):
    """Anomalies for a person to look at: receipt collisions, conflicting event ids, broken chains."""

    __tablename__ = "sync_incident"
    __table_args__ = (Index("ix_sync_incident_once", "kind", "event_id", "payload_sha256", unique=True),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))
    node_id: Mapped[str] = mapped_column(String(36))
    event_id: Mapped[str] = mapped_column(String(36))
    payload_sha256: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB)  # the offending event as received
    raised_at: Mapped[datetime] = mapped_column(Stamp)


class ChannelProgress(HQBase):
    """Per node and channel: the highest channel_seq below which head office holds every event."""

    __tablename__ = "node_channel_progress"

    node_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    max_contiguous_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    max_seen_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class RefStream(HQBase):
    """One downstream bucket of reference data (SYNC.md c.7): its epoch, the oldest change still
    served, the last change and the checksum of its live entities at that change."""

    __tablename__ = "ref_stream"

    stream: Mapped[str] = mapped_column(String(30), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(10), primary_key=True)  # a branch code or '*'
    epoch: Mapped[int] = mapped_column(Integer, default=1)
    retention_floor: Mapped[int] = mapped_column(BigInteger, default=0)  # cursors below it must re-snapshot
    head_change_id: Mapped[int] = mapped_column(BigInteger, default=0)
    checksum: Mapped[int] = mapped_column(BigInteger, default=0)  # core.refstreams: sum of item hashes
    live_count: Mapped[int] = mapped_column(BigInteger, default=0)


class RefChange(HQBase):
    """The gap-free downstream change log: ``change_id`` is taken under one advisory lock in the
    writing transaction, so a later id never commits before an earlier one."""

    __tablename__ = "ref_change"
    __table_args__ = (Index("ix_ref_change_stream", "stream", "bucket", "change_id"),)

    change_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    txn: Mapped[int] = mapped_column(BigInteger)  # the first change id of the publishing transaction
    stream: Mapped[str] = mapped_column(String(30))
    bucket: Mapped[str] = mapped_column(String(10))
    entity: Mapped[str] = mapped_column(String(30))
    entity_key: Mapped[str] = mapped_column(String(120))
    op: Mapped[str] = mapped_column(String(8))  # upsert / remove
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    committed_at: Mapped[datetime] = mapped_column(Stamp)
    published_by: Mapped[str] = mapped_column(String(64))


class RefEntity(HQBase):
    """Head office's current reference data, one row per entity and bucket; a removed entity is
    kept, marked. ``hq_version`` is the change that last wrote it."""

    __tablename__ = "ref_entity"

    stream: Mapped[str] = mapped_column(String(30), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(10), primary_key=True)
    entity: Mapped[str] = mapped_column(String(30), primary_key=True)
    entity_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    hq_version: Mapped[int] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    removed: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
