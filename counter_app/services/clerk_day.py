"""The clerk's day at a glance, for the counter's home page (首页).

What the clerk took today (payments, voids and refunds, the cash the drawer should hold, receipts
of this PC never printed, whether the day is settled: the figures of the daily settlement, 日结)
and the applications of the clerk's window that need someone: a stage late or nearly due, and
customers who still owe documents. Read from this PC's own database: a counter's payments and
applications live there in every mode (the queue's figures are the manager's statistics)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

from sqlalchemy import func, select

from counter_app.core.paths import DataPaths
from counter_app.domain.applications import WAITING_DOCS
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import Application, Payment, Receipt
from counter_app.services.applications import ApplicationService
from counter_app.services.applications.queries import WorkItem
from counter_app.services.auth import StaffSession
from counter_app.services.billing.ledger import read_session
from counter_app.services.billing.receipts import printed_or_saved
from counter_app.services.billing.settlement import DaySummary, SettlementService
from counter_app.services.node import NodeDatabase

#: at most this many applications are listed; the back office and the lookup have them all
LISTED = 8


@dataclass(frozen=True)
class FollowUp:
    item: WorkItem
    reason: str  # late (the stage's time limit passed) | due_soon | documents (待补件: the clock is stopped)


@dataclass(frozen=True)
class ClerkDay:
    today: date  # the branch's business day
    takings: DaySummary  # the day the clerk's payments count towards now: the next one once today is settled
    unprinted: int  # receipts of today's payments at this PC, by anyone, never printed or saved
    accepted_today: int  # applications this clerk accepted on the business day
    follow_up: tuple[FollowUp, ...]  # this window's applications that need someone, the most urgent first
    follow_up_total: int  # all of them (``follow_up`` lists the first LISTED)

    @property
    def settled_today(self) -> bool:
        """Today's 日结 is done: what the clerk takes now counts towards ``takings.business_date``."""
        return self.takings.business_date > self.today


def clerk_day(db: NodeDatabase, who: StaffSession, paths: DataPaths | None = None,
              clock: Callable[[], datetime] = utcnow) -> ClerkDay:
    paths = paths or DataPaths(db.path.parent)
    settlement = SettlementService(db, paths, clock)
    today = settlement.today()
    takings = settlement.day_summary(who.staff_id, settlement.current_day(who.staff_id))
    applications = ApplicationService(db, paths, clock)
    work = applications.work_list(window=who.window) if who.window else None
    items = work.items if work else []
    reasons = {"red": "late", "amber": "due_soon"}
    follow = [FollowUp(i, reasons[i.due_state]) for i in items if i.due_state in reasons]
    follow.sort(key=lambda f: f.reason != "late")  # late first, each by due date (the work list's order)
    follow += [FollowUp(i, "documents") for i in items if i.status == WAITING_DOCS and i.due_state not in reasons]
    with read_session(db.sessions) as session:
        # today's only (by the payments' day index): every receipt ever would be a scan every few seconds
        unprinted = session.scalar(select(func.count()).select_from(Receipt).join(Payment, Payment.id == Receipt.payment_id)
                                   .where(Payment.business_date.in_({today, takings.business_date}), ~printed_or_saved())) or 0
        accepted = session.scalar(select(func.count()).select_from(Application).where(
            Application.clerk_id == who.staff_id, Application.accepted_on == today))
    return ClerkDay(today, takings, unprinted, accepted or 0, tuple(follow[:LISTED]), len(follow))
