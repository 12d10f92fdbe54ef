"""Taking a payment, voiding it (冲正) and refunding from the balance: each one transaction.

A payment writes, in ONE ``BEGIN IMMEDIATE`` transaction: the payment, its method parts, its
allocations to bills, the bills' paid amounts, the account balance, the next receipt number of
this terminal and fiscal year (``receipt_sequence`` advanced in the same transaction, so the
series has no gaps), the receipt row, an audit entry and ONE outbox event carrying the whole
aggregate. The bills are re-read inside that transaction: a bill paid at another window a second
ago is refused with nothing changed. The receipt is rendered and printed only after the commit
(:mod:`counter_app.services.billing.receipts`).

A payment is never edited or deleted: a void is a new ``kind="void"`` payment pointing back with
every amount negated, which restores the bills and the balance exactly; after the clerk's day is
settled only a refund (``kind="refund"``, from the prepaid balance) can correct anything.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from counter_app.core.config import Settings
from counter_app.core.crashpoints import crash_point
from counter_app.domain import allocation as alloc
from counter_app.domain.allocation import BillAllocation, MethodPart, OpenBill
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import is_record_id, new_id
from counter_app.domain.money import format_fen
from counter_app.domain.receipt_numbers import format_receipt_number, parse_receipt_number
from counter_app.domain.staff_rules import Role
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import (
    Bill,
    CustomerAccount,
    NodeIdentity,
    Payment,
    PaymentAllocation,
    PaymentPart,
    Receipt,
    ReceiptSequence,
    Staff,
    Window,
)
from counter_app.persistence.outbox import record_event
from counter_app.services.audit import audit
from counter_app.services.auth import StaffSession
from counter_app.protocol.bills import BillsPaidIn
from counter_app.services.billing.hub_desk import BillReporter, paid_line, report_row
from counter_app.services.billing.policy import billing_policy
from counter_app.services.branch_policy import read_policy
from counter_app.services.billing.ledger import (
    BranchInfo,
    TariffCache,
    branch_info,
    clerk_business_date,
    is_settled,
    load_account,
    open_bill_states,
    read_session,
)
from counter_app.services.node import NodeDatabase
from counter_app.services.sync.files import HighWater, record_receipt_seq

log = logging.getLogger(__name__)

MAX_REASON = 200
EVENT_TYPES = {"payment": "payment.created", "void": "payment.voided", "refund": "payment.refunded"}


@dataclass(frozen=True)
class Quote:
    """What the chosen bills owe now and how much the customer still has to hand over."""

    account_id: str
    bill_ids: tuple[str, ...]  # oldest first
    due_fen: int  # principal + late fee of the chosen bills
    late_fee_fen: int
    from_balance_fen: int
    to_pay_fen: int
    balance_fen: int
    as_of: date


@dataclass(frozen=True)
class PaymentResult:
    payment_id: str
    kind: str  # payment | void | refund
    receipt_id: str
    receipt_no: str
    business_date: date
    account_id: str
    received_fen: int  # Σ method parts (negative: handed back)
    total_fen: int  # what the receipt's 合计 shows: Σ allocations + prepayment
    late_fee_fen: int
    from_balance_fen: int
    to_balance_fen: int
    tendered_fen: int
    change_fen: int
    balance_after_fen: int
    allocations: tuple[BillAllocation, ...]
    parts: tuple[MethodPart, ...]
    outbox_event_id: str


@dataclass
class _Movement:
    """Everything one money movement writes; filled in by the caller, written by :meth:`_write`."""

    kind: str
    account: CustomerAccount
    clerk: StaffSession
    business_date: date
    allocations: tuple[BillAllocation, ...]
    parts: tuple[MethodPart, ...]
    from_balance_fen: int
    to_balance_fen: int
    balance_after_fen: int
    tendered_fen: int = 0
    change_fen: int = 0
    ticket_id: str | None = None
    reverses_id: str | None = None
    authorised_by: StaffSession | None = None
    reason: str = ""
    policy: alloc.AllocationPolicy | None = None  # the [billing] allocation policy a payment was split by
    taken_offline: bool = False  # the hub could not be asked whether another window settled the bills


def check_reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise InvalidInput("reason", "say why, e.g. 金额录错", code="reason_needed")
    if len(text) > MAX_REASON:
        raise InvalidInput("reason", f"at most {MAX_REASON} characters", code="max_chars", n=MAX_REASON)
    return text


def check_manager(manager: StaffSession | None, clerk: StaffSession) -> StaffSession:
    if manager is None or manager.role not in (Role.MANAGER, Role.ADMIN):
        raise InvalidInput("manager", "a manager must authorise this with their staff number and password", code="manager_authorise")
    return manager


class PaymentService:
    def __init__(self, db: NodeDatabase, settings: Settings, clock: Callable[[], datetime] = utcnow,
                 reporter: BillReporter | None = None) -> None:
        """``reporter``: a counter with its own database asks the hub before each payment and
        reports each payment's bills to it (:mod:`counter_app.services.billing.hub_desk`)."""
        self._db = db
        self._settings = settings
        self._clock = clock
        self._reporter = reporter
        self._tariffs = TariffCache()
        billing_policy(settings)  # ConfigError names a bad [billing] key; read again with head office's each payment

    # -- what is due -------------------------------------------------------------------------

    def quote(self, account_id: str, bill_ids: Sequence[str] | None = None, use_balance: bool = False) -> Quote:
        with read_session(self._db.sessions) as session:
            account = load_account(session, account_id)
            today = branch_info(session, self._db.branch_code).today(self._clock())
            chosen = self._chosen(session, account, today, bill_ids)
            account_id, balance = account.id, account.balance_fen
        due = sum(bill.owed_fen for bill in chosen)
        from_balance = min(balance, due) if use_balance else 0
        return Quote(account_id, tuple(bill.bill_id for bill in chosen), due, sum(b.late_fee_fen for b in chosen),
                     from_balance, due - from_balance, balance, today)

    def _chosen(self, session: Session, account: CustomerAccount, today: date,
                bill_ids: Sequence[str] | None) -> list[OpenBill]:
        """The open bills to pay, oldest first, read now; a chosen bill no longer open is refused."""
        states = open_bill_states(session, account.id, today, self._tariffs)
        if bill_ids is None:
            return [state.open_bill() for state in states]
        wanted = list(dict.fromkeys(bill_ids))
        open_ids = {state.bill.id for state in states}
        for bill_id in wanted:
            if bill_id not in open_ids:
                bill = session.get(Bill, bill_id)
                if bill is None or bill.account_id != account.id:
                    raise InvalidInput("bills", "that bill is not a bill of this account", code="bill_not_of_account")
                raise NotAllowed(f"the {bill.period} bill has just been paid (perhaps at another window); "
                                 "nothing was taken: look the account up again", code="bill_paid_elsewhere", period=bill.period)
        return [state.open_bill() for state in states if state.bill.id in set(wanted)]

    # -- payment -----------------------------------------------------------------------------

    def take_payment(self, clerk: StaffSession, account_id: str, parts: Sequence[MethodPart] = (), *,
                     bill_ids: Sequence[str] | None = None, use_balance: bool = False,
                     ticket_id: str | None = None, expected_due_fen: int | None = None) -> PaymentResult:
        """Pay ``bill_ids`` (all open bills when None; ``[]`` for a pure prepayment) oldest first,
        with ``parts`` (cash with ``tendered_fen``, card or QR with their reference, or a split)
        and, with ``use_balance``, the balance first; anything beyond the bills goes to the balance.

        ``expected_due_fen`` is the amount due the clerk showed the customer: if the bills owe
        something else now (paid or part-paid at another window), NotAllowed and nothing changes."""
        checked = alloc.check_parts(parts)  # bad input is refused before anything is locked
        asked = True
        if self._reporter is not None:  # the hub first: a bill another window settled is refused here
            wanted = list(bill_ids) if bill_ids is not None else list(self.quote(account_id).bill_ids)
            asked = self._reporter.desk.check(wanted)
        with unit_of_work(self._db.sessions) as session:
            account = load_account(session, account_id)
            branch = branch_info(session, self._db.branch_code)
            today = branch.today(self._clock())
            chosen = self._chosen(session, account, today, bill_ids)
            due = sum(bill.owed_fen for bill in chosen)
            if expected_due_fen is not None and expected_due_fen != due:
                raise NotAllowed(f"the amount due is now {format_fen(due)}, not {format_fen(expected_due_fen)} "
                                 "(paid at another window?); nothing was taken: look the account up again", code="amount_due_changed", now=format_fen(due), was=format_fen(expected_due_fen))
            policy = read_policy(billing_policy, self._settings, session, today).allocation_on(today)
            payment = alloc.take_payment(chosen, checked, balance_fen=account.balance_fen, use_balance=use_balance,
                                         policy=policy)
            movement = _Movement("payment", account, clerk, clerk_business_date(session, clerk.staff_id, today),
                                 payment.allocations, payment.parts, payment.from_balance_fen, payment.to_balance_fen,
                                 payment.balance_after_fen, payment.tendered_fen, payment.change_fen, ticket_id,
                                 policy=policy, taken_offline=not asked)
            result = self._write(session, branch, movement, chosen)
            crash_point("before_commit")
        self._remember(result)
        crash_point("after_local_commit_before_print")
        return result

    # -- void and refund ---------------------------------------------------------------------

    def void_payment(self, payment_id: str, clerk: StaffSession, authorised_by: StaffSession | None,
                     reason: str) -> PaymentResult:
        """冲正 of a payment of the same business day, before its clerk's 日结, authorised by a
        manager (from :meth:`AuthService.verify_manager`): every amount negated, bills and
        balance restored exactly. The original row is never touched."""
        manager = check_manager(authorised_by, clerk)
        why = check_reason(reason)
        with unit_of_work(self._db.sessions) as session:
            original = session.get(Payment, payment_id) if payment_id else None
            if original is None:
                raise InvalidInput("payment", "no such payment", code="payment_not_found")
            if original.kind != "payment":
                raise NotAllowed("only a payment can be voided; this is a " + original.kind, code="void_only_payment", kind=original.kind)
            done = session.scalar(select(Receipt.receipt_no).join(Payment, Payment.id == Receipt.payment_id)
                                  .where(Payment.reverses_id == original.id, Payment.kind == "void"))
            if done is not None:
                raise NotAllowed(f"this payment is already voided (void slip {done})", code="payment_already_voided", slip=done)
            branch = branch_info(session, self._db.branch_code)
            today = branch.today(self._clock())
            if original.business_date < today:
                raise NotAllowed("a payment can be voided (冲正) only on its own business day; "
                                 "use a refund from the balance instead", code="void_same_day")
            if is_settled(session, original.clerk_id, original.business_date):
                raise NotAllowed("the day of this payment is settled (日结); use a refund from the balance instead", code="void_day_settled")
            account = load_account(session, original.account_id)
            rows = session.scalars(select(PaymentAllocation).where(PaymentAllocation.payment_id == original.id)).all()
            allocations = tuple(BillAllocation(a.bill_id, a.principal_fen, a.late_fee_fen) for a in rows)
            parts = tuple(MethodPart(p.method, p.amount_fen, p.reference) for p in
                          session.scalars(select(PaymentPart).where(PaymentPart.payment_id == original.id)))
            paid = alloc.Payment(allocations, parts, original.from_balance_fen, original.to_balance_fen, 0)
            reversal = alloc.void_payment(paid, balance_fen=account.balance_fen)
            bills = self._bills_as_owing(session, [a.bill_id for a in allocations])
            movement = _Movement("void", account, clerk, clerk_business_date(session, clerk.staff_id, today),
                                 reversal.allocations, reversal.parts, -original.from_balance_fen,
                                 -original.to_balance_fen, reversal.balance_after_fen, reverses_id=original.id,
                                 authorised_by=manager, reason=why)
            result = self._write(session, branch, movement, bills)
        return self._remember(result)

    def refund(self, account_id: str, amount_fen: int, clerk: StaffSession, authorised_by: StaffSession | None,
               reason: str, *, method: str = "cash", reference: str = "",
               original_payment_id: str | None = None) -> PaymentResult:
        """退费 from the prepaid balance only (DOMAIN.md 3.4, 6.11), authorised by a manager."""
        manager = check_manager(authorised_by, clerk)
        why = check_reason(reason)
        (part,) = alloc.check_parts([MethodPart(method, amount_fen, reference)])
        with unit_of_work(self._db.sessions) as session:
            account = load_account(session, account_id)
            if original_payment_id is not None:
                original = session.get(Payment, original_payment_id)
                if original is None or original.account_id != account.id or original.kind != "payment":
                    raise InvalidInput("payment", "not a payment of this account", code="payment_not_of_account")
            if part.amount_fen > account.balance_fen:
                raise NotAllowed(f"a refund comes only from the prepaid balance ({format_fen(account.balance_fen)})", code="refund_from_balance", balance=format_fen(account.balance_fen))
            branch = branch_info(session, self._db.branch_code)
            today = branch.today(self._clock())
            movement = _Movement("refund", account, clerk, clerk_business_date(session, clerk.staff_id, today), (),
                                 (part.negated(),), part.amount_fen, 0, account.balance_fen - part.amount_fen,
                                 reverses_id=original_payment_id, authorised_by=manager, reason=why)
            result = self._write(session, branch, movement, [])
        return self._remember(result)

    # -- the one writer ------------------------------------------------------------------------

    def _bills_as_owing(self, session: Session, bill_ids: list[str]) -> list[OpenBill]:
        bills = session.scalars(select(Bill).where(Bill.id.in_(bill_ids))).all()
        return [OpenBill(b.id, b.period, b.amount_fen - b.paid_fen, 0) for b in bills]

    def _remember(self, result: PaymentResult) -> PaymentResult:
        """After COMMIT: the receipt's seq goes to the high-water file outside the database (the
        restore guard, SYNC.md c.2). A failure here is logged; the payment stands."""
        if self._reporter is not None:
            self._reporter.kick()
        number = parse_receipt_number(result.receipt_no)
        try:
            record_receipt_seq(self._db.data_dir, self._db.node_id,
                               HighWater.key(number.terminal_code, number.incarnation, number.fiscal_year), number.seq)
        except OSError as error:
            log.error("receipt high-water mark not written (%s): the restore guard misses %s", error, result.receipt_no)
        return result

    def _next_receipt_no(self, session: Session, fiscal_year: int) -> tuple[str, int]:
        identity = session.scalars(select(NodeIdentity)).first()
        if identity is None:
            raise RuntimeError("this database has no node identity")
        if identity.receipts_locked:
            raise NotAllowed("receipt numbering is locked on this terminal (database restored or re-installed); "
                             "ask IT to re-enrol it before taking payments", code="receipt_numbering_locked")
        row = session.get(ReceiptSequence, (identity.terminal_code, identity.incarnation, fiscal_year))
        if row is None:
            row = ReceiptSequence(terminal_code=identity.terminal_code, incarnation=identity.incarnation,
                                  fiscal_year=fiscal_year, next_value=1)
            session.add(row)
        seq = row.next_value
        row.next_value = seq + 1
        return format_receipt_number(identity.branch_code, identity.terminal_code, identity.incarnation,
                                     fiscal_year, seq), seq

    def _write(self, session: Session, branch: BranchInfo, m: _Movement, bills: list[OpenBill]) -> PaymentResult:
        clerk = session.get(Staff, m.clerk.staff_id) or session.scalars(  # a hub's session: same staff number,
            select(Staff).where(Staff.staff_no == m.clerk.staff_no)).first()  # perhaps another row id here
        if clerk is None:
            raise InvalidInput("clerk", "log in again: this staff member is unknown here", code="clerk_unknown_here")
        window = None
        if m.clerk.window is not None:
            window = session.scalars(select(Window).where(Window.branch_id == branch.id,
                                                          Window.number == m.clerk.window)).first()
            if window is None:
                raise InvalidInput("window", f"window {m.clerk.window} is not a window of this branch", code="window_not_here", n=m.clerk.window)
        if m.ticket_id is not None and not is_record_id(m.ticket_id):
            raise InvalidInput("ticket", "not a ticket id from the hub", code="ticket_id_form")
        movement: alloc.Payment | alloc.Reversal = alloc.Payment(m.allocations, m.parts, m.from_balance_fen,
                                                                 m.to_balance_fen, m.account.balance_fen)
        after, balance = alloc.apply_to_account(bills, m.account.balance_fen, movement)
        if balance != m.balance_after_fen:
            raise AssertionError("balance arithmetic disagrees")
        receipt_no, seq = self._next_receipt_no(session, m.business_date.year)
        now = self._clock()
        ids = {"payment": new_id(), "receipt": new_id()}
        received = sum(part.amount_fen for part in m.parts)
        late_fee = sum(a.late_fee_fen for a in m.allocations)
        total = received + m.from_balance_fen
        payment = {
            "id": ids["payment"], "kind": m.kind, "reverses_id": m.reverses_id, "account_id": m.account.id,
            "branch_id": branch.id, "window_id": window.id if window else None, "clerk_id": clerk.id,
            "ticket_id": m.ticket_id, "business_date": m.business_date, "amount_fen": received,
            "late_fee_fen": late_fee, "to_balance_fen": m.to_balance_fen, "from_balance_fen": m.from_balance_fen,
            "tendered_fen": m.tendered_fen, "change_fen": m.change_fen, "balance_after_fen": balance,
            "authorised_by": m.authorised_by.staff_id if m.authorised_by else None, "reason": m.reason,
            "created_at": now,
        }
        parts = [{"id": new_id(), "method": p.method, "amount_fen": p.amount_fen, "reference": p.reference} for p in m.parts]
        periods = {b.bill_id: b.period for b in bills}
        allocations = [{"id": new_id(), "bill_id": a.bill_id, "period": periods.get(a.bill_id, ""),
                        "principal_fen": a.principal_fen, "late_fee_fen": a.late_fee_fen} for a in m.allocations]
        receipt = {"id": ids["receipt"], "receipt_no": receipt_no, "fiscal_year": m.business_date.year, "seq": seq,
                   "layout": self._settings.printer.receipt_layout, "issued_at": now}
        event = record_event(session, channel="payments", event_type=EVENT_TYPES[m.kind], aggregate_type="payment",
                             aggregate_id=m.reverses_id if m.kind == "void" else ids["payment"], node=self._db.node_id,
                             payload=_payload(payment, parts, allocations, receipt, m, branch, clerk, self._db))
        common = {"node_id": self._db.node_id, "outbox_event_id": event.event_id}
        session.execute(insert(Payment), [{**payment, **common}])  # Core inserts: the rows are plain facts
        if parts:
            session.execute(insert(PaymentPart), [{**p, "payment_id": ids["payment"], **common} for p in parts])
        if allocations:
            session.execute(insert(PaymentAllocation), [
                {"id": a["id"], "payment_id": ids["payment"], "bill_id": a["bill_id"], "principal_fen": a["principal_fen"],
                 "late_fee_fen": a["late_fee_fen"], **common} for a in allocations])
        session.execute(insert(Receipt), [{"id": ids["receipt"], "payment_id": ids["payment"], "receipt_no": receipt_no,
                                           "layout": receipt["layout"], "issued_at": now, **common}])
        owing = {bill.bill_id: bill for bill in after}
        for bill in session.scalars(select(Bill).where(Bill.id.in_([a.bill_id for a in m.allocations]))):
            bill.paid_fen = bill.amount_fen - owing[bill.id].principal_fen
            # principal paid first (the [billing] policy) leaves the late fee owed: the bill stays open
            bill.status = "paid" if bill.paid_fen >= bill.amount_fen and owing[bill.id].late_fee_fen <= 0 else "open"
        m.account.balance_fen = balance
        if self._reporter is not None and m.kind in ("payment", "void") and m.allocations:
            report_row(session, BillsPaidIn(
                payment_id=ids["payment"], kind=m.kind, reverses_id=m.reverses_id, window=m.clerk.window,
                terminal_code=self._db.terminal_code, receipt_no=receipt_no, taken_offline=m.taken_offline,
                bills=[paid_line(a.bill_id, periods.get(a.bill_id, ""), a.principal_fen,
                                 owing[a.bill_id].principal_fen + owing[a.bill_id].late_fee_fen) for a in m.allocations]))
        audit(session, self._db.node_id, {"payment": "payment", "void": "payment_void", "refund": "payment_refund"}[m.kind],
              actor_id=clerk.id, actor_label=clerk.staff_no, window=m.clerk.window, entity="payment",
              entity_id=ids["payment"], receipt_no=receipt_no, account_no=m.account.account_no, amount_fen=received,
              total_fen=total, reverses_id=m.reverses_id, reason=m.reason,
              authorised_by=m.authorised_by.staff_no if m.authorised_by else None)
        session.flush()
        return PaymentResult(ids["payment"], m.kind, ids["receipt"], receipt_no, m.business_date, m.account.id, received,
                             total, late_fee, m.from_balance_fen, m.to_balance_fen, m.tendered_fen, m.change_fen, balance,
                             m.allocations, m.parts, event.event_id)


def _payload(payment: dict[str, Any], parts: list[dict[str, Any]], allocations: list[dict[str, Any]],
             receipt: dict[str, Any], m: _Movement, branch: BranchInfo, clerk: Staff, db: NodeDatabase) -> dict[str, Any]:
    """The self-contained fact sent upstream (SYNC.md c.1): the whole aggregate, JSON-ready."""
    def plain(row: dict[str, Any]) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in row.items()}

    return {
        "node_id": db.node_id, "branch_code": branch.code, "terminal_code": db.terminal_code,
        "payment": {**plain(payment), "account_no": m.account.account_no, "clerk_no": clerk.staff_no,
                    "window_number": m.clerk.window,
                    "authorised_by_no": m.authorised_by.staff_no if m.authorised_by else None,
                    "allocation_policy": None if m.policy is None else {
                        "late_fee_first": m.policy.late_fee_first, "allow_partial": m.policy.allow_partial}},
        "parts": [plain(p) for p in parts],
        "allocations": [plain(a) for a in allocations],
        "receipt": plain(receipt),
    }
