"""Walk-in services (a window's services without a ticket) for the branch manager's statistics.

A walk-in is a payment or a connection application taken without a ticket (one taken while
serving a called ticket is part of that ticket's service and counts with it): the customer was
served at the window, mostly while the hub was down. They count as their own category (无号服务 / walk-in) in served counts and rating figures, never in waiting
times (no ticket: no wait is known).

:func:`collect` makes ``walk_in_service`` rows from this database's own records (idempotent, set
based; a counter, the demo's shared database, the hub's own); :func:`record` keeps what a counter
reports to the hub, once by id, with its rating once; :func:`walk_in_rows` are the figures.
SQLAlchemy Core for the figures, so they run on SQLite and PostgreSQL alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, ColumnElement, Engine, exists, func, insert, literal, select, update
from zoneinfo import ZoneInfo

from counter_app.domain.errors import NotAllowed
from counter_app.domain.ratings import LevelCounts, SatisfactionFormula, satisfaction
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import Application, Payment, Rating, WalkInService, Window
from counter_app.protocol.walk_ins import WalkInsAnswer, WalkInsIn
from counter_app.services.stats.sections import RatingRow, _keys

WI, P, A, R = WalkInService.__table__, Payment.__table__, Application.__table__, Rating.__table__
WALK_IN_KEY = "walk_in"  # by service: walk-ins are their own category, not a service of the queue


def collect(engine: Engine, node_id: str, now: datetime | None = None) -> int:
    """Add this database's walk-ins not yet in ``walk_in_service`` and the ratings they got since;
    returns how many rows were added. Two statements, no reads into Python."""
    now = now or utcnow()
    with engine.connect() as conn:  # rows are made within seconds: look back from the last day collected
        last = conn.execute(select(func.max(WI.c.business_date)).where(WI.c.node_id == node_id)).scalar()
    since = date.fromisoformat(last) if isinstance(last, str) else last
    recent = [] if since is None else [P.c.business_date >= since - timedelta(days=1)]
    rated_since = [] if since is None else [WI.c.business_date >= since - timedelta(days=1)]
    absent = ~exists().where(WI.c.id == P.c.id)
    payments = select(P.c.id, literal(node_id), literal("payment"), P.c.branch_id, P.c.window_id, P.c.clerk_id,
                      P.c.business_date, P.c.created_at, literal(now), literal(False)).where(
        P.c.kind == "payment", P.c.ticket_id.is_(None), absent, *recent)
    applications = select(A.c.id, literal(node_id), literal("application"), A.c.branch_id, A.c.window_id, A.c.clerk_id,
                          A.c.accepted_on, A.c.created_at, literal(now), literal(False)).where(
        ~exists().where(WI.c.id == A.c.id), A.c.accepted_on.is_not(None), A.c.ticket_id.is_(None))
    columns = ["id", "node_id", "kind", "branch_id", "window_id", "clerk_id", "business_date", "at", "received_at",
               "rating_reported"]
    with engine.begin() as conn:
        added = conn.execute(insert(WI).from_select(columns, payments)).rowcount or 0
        added += conn.execute(insert(WI).from_select(columns, applications)).rowcount or 0
        rating = select(R.c.id).where(R.c.service_record == WI.c.id).scalar_subquery()
        level = select(R.c.level).where(R.c.service_record == WI.c.id).scalar_subquery()
        conn.execute(update(WI).where(WI.c.rating_id.is_(None), WI.c.node_id == node_id, *rated_since,
                                      exists().where(R.c.service_record == WI.c.id))
                     .values(rating_id=rating, rating_level=level, rating_reported=False))
    return added


def record(engine: Engine, report: WalkInsIn, window: int | None = None, now: datetime | None = None) -> WalkInsAnswer:
    """At the hub: keep a counter's walk-ins once by id; a rating only the first time it comes.
    ``window``: the reporting device's window: rows of another window are refused, nothing kept."""
    now = now or utcnow()
    with engine.begin() as conn:
        if window is not None:
            allowed = conn.execute(select(Window.id).where(Window.number == window)).scalar()
            other = [s.id for s in report.services if s.window_id not in (None, allowed)]
            if other:
                raise NotAllowed(f"this counter device reports only the services of window {window}",
                                 code="walk_in_other_window", n=window)
        ids = [s.id for s in report.services]
        known = dict(conn.execute(select(WI.c.id, WI.c.rating_id).where(WI.c.id.in_(ids))).all()) if ids else {}
        fresh = [s for s in report.services if s.id not in known]
        if fresh:
            conn.execute(insert(WI), [{**s.model_dump(), "node_id": report.node_id, "received_at": now,
                                       "reported_at": now, "rating_reported": s.rating_id is not None} for s in fresh])
        rated = 0
        for s in report.services:
            if s.id in known and known[s.id] is None and s.rating_id is not None:
                rated += conn.execute(update(WI).where(WI.c.id == s.id, WI.c.rating_id.is_(None)).values(
                    rating_id=s.rating_id, rating_level=s.rating_level, rating_reported=True)).rowcount or 0
    return WalkInsAnswer(recorded=len(fresh), rated=rated + sum(1 for s in fresh if s.rating_id is not None))


@dataclass
class WalkInRow(RatingRow):
    """Walk-ins of one key: served (payments, applications), and the ratings of those asked
    (``levels``; None: asked, not rated), as the rating figures count them."""

    payments: int = 0
    applications: int = 0

    @property
    def served(self) -> int:
        return self.payments + self.applications


def walk_in_rows(conn: Connection, zone: ZoneInfo, start: date, end: date, by: str, where: list[ColumnElement[bool]],
                 formula: SatisfactionFormula) -> dict[Any, WalkInRow]:
    key = _keys(by, zone, clerk=WI.c.clerk_id, window=WI.c.window_id, branch=WI.c.branch_id, day=WI.c.business_date,
                moment=WI.c.at, service=literal(WALK_IN_KEY), conn=conn, year=start.year)
    rows: dict[Any, WalkInRow] = {}
    asked = WI.c.rating_id.is_not(None)
    query = (select(key.column, WI.c.kind, asked, WI.c.rating_level, func.count())
             .where(WI.c.business_date.between(start, end), *where)
             .group_by(key.column, WI.c.kind, asked, WI.c.rating_level))
    for value, kind, was_asked, level, n in conn.execute(query):
        k = key.convert(value)
        r = rows.setdefault(k, WalkInRow(k))
        if kind == "payment":
            r.payments += n
        else:
            r.applications += n
        if was_asked:
            r.levels[level] = r.levels.get(level, 0) + n
    for r in rows.values():
        r.result = satisfaction(LevelCounts.tally(r.levels.items()), formula) if r.levels else None
    return rows


def walk_in_where(clerk_id: str | None, window_id: str | None, service_id: str | None,
                  branch_ids: tuple[str, ...] | None) -> list[ColumnElement[bool]]:
    """The statistics' filters: a service filter names a service of the queue, which no walk-in is."""
    where: list[ColumnElement[bool]] = []
    if clerk_id is not None:
        where.append(WI.c.clerk_id == clerk_id)
    if window_id is not None:
        where.append(WI.c.window_id == window_id)
    if service_id is not None:
        where.append(WI.c.id.is_(None))  # none
    if branch_ids is not None:
        where.append(WI.c.branch_id.in_(list(branch_ids)))
    return where


def add_reported_ratings(rows: dict[Any, RatingRow], conn: Connection, zone: ZoneInfo, start: date, end: date, by: str,
                         where: list[ColumnElement[bool]], formula: SatisfactionFormula) -> None:
    """The ratings of walk-ins that counters reported (at the hub: the rating rows are the
    counters'), into the rating figures beside this database's own ratings, each once."""
    key = _keys(by, zone, clerk=WI.c.clerk_id, window=WI.c.window_id, branch=WI.c.branch_id, day=WI.c.business_date,
                moment=WI.c.at, service=literal(WALK_IN_KEY), conn=conn, year=start.year)
    query = (select(key.column, WI.c.rating_level, func.count())
             .where(WI.c.business_date.between(start, end), WI.c.rating_id.is_not(None),
                    ~exists().where(R.c.id == WI.c.rating_id), *where)
             .group_by(key.column, WI.c.rating_level))
    touched = set()
    for value, level, n in conn.execute(query):
        k = key.convert(value)
        r = rows.setdefault(k, RatingRow(k))
        r.levels[level] = r.levels.get(level, 0) + n
        touched.add(k)
    for k in touched:
        rows[k].result = satisfaction(LevelCounts.tally(rows[k].levels.items()), formula)
