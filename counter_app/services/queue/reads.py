"""Reading the queue without taking the write lock: the whole state, the event log after a
sequence number, waiting counts. Each read is one consistent (deferred) SQLite transaction."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from typing import Callable, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain import queue_rules as rules
from counter_app.domain.timeutil import business_day
from counter_app.persistence.models import Staff, Ticket, TicketEvent, WindowState
from counter_app.persistence.models.queue import OPEN_CONDITION
from counter_app.protocol import CALL_KINDS as _CALLS, EventKind
from counter_app.services.queue.reference import BranchRef, ReferenceCache
from counter_app.services.queue.settings import QueueSettings
from counter_app.services.queue.store import Batch, QueueTx, event_view, ticket_view
from counter_app.services.queue.views import QueueEvent, ServiceView, Snapshot, TicketView, WindowView

CALL_KINDS = tuple(sorted(_CALLS))
TICKET = Ticket.__table__
EVENT = TicketEvent.__table__
WSTATE = WindowState.__table__
EVENTS_PAGE = 1000


class QueueReads:
    def __init__(self, sessions: sessionmaker[Session], ref: ReferenceCache, settings: QueueSettings,
                 clock: Callable[[], datetime]) -> None:
        self._sessions = sessions
        self._ref = ref
        self._settings = settings
        self._clock = clock

    @property
    def settings(self) -> QueueSettings:
        return self._settings

    @contextmanager
    def _read(self) -> Iterator[tuple[Session, BranchRef]]:
        with self._sessions() as session:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            try:
                yield session, self._ref.get(session)
            finally:
                session.rollback()

    def branch_zone(self) -> ZoneInfo:
        with self._read() as (_, ref):
            return ref.zone

    def today(self) -> date:
        return business_day(self._clock(), self.branch_zone())

    def last_seq(self) -> int:
        with self._read() as (session, _):
            return session.scalar(select(func.max(EVENT.c.seq))) or 0

    def events_since(self, after: int, limit: int = EVENTS_PAGE) -> list[QueueEvent]:
        """Log entries with ``seq > after``, oldest first, at most ``limit`` of them."""
        with self._read() as (session, _):
            rows = session.execute(select(EVENT).where(EVENT.c.seq > after).order_by(EVENT.c.seq).limit(limit)).all()
            return [event_view(row._mapping) for row in rows]

    def waiting_counts(self) -> dict[str, int]:
        """Tickets in the pool per service letter (every service of the branch, zeros too)."""
        with self._read() as (session, ref):
            return self._waiting(session, ref)[0]

    def _waiting(self, session: Session, ref: BranchRef) -> tuple[dict[str, int], dict[str, int]]:
        counts = {s.letter: 0 for s in sorted(ref.services.values(), key=lambda s: (s.sort_order, s.letter))}
        green = dict(counts)
        for row in session.execute(
            select(TICKET.c.queue_service_id, TICKET.c.priority, func.count())
            .where(TICKET.c.branch_id == ref.id, text(OPEN_CONDITION), TICKET.c.state.in_(rules.QUEUED_STATES))
            .group_by(TICKET.c.queue_service_id, TICKET.c.priority)
        ):
            letter = ref.letter(row[0])
            counts[letter] = counts.get(letter, 0) + row[2]
            if row[1] == "green":
                green[letter] = green.get(letter, 0) + row[2]
        return counts, green

    def ticket(self, reference: str) -> TicketView:
        """One ticket by id or today's number."""
        with self._read() as (session, ref):
            now = self._clock()
            tx = QueueTx(Batch(session.connection().connection.driver_connection, ""), ref, now,
                         business_day(now, ref.zone))
            view = tx.ticket_view(tx.resolve(reference))
            assert view is not None
            return view

    def last_scheduled_reset(self) -> date | None:
        with self._read() as (session, _):
            for row in session.execute(
                select(EVENT.c.data).where(EVENT.c.kind == EventKind.DAY_RESET).order_by(EVENT.c.seq.desc())
            ):
                if row.data.get("scheduled"):
                    return date.fromisoformat(row.data["business_date"])
            return None

    def has_open_before(self, day: date) -> bool:
        with self._read() as (session, ref):
            return session.execute(select(TICKET.c.id).where(
                # "+": the day's index must not be used (it would walk every past day's tickets)
                TICKET.c.branch_id == ref.id, text(f"{OPEN_CONDITION} AND +business_date < :day").bindparams(
                    day=day.isoformat())).limit(1)).first() is not None

    def snapshot(self) -> Snapshot:
        """Everything a display or call panel needs to draw itself, as of log entry ``seq``."""
        with self._read() as (session, ref):
            now = self._clock()
            today = business_day(now, ref.zone)
            seq = session.scalar(select(func.max(EVENT.c.seq))) or 0
            counts, green = self._waiting(session, ref)
            open_tickets = {
                row["id"]: dict(row) for row in session.execute(select(TICKET).where(
                    TICKET.c.branch_id == ref.id, text(OPEN_CONDITION))).mappings()
            }
            issued = dict(session.execute(
                select(TICKET.c.service_id, func.max(TICKET.c.seq))
                .where(TICKET.c.branch_id == ref.id, TICKET.c.business_date == today)
                .group_by(TICKET.c.service_id)).all())
            staff = {row.id: row for row in session.execute(
                select(Staff.id, Staff.name, Staff.staff_no).where(Staff.branch_id == ref.id))}
            states = {row["window_id"]: row for row in session.execute(select(WSTATE)).mappings()}
            windows = []
            for window in sorted(ref.windows.values(), key=lambda w: w.number):
                state = states.get(window.id)
                clerk = staff.get(state["clerk_id"]) if state and state["clerk_id"] else None
                current = open_tickets.get(state["current_ticket_id"]) if state and state["current_ticket_id"] else None
                windows.append(WindowView(
                    id=window.id, number=window.number, name=window.name,
                    state=state["state"] if state else "closed", clerk_id=state["clerk_id"] if state else None,
                    current=None if current is None else ticket_view(ref, current),
                    services=tuple(ref.letter(s) for s in window.services),
                    clerk_name=clerk.name if clerk else None, staff_no=clerk.staff_no if clerk else None,
                ))
            services = []
            for svc in sorted(ref.services.values(), key=lambda s: (s.sort_order, s.letter)):
                open_windows = sum(1 for w in windows if w.state == "open" and svc.letter in w.services)
                services.append(ServiceView(
                    id=svc.id, letter=svc.letter, code=svc.code, name_zh=svc.name_zh, name_en=svc.name_en,
                    active=svc.active, daily_cap=svc.daily_cap, waiting=counts.get(svc.letter, 0),
                    green_waiting=green.get(svc.letter, 0), issued_today=issued.get(svc.id, 0) or 0,
                    open_windows=open_windows,
                    estimated_wait_minutes=rules.estimate_wait_minutes(counts.get(svc.letter, 0), svc.standard_minutes,
                                                                       open_windows),
                ))
            pool = sorted((t for t in open_tickets.values() if t["state"] in rules.QUEUED_STATES),
                          key=lambda t: (t["queued_at"], t["seq"]))
            held = sorted((t for t in open_tickets.values() if t["state"] == "held"), key=lambda t: t["queued_at"])
            calls = session.execute(select(EVENT).where(EVENT.c.kind.in_(CALL_KINDS)).order_by(EVENT.c.seq.desc())
                                    .limit(self._settings.recent_calls)).all()
            return Snapshot(
                seq=seq, business_date=today, branch_code=ref.code, branch_name=ref.name, services=tuple(services),
                windows=tuple(windows), waiting=tuple(ticket_view(ref, t) for t in pool),
                held=tuple(ticket_view(ref, t) for t in held), recent_calls=tuple(event_view(r._mapping) for r in calls),
            )
