"""日结: one clerk's business day counted, compared with the cash in the drawer, and locked.

The day shows the payments by method (count and amount), the voids and refunds handed back, and
the cash the drawer should hold (cash taken less cash handed back; change never stays in the
drawer, so only each cash part's amount counts). ``settle_day`` records the counted cash and the
difference in a :class:`DailySettlement` row, in one transaction with its outbox event and audit
entry. From then on the clerk's new payments count towards the next business day, and that
day's payments can no longer be voided, only refunded from the balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import METHODS
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import new_id
from counter_app.domain.timeutil import format_local, utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import DailySettlement, Payment, PaymentPart, Receipt, Staff, Window
from counter_app.persistence.outbox import record_event
from counter_app.services.audit import audit
from counter_app.services.auth import StaffSession
from counter_app.services.billing.ledger import METHOD_LABELS, branch_info, clerk_business_date, read_session
from counter_app.services.billing.settlement_report import SettlementReport, render_settlement_report
from counter_app.services.node import NodeDatabase

KINDS = ("payment", "void", "refund")


@dataclass(frozen=True)
class KindTotals:
    """Payments, voids or refunds of the day: count and amount per method (amounts positive)."""

    kind: str
    count: int
    amount_fen: int
    by_method: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "amount_fen": self.amount_fen, "by_method": dict(self.by_method)}


@dataclass(frozen=True)
class DaySummary:
    clerk_id: str
    clerk_no: str
    clerk_name: str
    business_date: date
    payments: KindTotals
    voids: KindTotals
    refunds: KindTotals
    net_by_method: dict[str, int]
    late_fee_fen: int
    to_balance_fen: int  # prepaid into balances (net of voids)
    from_balance_fen: int  # paid out of balances (net of voids, refunds included)
    first_receipt_no: str
    last_receipt_no: str
    settled: "SettlementRecord | None"

    @property
    def expected_cash_fen(self) -> int:
        return self.net_by_method.get("cash", 0)

    def totals(self) -> dict[str, Any]:
        return {"payments": self.payments.to_dict(), "voids": self.voids.to_dict(), "refunds": self.refunds.to_dict(),
                "net_by_method": dict(self.net_by_method), "late_fee_fen": self.late_fee_fen,
                "to_balance_fen": self.to_balance_fen, "from_balance_fen": self.from_balance_fen,
                "first_receipt_no": self.first_receipt_no, "last_receipt_no": self.last_receipt_no}


@dataclass(frozen=True)
class SettlementRecord:
    settlement_id: str
    clerk_id: str
    business_date: date
    expected_cash_fen: int
    counted_cash_fen: int
    difference_fen: int  # counted − expected: positive is a surplus (长款), negative a shortage (短款)
    locked_at: datetime


def _summary(session: Session, clerk_id: str, day: date) -> DaySummary:
    staff = session.get(Staff, clerk_id)
    if staff is None:
        raise InvalidInput("clerk", "no such staff member", code="staff_not_found")
    rows = session.execute(select(Payment, Receipt.receipt_no).outerjoin(Receipt, Receipt.payment_id == Payment.id)
                           .where(Payment.clerk_id == clerk_id, Payment.business_date == day)
                           .order_by(Receipt.receipt_no)).all()
    payments = [payment for payment, _ in rows]
    parts: dict[str, list[PaymentPart]] = {}
    if payments:
        for part in session.scalars(select(PaymentPart).where(PaymentPart.payment_id.in_([p.id for p in payments]))):
            parts.setdefault(part.payment_id, []).append(part)
    totals: dict[str, KindTotals] = {}
    net = {method: 0 for method in METHODS}
    for kind in KINDS:
        chosen = [p for p in payments if p.kind == kind]
        by_method = {method: 0 for method in METHODS}
        for payment in chosen:
            for part in parts.get(payment.id, ()):
                by_method[part.method] = by_method.get(part.method, 0) + abs(part.amount_fen)
                net[part.method] = net.get(part.method, 0) + part.amount_fen
        totals[kind] = KindTotals(kind, len(chosen), sum(abs(p.amount_fen) for p in chosen), by_method)
    numbers = [number for _, number in rows if number]
    settled = session.scalars(select(DailySettlement).where(DailySettlement.clerk_id == clerk_id,
                                                            DailySettlement.business_date == day)).first()
    return DaySummary(clerk_id, staff.staff_no, staff.name, day, totals["payment"], totals["void"], totals["refund"], net,
                      sum(p.late_fee_fen for p in payments), sum(p.to_balance_fen for p in payments),
                      sum(p.from_balance_fen for p in payments), numbers[0] if numbers else "",
                      numbers[-1] if numbers else "", _record(settled) if settled else None)


def _record(row: DailySettlement) -> SettlementRecord:
    return SettlementRecord(row.id, row.clerk_id, row.business_date, row.expected_cash_fen, row.counted_cash_fen,
                            row.difference_fen, row.locked_at)


class SettlementService:
    def __init__(self, db: NodeDatabase, paths: DataPaths, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._paths = paths
        self._clock = clock

    def today(self) -> date:
        """The branch's business day now."""
        with read_session(self._db.sessions) as session:
            return branch_info(session, self._db.branch_code).today(self._clock())

    def current_day(self, clerk_id: str) -> date:
        """The business day the clerk's payments count towards now (the next one once today is settled)."""
        with read_session(self._db.sessions) as session:
            today = branch_info(session, self._db.branch_code).today(self._clock())
            return clerk_business_date(session, clerk_id, today)

    def day_summary(self, clerk_id: str, business_date: date | None = None) -> DaySummary:
        """Counts and totals of the clerk's day (today by default), settled or not."""
        with read_session(self._db.sessions) as session:
            day = business_date or branch_info(session, self._db.branch_code).today(self._clock())
            return _summary(session, clerk_id, day)

    def settle_day(self, clerk: StaffSession, counted_cash_fen: int, business_date: date | None = None) -> SettlementRecord:
        """Record the counted cash and lock the clerk's day (today by default, or an earlier day
        left unsettled). Refused for a day already settled or a day not yet begun."""
        if isinstance(counted_cash_fen, bool) or not isinstance(counted_cash_fen, int) or counted_cash_fen < 0:
            raise InvalidInput("counted_cash", "the cash counted, in fen, zero or more", code="counted_cash")
        with unit_of_work(self._db.sessions) as session:
            branch = branch_info(session, self._db.branch_code)
            today = branch.today(self._clock())
            day = business_date or today
            if day > clerk_business_date(session, clerk.staff_id, today):
                raise NotAllowed(f"the business day {day.isoformat()} has not begun for this clerk", code="day_not_begun", day=day.isoformat())
            summary = _summary(session, clerk.staff_id, day)
            if summary.settled is not None:
                raise NotAllowed(f"the day {day.isoformat()} is already settled (日结) for {summary.clerk_name}", code="day_settled", day=day.isoformat(), clerk=summary.clerk_name)
            window = None
            if clerk.window is not None:
                window = session.scalars(select(Window).where(Window.branch_id == branch.id,
                                                              Window.number == clerk.window)).first()
            expected = summary.expected_cash_fen
            now = self._clock()
            row = DailySettlement(node_id=self._db.node_id, clerk_id=clerk.staff_id, window_id=window.id if window else None,
                                  business_date=day, totals=summary.totals(), expected_cash_fen=expected,
                                  counted_cash_fen=counted_cash_fen, difference_fen=counted_cash_fen - expected,
                                  locked_at=now)
            row.id = new_id()
            event = record_event(session, channel="payments", event_type="settlement.closed", aggregate_type="settlement",
                                 aggregate_id=row.id, node=self._db.node_id, payload={
                                     "settlement_id": row.id, "clerk_id": clerk.staff_id, "clerk_no": clerk.staff_no,
                                     "window_number": clerk.window, "business_date": day.isoformat(),
                                     "totals": row.totals, "expected_cash_fen": expected,
                                     "counted_cash_fen": counted_cash_fen, "difference_fen": row.difference_fen,
                                     "locked_at": now.isoformat()})
            row.outbox_event_id = event.event_id
            session.add(row)
            audit(session, self._db.node_id, "day_settled", actor_id=clerk.staff_id, actor_label=clerk.staff_no,
                  window=clerk.window, entity="daily_settlement", entity_id=row.id, business_date=day.isoformat(),
                  expected_cash_fen=expected, counted_cash_fen=counted_cash_fen, difference_fen=row.difference_fen)
            session.flush()
            return _record(row)

    def render_report(self, clerk_id: str, business_date: date, out: Path | None = None) -> Path:
        """The settlement report (日结报表) PDF of a day, settled or not (then marked 未日结)."""
        with read_session(self._db.sessions) as session:
            branch = branch_info(session, self._db.branch_code)
            summary = _summary(session, clerk_id, business_date)
            settled = summary.settled
            window_number = None
            if settled is not None:
                row = session.get(DailySettlement, settled.settlement_id)
                window = session.get(Window, row.window_id) if row is not None and row.window_id else None
                window_number = window.number if window else None
        report = SettlementReport(
            utility_name=branch.utility_name, branch_name=branch.name, business_date=business_date.isoformat(),
            clerk=f"{summary.clerk_name} {summary.clerk_no}", window_number=window_number,
            rows=tuple((METHOD_LABELS.get(m, m), summary.payments.by_method.get(m, 0), summary.voids.by_method.get(m, 0),
                        summary.refunds.by_method.get(m, 0), summary.net_by_method.get(m, 0)) for m in METHODS),
            counts=(summary.payments.count, summary.voids.count, summary.refunds.count),
            late_fee_fen=summary.late_fee_fen, to_balance_fen=summary.to_balance_fen,
            from_balance_fen=summary.from_balance_fen, first_receipt_no=summary.first_receipt_no,
            last_receipt_no=summary.last_receipt_no, expected_cash_fen=summary.expected_cash_fen,
            counted_cash_fen=settled.counted_cash_fen if settled else None,
            difference_fen=settled.difference_fen if settled else None,
            settled_at_local=format_local(settled.locked_at, branch.zone) if settled else "",
            printed_at_local=format_local(self._clock(), branch.zone))
        if out is None:
            folder = self._paths.root / "reports"
            folder.mkdir(parents=True, exist_ok=True)
            out = folder / f"settlement-{business_date.isoformat()}-{summary.clerk_no}.pdf"
        return render_settlement_report(report, out)
