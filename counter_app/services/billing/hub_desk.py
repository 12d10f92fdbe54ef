"""A counter with its own database and the hub's registry of bills paid at the branch's windows
(:mod:`counter_app.protocol.bills`).

Before a payment :meth:`BillDesk.check` asks the hub whether another window has settled the
chosen bills: if so the payment is refused (``bill_paid_at_window``) with nothing changed. When
the hub cannot be asked (down, or another protocol version) the payment is taken against this
PC's own copy of the bills and marked ``taken_offline``. Every payment writes its report to
``bill_report`` in its own transaction (:func:`report_row`); :meth:`BillDesk.report_pending`
sends what the hub has not acknowledged, oldest first, and :class:`BillReporter` does so in the
background whenever a payment was committed or the hub returns. A bill two windows settled
while they could not ask comes back as a conflict: logged, audited and kept in ``result`` (and
at the hub as an incident): a double payment is visible, never lost."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.domain.errors import NotAllowed, UserError
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import BillReport
from counter_app.protocol.bills import BillPaidLine, BillsCheckAnswer, BillsPaidAnswer, BillsPaidIn
from counter_app.services.audit import audit
from counter_app.services.background import BackgroundReporter
from counter_app.services.node import NodeDatabase

log = logging.getLogger(__name__)


class HubBills(Protocol):
    """What the desk needs of the hub (``HubClient`` has it)."""

    def check_bills(self, bill_ids: list[str], terminal_code: str) -> dict[str, Any]: ...

    def report_bills_paid(self, report: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ReportRound:
    sent: int
    left: int
    conflicts: int
    error: str = ""


def report_row(session: Session, report: BillsPaidIn) -> None:
    """The payment's report to the hub, in the payment's own transaction."""
    session.add(BillReport(payment_id=report.payment_id, created_at=utcnow(), taken_offline=report.taken_offline,
                           reported_at=None, result="", payload=report.model_dump()))


def paid_line(bill_id: str, period: str, principal_fen: int, owed_after_fen: int) -> BillPaidLine:
    return BillPaidLine(bill_id=bill_id, period=period, principal_fen=principal_fen, settled=owed_after_fen <= 0)


class BillDesk:
    def __init__(self, db: NodeDatabase, hub: HubBills) -> None:
        self._db = db
        self._hub = hub
        self.online: bool | None = None  # whether the hub answered the last question
        self.last_problem = ""

    def check(self, bill_ids: list[str]) -> bool:
        """Refuse (NotAllowed) a bill another window settled; True if the hub answered, False
        if the payment goes ahead on this PC's own data (hub down or of another version)."""
        if not bill_ids:
            return True
        try:
            answer = BillsCheckAnswer.model_validate(self._hub.check_bills(list(bill_ids), self._db.terminal_code))
        except UserError as error:
            if isinstance(error, NotAllowed) and error.code != "hub_forbidden":
                raise
            self._offline(error)
            return False
        self.online = True
        if answer.paid:
            first = answer.paid[0]
            raise NotAllowed(f"the {first.period} bill was already paid at window {first.window} (receipt "
                             f"{first.receipt_no}); nothing was taken", code="bill_paid_at_window",
                             period=first.period, window=first.window or "?", receipt=first.receipt_no)
        return True

    def _offline(self, error: Exception) -> None:
        if self.online is not False:
            log.warning("the hub cannot be asked about bills (%s): payments go on against this PC's own bills "
                        "and are reported when it answers", error)
        self.online, self.last_problem = False, str(error)

    def pending(self) -> int:
        with self._db.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(BillReport).where(BillReport.reported_at.is_(None))))

    def report_pending(self, limit: int = 100) -> ReportRound:
        """Send the reports the hub has not acknowledged, oldest first; stop at the first failure."""
        with self._db.sessions() as session:
            rows = session.execute(select(BillReport.payment_id, BillReport.payload)
                                   .where(BillReport.reported_at.is_(None))
                                   .order_by(BillReport.created_at, BillReport.payment_id).limit(limit)).all()
        sent = conflicts = 0
        for payment_id, payload in rows:
            try:
                answer = BillsPaidAnswer.model_validate(self._hub.report_bills_paid(payload))
            except UserError as error:
                self._offline(error)
                return ReportRound(sent, self.pending(), conflicts, str(error))
            self.online = True
            conflicts += len(answer.conflicts)
            self._acknowledged(payment_id, answer)
            sent += 1
        return ReportRound(sent, self.pending(), conflicts)

    def _acknowledged(self, payment_id: str, answer: BillsPaidAnswer) -> None:
        result = "recorded" if answer.recorded else "known"
        if answer.conflicts:
            result = "DOUBLE PAYMENT: " + "; ".join(
                f"{c.period} bill also paid at window {c.other_window} (payment {c.other_payment_id})"
                for c in answer.conflicts)
            log.error("payment %s: %s (an incident at the hub; both payments stand)", payment_id, result)
        with unit_of_work(self._db.sessions) as session:
            row = session.get(BillReport, payment_id)
            if row is not None and row.reported_at is None:
                row.reported_at, row.result = utcnow(), result[:200]
            if answer.conflicts:
                audit(session, self._db.node_id, "bill_double_payment", entity="payment", entity_id=payment_id,
                      conflicts=[c.model_dump() for c in answer.conflicts])


class BillReporter(BackgroundReporter):
    """Reports in the background: after each payment (:meth:`kick`) and every ``interval`` s."""

    def __init__(self, desk: BillDesk, interval: float = 5.0) -> None:
        super().__init__(desk.report_pending, name="bill-reporter", what="reporting payments' bills to the hub",
                         interval=interval)
        self.desk = desk
