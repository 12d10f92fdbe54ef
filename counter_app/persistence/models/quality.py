"""Ratings (评价), negative-rating follow-ups, inquiries and complaints (首问负责)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.domain.ids import new_id
from counter_app.persistence.models.base import Base, Replicated


class Rating(Replicated, Base):
    """One rating per finished service; ``level`` None means the customer did not rate.

    ``ticket_id`` is the hub's id of the ticket, without a foreign key: the hub owns tickets, and
    a counter with its own database holds none (its evaluator learns of them from the hub's
    events). Still unique: a service is rated once."""

    __tablename__ = "rating"
    __table_args__ = (Index("ix_rating_requested_at", "requested_at"),)  # statistics count ratings by period

    ticket_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    service_record: Mapped[str | None] = mapped_column(String(36), unique=True)
    window_id: Mapped[str] = mapped_column(ForeignKey("window.id"))
    clerk_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"))
    level: Mapped[int | None] = mapped_column(Integer)  # 5 非常满意 ... 1 非常不满意
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    device: Mapped[str] = mapped_column(String(40))
    requested_at: Mapped[datetime]
    rated_at: Mapped[datetime | None]
    ticket_number: Mapped[str] = mapped_column(String(8), default="")
    called_at: Mapped[datetime | None]  # when the service was called: anomaly checks need it


class RatingRequest(Base):
    """The time window a finished service opens for its rating, on the evaluator of one window.

    Local to the node that asked: it ends as ``rated`` or ``not_rated`` with its :class:`Rating`
    (the replicated fact); ``pending`` rows past ``expires_at`` are closed as not rated.
    ``ticket_id`` is the hub's ticket id (no foreign key, as on :class:`Rating`); ``finished_at``
    when the service finished, from the ticket's log or the hub's event."""

    __tablename__ = "rating_request"
    __table_args__ = (Index("ix_rating_request_window_state", "window_id", "state"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    window_id: Mapped[str] = mapped_column(ForeignKey("window.id"))
    clerk_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    ticket_id: Mapped[str | None] = mapped_column(String(36), index=True)
    service_record: Mapped[str | None] = mapped_column(String(36))
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"))
    ticket_number: Mapped[str] = mapped_column(String(8), default="")
    device: Mapped[str] = mapped_column(String(40))
    called_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    requested_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending | rated | not_rated
    rating_id: Mapped[str | None] = mapped_column(ForeignKey("rating.id"))


class RatingFollowUp(Replicated, Base):
    __tablename__ = "rating_followup"

    rating_id: Mapped[str] = mapped_column(ForeignKey("rating.id"), unique=True)
    deadline: Mapped[date]
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    resolution: Mapped[str] = mapped_column(String(12), default="")  # fixed | explained | mistaken


class RatingFollowUpStep(Replicated, Base):
    """核实 / 整改 / 回访 / 结案 records of a follow-up; each step is its own row."""

    __tablename__ = "rating_followup_step"

    followup_id: Mapped[str] = mapped_column(ForeignKey("rating_followup.id"), index=True)
    step: Mapped[str] = mapped_column(String(12))  # verification | action | callback | outcome
    text: Mapped[str] = mapped_column(String(1000))
    staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime]


class Inquiry(Replicated, Base):
    """An inquiry or complaint owned by the clerk who first received it (首问负责)."""

    __tablename__ = "inquiry"

    kind: Mapped[str] = mapped_column(String(10))  # inquiry | complaint
    customer: Mapped[str] = mapped_column(String(100))
    contact: Mapped[str] = mapped_column(String(50), default="")
    topic: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(String(2000))
    owner_id: Mapped[str] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    followup_id: Mapped[str | None] = mapped_column(ForeignKey("rating_followup.id"))
    created_at: Mapped[datetime]
    received_by_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))  # 首问: who took it first
    window_id: Mapped[str | None] = mapped_column(ForeignKey("window.id"))
    closed_at: Mapped[datetime | None]  # answered or closed


class InquiryEvent(Replicated, Base):
    """Answer, hand-over (with note) or closing of an inquiry."""

    __tablename__ = "inquiry_event"

    inquiry_id: Mapped[str] = mapped_column(ForeignKey("inquiry.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(String(1000), default="")
    from_staff_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    to_staff_id: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
