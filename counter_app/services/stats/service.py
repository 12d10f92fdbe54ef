"""The branch manager's statistics in one call: queue, fees, ratings, applications and 首问
items of a period, grouped by one dimension, with labels. Qt-free; given an engine it runs the
same on the branch's SQLite and on head office's PostgreSQL (where ``branch`` is a dimension)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Engine, select

from counter_app.domain.errors import InvalidInput
from counter_app.domain.ratings import DEFAULT_REASONS, Reason, SatisfactionFormula
from counter_app.domain.timeutil import business_day, utcnow
from counter_app.persistence.models import Branch, Service, Staff, Window
from counter_app.services.stats.facts import materialize, reading
from counter_app.services.stats.figures import DIMENSIONS, Filters, QueueRow, queue_rows, wait_histogram
from counter_app.services.stats.policy import StatsPolicy
from counter_app.services.stats.walk_ins import (
    WALK_IN_KEY,
    WalkInRow,
    add_reported_ratings,
    collect,
    walk_in_rows,
    walk_in_where,
)
from counter_app.services.stats.sections import (
    A,
    FeeRow,
    I,
    P,
    R,
    RatingRow,
    W,
    WorkRow,
    fee_rows,
    rating_rows,
    work_rows,
)

PERIODS = ("day", "week", "month", "custom")
ALL_SECTIONS = ("queue", "fees", "ratings", "work", "walkin")


def period_bounds(kind: str, anchor: date, end: date | None = None) -> tuple[date, date]:
    """The first and last day of the day, ISO week or month containing ``anchor`` (or
    ``anchor``..``end`` for a custom period)."""
    if kind == "day":
        return anchor, anchor
    if kind == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return first, first + timedelta(days=6)
    if kind == "month":
        first = anchor.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    if kind == "custom":
        if end is None or end < anchor:
            raise InvalidInput("end", "the last day of a custom period is on or after its first day", code="period_order")
        if (end - anchor).days > 366:
            raise InvalidInput("end", "a custom period is at most 366 days", code="stats_period_too_long", days=366)
        return anchor, end
    raise InvalidInput("period", "day, week, month or custom", code="one_of", choices="day, week, month, custom")


def parse_month(text: str) -> tuple[date, date]:
    """``"2026-11"`` -> its first and last day; anything else names the field and the form."""
    try:
        first = datetime.strptime(text, "%Y-%m").date()
    except (TypeError, ValueError):
        raise InvalidInput("month", f"a month written YYYY-MM such as 2026-11 (got {text!r})", code="month_form", got=text) from None
    return period_bounds("month", first)


@dataclass
class Labels:
    """Names of the keys of every dimension: clerk ``李娜 1001``, window ``3号窗口`` ..."""

    clerks: dict[str, str] = field(default_factory=dict)
    windows: dict[str, str] = field(default_factory=dict)
    window_numbers: dict[str, int] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)
    letters: dict[str, str] = field(default_factory=dict)  # service id -> letter
    branches: dict[str, str] = field(default_factory=dict)

    def label(self, by: str, key: Any) -> str:
        if key is None:
            return "—"
        if by == "total":
            return "合计"
        if by == "hour":
            return f"{key:02d}:00"
        if by == "day":
            return key.isoformat()
        if by == "service" and key == WALK_IN_KEY:
            return "无号服务"
        table = {"clerk": self.clerks, "window": self.windows, "service": self.services, "branch": self.branches}[by]
        return table.get(key, str(key))

    def sort_key(self, by: str, key: Any) -> Any:
        if key is None:
            return (1, "")
        if by == "window":
            return (0, self.window_numbers.get(key, 0))
        if by in ("hour", "day"):
            return (0, key)
        return (0, self.label(by, key))


@dataclass
class StatsReport:
    start: date
    end: date
    by: str
    keys: list[Any]
    labels: Labels
    queue: dict[Any, QueueRow]
    fees: dict[Any, FeeRow]
    ratings: dict[Any, RatingRow]
    work: dict[Any, WorkRow]
    filters: Filters = Filters()
    walkin: dict[Any, WalkInRow] = field(default_factory=dict)  # services without a ticket (无号服务)

    def label(self, key: Any) -> str:
        return self.labels.label(self.by, key)


class Statistics:
    def __init__(self, engine: Engine, zone: ZoneInfo, policy: StatsPolicy | None = None,
                 formula: SatisfactionFormula | None = None, clock: Callable[[], datetime] = utcnow,
                 reasons: tuple[Reason, ...] = DEFAULT_REASONS, node_id: str | None = None) -> None:
        self.engine, self.zone = engine, zone
        self.node_id = node_id  # this database's node: its own walk-ins are collected at each prepare
        self.policy = policy or StatsPolicy()
        self.formula = formula or SatisfactionFormula()
        self.clock = clock
        self.reason_names = {r.code: r.zh for r in reasons}

    def today(self) -> date:
        return business_day(self.clock(), self.zone)

    def labels(self) -> Labels:
        labels = Labels()
        with reading(self.engine) as conn:
            for sid, name, number in conn.execute(select(Staff.id, Staff.name, Staff.staff_no)):
                labels.clerks[sid] = f"{name} {number}"
            for wid, number, name in conn.execute(select(Window.id, Window.number, Window.name)):
                labels.windows[wid] = f"{number}号窗口"
                labels.window_numbers[wid] = number
            for sid, letter, name in conn.execute(select(Service.id, Service.letter, Service.name_zh)):
                labels.services[sid] = f"{letter} {name}"
                labels.letters[sid] = letter
            for bid, code, name in conn.execute(select(Branch.id, Branch.code, Branch.name)):
                labels.branches[bid] = f"{code} {name}"
        return labels

    def filters(self, *, window: int | None = None, clerk_no: str | None = None, service: str | None = None,
                branches: tuple[str, ...] | None = None) -> Filters:
        """Filters from what a manager types: window number, staff number, service letter,
        branch codes; unknown ones are refused naming the field."""
        with reading(self.engine) as conn:
            def one(query: Any, field_name: str, rule: str, *, code: str, **params: Any) -> str:
                found = conn.execute(query).scalars().all()
                if len(found) != 1:
                    raise InvalidInput(field_name, rule, code=code, **params)
                return found[0]
            window_id = None if window is None else one(select(Window.id).where(Window.number == window), "window",
                                                         f"no window {window} at this branch", code="window_not_here",
                                                         n=window)
            clerk_id = None if not clerk_no else one(select(Staff.id).where(Staff.staff_no == clerk_no), "clerk",
                                                      f"no staff member {clerk_no}", code="stats_no_staff", staff_no=clerk_no)
            service_id = None if not service else one(select(Service.id).where(Service.letter == service), "service",
                                                       f"no service with letter {service}", code="stats_no_service",
                                                       letter=service)
            branch_ids = None if branches is None else tuple(
                one(select(Branch.id).where(Branch.code == code), "branch", f"no branch {code}", code="stats_no_branch",
                    branch=code) for code in branches)
        return Filters(window_id, clerk_id, service_id, branch_ids)

    def prepare(self, start: date, end: date) -> None:
        """Bring the stored facts of the period up to date (see :func:`materialize`)."""
        if end < start:
            raise InvalidInput("end", "the last day of a period is not before its first", code="period_order")
        materialize(self.engine, self.zone, start, end, self.today())
        if self.node_id is not None:
            collect(self.engine, self.node_id, self.clock())

    def report(self, start: date, end: date, by: str = "clerk", filters: Filters = Filters(),
               sections: tuple[str, ...] = ALL_SECTIONS, prepared: bool = False,
               labels: Labels | None = None, percentiles: bool = True) -> StatsReport:
        """The figures of ``sections`` for the business days ``start``..``end`` by ``by``;
        ``prepared``: the caller already called :meth:`prepare` for this period;
        ``percentiles=False``: averages only (series for charts)."""
        if by not in DIMENSIONS:
            raise InvalidInput("by", "one of " + ", ".join(DIMENSIONS), code="one_of", choices=", ".join(DIMENSIONS))
        if not prepared:
            self.prepare(start, end)
        labels = labels or self.labels()
        today, now = self.today(), self.clock()
        queue: dict[Any, QueueRow] = {}
        fees: dict[Any, FeeRow] = {}
        ratings: dict[Any, RatingRow] = {}
        work: dict[Any, WorkRow] = {}
        walkin: dict[Any, WalkInRow] = {}
        with reading(self.engine) as conn:
            if "queue" in sections:
                queue = queue_rows(conn, start, end, by, self.policy, labels.letters, filters, percentiles)
            if "fees" in sections:
                fees = fee_rows(conn, self.zone, start, end, by,
                                self._where(filters, P.c.clerk_id, P.c.window_id, None, P.c.branch_id))
            if "ratings" in sections:
                ratings = rating_rows(conn, self.zone, start, end, by,
                                      self._where(filters, R.c.clerk_id, R.c.window_id, R.c.service_id, W.c.branch_id),
                                      self.formula)
                add_reported_ratings(ratings, conn, self.zone, start, end, by, self._walk_in_where(filters), self.formula)
            if "work" in sections:
                work = work_rows(conn, self.zone, start, end, by, today, now,
                                 self._where(filters, A.c.clerk_id, A.c.window_id, None, A.c.branch_id),
                                 self._where(filters, I.c.owner_id, I.c.window_id, None, None))
            if "walkin" in sections:
                walkin = walk_in_rows(conn, self.zone, start, end, by, self._walk_in_where(filters), self.formula)
        keys = set(queue) | set(fees) | set(ratings) | set(work) | set(walkin)
        ordered = sorted(keys, key=lambda k: labels.sort_key(by, k))
        return StatsReport(start, end, by, ordered, labels, queue, fees, ratings, work, filters, walkin)

    @staticmethod
    def _walk_in_where(filters: Filters) -> list[ColumnElement[bool]]:
        return walk_in_where(filters.clerk_id, filters.window_id, filters.service_id, filters.branch_ids)

    @staticmethod
    def _where(filters: Filters, clerk: Any, window: Any, service: Any, branch: Any) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if filters.clerk_id is not None:
            where.append(clerk == filters.clerk_id)
        if filters.window_id is not None:
            where.append(window == filters.window_id)
        if filters.service_id is not None and service is not None:
            where.append(service == filters.service_id)
        if filters.branch_ids is not None and branch is not None:
            where.append(branch.in_(list(filters.branch_ids)))
        return where

    def wait_histogram(self, report: StatsReport) -> list[int]:
        with reading(self.engine) as conn:
            return wait_histogram(conn, report.start, report.end, self.policy, filters=report.filters)

    def satisfaction_trend(self, start: date, end: date, filters: Filters = Filters()) -> dict[str, list[tuple[date, Any]]]:
        """满意率 per clerk per week of the period (weeks starting on the period's first day)."""
        trend: dict[str, list[tuple[date, Any]]] = {}
        week = start
        while week <= end:
            last = min(end, week + timedelta(days=6))
            with reading(self.engine) as conn:
                rows = rating_rows(conn, self.zone, week, last, "clerk",
                                   self._where(filters, R.c.clerk_id, R.c.window_id, R.c.service_id, None), self.formula)
                add_reported_ratings(rows, conn, self.zone, week, last, "clerk", self._walk_in_where(filters), self.formula)
            for key, row in rows.items():
                trend.setdefault(key, []).append((week, row.result.rate if row.result else None))
            week = last + timedelta(days=1)
        return trend


@dataclass
class ChartData:
    """What the charts draw: arrivals and average wait per hour of day, taken and served per
    day, the wait distribution (5-minute buckets), and 满意率 per clerk per week."""

    hours: list[tuple[int, int, float | None]]  # hour, arrivals, average wait (min)
    days: list[tuple[date, int, int]]  # day, taken, served
    histogram: list[int]
    trend: dict[str, list[tuple[date, float | None]]]  # clerk label -> (week start, 满意率 %)


def chart_data(stats: Statistics, start: date, end: date, filters: Filters = Filters()) -> ChartData:
    stats.prepare(start, end)
    hours = stats.report(start, end, "hour", filters, sections=("queue",), prepared=True, percentiles=False)
    days = stats.report(start, end, "day", filters, sections=("queue",), prepared=True, labels=hours.labels,
                        percentiles=False)
    per_hour = [(k, hours.queue[k].taken or hours.queue[k].called, None if hours.queue[k].wait.mean is None
                 else hours.queue[k].wait.mean / 60) for k in hours.keys if k in hours.queue and k is not None]
    per_day = [(k, days.queue[k].taken or days.queue[k].called, days.queue[k].served) for k in days.keys
               if k in days.queue and k is not None]
    labels = hours.labels
    trend = {labels.label("clerk", clerk): [(week, None if rate is None else float(rate) * 100) for week, rate in points]
             for clerk, points in stats.satisfaction_trend(start, end, filters).items()}
    return ChartData(per_hour, per_day, stats.wait_histogram(hours), trend)
