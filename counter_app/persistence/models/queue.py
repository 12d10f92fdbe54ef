"""The queue: tickets, their event log (every transition timed), and window states."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.persistence.models.base import Base, Replicated


#: Tickets in the pool (callable). Queries that want the partial indexes below must contain
#: this very condition, written the same way.
POOL_CONDITION = "state IN ('waiting', 'transferred')"
#: Tickets not yet finished (``queue_rules.OPEN_STATES``), for the partial index ``ix_ticket_open``.
OPEN_CONDITION = "state IN ('called', 'held', 'serving', 'transferred', 'waiting')"


class Ticket(Replicated, Base):
    """A queue ticket. Its row holds the current state; its history is in ``ticket_event``."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("branch_id", "service_id", "business_date", "seq"),
        # no index has a column a call or a finish changes but the pool's and the open tickets'
        # (partial: a ticket leaves them), and the outbox event id's: that one the deferred foreign key
        # needs (writing a batch's outbox event, SQLite looks for the rows that point at it already)
        Index("ix_ticket_day", "branch_id", "business_date"),
        Index("ix_ticket_open", "branch_id", "queued_at", sqlite_where=text(OPEN_CONDITION)),
        # the pools a window calls from: heads found without sorting (call order, waiting counts)
        Index("ix_ticket_pool", "queue_service_id", "priority", "queued_at", "seq",
              sqlite_where=text(f"{POOL_CONDITION} AND target_window_id IS NULL")),
        Index("ix_ticket_targeted", "target_window_id", "priority", "queued_at", "seq",
              sqlite_where=text(f"{POOL_CONDITION} AND target_window_id IS NOT NULL")),
    )

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"))  # issuing service: letter and numbering
    queue_service_id: Mapped[str] = mapped_column(ForeignKey("service.id"))  # whose pool it is in now (transfers)
    business_date: Mapped[date]
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(8))
    priority: Mapped[str] = mapped_column(String(12), default="normal")  # normal | green
    state: Mapped[str] = mapped_column(String(12), default="waiting")
    outcome: Mapped[str | None] = mapped_column(String(12))
    window_id: Mapped[str | None] = mapped_column(ForeignKey("window.id"))
    clerk_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    recall_count: Mapped[int] = mapped_column(Integer, default=0)  # recalls since the last call
    issued_at: Mapped[datetime]
    queued_at: Mapped[datetime]  # arrival time kept across transfers
    target_window_id: Mapped[str | None] = mapped_column(ForeignKey("window.id"))


class TicketEvent(Replicated, Base):
    """One timed transition of a ticket or a window; ``seq`` is the hub's event sequence."""

    __tablename__ = "ticket_event"

    seq: Mapped[int] = mapped_column(Integer, unique=True)
    ticket_id: Mapped[str | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    window_id: Mapped[str | None] = mapped_column(ForeignKey("window.id"))
    clerk_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class WindowState(Base):
    """Live state of a window at the hub (open / paused / closed, clerk, current ticket)."""

    __tablename__ = "window_state"

    window_id: Mapped[str] = mapped_column(ForeignKey("window.id"), primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default="closed")
    clerk_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    current_ticket_id: Mapped[str | None] = mapped_column(ForeignKey("ticket.id"))
    updated_at: Mapped[datetime]
