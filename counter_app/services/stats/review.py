"""The monthly review (每月评点): the month's KPIs against the policy's targets and against the
previous month, the clerk ranking with stars by the policy's rules, and the month's negative
ratings with the state of their follow-up. Plain data for the PDF, the XLSX and the screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from counter_app.domain.ratings import LEVEL_NAMES_ZH
from counter_app.persistence.models import Rating, RatingFollowUp, RatingFollowUpStep, Staff, Window
from counter_app.services.stats.facts import day_bounds, reading
from counter_app.services.stats.figures import QueueRow
from counter_app.services.stats.policy import METRICS, Condition
from counter_app.services.stats.sections import RatingRow
from counter_app.services.stats.service import Statistics, StatsReport, parse_month
from counter_app.services.stats.walk_ins import WalkInRow

STEP_NAMES = {"verification": "核实", "action": "整改", "callback": "回访", "outcome": "结案"}


def _pct(share: Fraction | None) -> float | None:
    return None if share is None else float(share * 100)


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


def figures_of(queue: QueueRow | None, ratings: RatingRow | None,
               walk_ins: WalkInRow | None = None) -> dict[str, float | None]:
    """The named figures (see :data:`~counter_app.services.stats.policy.METRICS`) of one row;
    walk-ins (no ticket) count as their own figure, never in a wait."""
    q = queue or QueueRow(None)
    r = ratings or RatingRow(None)
    handled = q.served + q.no_show
    return {
        "served": q.served,
        "walk_ins": walk_ins.served if walk_ins is not None else 0,
        "avg_wait_min": _minutes(q.wait.mean),
        "p90_wait_min": _minutes(q.wait.p90),
        "within_target": _pct(q.within_target),
        "avg_handle_min": _minutes(q.handle.mean),
        "satisfaction": _pct(r.result.rate if r.result else None),
        "active_rate": _pct(r.active_rate),
        "negative": r.negative,
        "rectify_rate": _pct(r.rectify_rate),
        "callback_rate": _pct(r.callback_rate),
        "no_show_rate": _pct(Fraction(q.no_show, handled) if handled else None),
    }


@dataclass(frozen=True)
class Kpi:
    metric: str
    label: str
    value: float | None
    previous: float | None
    target: Condition | None
    met: bool | None

    @property
    def change(self) -> float | None:
        return None if self.value is None or self.previous is None else self.value - self.previous


@dataclass(frozen=True)
class ClerkRank:
    rank: int
    clerk_id: str
    label: str
    stars: int
    figures: dict[str, float | None]
    previous_stars: int | None


@dataclass(frozen=True)
class NegativeRating:
    rated_at: datetime | None
    window: int
    clerk: str
    ticket_number: str
    level: int
    level_name: str
    reasons: tuple[str, ...]
    status: str  # open | closed | none
    steps: tuple[str, ...]
    deadline: date | None
    overdue: bool


@dataclass
class MonthlyReview:
    month: str
    start: date
    end: date
    branch: str
    kpis: list[Kpi]
    ranking: list[ClerkRank]
    negatives: list[NegativeRating]
    report: StatsReport  # by clerk: the tables behind the ranking
    daily: list[tuple[date, int, int]] = field(default_factory=list)  # day, taken, served
    hourly: list[tuple[int, int, float | None]] = field(default_factory=list)  # hour, arrivals, avg wait (min)
    wait_histogram: list[int] = field(default_factory=list)
    previous_month: str = ""


def _month_reports(stats: Statistics, start: date, end: date) -> tuple[StatsReport, StatsReport, StatsReport, StatsReport]:
    labels = stats.labels()
    both = ("queue", "ratings", "walkin")

    def one(by: str, sections: tuple[str, ...], percentiles: bool = True) -> StatsReport:
        return stats.report(start, end, by, sections=sections, prepared=True, labels=labels, percentiles=percentiles)

    return one("total", both), one("clerk", both), one("day", ("queue",), False), one("hour", ("queue",), False)


def monthly_review(stats: Statistics, month: str) -> MonthlyReview:
    start, end = parse_month(month)
    prev_start, prev_end = parse_month((start - timedelta(days=1)).strftime("%Y-%m"))
    stats.prepare(prev_start, end)
    needs_percentiles = any(c.metric == "p90_wait_min" for rule in stats.policy.rules for c in rule.conditions)
    total, clerks, days, hours = _month_reports(stats, start, end)
    prev_total = stats.report(prev_start, prev_end, "total", sections=("queue", "ratings", "walkin"), prepared=True,
                              labels=total.labels)
    prev_clerks = stats.report(prev_start, prev_end, "clerk", sections=("queue", "ratings", "walkin"), prepared=True,
                               labels=total.labels, percentiles=needs_percentiles)
    now_figures = figures_of(total.queue.get("all"), total.ratings.get("all"), total.walkin.get("all"))
    prev_figures = figures_of(prev_total.queue.get("all"), prev_total.ratings.get("all"), prev_total.walkin.get("all"))
    targets = {c.metric: c for c in stats.policy.kpis}
    order = list(dict.fromkeys([*targets, *METRICS]))
    kpis = [Kpi(m, METRICS[m][0], now_figures[m], prev_figures[m], targets.get(m),
                targets[m].holds(now_figures) if m in targets else None) for m in order]
    ranking = _ranking(stats, clerks, prev_clerks)
    branch = next(iter(total.labels.branches.values()), "")
    review = MonthlyReview(month, start, end, branch, kpis, ranking, negatives(stats, start, end), clerks,
                           previous_month=prev_start.strftime("%Y-%m"))
    review.daily = [(k, days.queue[k].taken or 0, days.queue[k].served) for k in days.keys if k in days.queue]
    review.hourly = [(k, hours.queue[k].taken or 0, _minutes(hours.queue[k].wait.mean)) for k in hours.keys
                     if k in hours.queue and k is not None]
    review.wait_histogram = stats.wait_histogram(total)
    return review


def _ranking(stats: Statistics, clerks: StatsReport, previous: StatsReport) -> list[ClerkRank]:
    rows = []
    for key in clerks.keys:
        if key is None or (key not in clerks.queue and key not in clerks.ratings and key not in clerks.walkin):
            continue
        figures = figures_of(clerks.queue.get(key), clerks.ratings.get(key), clerks.walkin.get(key))
        worked = clerks.queue.get(key)
        if not (worked and worked.called) and not clerks.ratings.get(key) and not clerks.walkin.get(key):
            continue  # staff who neither served nor were rated this month (the manager, back office)
        before = None
        if key in previous.queue or key in previous.ratings or key in previous.walkin:
            before = stats.policy.stars(figures_of(previous.queue.get(key), previous.ratings.get(key),
                                                   previous.walkin.get(key)))
        rows.append((stats.policy.stars(figures), figures, key, before))
    rows.sort(key=lambda r: (-r[0], -(r[1]["satisfaction"] or 0), -(r[1]["served"] or 0), clerks.label(r[2])))
    return [ClerkRank(i + 1, key, clerks.label(key), stars, figures, before)
            for i, (stars, figures, key, before) in enumerate(rows)]


def negatives(stats: Statistics, start: date, end: date) -> list[NegativeRating]:
    """The period's 差评 with their follow-up: status, steps recorded, deadline, overdue."""
    first, after = day_bounds(stats.zone, start, end)
    today = stats.today()
    R, F, FS = Rating.__table__, RatingFollowUp.__table__, RatingFollowUpStep.__table__
    query = (select(R.c.id, R.c.rated_at, Window.number, Staff.name, Staff.staff_no, R.c.ticket_number, R.c.level,
                    R.c.reasons, F.c.id, F.c.status, F.c.deadline, F.c.closed_at)
             .join(Window, Window.id == R.c.window_id).join(Staff, Staff.id == R.c.clerk_id)
             .outerjoin(F, F.c.rating_id == R.c.id)
             .where(R.c.requested_at >= first, R.c.requested_at < after, R.c.level.in_((1, 2)))
             .order_by(R.c.rated_at))
    with reading(stats.engine) as conn:
        rows = conn.execute(query).all()
        ids = [r[8] for r in rows if r[8]]
        steps: dict[str, list[str]] = {}
        for i in range(0, len(ids), 500):
            for fid, step in conn.execute(select(FS.c.followup_id, FS.c.step).where(FS.c.followup_id.in_(ids[i:i + 500]))
                                          .order_by(FS.c.at)):
                steps.setdefault(fid, []).append(step)
    out = []
    for _rid, rated_at, window, name, number, ticket, level, reasons, fid, status, deadline, closed_at in rows:
        closed_on = closed_at.astimezone(stats.zone).date() if closed_at else None
        overdue = deadline is not None and (closed_on or today) > deadline
        out.append(NegativeRating(rated_at, window, f"{name} {number}", ticket or "", level, LEVEL_NAMES_ZH[level],
                                  tuple(stats.reason_names.get(r, r) for r in reasons or ()), status or "none",
                                  tuple(dict.fromkeys(STEP_NAMES.get(s, s) for s in steps.get(fid, ()))), deadline,
                                  overdue))
    return out


def describe(value: Any, metric: str) -> str:
    """A figure as the review prints it: ``95.50%``, ``12.3``, ``—``."""
    if value is None:
        return "—"
    unit = METRICS[metric][1]
    if unit == "%":
        return f"{value:.2f}%"
    if unit == "min":
        return f"{value:.1f}"
    return f"{int(value)}"
