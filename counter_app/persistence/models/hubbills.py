"""Bills paid at the windows of a branch whose counters each keep their own database.

At the hub: ``hub_bill_payment``, one row per (payment, bill) a counter reported (idempotent by
payment id), and ``hub_bill_incident``, a bill two counters both settled while they could not
ask the hub (a real double payment: both payments stand, a person sorts it out). At a counter:
``bill_report``, one row per payment written in the payment's own transaction and marked when
the hub has it, so a payment taken while the hub was down is reported when it returns.
None of these is replicated or ever deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.persistence.models.base import Base


class HubBillPayment(Base):
    __tablename__ = "hub_bill_payment"
    __table_args__ = (UniqueConstraint("payment_id", "bill_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    payment_id: Mapped[str] = mapped_column(String(36), index=True)
    bill_id: Mapped[str] = mapped_column(String(36), index=True)
    period: Mapped[str] = mapped_column(String(7), default="")
    kind: Mapped[str] = mapped_column(String(10))  # payment | void
    reverses_id: Mapped[str | None] = mapped_column(String(36), index=True)
    principal_fen: Mapped[int] = mapped_column(Integer, default=0)
    settled: Mapped[bool] = mapped_column(Boolean, default=False)  # the bill owed nothing after this payment
    window: Mapped[int | None] = mapped_column(Integer)
    terminal_code: Mapped[str] = mapped_column(String(10))
    receipt_no: Mapped[str] = mapped_column(String(40), default="")
    taken_offline: Mapped[bool] = mapped_column(Boolean, default=False)  # the counter could not ask first
    reported_at: Mapped[datetime]


class HubBillIncident(Base):
    __tablename__ = "hub_bill_incident"
    __table_args__ = (UniqueConstraint("bill_id", "payment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bill_id: Mapped[str] = mapped_column(String(36), index=True)
    period: Mapped[str] = mapped_column(String(7), default="")
    payment_id: Mapped[str] = mapped_column(String(36))  # the later report
    other_payment_id: Mapped[str] = mapped_column(String(36))  # the payment that had settled it already
    window: Mapped[int | None] = mapped_column(Integer)
    other_window: Mapped[int | None] = mapped_column(Integer)
    detected_at: Mapped[datetime]


class BillReport(Base):
    __tablename__ = "bill_report"

    payment_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime]
    taken_offline: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_at: Mapped[datetime | None] = mapped_column(index=True)
    result: Mapped[str] = mapped_column(String(200), default="")
    payload: Mapped[dict[str, Any]]  # the protocol.bills.BillsPaidIn sent to the hub
