"""The hub's registry of bills paid at the branch's windows (counters with their own databases).

:func:`record_paid` stores what a counter reports about one payment, once (a second report of the
same payment id changes nothing and answers ``recorded=False``); a settled bill that another
payment, not voided, had settled already becomes an incident (``hub_bill_incident``) and comes
back as a conflict. :func:`paid_elsewhere` answers which of the asked bills another terminal has
settled (a void gives the bill back)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import HubBillIncident, HubBillPayment
from counter_app.protocol.bills import (
    BillConflict,
    BillPaidElsewhere,
    BillsCheckAnswer,
    BillsCheckIn,
    BillsPaidAnswer,
    BillsPaidIn,
)

log = logging.getLogger(__name__)


def _settling(session: Session, bill_ids: list[str]) -> list[HubBillPayment]:
    """The payments that settled these bills and were not voided since."""
    if not bill_ids:
        return []
    rows = session.scalars(select(HubBillPayment).where(HubBillPayment.bill_id.in_(bill_ids))).all()
    voided = {row.reverses_id for row in rows if row.kind == "void"}
    return [row for row in rows if row.kind == "payment" and row.settled and row.payment_id not in voided]


def record_paid(sessions: sessionmaker[Session], report: BillsPaidIn, now: datetime | None = None) -> BillsPaidAnswer:
    now = now or utcnow()
    with unit_of_work(sessions) as session:
        if session.scalar(select(HubBillPayment.id).where(HubBillPayment.payment_id == report.payment_id).limit(1)):
            known = session.scalars(select(HubBillIncident).where(HubBillIncident.payment_id == report.payment_id)).all()
            return BillsPaidAnswer(recorded=False, conflicts=[_conflict(i) for i in known])
        before = {row.bill_id: row for row in _settling(session, [line.bill_id for line in report.bills])
                  if row.payment_id != report.payment_id}
        conflicts = []
        for line in report.bills:
            session.add(HubBillPayment(payment_id=report.payment_id, bill_id=line.bill_id, period=line.period,
                                       kind=report.kind, reverses_id=report.reverses_id, principal_fen=line.principal_fen,
                                       settled=line.settled, window=report.window, terminal_code=report.terminal_code,
                                       receipt_no=report.receipt_no, taken_offline=report.taken_offline, reported_at=now))
            other = before.get(line.bill_id)
            if report.kind == "payment" and line.settled and other is not None:
                incident = HubBillIncident(bill_id=line.bill_id, period=line.period, payment_id=report.payment_id,
                                           other_payment_id=other.payment_id, window=report.window,
                                           other_window=other.window, detected_at=now)
                session.add(incident)
                conflicts.append(_conflict(incident))
                log.warning("bill %s (%s) settled twice: payment %s at window %s and %s at window %s (incident)",
                            line.bill_id, line.period, report.payment_id, report.window, other.payment_id, other.window)
        session.flush()
    return BillsPaidAnswer(recorded=True, conflicts=conflicts)


def _conflict(incident: HubBillIncident) -> BillConflict:
    return BillConflict(bill_id=incident.bill_id, period=incident.period, payment_id=incident.payment_id,
                        other_payment_id=incident.other_payment_id, window=incident.window,
                        other_window=incident.other_window)


def paid_elsewhere(sessions: sessionmaker[Session], ask: BillsCheckIn) -> BillsCheckAnswer:
    with sessions() as session:
        rows = _settling(session, list(dict.fromkeys(ask.bill_ids)))
        paid = {}
        for row in rows:
            if row.terminal_code != ask.terminal_code and row.bill_id not in paid:
                paid[row.bill_id] = BillPaidElsewhere(bill_id=row.bill_id, period=row.period, payment_id=row.payment_id,
                                                      window=row.window, terminal_code=row.terminal_code,
                                                      receipt_no=row.receipt_no)
        session.rollback()
    return BillsCheckAnswer(paid=list(paid.values()))


def incidents(sessions: sessionmaker[Session]) -> list[BillConflict]:
    """Every double payment the hub has seen (for the manager and ``hub-admin``)."""
    with sessions() as session:
        return [_conflict(i) for i in session.scalars(select(HubBillIncident).order_by(HubBillIncident.id))]
