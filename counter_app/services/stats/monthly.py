"""``counter-app report monthly``: the monthly review of a month as PDF or XLSX, with the
branch's [stats] and [quality] policy tables."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from counter_app.core.config import Settings, options_from_table
from counter_app.domain.errors import InvalidInput
from counter_app.domain.ratings import RatingPolicy
from counter_app.domain.timeutil import format_local
from counter_app.services.documents.monthly_review import render_monthly_review
from counter_app.services.branch_policy import read_policy_at_start
from counter_app.services.stats.policy import StatsPolicy, describe_rules
from counter_app.services.stats.review import MonthlyReview, monthly_review
from counter_app.services.stats.review_tables import write_review_xlsx
from counter_app.services.stats.service import Statistics

FORMATS = (".pdf", ".xlsx")


def statistics_for(engine: Engine, settings: Settings, node_id: str | None = None) -> Statistics:
    """Statistics with the branch's policy tables as in force today: head office's dated values
    over the installation's (``services.branch_policy``; a bad TOML table raises ConfigError).
    ``node_id``: this database's node, whose own walk-in services are collected for the figures."""
    sessions = sessionmaker(bind=engine)
    policy = read_policy_at_start(lambda s: options_from_table(StatsPolicy, s, "stats"), settings, sessions)
    rating = read_policy_at_start(lambda s: options_from_table(
        RatingPolicy, replace(s, policy={"quality": s.table("quality")}), "quality"), settings, sessions)
    return Statistics(engine, settings.branch.zone, policy, rating.formula, reasons=rating.reasons, node_id=node_id)


def write_review(review: MonthlyReview, stats: Statistics, out: Path) -> Path:
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise InvalidInput("out", f"a file name ending in .pdf or .xlsx (got {out.name!r})", code="report_file_kind", name=out.name)
    if suffix == ".xlsx":
        return write_review_xlsx(review, out, stats.zone)
    return render_monthly_review(review, out, stats.zone, describe_rules(stats.policy),
                                 printed_at=format_local(stats.clock(), stats.zone, "%Y-%m-%d %H:%M"))


def write_monthly_review(stats: Statistics, month: str, out: Path) -> Path:
    if out.suffix.lower() not in FORMATS:  # refused before any work
        raise InvalidInput("out", f"a file name ending in .pdf or .xlsx (got {out.name!r})", code="report_file_kind", name=out.name)
    return write_review(monthly_review(stats, month), stats, out)
