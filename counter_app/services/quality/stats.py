"""Satisfaction (满意率) per clerk, window or branch over a period, with anomaly flags, counted
from the stored ratings with the rules of :mod:`counter_app.domain.ratings`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from counter_app.domain.errors import InvalidInput
from counter_app.domain.ratings import NEGATIVE_LEVELS, LevelCounts, RatingSample, anomalies, satisfaction
from counter_app.persistence.models import Branch, Rating, Staff, Window
from counter_app.services.quality.context import QualityContext
from counter_app.services.quality.ratings import rating_view
from counter_app.services.quality.views import RatingView, SatisfactionRow

GROUPS = ("clerk", "window", "branch")


class QualityStats:
    def __init__(self, ctx: QualityContext) -> None:
        self._ctx = ctx

    def satisfaction(self, start: date, end: date, by: str = "clerk") -> list[SatisfactionRow]:
        """One row per clerk (with anomaly flags), window, or for the branch, over the local days
        ``start`` to ``end`` inclusive; counted by when the rating was asked for."""
        if by not in GROUPS:
            raise InvalidInput("by", "clerk, window or branch", code="one_of", choices="clerk, window, branch")
        first, after = self._ctx.day_bounds(start, end)
        period = (Rating.requested_at >= first, Rating.requested_at < after)
        with self._ctx.read() as session:
            base = select().select_from(Rating).join(Window, Window.id == Rating.window_id)
            if by == "clerk":
                key_columns = (Rating.clerk_id, Staff.name + " " + Staff.staff_no)
                base = base.join(Staff, Staff.id == Rating.clerk_id)
            elif by == "window":
                key_columns = (Window.number, Window.name)
            else:
                key_columns = (Branch.code, Branch.name)
                base = base.join(Branch, Branch.id == Window.branch_id)
            pairs: dict[str, list[tuple[int | None, int]]] = defaultdict(list)
            labels: dict[str, str] = {}
            query = base.add_columns(*key_columns, Rating.level, func.count()).where(*period)
            for key, label, level, n in session.execute(query.group_by(*key_columns, Rating.level)):
                pairs[str(key)].append((level, n))
                labels[str(key)] = label
            samples: dict[str, list[RatingSample]] = defaultdict(list)
            if by == "clerk":
                for clerk_id, level, rated_at, called_at in session.execute(
                        select(Rating.clerk_id, Rating.level, Rating.rated_at, Rating.called_at).where(*period)):
                    samples[clerk_id].append(RatingSample(level, rated_at, called_at))
        rows = [SatisfactionRow(key, labels[key], satisfaction(LevelCounts.tally(tally), self._ctx.policy.formula),
                                anomalies(samples.get(key, ()), self._ctx.policy))
                for key, tally in pairs.items()]
        return sorted(rows, key=lambda r: (r.label if by != "window" else f"{int(r.key):04d}"))

    def ratings(self, start: date, end: date, *, window: int | None = None, clerk_id: str | None = None,
                negative_only: bool = False) -> list[RatingView]:
        """The stored ratings of the period, newest first, with their levels (for the manager)."""
        first, after = self._ctx.day_bounds(start, end)
        with self._ctx.read() as session:
            query = (select(Rating, Window.number, Staff).join(Window, Window.id == Rating.window_id)
                     .join(Staff, Staff.id == Rating.clerk_id)
                     .where(Rating.requested_at >= first, Rating.requested_at < after)
                     .order_by(Rating.requested_at.desc()))
            if window is not None:
                query = query.where(Window.number == window)
            if clerk_id is not None:
                query = query.where(Rating.clerk_id == clerk_id)
            if negative_only:
                query = query.where(Rating.level.in_(sorted(NEGATIVE_LEVELS)))
            return [rating_view(rating, number, staff) for rating, number, staff in session.execute(query)]
