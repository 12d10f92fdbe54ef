"""A counter with its own database and the hub's branch-wide read copy of applications
(:mod:`counter_app.protocol.applications`), so an application is found at any window.

Who owns what: an application lives in the database of the counter that took it; only there
does it change (stages, documents), and only that counter's sync carries it to head office.
:meth:`ApplicationDesk.report_pending` follows this PC's outbox (channel ``applications``) from
``hub_report_cursor`` and sends the hub each changed application's current picture, in the
background (:class:`ApplicationReporter`), again after a failure, and the rest when the hub is
back. Another window's lookup (:func:`lookup_anywhere`, :func:`detail_anywhere`) reads its own
database first and the hub's copy second; a copy is shown read-only, with the window that took
it. Documents handed in for it there are sent to the hub as an action with its own id
(:meth:`ApplicationDesk.forward_hand_in`); the owner takes the actions waiting for it at the
start of each round (:meth:`ApplicationDesk.take_actions`) and records them in its own database
like documents handed in at its own window (a second delivery finds them not missing: nothing
changes), so it stays the only writer. With the hub down the lookup says so
(``applications_elsewhere_unseen``) instead of "not found"."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, Protocol

from sqlalchemy import func, select

from counter_app.domain.applications import due_state
from counter_app.domain.errors import InvalidInput, NotAllowed, UserError
from counter_app.domain.ids import new_id
from counter_app.domain.staff_rules import Role
from counter_app.domain.timeutil import format_local, utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Application, CustomerAccount, HubReportCursor, OutboxEvent
from counter_app.protocol.applications import (
    ActionRecorded, ApplicationCopyAnswer, ApplicationCopyIn, ApplicationFindAnswer, ApplicationFindIn, DocumentsHandedIn,
    PendingActions,
)
from counter_app.services.applications import queries, workflow
from counter_app.services.applications.context import ApplicationContext
from counter_app.services.applications.reference import load_calendar
from counter_app.services.applications.wire import detail_from_wire, detail_to_wire
from counter_app.services.background import BackgroundReporter
from counter_app.services.auth import StaffSession
from counter_app.services.billing.ledger import read_session

log = logging.getLogger(__name__)
STREAM = "applications"


class HubApplications(Protocol):
    """What the desk needs of the hub (``HubClient`` has it)."""

    def report_application(self, copy: dict[str, Any]) -> dict[str, Any]: ...

    def find_applications(self, question: dict[str, Any]) -> dict[str, Any]: ...

    def hand_in_elsewhere(self, action: dict[str, Any]) -> dict[str, Any]: ...

    def actions_waiting(self, owner: str) -> dict[str, Any]: ...

    def action_done(self, action_id: str, applied: bool, result: str = "") -> dict[str, Any]: ...


@dataclass(frozen=True)
class ReportRound:
    sent: int
    left: int
    error: str = ""


@dataclass(frozen=True)
class Forwarded:
    """Documents sent to the window that keeps the application."""

    number: str
    window: int | None
    action_id: str


@dataclass(frozen=True)
class BranchLookup:
    """This window's hits and the other windows' (from the hub); ``unseen`` when the hub could not be asked."""

    hits: list[queries.LookupHit]
    unseen: UserError | None = None


def unseen_error() -> NotAllowed:
    return NotAllowed("applications taken at other windows cannot be seen now: the queue server (hub) does not "
                      "answer", code="applications_elsewhere_unseen")


class ApplicationDesk:
    def __init__(self, ctx: ApplicationContext, hub: HubApplications) -> None:
        self.ctx = ctx
        self._hub = hub
        self.online: bool | None = None  # whether the hub answered the last request

    def _cursor(self) -> int:
        with read_session(self.ctx.db.sessions) as session:
            row = session.get(HubReportCursor, STREAM)
            return row.through_seq if row else 0

    def _advance(self, through: int) -> None:
        with unit_of_work(self.ctx.db.sessions) as session:
            row = session.get(HubReportCursor, STREAM)
            if row is None:
                session.add(HubReportCursor(stream=STREAM, through_seq=through, updated_at=utcnow()))
            elif through > row.through_seq:
                row.through_seq, row.updated_at = through, utcnow()

    def pending(self) -> int:
        """Changes to applications the hub has not been told of."""
        after = self._cursor()
        with read_session(self.ctx.db.sessions) as session:
            return int(session.scalar(select(func.count()).select_from(OutboxEvent).where(
                OutboxEvent.channel == STREAM, OutboxEvent.aggregate_type == "application", OutboxEvent.seq > after)))

    def report_pending(self, limit: int = 200) -> ReportRound:
        """Send each application changed since the cursor once (its picture now), in the order of
        its first change; stop at the first failure, the cursor just before that application."""
        try:
            self.take_actions()
        except UserError as error:
            self._offline(error)
            return ReportRound(0, self.pending(), str(error))
        after = self._cursor()
        with read_session(self.ctx.db.sessions) as session:
            rows = session.execute(select(OutboxEvent.seq, OutboxEvent.aggregate_id).where(
                OutboxEvent.channel == STREAM, OutboxEvent.aggregate_type == "application", OutboxEvent.seq > after)
                .order_by(OutboxEvent.seq).limit(limit)).all()
        if not rows:
            return ReportRound(0, 0)
        first: dict[str, int] = {}
        for seq, application_id in rows:
            first.setdefault(application_id, seq)
        sent = 0
        for application_id, seq in first.items():
            try:
                copy = self.copy_of(application_id)
                if copy is not None:
                    ApplicationCopyAnswer.model_validate(self._hub.report_application(copy.model_dump(mode="json")))
            except UserError as error:
                self._offline(error)
                self._advance(seq - 1)
                return ReportRound(sent, self.pending(), str(error))
            self.online = True
            sent += 1
        self._advance(rows[-1][0])
        return ReportRound(sent, self.pending())

    def copy_of(self, application_id: str) -> ApplicationCopyIn | None:
        """The application's picture as this window shows it, with its latest change."""
        with read_session(self.ctx.db.sessions) as session:
            application = session.get(Application, application_id)
            last = session.execute(select(OutboxEvent.event_id, OutboxEvent.created_at).where(
                OutboxEvent.aggregate_id == application_id).order_by(OutboxEvent.seq.desc()).limit(1)).first()
            if application is None or last is None:
                return None
            number, keys = application.number, (application.id_number, application.credit_code, application.phone)
            account_no = session.scalar(select(CustomerAccount.account_no).where(
                CustomerAccount.id == application.account_id)) if application.account_id else ""
        detail = queries.detail(self.ctx, number)
        return ApplicationCopyIn(application_id=application_id, number=number, report_id=last[0], as_of=last[1],
                                 window=detail.window_number, terminal_code=self.ctx.db.terminal_code,
                                 id_number=keys[0], credit_code=keys[1], phone=keys[2], account_no=account_no or "",
                                 detail=detail_to_wire(detail))

    def find(self, kind: str, value: str) -> list[ApplicationCopyIn]:
        """The other windows' applications with this key (UserError when the hub cannot be asked)."""
        try:
            answer = ApplicationFindAnswer.model_validate(self._hub.find_applications(
                ApplicationFindIn(terminal_code=self.ctx.db.terminal_code, **{kind: value}).model_dump()))
        except UserError as error:
            self._offline(error)
            raise
        self.online = True
        return answer.copies

    def forward_hand_in(self, number: str, who: StaffSession, codes: list[str]) -> Forwarded:
        """Documents handed in here for another window's application: to the hub, for its owner."""
        try:
            copies = self.find("number", number)
        except UserError as error:
            raise unseen_error() from error
        if not copies:
            raise InvalidInput("number", "no application has this number", code="application_not_found")
        if not codes:
            raise InvalidInput("documents", "tick the documents handed in", code="documents_tick_handed_in")
        copy = copies[0]
        action = DocumentsHandedIn(
            action_id=new_id(), application_id=copy.application_id, number=copy.number,
            owner_terminal=copy.terminal_code, codes=list(dict.fromkeys(codes)), staff_id=who.staff_id,
            staff_no=who.staff_no, staff_name=who.name, role=who.role.value, window=who.window,
            terminal_code=self.ctx.db.terminal_code, at=utcnow())
        try:
            ActionRecorded.model_validate(self._hub.hand_in_elsewhere(action.model_dump(mode="json")))
        except UserError as error:
            self._offline(error)
            raise unseen_error() from error
        return Forwarded(copy.number, copy.window, action.action_id)

    def take_actions(self) -> int:
        """Record what other windows took in for this window's applications; how many were new."""
        waiting = PendingActions.model_validate(self._hub.actions_waiting(self.ctx.db.terminal_code))
        self.online = True
        taken = 0
        for action in waiting.actions:
            who = StaffSession(action.staff_id, action.staff_no, action.staff_name, Role(action.role), action.window,
                               action.at)
            try:
                workflow.hand_in_documents(self.ctx, action.number, who, action.codes)
                applied, result = True, "recorded"
                taken += 1
            except UserError as error:  # handed in before (a second delivery), or no longer possible
                applied, result = error.code == "document_not_missing", error.code
                log.warning("documents %s for %s from window %s: %s", action.codes, action.number, action.window, result)
            self._hub.action_done(action.action_id, applied, result)
        return taken

    def _offline(self, error: Exception) -> None:
        if self.online is not False:
            log.warning("the hub cannot be asked about applications (%s): other windows' are not seen, this "
                        "window's are reported when it answers", error)
        self.online = False


class ApplicationReporter(BackgroundReporter):
    """Reports in the background: after each change (:meth:`kick`) and every ``interval`` s."""

    def __init__(self, desk: ApplicationDesk, interval: float = 5.0) -> None:
        super().__init__(desk.report_pending, name="application-reporter",
                         what="reporting applications to the hub", interval=interval)
        self.desk = desk


def lookup_anywhere(ctx: ApplicationContext, desk: ApplicationDesk | None, text: str) -> BranchLookup:
    """This window's applications, then the other windows' from the hub's copy."""
    hits = queries.lookup(ctx, text)
    if desk is None:
        return BranchLookup(hits)
    try:
        copies = desk.find(*queries.lookup_key(text))
    except UserError:
        return BranchLookup(hits, unseen_error())
    mine = {hit.number for hit in hits}
    with unit_of_work(ctx.db.sessions) as session:
        today, calendar = ctx.today(session), load_calendar(session)
    for copy in copies:
        if copy.number in mine:
            continue
        d = detail_from_wire(copy.detail)
        hits.append(queries.LookupHit(d.number, d.type_zh, d.type_en, d.applicant_name, d.status, d.stage_zh, d.stage_en,
                                      due_state(calendar, d.due, today, d.status), d.accepted_on, copy.window, True))
    return BranchLookup(hits)


def detail_anywhere(ctx: ApplicationContext, desk: ApplicationDesk | None, number: str) -> queries.ApplicationDetail:
    """The application from this window's database, else the hub's read copy of another window's."""
    try:
        return queries.detail(ctx, number)
    except UserError as error:
        if desk is None or error.code != "application_not_found":
            raise
        try:
            copies = desk.find("number", (number or "").strip().upper())
        except UserError:
            raise unseen_error() from error
        if not copies:
            raise
    copy = copies[0]
    with unit_of_work(ctx.db.sessions) as session:
        today, calendar, zone = ctx.today(session), load_calendar(session), ctx.zone(session)
    detail = detail_from_wire(copy.detail)
    return replace(detail, today=today, due_state=due_state(calendar, detail.due, today, detail.status),
                   copy_as_of_local=format_local(copy.as_of, zone, "%Y-%m-%d %H:%M"))
