"""The ticket and segment facts of a period: stored for closed business days (built once from
the event log, rebuilt when a day's ticket count changes, e.g. when head office receives late
rows), derived on the fly for the days still open. SQLAlchemy Core only, so the same code runs
on the branch's SQLite and on head office's PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterator, Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, case, delete, func, insert, select

from counter_app.domain.queue_rules import OPEN_STATES
from counter_app.domain.timeutil import business_day, utcnow
from counter_app.persistence.models import Service, StatsDay, StatsSegment, StatsTicket, Ticket, TicketEvent
from counter_app.services.stats.derive import Event, SegmentFact, TicketFact, derive

T, E, S = Ticket.__table__, TicketEvent.__table__, Service.__table__
ST, SS, SD = StatsTicket.__table__, StatsSegment.__table__, StatsDay.__table__
_OPEN = tuple(sorted(OPEN_STATES))
_INSERT_CHUNK = 5000



@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read that does not take SQLite's write lock (the option is ignored elsewhere)."""
    with engine.connect() as conn:
        conn = conn.execution_options(sqlite_begin="DEFERRED")
        with conn.begin():
            yield conn


def derive_days(conn: Connection, zone: ZoneInfo, days: Sequence[tuple[str, date]]) -> tuple[list[TicketFact], list[SegmentFact]]:
    """Facts of every ticket of the given (branch, business day) pairs, from the event log."""
    if not days:
        return [], []
    letters = {(b, letter): sid for sid, b, letter in conn.execute(select(S.c.id, S.c.branch_id, S.c.letter))}
    by_branch: dict[str, list[date]] = defaultdict(list)
    for branch_id, day in days:
        by_branch[branch_id].append(day)
    tickets: list = []
    events: dict[str, list[Event]] = defaultdict(list)
    for branch_id, dates in by_branch.items():
        # one branch and a list of days: the ticket index finds them, and each ticket's events by its id
        wanted = (T.c.branch_id == branch_id, T.c.business_date.in_(dates))
        tickets += conn.execute(select(T.c.id, T.c.branch_id, T.c.business_date, T.c.service_id, T.c.issued_at,
                                       T.c.state).where(*wanted)).all()
        query = (select(E.c.ticket_id, E.c.kind, E.c.at, E.c.clerk_id, E.c.window_id, E.c.data, T.c.service_id)
                 .select_from(T).join(E, E.c.ticket_id == T.c.id).where(*wanted).order_by(E.c.ticket_id, E.c.seq))
        for ticket_id, kind, at, clerk_id, window_id, data, issuing in conn.execute(query):
            letter = (data or {}).get("service")  # the pool after the event; history rows may lack it
            service_id = letters.get((branch_id, letter), issuing) if letter else issuing
            events[ticket_id].append(Event(kind, at, clerk_id, window_id, service_id))
    ticket_facts: list[TicketFact] = []
    segment_facts: list[SegmentFact] = []
    for ticket_id, branch_id, day, service_id, issued_at, state in tickets:
        fact, segments = derive(ticket_id, branch_id, day, service_id, issued_at, state, events.get(ticket_id, ()), zone)
        ticket_facts.append(fact)
        segment_facts.extend(segments)
    return ticket_facts, segment_facts


@dataclass(frozen=True)
class DayCounts:
    tickets: int
    open: int


def day_counts(conn: Connection, start: date, end: date) -> dict[tuple[str, date], DayCounts]:
    is_open = func.sum(case((T.c.state.in_(_OPEN), 1), else_=0))
    query = (select(T.c.branch_id, T.c.business_date, func.count(), is_open)
             .where(T.c.business_date.between(start, end)).group_by(T.c.branch_id, T.c.business_date))
    return {(b, d): DayCounts(n, int(o or 0)) for b, d, n, o in conn.execute(query)}


def _insert(conn: Connection, table, rows: list[dict[str, object]]) -> None:  # type: ignore[no-untyped-def]
    for i in range(0, len(rows), _INSERT_CHUNK):
        conn.execute(insert(table), rows[i:i + _INSERT_CHUNK])


PROVISIONAL = -1  # stats_day.tickets of a day still open: rebuilt at every read


def materialize(engine: Engine, zone: ZoneInfo, start: date, end: date, today: date | None = None) -> int:
    """Make the stored facts of the period current; returns how many days were (re)built.

    A closed day (before today, none of its tickets open) is built once and again only when its
    ticket count changes (late rows at head office). A day still open (today, or with open
    tickets) is rebuilt at each call and marked provisional: it is a few thousand tickets at most."""
    today = today or business_day(utcnow(), zone)
    first = start - timedelta(days=1)  # segments called after midnight belong to tickets of the day before
    with reading(engine) as conn:
        counts = day_counts(conn, first, end)
        stored = {(b, d): n for b, d, n in conn.execute(
            select(SD.c.branch_id, SD.c.business_date, SD.c.tickets).where(SD.c.business_date.between(first, end)))}
    todo = []
    for key, c in counts.items():
        closed = key[1] < today and c.open == 0
        if not closed or stored.get(key) != c.tickets:
            todo.append((key, c.tickets if closed else PROVISIONAL))
    for i in range(0, len(todo), 31):
        chunk = todo[i:i + 31]
        with engine.begin() as conn:
            tickets, segments = derive_days(conn, zone, [key for key, _n in chunk])
            for branch_id, day in (key for key, _n in chunk):
                old = select(ST.c.ticket_id).where(ST.c.branch_id == branch_id, ST.c.business_date == day)
                conn.execute(delete(SS).where(SS.c.ticket_id.in_(old)))
                conn.execute(delete(ST).where(ST.c.branch_id == branch_id, ST.c.business_date == day))
                conn.execute(delete(SD).where(SD.c.branch_id == branch_id, SD.c.business_date == day))
            _insert(conn, ST, [f.row() for f in tickets])
            _insert(conn, SS, [f.row() for f in segments])
            _insert(conn, SD, [{"branch_id": b, "business_date": d, "tickets": n, "built_at": utcnow()}
                               for (b, d), n in chunk])
        if engine.dialect.name == "postgresql" and len(todo) > 31:
            # a long build: PostgreSQL's planner would go on planning for the tables as they were
            # before it (empty: a year took a minute, growing quadratically), until autovacuum looks
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE stats_ticket, stats_segment, stats_day")
    return sum(1 for _key, n in todo if n != PROVISIONAL)


def day_bounds(zone: ZoneInfo, start: date, end: date) -> tuple[datetime, datetime]:
    """UTC-comparable instants of the start of local day ``start`` and the end of ``end``."""
    return datetime.combine(start, time(0), zone), datetime.combine(end + timedelta(days=1), time(0), zone)
