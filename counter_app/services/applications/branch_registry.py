"""At the hub: the branch-wide read copy of connection applications taken at counters that keep
their own databases (:mod:`counter_app.protocol.applications`).

:func:`record_copy` keeps the newest copy of each application its owner reported (by ``as_of``,
then ``report_id``): the same report again, or an older one arriving late, changes nothing, so
a counter may send again whatever it is not sure the hub has. :func:`find` answers a window's
lookup with the copies of the other windows' applications. Documents handed in at a window that
does not keep the application wait here (:func:`record_action`, idempotent by action id) until
the owner takes them (:func:`pending_actions`), records them in its own database and says so
(:func:`action_done`)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import HubApplication, HubApplicationAction
from counter_app.protocol.applications import (
    ActionDone, ActionRecorded, ApplicationCopyAnswer, ApplicationCopyIn, ApplicationFindAnswer, ApplicationFindIn,
    DocumentsHandedIn, PendingActions,
)

FIND_LIMIT = 50


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def record_copy(sessions: sessionmaker[Session], copy: ApplicationCopyIn) -> ApplicationCopyAnswer:
    as_of = _utc(copy.as_of)
    with unit_of_work(sessions) as session:
        row = session.get(HubApplication, copy.application_id)
        if row is not None and (_utc(row.as_of), row.report_id) >= (as_of, copy.report_id):
            return ApplicationCopyAnswer(recorded=False)
        if row is None:
            row = HubApplication(application_id=copy.application_id)
            session.add(row)
        row.number, row.id_number, row.credit_code, row.phone = copy.number, copy.id_number, copy.credit_code, copy.phone
        row.account_no, row.window, row.terminal_code = copy.account_no, copy.window, copy.terminal_code
        row.report_id, row.as_of, row.received_at = copy.report_id, as_of, utcnow()
        row.copy = copy.model_dump(mode="json")
        return ApplicationCopyAnswer(recorded=True)


def find(sessions: sessionmaker[Session], question: ApplicationFindIn) -> ApplicationFindAnswer:
    a = HubApplication
    if question.number:
        condition = a.number == question.number
    elif question.id_number:
        condition = (a.id_number == question.id_number) | (a.credit_code == question.id_number)
    elif question.phone:
        condition = a.phone == question.phone
    else:
        return ApplicationFindAnswer()
    with unit_of_work(sessions) as session:
        copies = session.scalars(select(a.copy).where(condition, a.terminal_code != question.terminal_code)
                                 .order_by(a.as_of.desc()).limit(FIND_LIMIT)).all()
        return ApplicationFindAnswer(copies=[ApplicationCopyIn.model_validate(c) for c in copies])


def record_action(sessions: sessionmaker[Session], action: DocumentsHandedIn) -> ActionRecorded:
    with unit_of_work(sessions) as session:
        if session.get(HubApplicationAction, action.action_id) is not None:
            return ActionRecorded(recorded=False)
        session.add(HubApplicationAction(action_id=action.action_id, application_id=action.application_id,
                                         owner_terminal=action.owner_terminal, state="pending",
                                         payload=action.model_dump(mode="json"), received_at=utcnow(), done_at=None,
                                         result=""))
        return ActionRecorded(recorded=True)


def pending_actions(sessions: sessionmaker[Session], owner_terminal: str, limit: int = FIND_LIMIT) -> PendingActions:
    a = HubApplicationAction
    with unit_of_work(sessions) as session:
        rows = session.scalars(select(a.payload).where(a.owner_terminal == owner_terminal, a.state == "pending")
                               .order_by(a.received_at, a.action_id).limit(limit)).all()
        return PendingActions(actions=[DocumentsHandedIn.model_validate(r) for r in rows])


def action_done(sessions: sessionmaker[Session], action_id: str, done: ActionDone) -> bool:
    """False when there is no such action (or it was settled before: nothing changes)."""
    with unit_of_work(sessions) as session:
        row = session.get(HubApplicationAction, action_id)
        if row is None or row.state != "pending":
            return False
        row.state, row.result, row.done_at = ("applied" if done.applied else "refused"), done.result, utcnow()
        return True
