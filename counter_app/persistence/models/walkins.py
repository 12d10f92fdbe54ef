"""Services done at a window without a ticket (walk-ins), and tickets finished at a window while
the hub was down.

``walk_in_service``: one row per walk-in service (a payment without a ticket, or a connection
application), its id the payment's or application's own id. At a counter it is made from the
counter's own records (``services.stats.walk_ins.collect``) and marked when the hub has it; at
the hub it holds what every counter reported (idempotent by id), so the branch manager's
statistics count them. The rating, when the customer was asked, comes with it once.

``ticket_finished_here``: a ticket the clerk finished at the window while the hub could not be
told, kept until the hub has been told (``told_at``), across restarts of the counter.
Neither is replicated to head office (the payments, applications and ratings themselves are)
nor ever deleted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.persistence.models.base import Base


class WalkInService(Base):
    __tablename__ = "walk_in_service"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the payment's or application's id
    node_id: Mapped[str] = mapped_column(String(36))  # the counter that recorded it
    kind: Mapped[str] = mapped_column(String(12))  # payment | application
    branch_id: Mapped[str] = mapped_column(String(36))
    window_id: Mapped[str | None] = mapped_column(String(36))
    clerk_id: Mapped[str] = mapped_column(String(36), index=True)
    business_date: Mapped[date] = mapped_column(index=True)
    at: Mapped[datetime]
    rating_id: Mapped[str | None] = mapped_column(String(36))  # the customer was asked: rated or not
    rating_level: Mapped[int | None] = mapped_column(Integer)
    received_at: Mapped[datetime]
    reported_at: Mapped[datetime | None] = mapped_column(index=True)  # at a counter: the hub has it
    rating_reported: Mapped[bool] = mapped_column(Boolean, default=False)


class TicketFinishedHere(Base):
    __tablename__ = "ticket_finished_here"

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    number: Mapped[str] = mapped_column(String(10))
    window: Mapped[int] = mapped_column(Integer, index=True)
    clerk_id: Mapped[str] = mapped_column(String(36))
    finished_at: Mapped[datetime]
    told_at: Mapped[datetime | None]  # the hub was told (or had moved the ticket on already)
