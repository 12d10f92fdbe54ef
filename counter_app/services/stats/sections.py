"""Fees, ratings, applications and 首问 items of a period, grouped by one dimension: SQL
``GROUP BY`` on the key column (portable Core), merged in Python where the key is a local day or
hour of a timestamp. Everything is attributed to the logged-in clerk each row names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, ColumnElement, Date, Integer, cast, distinct, func, literal, literal_column, select

from counter_app.domain.ratings import NEGATIVE_LEVELS, LevelCounts, Satisfaction, SatisfactionFormula, satisfaction
from counter_app.persistence.models import (
    Application,
    Inquiry,
    Payment,
    PaymentPart,
    Rating,
    RatingFollowUp,
    RatingFollowUpStep,
    Ticket,
    Window,
)
from counter_app.services.stats.facts import day_bounds

P, PP, T, W = Payment.__table__, PaymentPart.__table__, Ticket.__table__, Window.__table__
R, F, FS = Rating.__table__, RatingFollowUp.__table__, RatingFollowUpStep.__table__
A, I = Application.__table__, Inquiry.__table__
OPEN_APPLICATION = ("draft", "open", "waiting_docs")


@dataclass(frozen=True)
class Key:
    """How one table's rows map to a dimension's key: a column, then a Python step for
    timestamps (local day or hour)."""

    column: ColumnElement[Any]
    convert: Callable[[Any], Any] = lambda value: value


def _local(zone: ZoneInfo, part: str) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value is None:
            return None
        local = value.astimezone(zone) if isinstance(value, datetime) else value
        return local.hour if part == "hour" else (local.date() if isinstance(local, datetime) else local)
    return convert


def fixed_offset_minutes(zone: ZoneInfo, year: int) -> int | None:
    """The zone's offset from UTC in minutes when it has no daylight saving that year (China),
    else ``None``."""
    winter = zone.utcoffset(datetime(year, 1, 15))
    summer = zone.utcoffset(datetime(year, 7, 15))
    if winter is None or winter != summer:
        return None
    return int(winter.total_seconds() // 60)


def _in_sql(moment: Any, part: str, dialect: str, minutes: int) -> ColumnElement[Any] | None:
    """The local day or hour of a stored UTC timestamp, computed by the database."""
    if dialect == "sqlite":
        shifted = (moment, f"{minutes:+d} minutes")
        return func.date(*shifted) if part == "day" else cast(func.strftime("%H", *shifted), Integer)
    if dialect == "postgresql":
        local = moment + literal_column(f"interval '{minutes} minutes'")
        return cast(local, Date) if part == "day" else cast(func.extract("hour", local), Integer)
    return None


def _day_value(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _keys(by: str, zone: ZoneInfo, *, clerk: Any, window: Any, branch: Any, day: Any, moment: Any,
          service: Any = None, conn: Connection | None = None, year: int = 2000) -> Key:
    """``day`` is a date column, or a timestamp (then ``day is moment``)."""
    if by == "total":
        return Key(literal("all"))
    if by in ("hour", "day") and conn is not None and (by == "hour" or day is moment):
        minutes = fixed_offset_minutes(zone, year)
        expression = None if minutes is None else _in_sql(moment, by, conn.dialect.name, minutes)
        if expression is not None:
            return Key(expression, _day_value if by == "day" else (lambda value: value))
    if by == "hour":
        return Key(moment, _local(zone, "hour"))
    if by == "day":
        return Key(day, _local(zone, "day"))
    column = {"clerk": clerk, "window": window, "branch": branch, "service": service}[by]
    return Key(column if column is not None else literal(None))


# --- fees ----------------------------------------------------------------------------------------

@dataclass
class FeeRow:
    key: Any
    by_method: dict[str, list[int]] = field(default_factory=dict)  # method -> [count, fen]
    payments: int = 0
    paid_fen: int = 0
    voids: int = 0
    void_fen: int = 0
    refunds: int = 0
    refund_fen: int = 0


def fee_rows(conn: Connection, zone: ZoneInfo, start: date, end: date, by: str,
             where: list[ColumnElement[bool]]) -> dict[Any, FeeRow]:
    key = _keys(by, zone, clerk=P.c.clerk_id, window=P.c.window_id, branch=P.c.branch_id, day=P.c.business_date,
                moment=P.c.created_at, service=T.c.service_id, conn=conn, year=start.year)
    period = [P.c.business_date.between(start, end), *where]
    source = P.outerjoin(T, T.c.id == P.c.ticket_id) if by == "service" else P
    rows: dict[Any, FeeRow] = {}

    def row(value: Any) -> FeeRow:
        k = key.convert(value)
        return rows.setdefault(k, FeeRow(k))

    kinds = select(key.column, P.c.kind, func.count(), func.sum(func.abs(P.c.amount_fen))).select_from(source)
    for value, kind, n, fen in conn.execute(kinds.where(*period).group_by(key.column, P.c.kind)):
        r = row(value)
        if kind == "payment":
            r.payments += n
            r.paid_fen += int(fen or 0)
        elif kind == "void":
            r.voids += n
            r.void_fen += int(fen or 0)
        elif kind == "refund":
            r.refunds += n
            r.refund_fen += int(fen or 0)
    methods = (select(key.column, PP.c.method, func.count(distinct(P.c.id)), func.sum(PP.c.amount_fen))
               .select_from(source.join(PP, PP.c.payment_id == P.c.id)).where(*period, P.c.kind == "payment")
               .group_by(key.column, PP.c.method))
    for value, method, n, fen in conn.execute(methods):
        pair = row(value).by_method.setdefault(method, [0, 0])
        pair[0] += n
        pair[1] += int(fen or 0)
    return rows


# --- ratings -------------------------------------------------------------------------------------

@dataclass
class RatingRow:
    key: Any
    levels: dict[int | None, int] = field(default_factory=dict)
    rectified: int = 0  # negatives whose follow-up records 整改 (action)
    called_back: int = 0  # negatives whose follow-up records 回访 (callback)
    result: Satisfaction | None = None

    @property
    def rated(self) -> int:
        return sum(n for level, n in self.levels.items() if level is not None)

    @property
    def requested(self) -> int:
        return sum(self.levels.values())

    @property
    def negative(self) -> int:
        return sum(n for level, n in self.levels.items() if level in NEGATIVE_LEVELS)

    @property
    def active_rate(self) -> Fraction | None:
        return Fraction(self.rated, self.requested) if self.requested else None

    @property
    def rectify_rate(self) -> Fraction | None:
        return Fraction(self.rectified, self.negative) if self.negative else None

    @property
    def callback_rate(self) -> Fraction | None:
        return Fraction(self.called_back, self.negative) if self.negative else None


def rating_rows(conn: Connection, zone: ZoneInfo, start: date, end: date, by: str, where: list[ColumnElement[bool]],
                formula: SatisfactionFormula) -> dict[Any, RatingRow]:
    key = _keys(by, zone, clerk=R.c.clerk_id, window=R.c.window_id, branch=W.c.branch_id, day=R.c.requested_at,
                moment=R.c.requested_at, service=R.c.service_id, conn=conn, year=start.year)
    first, after = day_bounds(zone, start, end)
    period = [R.c.requested_at >= first, R.c.requested_at < after, *where]
    source = R.join(W, W.c.id == R.c.window_id)
    rows: dict[Any, RatingRow] = {}

    def row(value: Any) -> RatingRow:
        k = key.convert(value)
        return rows.setdefault(k, RatingRow(k))

    levels = select(key.column, R.c.level, func.count()).select_from(source).where(*period)
    for value, level, n in conn.execute(levels.group_by(key.column, R.c.level)):
        r = row(value)
        r.levels[level] = r.levels.get(level, 0) + n
    steps = (select(key.column, FS.c.step, func.count(distinct(R.c.id)))
             .select_from(source.join(F, F.c.rating_id == R.c.id).join(FS, FS.c.followup_id == F.c.id))
             .where(*period, R.c.level.in_(sorted(NEGATIVE_LEVELS)), FS.c.step.in_(("action", "callback")))
             .group_by(key.column, FS.c.step))
    for value, step, n in conn.execute(steps):
        r = row(value)
        if step == "action":
            r.rectified += n
        else:
            r.called_back += n
    for r in rows.values():
        r.result = satisfaction(LevelCounts.tally(r.levels.items()), formula)
    return rows


# --- applications and 首问 ----------------------------------------------------------------------

@dataclass
class WorkRow:
    key: Any
    accepted: int = 0
    finished: int = 0
    overdue: int = 0
    inquiries: int = 0  # 首问 items received in the period
    open_items: int = 0  # still open now (received up to the period's end)
    ages_days: list[float] = field(default_factory=list, repr=False)

    @property
    def oldest_days(self) -> float | None:
        return max(self.ages_days) if self.ages_days else None

    @property
    def mean_age_days(self) -> float | None:
        return sum(self.ages_days) / len(self.ages_days) if self.ages_days else None


def work_rows(conn: Connection, zone: ZoneInfo, start: date, end: date, by: str, today: date, now: datetime,
              app_where: list[ColumnElement[bool]], inq_where: list[ColumnElement[bool]]) -> dict[Any, WorkRow]:
    rows: dict[Any, WorkRow] = {}
    app_source = A.outerjoin(W, W.c.id == A.c.window_id)

    def add(key: Key, value: Any, attr: str, n: int) -> None:
        k = key.convert(value)
        r = rows.setdefault(k, WorkRow(k))
        setattr(r, attr, getattr(r, attr) + n)

    for attr, day_col, cond in (("accepted", A.c.accepted_on, A.c.accepted_on.between(start, end)),
                                ("finished", A.c.finished_on, A.c.finished_on.between(start, end)),
                                ("overdue", A.c.accepted_on, (A.c.status.in_(OPEN_APPLICATION)) & (A.c.stage_due_date < today)
                                 & (A.c.accepted_on <= end))):
        key = _keys(by, zone, clerk=A.c.clerk_id, window=A.c.window_id, branch=A.c.branch_id, day=day_col,
                    moment=A.c.created_at, conn=conn, year=start.year)
        for value, n in conn.execute(select(key.column, func.count()).select_from(app_source)
                                     .where(cond, *app_where).group_by(key.column)):
            add(key, value, attr, n)
    first, after = day_bounds(zone, start, end)
    inq_source = I.outerjoin(W, W.c.id == I.c.window_id)
    key = _keys(by, zone, clerk=I.c.owner_id, window=I.c.window_id, branch=W.c.branch_id, day=I.c.created_at,
                moment=I.c.created_at, conn=conn, year=start.year)
    for value, n in conn.execute(select(key.column, func.count()).select_from(inq_source)
                                 .where(I.c.created_at >= first, I.c.created_at < after, *inq_where).group_by(key.column)):
        add(key, value, "inquiries", n)
    for value, created in conn.execute(select(key.column, I.c.created_at).select_from(inq_source)
                                       .where(I.c.status == "open", I.c.created_at < after, *inq_where)):
        k = key.convert(value)
        r = rows.setdefault(k, WorkRow(k))
        r.open_items += 1
        r.ages_days.append((now - created).total_seconds() / 86400)
    return rows

