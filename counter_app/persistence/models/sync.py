"""The audit log and what replication uses: outbox events, stream cursors, sync state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.core.refstreams import COLUMNS
from counter_app.domain.ids import new_id
from counter_app.persistence.models.base import Base


class OutboxEvent(Base):
    """A business fact waiting to go upstream (SYNC.md c.3); written in the fact's transaction."""

    __tablename__ = "outbox_event"
    __table_args__ = (UniqueConstraint("node_id", "channel", "channel_seq"),
                      Index("ix_outbox_event_channel_state_seq", "channel", "state", "seq"))

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    channel: Mapped[str] = mapped_column(String(16))  # payments | applications | ops
    channel_seq: Mapped[int] = mapped_column(Integer)  # 1, 2, 3 ... per (node, channel)
    event_type: Mapped[str] = mapped_column(String(40))
    aggregate_type: Mapped[str] = mapped_column(String(30))
    aggregate_id: Mapped[str] = mapped_column(String(36), index=True)
    schema_version: Mapped[int] = mapped_column(Integer, default=1)
    payload: Mapped[dict[str, Any]]
    payload_sha256: Mapped[str] = mapped_column(String(64))
    prev_chain: Mapped[str] = mapped_column(String(64))  # chain of the node's previous event in this channel
    chain: Mapped[str] = mapped_column(String(64))  # core.syncwire.chain_hash(prev_chain, event_id, payload_sha256)
    node_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime]
    #: ``pending`` until delivered one by one (``acked`` / ``quarantined``); most events are
    #: delivered by their channel's :class:`OutboxAck` mark instead and keep ``pending`` here
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    acked_at: Mapped[datetime | None]
    result: Mapped[str] = mapped_column(String(200), default="")


class OutboxAck(Base):
    """Per channel: every outbox event with ``seq <= through_seq`` is delivered (migration 0014).
    One small row moved per acknowledged batch, so the sync never holds the write lock long."""

    __tablename__ = "outbox_ack"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    through_seq: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None]


class SyncCursor(Base):
    """Download position of one reference stream; moved only in the transaction that applied it."""

    __tablename__ = "sync_cursor"

    stream: Mapped[str] = mapped_column(String(40), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    checksum: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime]


class SyncState(Base):
    """Health of the link to one upstream peer (hub or head office)."""

    __tablename__ = "sync_state"

    peer: Mapped[str] = mapped_column(String(10), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="never")
    last_hello_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    acked_through: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_error: Mapped[str] = mapped_column(String(500), default="")


class AuditLog(Base):
    """Who did what, when, at which window; logins, failures, lock-outs, voids, reprints."""

    __tablename__ = "audit_log"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    node_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    actor_label: Mapped[str] = mapped_column(String(50), default="")
    window_number: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(30), default="")
    entity_id: Mapped[str] = mapped_column(String(36), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RefPolicy(Base):
    """A policy table (``[billing]``, ``[queue]`` ...) as head office publishes it for this branch."""

    __tablename__ = "ref_policy"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    values: Mapped[dict[str, Any]]
    hq_version: Mapped[int] = mapped_column(Integer)


class RefStage(Base):
    """Rows of a reference snapshot being fetched, or of one page being applied; invisible to the
    business code, moved into the live tables in one transaction."""

    __tablename__ = "ref_stage"
    __table_args__ = (Index("ix_ref_stage_key", "sid", "entity", "k1", "k2"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    sid: Mapped[str] = mapped_column(String(60))  # the stream id, prefixed snapshot: or page:
    entity: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(120))
    k1: Mapped[str] = mapped_column(String(60))  # the natural key's parts
    k2: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str] = mapped_column(String(36))  # the id a new row gets: the same on every node
    hq_version: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(8))
    payload: Mapped[str | None] = mapped_column(Text)


def _typed_stage(entity: str, fields: tuple[str, ...]) -> Table:
    """``ref_stage`` of one big entity with its payload fields as columns (migration 0016): BLOB, no type
    affinity, a value kept as received until the live table's column types it."""
    return Table(f"ref_stage_{entity}", Base.metadata,
                 Column("seq", Integer, primary_key=True), Column("sid", String(60), nullable=False),
                 Column("k1", String(60), nullable=False), Column("k2", String(60), nullable=False),
                 Column("row_id", String(36), nullable=False), Column("hq_version", Integer, nullable=False),
                 Column("op", String(8), nullable=False), *(Column(f, LargeBinary) for f in fields),
                 Index(f"ix_ref_stage_{entity}_key", "sid", "k1", "k2"))


TYPED_STAGES = {entity: _typed_stage(entity, fields) for entity, fields in COLUMNS.items()}


class RefSnapshot(Base):
    """A snapshot in progress: resumed from ``token`` after a crash (its staged rows are kept)."""

    __tablename__ = "ref_snapshot"

    sid: Mapped[str] = mapped_column(String(60), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer)
    as_of: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(400))
    rows: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(24))
    started_at: Mapped[datetime]


class RefGuard(Base):
    """One row: ``owned`` once head office's data was applied (reference tables become read-only),
    ``open`` only inside the apply's own transaction (the triggers of migration 0012 read it)."""

    __tablename__ = "ref_guard"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owned: Mapped[bool] = mapped_column(Boolean)
    open: Mapped[bool] = mapped_column(Boolean)
