"""Receipts after the commit: render the PDF, hand it to a printer, record what happened.

Nothing here runs before the payment is committed (SYNC.md G4), and nothing here can lose or
repeat a payment: a printer error is recorded as a failed print and the receipt stays in
:meth:`ReceiptService.unprinted_receipts` until it is printed or saved. A reprint carries 补打
and is audited. Printing to a Qt printer is the GUI's part: it passes a ``printer`` callable that
takes the PDF path and raises when the printer fails.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from counter_app.core.config import Settings
from counter_app.core.crashpoints import crash_point
from counter_app.core.paths import DataPaths
from counter_app.domain.errors import InvalidInput
from counter_app.domain.timeutil import format_local, utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import (
    Bill,
    CustomerAccount,
    Payment,
    PaymentAllocation,
    PaymentPart,
    Receipt,
    ReceiptPrint,
    Staff,
    Window,
)
from counter_app.persistence.outbox import record_event
from counter_app.services.audit import audit
from counter_app.services.auth import StaffSession
from counter_app.services.billing.accounts import BillLineView
from counter_app.services.billing.ledger import METHOD_LABELS, branch_info, read_session
from counter_app.services.billing.slips import SlipData, render_slip
from counter_app.services.documents.receipt import ReceiptData, ReceiptLine, receipt_check_value, render_receipt
from counter_app.services.node import NodeDatabase

PRINT_STATUSES = ("printed", "saved", "failed")
Printer = Callable[[Path], None]


def printed_or_saved() -> ColumnElement[bool]:
    """A receipt that has been printed or saved as PDF at least once (the others are unprinted)."""
    return exists().where(ReceiptPrint.receipt_id == Receipt.id, ReceiptPrint.status.in_(("printed", "saved")))


@dataclass(frozen=True)
class PrintOutcome:
    receipt_id: str
    receipt_no: str
    path: Path | None  # the PDF, None when it could not be drawn
    status: str  # printed | saved | failed
    detail: str
    is_copy: bool


@dataclass(frozen=True)
class UnprintedReceipt:
    receipt_id: str
    payment_id: str
    receipt_no: str
    kind: str
    account_no: str
    total_fen: int
    issued_at: datetime
    failed_attempts: int


class ReceiptService:
    def __init__(self, db: NodeDatabase, paths: DataPaths, settings: Settings, clock: Callable[[], datetime] = utcnow,
                 check_secret: str | None = None) -> None:
        self._db = db
        self._paths = paths
        self._settings = settings
        self._clock = clock
        self._secret = check_secret or db.node_id

    # -- what goes on paper ---------------------------------------------------------------------

    def _load(self, session: Session, payment_id: str) -> tuple[Payment, Receipt]:
        row = session.execute(select(Payment, Receipt).join(Receipt, Receipt.payment_id == Payment.id)
                              .where(Payment.id == payment_id)).first()
        if row is None:
            raise InvalidInput("payment", "no such payment", code="payment_not_found")
        return row[0], row[1]

    def receipt_data(self, payment_id: str, is_copy: bool = False) -> ReceiptData:
        """The fee receipt of a payment (not of a void or refund: see :meth:`slip_data`)."""
        with read_session(self._db.sessions) as session:
            payment, receipt = self._load(session, payment_id)
            if payment.kind != "payment":
                raise InvalidInput("payment", "a void or a refund has a slip, not a receipt", code="receipt_not_for_slip")
            return self._receipt_data(session, payment, receipt, is_copy)

    def _receipt_data(self, session: Session, payment: Payment, receipt: Receipt, is_copy: bool) -> ReceiptData:
        branch = branch_info(session, self._db.branch_code)
        account = session.get(CustomerAccount, payment.account_id)
        clerk = session.get(Staff, payment.clerk_id)
        window = session.get(Window, payment.window_id) if payment.window_id else None
        bills = session.scalars(select(Bill).join(PaymentAllocation, PaymentAllocation.bill_id == Bill.id)
                                .where(PaymentAllocation.payment_id == payment.id).order_by(Bill.period)).all()
        lines = tuple(ReceiptLine(bill.period, bill.usage_m3, view.description, view.m3, view.price_fen, view.amount_fen)
                      for bill in bills for view in (
                          BillLineView(x["component"], x["name_zh"], x.get("tier"), x["m3"], x["price_fen"], x["amount_fen"])
                          for x in (bill.detail or {}).get("lines", ())))
        parts = session.scalars(select(PaymentPart).where(PaymentPart.payment_id == payment.id)
                                .order_by(PaymentPart.method)).all()
        methods = tuple((METHOD_LABELS.get(p.method, p.method), p.amount_fen, p.reference) for p in parts)
        if payment.from_balance_fen:
            methods += ((METHOD_LABELS["balance"], payment.from_balance_fen, ""),)
        total = payment.amount_fen + payment.from_balance_fen
        assert account is not None and clerk is not None
        return ReceiptData(
            utility_name=branch.utility_name, branch_name=branch.name, receipt_no=receipt.receipt_no,
            issued_at_local=format_local(receipt.issued_at, branch.zone), account_no=account.account_no,
            holder=account.holder, address=account.address, lines=lines, late_fee_fen=payment.late_fee_fen,
            total_fen=total, methods=methods, tendered_fen=payment.tendered_fen, change_fen=payment.change_fen,
            balance_after_fen=payment.balance_after_fen, clerk_name=clerk.name, clerk_no=clerk.staff_no,
            window_number=window.number if window else 0, is_copy=is_copy, query_phone=branch.query_phone,
            check_value=receipt_check_value(receipt.receipt_no, total, self._secret))

    def slip_data(self, payment_id: str, is_copy: bool = False) -> SlipData:
        """The slip of a void (冲正) or a refund (退费)."""
        with read_session(self._db.sessions) as session:
            payment, receipt = self._load(session, payment_id)
            if payment.kind == "payment":
                raise InvalidInput("payment", "a payment has a receipt, not a slip", code="slip_not_for_payment")
            return self._slip_data(session, payment, receipt, is_copy)

    def _slip_data(self, session: Session, payment: Payment, receipt: Receipt, is_copy: bool) -> SlipData:
        branch = branch_info(session, self._db.branch_code)
        account = session.get(CustomerAccount, payment.account_id)
        clerk = session.get(Staff, payment.clerk_id)
        manager = session.get(Staff, payment.authorised_by) if payment.authorised_by else None
        window = session.get(Window, payment.window_id) if payment.window_id else None
        original = session.scalar(select(Receipt.receipt_no).where(Receipt.payment_id == payment.reverses_id)) \
            if payment.reverses_id else None
        parts = session.scalars(select(PaymentPart).where(PaymentPart.payment_id == payment.id)).all()
        assert account is not None and clerk is not None
        back = -(payment.amount_fen + payment.from_balance_fen) if payment.kind == "void" else -payment.amount_fen
        return SlipData(payment.kind, branch.utility_name, branch.name, receipt.receipt_no, original or "",
                        format_local(receipt.issued_at, branch.zone), account.account_no, account.holder, back,
                        tuple((METHOD_LABELS.get(p.method, p.method), -p.amount_fen, p.reference) for p in parts),
                        payment.balance_after_fen, payment.reason, f"{clerk.name} {clerk.staff_no}",
                        f"{manager.name} {manager.staff_no}" if manager else "", window.number if window else 0, is_copy)

    # -- render, print, record --------------------------------------------------------------------

    def render_pdf(self, payment_id: str, is_copy: bool = False, layout: str | None = None) -> Path:
        """Draw the receipt (or slip) into ``DataPaths.receipts``; a copy gets a file of its own."""
        return self._render(payment_id, is_copy, layout)[1]

    def _render(self, payment_id: str, is_copy: bool, layout: str | None = None) -> tuple[Receipt, Path]:
        with read_session(self._db.sessions) as session:  # one short read for everything on paper
            payment, receipt = self._load(session, payment_id)
            copies = (session.scalar(select(func.count()).select_from(ReceiptPrint).where(
                ReceiptPrint.receipt_id == receipt.id, ReceiptPrint.is_copy.is_(True))) or 0) if is_copy else 0
            data = (self._receipt_data if payment.kind == "payment" else self._slip_data)(session, payment, receipt, is_copy)
        self._paths.receipts.mkdir(parents=True, exist_ok=True)
        out = self._paths.receipts / (f"{receipt.receipt_no}-copy{copies + 1}.pdf" if is_copy else f"{receipt.receipt_no}.pdf")
        layout = layout or receipt.layout
        if isinstance(data, ReceiptData):
            return receipt, render_receipt(data, out, layout)
        return receipt, render_slip(data, out, layout)

    def record_print(self, receipt_id: str, clerk: StaffSession, status: str, is_copy: bool, detail: str = "") -> str:
        """Record one attempt to print (or save) a receipt; a copy and a failure are audited too."""
        if status not in PRINT_STATUSES:
            raise ValueError(f"status must be one of {PRINT_STATUSES}")
        with unit_of_work(self._db.sessions) as session:
            receipt = session.get(Receipt, receipt_id)
            if receipt is None:
                raise InvalidInput("receipt", "no such receipt", code="receipt_not_found")
            event = record_event(session, channel="payments", event_type="receipt.printed", aggregate_type="payment",
                                 aggregate_id=receipt.payment_id, node=self._db.node_id,
                                 payload={"receipt_id": receipt.id, "receipt_no": receipt.receipt_no, "status": status,
                                          "is_copy": is_copy, "clerk_id": clerk.staff_id, "detail": detail[:200]})
            row = ReceiptPrint(node_id=self._db.node_id, outbox_event_id=event.event_id, receipt_id=receipt.id,
                               clerk_id=clerk.staff_id, is_copy=is_copy, status=status, detail=detail[:200],
                               at=self._clock())
            session.add(row)
            if is_copy or status == "failed":
                audit(session, self._db.node_id, "receipt_reprint" if is_copy else "receipt_print_failed",
                      actor_id=clerk.staff_id, actor_label=clerk.staff_no, window=clerk.window, entity="receipt",
                      entity_id=receipt.id, receipt_no=receipt.receipt_no, status=status, detail=detail[:200])
            session.flush()
            return row.id

    def render_and_print(self, payment_id: str, clerk: StaffSession, printer: Printer | None = None,
                         is_copy: bool = False) -> PrintOutcome:
        """After the commit: draw the PDF, print it with ``printer`` (or keep it saved when there is
        none), and record the outcome. Never raises for a drawing or printer fault: the outcome
        says ``failed`` and the receipt stays listed as unprinted."""
        with read_session(self._db.sessions) as session:
            _, receipt = self._load(session, payment_id)
        path: Path | None = None
        try:
            path = self._render(payment_id, is_copy)[1]
            crash_point("during_print")
            if printer is not None:
                printer(path)
            status, detail = ("printed" if printer is not None else "saved"), ""
        except Exception as error:  # noqa: BLE001 - any printer or drawing fault is recorded, never fatal
            status, detail = "failed", f"{type(error).__name__}: {error}"
        self.record_print(receipt.id, clerk, status, is_copy, detail)
        return PrintOutcome(receipt.id, receipt.receipt_no, path, status, detail, is_copy)

    def reprint(self, payment_id: str, clerk: StaffSession, printer: Printer | None = None) -> PrintOutcome:
        """补打: a copy marked as such, logged and audited."""
        return self.render_and_print(payment_id, clerk, printer, is_copy=True)

    def unprinted_receipts(self) -> list[UnprintedReceipt]:
        """Committed payments whose receipt was never printed or saved (SYNC.md c.9 crash point 2),
        oldest first: print them as copies (:meth:`reprint`)."""
        done = printed_or_saved()
        failed = (select(func.count()).select_from(ReceiptPrint)
                  .where(ReceiptPrint.receipt_id == Receipt.id, ReceiptPrint.status == "failed").scalar_subquery())
        with read_session(self._db.sessions) as session:
            rows = session.execute(
                select(Receipt, Payment.kind, Payment.amount_fen, Payment.from_balance_fen, CustomerAccount.account_no, failed)
                .join(Payment, Payment.id == Receipt.payment_id).join(CustomerAccount, CustomerAccount.id == Payment.account_id)
                .where(~done).order_by(Receipt.issued_at, Receipt.receipt_no)).all()
        return [UnprintedReceipt(r.id, r.payment_id, r.receipt_no, kind, account_no, amount + from_balance, r.issued_at,
                                 attempts or 0) for r, kind, amount, from_balance, account_no, attempts in rows]
