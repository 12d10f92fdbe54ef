"""What an account owes as of a day: the reads that the account view, the payment and the void share.

A bill's principal still owed is ``amount_fen - paid_fen``. Its late fee (违约金) is assessed from
the due date to the day asked, under the rule of the bill's tariff version ("late_fee" in its
definition; no rule, no fee), on the principal overdue each day: the partial payments made here
since the due date (their local day; a voided payment and its void count as never made) lower it
from the day after each one. Principal paid that this node has no payment for (settled at head
office before its last checkpoint) counts as paid before the due date. From the fee so assessed,
the late fee already paid on the bill (the sum of its allocations, voids included) is deducted.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.allocation import OpenBill
from counter_app.domain.errors import InvalidInput
from counter_app.domain.late_fee import LateFee, LateFeeRule, assess_late_fee
from counter_app.domain.tariff import TariffDefinition
from counter_app.domain.timeutil import branch_zone, business_day
from counter_app.persistence.models import (
    Bill,
    Branch,
    CustomerAccount,
    DailySettlement,
    Holiday,
    Payment,
    PaymentAllocation,
    TariffVersion,
)

METHOD_LABELS = {"cash": "现金", "card": "银行卡", "qr": "扫码支付", "balance": "预存抵扣"}
USER_TYPE_LABELS = {"residential": "居民生活用水", "non_residential": "非居民用水", "special": "特种用水"}


@dataclass(frozen=True)
class BillState:
    """One open bill as it stands on ``as_of``."""

    bill: Bill
    principal_owed_fen: int
    late_fee: LateFee | None  # None: the tariff has no late-fee rule
    late_fee_paid_fen: int

    @property
    def late_fee_owed_fen(self) -> int:
        return max(0, (self.late_fee.fee_fen if self.late_fee else 0) - self.late_fee_paid_fen)

    @property
    def owed_fen(self) -> int:
        return self.principal_owed_fen + self.late_fee_owed_fen

    def open_bill(self) -> OpenBill:
        return OpenBill(self.bill.id, self.bill.period, self.principal_owed_fen, self.late_fee_owed_fen)


class TariffCache:
    """Tariff versions are immutable, so each definition is parsed once per process."""

    def __init__(self) -> None:
        self._rules: dict[str, LateFeeRule | None] = {}

    def late_fee_rule(self, session: Session, version_id: str) -> LateFeeRule | None:
        if version_id not in self._rules:
            definition: dict[str, Any] = session.scalar(select(TariffVersion.definition).where(TariffVersion.id == version_id))
            self._rules[version_id] = TariffDefinition.from_dict(definition).late_fee
        return self._rules[version_id]


def working_day_predicate(session: Session) -> Callable[[date], bool]:
    """Monday to Friday, except public holidays, plus make-up working days (调休) from the calendar."""
    exceptions = dict(session.execute(select(Holiday.day, Holiday.kind)).all())

    def is_working_day(day: date) -> bool:
        kind = exceptions.get(day)
        if kind == "holiday":
            return False
        if kind == "workday":
            return True
        return day.weekday() < 5

    return is_working_day


def _principal_payments(session: Session, bills: list[Bill]) -> dict[str, list[tuple[date, int]]]:
    """Principal paid on each bill by the payments this node holds, by local day of payment;
    voided payments and their voids left out."""
    zone_name = session.scalar(select(Branch.timezone).join(CustomerAccount, CustomerAccount.branch_id == Branch.id)
                               .where(CustomerAccount.id == bills[0].account_id))
    if zone_name is None:
        raise RuntimeError("the account's branch is not in this database")
    zone = branch_zone(zone_name)
    rows = session.execute(
        select(PaymentAllocation.bill_id, PaymentAllocation.principal_fen, Payment.id, Payment.kind,
               Payment.reverses_id, Payment.created_at)
        .join(Payment, Payment.id == PaymentAllocation.payment_id)
        .where(PaymentAllocation.bill_id.in_([bill.id for bill in bills]))).all()
    voided = {row.reverses_id for row in rows if row.kind == "void"}
    paid: dict[str, list[tuple[date, int]]] = {}
    for row in rows:
        if row.kind == "void" or row.id in voided or row.principal_fen <= 0:
            continue
        paid.setdefault(row.bill_id, []).append((business_day(row.created_at, zone), row.principal_fen))
    return paid


def open_bill_states(session: Session, account_id: str, as_of: date, tariffs: TariffCache,
                     bill_ids: list[str] | None = None) -> list[BillState]:
    """The account's bills that still owe principal or a late fee, oldest period first, assessed on ``as_of``."""
    query = select(Bill).where(Bill.account_id == account_id, Bill.status == "open").order_by(Bill.period, Bill.id)
    bills = list(session.scalars(query))
    if bill_ids is not None:
        wanted = set(bill_ids)
        bills = [bill for bill in bills if bill.id in wanted]
    if not bills:
        return []
    fee_paid = dict(session.execute(
        select(PaymentAllocation.bill_id, func.sum(PaymentAllocation.late_fee_fen))
        .where(PaymentAllocation.bill_id.in_([bill.id for bill in bills]))
        .group_by(PaymentAllocation.bill_id)).all())
    calendar: Callable[[date], bool] | None = None
    paid_here: dict[str, list[tuple[date, int]]] | None = None
    states = []
    for bill in bills:
        owed = bill.amount_fen - bill.paid_fen
        rule = tariffs.late_fee_rule(session, bill.tariff_version_id)
        fee = None
        if rule is not None:
            if rule.day_kind == "working" and calendar is None:
                calendar = working_day_predicate(session)
            if paid_here is None:
                paid_here = _principal_payments(session, bills)
            payments = [(day, fen) for day, fen in paid_here.get(bill.id, []) if day > bill.due_date]
            overdue = owed + sum(fen for _, fen in payments)
            if overdue > bill.amount_fen:  # rows this node holds disagree with paid_fen: trust paid_fen
                payments, overdue = [], owed
            fee = assess_late_fee(rule, overdue, bill.due_date, as_of, payments=payments, bill_fen=bill.amount_fen,
                                  is_working_day=calendar)
        state = BillState(bill, owed, fee, int(fee_paid.get(bill.id) or 0))
        if state.owed_fen > 0:
            states.append(state)
    return states


def load_account(session: Session, account_id: str) -> CustomerAccount:
    account = session.get(CustomerAccount, account_id) if account_id else None
    if account is None:
        raise InvalidInput("account_no", "no such account at this branch; look it up again", code="account_gone")
    return account


@dataclass(frozen=True)
class BranchInfo:
    id: str
    code: str
    name: str
    utility_name: str
    query_phone: str
    zone: ZoneInfo

    def today(self, now: datetime) -> date:
        return business_day(now, self.zone)


def branch_info(session: Session, branch_code: str) -> BranchInfo:
    branch = session.scalars(select(Branch).where(Branch.code == branch_code)).first()
    if branch is None:
        branch = session.scalars(select(Branch)).first()
    if branch is None:
        raise RuntimeError("this database holds no branch; seed or sync the reference data first")
    return BranchInfo(branch.id, branch.code, branch.name, branch.utility_name, branch.query_phone,
                      branch_zone(branch.timezone))


def clerk_business_date(session: Session, clerk_id: str, today: date) -> date:
    """The day a clerk's takings count towards: today, or the first day after it not yet settled (日结)."""
    settled = set(session.scalars(select(DailySettlement.business_date).where(
        DailySettlement.clerk_id == clerk_id, DailySettlement.business_date >= today)))
    day = today
    while day in settled:
        day += timedelta(days=1)
    return day


def is_settled(session: Session, clerk_id: str, day: date) -> bool:
    return session.scalar(select(DailySettlement.id).where(
        DailySettlement.clerk_id == clerk_id, DailySettlement.business_date == day)) is not None


@contextmanager
def read_session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A read-only transaction (BEGIN DEFERRED): it never waits for, nor blocks, a writer. Rows
    read stay usable, detached, after it ends."""
    with sessions() as session:
        session.connection(execution_options={"sqlite_begin": "DEFERRED"})
        try:
            yield session
        finally:
            session.expunge_all()
            session.rollback()
