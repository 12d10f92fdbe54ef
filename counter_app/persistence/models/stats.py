"""Statistics facts: each closed business day's tickets and service segments, derived once from
the queue's event log so that a year of statistics reads two narrow tables instead of millions of
events. Local and derived (rebuilt from ``ticket_event`` whenever a day's ticket count changes),
never replicated."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.persistence.models.base import Base


class StatsDay(Base):
    """A business day whose facts are stored, with the number of tickets they were built from."""

    __tablename__ = "stats_day"

    branch_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    business_date: Mapped[date] = mapped_column(primary_key=True)
    tickets: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime]


class StatsTicket(Base):
    """One ticket: arrival, first call, wait (cut at the end of its business day), outcome."""

    __tablename__ = "stats_ticket"
    __table_args__ = (Index("ix_stats_ticket_day", "business_date", "branch_id"),)

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    branch_id: Mapped[str] = mapped_column(String(36))
    business_date: Mapped[date]
    hour: Mapped[int] = mapped_column(Integer)  # local hour of arrival
    service_id: Mapped[str] = mapped_column(String(36))  # the issuing service
    wait_s: Mapped[int | None] = mapped_column(Integer)  # None: never called
    outcome: Mapped[str | None] = mapped_column(String(12))
    transferred: Mapped[int] = mapped_column(Integer, default=0)  # 1 when transferred at least once
    first_clerk_id: Mapped[str | None] = mapped_column(String(36))
    first_window_id: Mapped[str | None] = mapped_column(String(36))


class StatsSegment(Base):
    """One stretch of a ticket at one window with one logged-in clerk: from its call to what
    ended it (done, transferred, held, no-show ...). A ticket served by two clerks has two."""

    __tablename__ = "stats_segment"
    __table_args__ = (Index("ix_stats_segment_day", "business_date", "branch_id"),)

    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(String(36))
    business_date: Mapped[date]  # local date of the call
    hour: Mapped[int] = mapped_column(Integer)  # local hour of the call
    clerk_id: Mapped[str | None] = mapped_column(String(36))
    window_id: Mapped[str | None] = mapped_column(String(36))
    service_id: Mapped[str | None] = mapped_column(String(36))  # the pool it was called from
    ended: Mapped[str | None] = mapped_column(String(12))  # done | transferred | held | no_show | recycled | cancelled | cleared
    handle_s: Mapped[int | None] = mapped_column(Integer)  # served time, for done / transferred / held
