"""Branch statistics (Qt-free): queue, fees, ratings, applications and 首问 figures of a period,
the live board's alert rules and the monthly review."""

from counter_app.services.stats.figures import DIMENSIONS, Durations, Filters, QueueRow, percentile
from counter_app.services.stats.policy import StatsPolicy
from counter_app.services.stats.service import PERIODS, Statistics, StatsReport, parse_month, period_bounds

__all__ = ["DIMENSIONS", "Durations", "Filters", "PERIODS", "QueueRow", "Statistics", "StatsPolicy", "StatsReport",
           "parse_month", "percentile", "period_bounds"]
