"""Queue figures from ticket and segment facts: counts, waits and handling times with average,
median and 90th percentile, and the share served within the target wait. Plain Python over
the fact tables :mod:`counter_app.services.stats.facts` keeps, aggregated in SQL (counts,
sums, and the two ranks around each percentile found with window functions), so a year of
half a million tickets never travels to Python row by row.

Two ways of counting, one per kind of dimension:

- by branch, service, day, hour of day (and for the whole period) a ticket counts **once**:
  taken when issued, served when its outcome is done, transferred when it was transferred at
  least once; its wait is in the figures of its issuing service, arrival day and arrival hour;
- by clerk or window (or filtered to one) the unit is the **segment**, a stretch of a ticket at
  one window with one logged-in clerk: the clerk who transferred a ticket counts it as called
  and transferred with their handling time, the one who finished it as called and served with
  theirs ("called" counts calls: a ticket held and called back is called twice). A ticket's
  wait belongs to the clerk who first called it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, Iterable

from sqlalchemy import Connection, ColumnElement, and_, case, func, literal, or_, select

from counter_app.services.stats.facts import SS, ST
from counter_app.services.stats.policy import StatsPolicy

DIMENSIONS = ("total", "branch", "day", "hour", "service", "window", "clerk")
SEGMENT_DIMENSIONS = frozenset({"window", "clerk"})
_TICKET_KEY = {"branch": ST.c.branch_id, "day": ST.c.business_date, "hour": ST.c.hour, "service": ST.c.service_id,
               "window": ST.c.first_window_id, "clerk": ST.c.first_clerk_id}
_SEGMENT_KEY = {"branch": SS.c.branch_id, "day": SS.c.business_date, "hour": SS.c.hour, "service": SS.c.service_id,
                "window": SS.c.window_id, "clerk": SS.c.clerk_id}
PERCENTILES = (50, 90)


def percentile(ordered: list[int], pct: int) -> float | None:
    """The ``pct``-th percentile of sorted values, linear between closest ranks (numpy's
    default), computed exactly and rounded once."""
    if not ordered:
        return None
    pos = Fraction(pct, 100) * (len(ordered) - 1)
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


@dataclass(frozen=True)
class Durations:
    """Seconds: how many, average, median and 90th percentile (``None`` when there are none)."""

    n: int = 0
    mean: float | None = None
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, values: Iterable[int]) -> "Durations":
        ordered = sorted(values)
        if not ordered:
            return cls()
        return cls(len(ordered), sum(ordered) / len(ordered), percentile(ordered, 50), percentile(ordered, 90))


@dataclass(frozen=True)
class Filters:
    """Narrow the figures to one window, clerk or service (ids), and at head office to branches."""

    window_id: str | None = None
    clerk_id: str | None = None
    service_id: str | None = None
    branch_ids: tuple[str, ...] | None = None

    @property
    def by_person(self) -> bool:
        return self.window_id is not None or self.clerk_id is not None


@dataclass
class QueueRow:
    key: Any
    taken: int | None = 0
    called: int = 0
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    cleared: int = 0
    wait: Durations = field(default_factory=Durations)
    handle: Durations = field(default_factory=Durations)
    within_target: Fraction | None = None


def _key(by: str, table: str) -> ColumnElement[Any]:
    if by == "total":
        return literal("all")
    return (_TICKET_KEY if table == "ticket" else _SEGMENT_KEY)[by]


def _period_where(table: Any, clerk: Any, window: Any, start: date, end: date,
                  filters: Filters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [table.c.business_date.between(start, end)]
    for value, column in ((filters.service_id, table.c.service_id), (filters.clerk_id, clerk),
                          (filters.window_id, window)):
        if value is not None:
            where.append(column == value)
    if filters.branch_ids is not None:
        where.append(table.c.branch_id.in_(list(filters.branch_ids)))
    return where


def ticket_where(start: date, end: date, filters: Filters) -> list[ColumnElement[bool]]:
    """Tickets of the business days, narrowed by the filters (clerk and window: of the first call)."""
    return _period_where(ST, ST.c.first_clerk_id, ST.c.first_window_id, start, end, filters)


def segment_where(start: date, end: date, filters: Filters) -> list[ColumnElement[bool]]:
    """Segments called on the business days, narrowed by the filters."""
    return _period_where(SS, SS.c.clerk_id, SS.c.window_id, start, end, filters)


def waits_counted(policy: StatsPolicy) -> ColumnElement[bool]:
    """Which tickets' waits are in the figures: called ones, no-shows left out if the policy says so."""
    called = ST.c.wait_s.is_not(None)
    if policy.wait_excludes_no_show:
        return and_(called, or_(ST.c.outcome.is_(None), ST.c.outcome != "no_show"))
    return called


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def spread(histogram: list[tuple[int, int]]) -> Durations:
    """Count, mean, median and 90th percentile of values given as sorted (value, how many)
    pairs, exactly as :func:`percentile` computes them on the values written out."""
    n = sum(count for _v, count in histogram)
    if not n:
        return Durations()
    marks: dict[int, int] = {}
    wanted: set[int] = set()
    for p in PERCENTILES:
        low = math.floor(Fraction(p * (n - 1), 100))
        wanted |= {low, min(low + 1, n - 1)}
    seen = 0
    for value, count in histogram:
        for rank in [r for r in wanted if seen <= r < seen + count]:
            marks[rank] = value
            wanted.discard(rank)
        seen += count
    values = []
    for p in PERCENTILES:
        pos = Fraction(p * (n - 1), 100)
        low = math.floor(pos)
        high = min(low + 1, n - 1)
        values.append(float(marks[low] + (marks[high] - marks[low]) * (pos - low)))
    return Durations(n, sum(v * c for v, c in histogram) / n, values[0], values[1])


def histograms(conn: Connection, key: ColumnElement[Any], value: ColumnElement[int], where: list[ColumnElement[bool]],
               flag: ColumnElement[bool] | None = None) -> tuple[dict[Any, Durations], dict[Any, int]]:
    """Per key, the durations' figures from how many times each whole second occurs: exact,
    and at most a few thousand rows per key however many tickets there are; with ``flag``, also
    how many values per key meet it (the waits within target), from the same pass."""
    found: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    flagged: dict[Any, int] = defaultdict(int)
    marked = case((flag, 1), else_=0) if flag is not None else literal(0)
    query = (select(key, value, marked, func.count()).where(*where, value.is_not(None)).group_by(key, value, marked)
             .order_by(key, value))
    for k, v, hit, count in conn.execute(query):
        pairs = found[k]
        if pairs and pairs[-1][0] == v:
            pairs[-1] = (v, pairs[-1][1] + count)
        else:
            pairs.append((v, count))
        if hit:
            flagged[k] += count
    return {k: spread(pairs) for k, pairs in found.items()}, flagged


def averages(conn: Connection, key: ColumnElement[Any], value: ColumnElement[int], where: list[ColumnElement[bool]],
             flag: ColumnElement[bool] | None = None) -> tuple[dict[Any, Durations], dict[Any, int]]:
    """Count and mean only (for charts and series that show no percentile)."""
    marked = _count(flag) if flag is not None else literal(0)
    query = select(key, func.count(value), func.sum(value), marked).where(*where, value.is_not(None)).group_by(key)
    figures, flagged = {}, {}
    for k, n, total, hits in conn.execute(query):
        figures[k] = Durations(n, total / n if n else None)
        flagged[k] = int(hits or 0)
    return figures, flagged


def by_total(key: ColumnElement[Any]) -> bool:
    return getattr(key, "value", None) == "all"


def queue_rows(conn: Connection, start: date, end: date, by: str, policy: StatsPolicy, letters: dict[str, str],
               filters: Filters = Filters(), percentiles: bool = True) -> dict[Any, QueueRow]:
    """One row per key of dimension ``by`` over the stored facts of the business days
    ``start``..``end``; ``letters`` maps service ids to letters (for the target waits);
    ``percentiles=False`` leaves median and 90th percentile out (quicker, for series)."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    rows: dict[Any, QueueRow] = {}

    def row(key: Any) -> QueueRow:
        if key not in rows:
            rows[key] = QueueRow(key)
        return rows[key]

    per_segment = by in SEGMENT_DIMENSIONS or filters.by_person
    t_key, s_key = _key(by, "ticket"), _key(by, "segment")
    t_where, s_where = ticket_where(start, end, filters), segment_where(start, end, filters)
    targets = [(ST.c.service_id == sid, policy.target_wait_s(letter)) for sid, letter in letters.items()]
    target = case(*targets, else_=policy.target_wait_minutes * 60) if targets else literal(policy.target_wait_minutes * 60)
    if not per_segment:  # tickets once each
        query = (select(t_key, func.count(), func.count(ST.c.wait_s), _count(ST.c.outcome == "done"),
                        _count(ST.c.outcome == "no_show"), _count(ST.c.outcome == "cleared"), func.sum(ST.c.transferred))
                 .where(*t_where).group_by(t_key))
        for key, taken, called, served, no_show, cleared, transferred in conn.execute(query):
            r = row(key)
            r.taken, r.called, r.served, r.no_show, r.cleared, r.transferred = (
                taken, called, int(served or 0), int(no_show or 0), int(cleared or 0), int(transferred or 0))
    else:  # each call (segment) of the clerk or window: a ticket called back after a hold is called twice
        query = (select(s_key, func.count(), _count(SS.c.ended == "done"), _count(SS.c.ended == "no_show"),
                        _count(SS.c.ended == "transferred"), _count(SS.c.ended == "cleared"))
                 .where(*s_where).group_by(s_key))
        for key, called, served, no_show, transferred, cleared in conn.execute(query):
            r = row(key)
            r.called, r.served, r.no_show, r.transferred, r.cleared = (
                called, int(served or 0), int(no_show or 0), int(transferred or 0), int(cleared or 0))
    figures = histograms if percentiles else averages
    waits, within = figures(conn, t_key, ST.c.wait_s, [*t_where, waits_counted(policy)], ST.c.wait_s <= target)
    for key, durations in waits.items():
        r = row(key)
        r.wait = durations
        r.within_target = Fraction(within.get(key, 0), durations.n) if durations.n else None
    handles, _none = figures(conn, s_key, SS.c.handle_s, s_where)
    for key, durations in handles.items():
        row(key).handle = durations
    if per_segment:
        for r in rows.values():
            r.taken = None
    return rows


def wait_histogram(conn: Connection, start: date, end: date, policy: StatsPolicy, bucket_minutes: int = 5,
                   buckets: int = 8, filters: Filters = Filters()) -> list[int]:
    """How many waits fall in 0–5, 5–10 … minutes; the last bucket is open-ended."""
    counts = [0] * buckets
    bucket = ST.c.wait_s // (bucket_minutes * 60)  # integer division on both databases
    query = (select(bucket, func.count()).where(*ticket_where(start, end, filters), waits_counted(policy))
             .group_by(bucket))
    for index, n in conn.execute(query):
        counts[min(int(index), buckets - 1)] += n
    return counts
