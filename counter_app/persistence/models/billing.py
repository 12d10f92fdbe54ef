"""Customer accounts (户号), meters, tariffs, bills, payments, receipts and settlements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from counter_app.persistence.models.base import Base, Reference, Replicated


class CustomerAccount(Reference, Base):
    __tablename__ = "customer_account"

    account_no: Mapped[str] = mapped_column(String(20), unique=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    holder: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20), default="")
    user_type: Mapped[str] = mapped_column(String(20))  # residential | non_residential
    household_size: Mapped[int] = mapped_column(Integer, default=3)
    balance_fen: Mapped[int] = mapped_column(Integer, default=0)  # 预存, as of head office's last checkpoint
    status: Mapped[str] = mapped_column(String(12), default="active")


class Meter(Reference, Base):
    __tablename__ = "meter"

    account_id: Mapped[str] = mapped_column(ForeignKey("customer_account.id"), index=True)
    meter_no: Mapped[str] = mapped_column(String(30), unique=True)
    size_dn: Mapped[int] = mapped_column(Integer, default=20)
    installed_on: Mapped[date | None]


class TariffVersion(Reference, Base):
    """An effective-dated, immutable tariff: tiers, components and the late-fee rule as data."""

    __tablename__ = "tariff_version"
    __table_args__ = (UniqueConstraint("code", "valid_from"),)

    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    user_type: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]
    definition: Mapped[dict[str, Any]]


class Bill(Reference, Base):
    __tablename__ = "bill"
    __table_args__ = (UniqueConstraint("account_id", "period"),)

    account_id: Mapped[str] = mapped_column(ForeignKey("customer_account.id"), index=True)
    meter_id: Mapped[str] = mapped_column(ForeignKey("meter.id"))
    tariff_version_id: Mapped[str] = mapped_column(ForeignKey("tariff_version.id"))
    period: Mapped[str] = mapped_column(String(7))  # yyyy-mm
    period_start: Mapped[date]
    period_end: Mapped[date]
    prev_reading: Mapped[int] = mapped_column(Integer)
    curr_reading: Mapped[int] = mapped_column(Integer)
    usage_m3: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]]  # tier and component breakdown as computed
    due_date: Mapped[date]
    paid_fen: Mapped[int] = mapped_column(Integer, default=0)  # from head office's checkpoint
    status: Mapped[str] = mapped_column(String(10), default="open")


class Payment(Replicated, Base):
    """A payment, void (冲正) or refund. Never edited; a correction is a new row pointing back."""

    __tablename__ = "payment"

    kind: Mapped[str] = mapped_column(String(10), default="payment")  # payment | void | refund
    reverses_id: Mapped[str | None] = mapped_column(ForeignKey("payment.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("customer_account.id"), index=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    window_id: Mapped[str | None] = mapped_column(ForeignKey("window.id"))
    clerk_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    # The hub owns tickets; a counter's own database need not hold them, so no foreign key.
    ticket_id: Mapped[str | None] = mapped_column(String(36), index=True)
    business_date: Mapped[date] = mapped_column(index=True)
    amount_fen: Mapped[int] = mapped_column(Integer)
    late_fee_fen: Mapped[int] = mapped_column(Integer, default=0)
    to_balance_fen: Mapped[int] = mapped_column(Integer, default=0)
    from_balance_fen: Mapped[int] = mapped_column(Integer, default=0)
    tendered_fen: Mapped[int] = mapped_column(Integer, default=0)
    change_fen: Mapped[int] = mapped_column(Integer, default=0)
    balance_after_fen: Mapped[int] = mapped_column(Integer, default=0)
    authorised_by: Mapped[str | None] = mapped_column(ForeignKey("staff.id"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class PaymentPart(Replicated, Base):
    """One method of a (possibly split) payment: cash, card or QR with its reference."""

    __tablename__ = "payment_part"

    payment_id: Mapped[str] = mapped_column(ForeignKey("payment.id"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    amount_fen: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(64), default="")


class PaymentAllocation(Replicated, Base):
    """How much of a payment went to which bill (principal and late fee)."""

    __tablename__ = "payment_allocation"

    payment_id: Mapped[str] = mapped_column(ForeignKey("payment.id"), index=True)
    bill_id: Mapped[str] = mapped_column(ForeignKey("bill.id"), index=True)
    principal_fen: Mapped[int] = mapped_column(Integer)
    late_fee_fen: Mapped[int] = mapped_column(Integer, default=0)


class ReceiptSequence(Base):
    """Gap-free receipt numbering per terminal and year, advanced in the payment's transaction."""

    __tablename__ = "receipt_sequence"

    terminal_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    incarnation: Mapped[int] = mapped_column(Integer, primary_key=True)  # a new incarnation, a new series
    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    next_value: Mapped[int] = mapped_column(Integer, default=1)


class Receipt(Replicated, Base):
    __tablename__ = "receipt"

    payment_id: Mapped[str] = mapped_column(ForeignKey("payment.id"), unique=True)
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    layout: Mapped[str] = mapped_column(String(8), default="80mm")
    issued_at: Mapped[datetime]


class ReceiptPrint(Replicated, Base):
    """Each time a receipt went to the printer; a reprint is marked 补打."""

    __tablename__ = "receipt_print"

    receipt_id: Mapped[str] = mapped_column(ForeignKey("receipt.id"), index=True)
    clerk_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    is_copy: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10))  # printed | saved | failed
    detail: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime]


class DailySettlement(Replicated, Base):
    """日结: one clerk's business day counted and locked."""

    __tablename__ = "daily_settlement"
    __table_args__ = (UniqueConstraint("clerk_id", "business_date"),)

    clerk_id: Mapped[str] = mapped_column(ForeignKey("staff.id"))
    window_id: Mapped[str | None] = mapped_column(ForeignKey("window.id"))
    business_date: Mapped[date]
    totals: Mapped[dict[str, Any]]
    expected_cash_fen: Mapped[int] = mapped_column(Integer)
    counted_cash_fen: Mapped[int] = mapped_column(Integer)
    difference_fen: Mapped[int] = mapped_column(Integer)
    locked_at: Mapped[datetime]
