"""The monthly review as tables: what the PDF prints and the XLSX holds, from one place."""

from __future__ import annotations

from pathlib import Path

from counter_app.domain.timeutil import format_local
from counter_app.services.stats.policy import METRICS
from counter_app.services.stats.review import MonthlyReview, describe
from counter_app.services.stats.tables import Column, Table, section_table
from counter_app.services.stats.xlsx import write_xlsx

RANKED = ("served", "walk_ins", "avg_wait_min", "avg_handle_min", "satisfaction", "active_rate", "negative", "rectify_rate",
          "callback_rate")
STATUS_NAMES = {"open": "跟进中", "closed": "已结案", "none": "未建跟进"}


def stars(n: int | None) -> str:
    return "—" if n is None else "★" * n + "☆" * (5 - n)


def _kind(metric: str) -> str:
    return {"%": "pct", "min": "min"}.get(METRICS[metric][1], "int")


def _round(value: float | None, metric: str) -> float | None:
    if value is None:
        return None
    return round(value, 2 if METRICS[metric][1] == "%" else 1) if METRICS[metric][1] else int(value)


def kpi_table(review: MonthlyReview) -> Table:
    cols = (Column("指标", "text"), Column(f"{review.month}", "text"), Column("目标", "text"), Column("达标", "text"),
            Column(f"上月 {review.previous_month}", "text"), Column("变化", "text"))
    rows = []
    for k in review.kpis:
        change = k.change
        sign = "" if change is None else ("+" if change > 0 else "")
        rows.append((k.label, describe(k.value, k.metric), str(k.target) if k.target else "—",
                     {True: "达标", False: "未达标", None: "—"}[k.met], describe(k.previous, k.metric),
                     "—" if change is None else sign + describe(change, k.metric)))
    return Table("月度指标", cols, tuple(rows))


def ranking_table(review: MonthlyReview) -> Table:
    cols = (Column("名次"), Column("营业员", "text"), Column("星级", "text"),
            *(Column(METRICS[m][0], _kind(m)) for m in RANKED), Column("上月星级", "text"))
    rows = tuple((r.rank, r.label, stars(r.stars), *(_round(r.figures[m], m) for m in RANKED), stars(r.previous_stars))
                 for r in review.ranking)
    return Table("营业员排名", cols, rows)


def negatives_table(review: MonthlyReview, zone) -> Table:  # type: ignore[no-untyped-def]
    cols = (Column("评价时间", "text"), Column("窗口"), Column("营业员", "text"), Column("票号", "text"),
            Column("评价", "text"), Column("原因", "text"), Column("跟进状态", "text"), Column("已记录", "text"),
            Column("期限", "text"), Column("超期", "text"))
    rows = tuple((format_local(n.rated_at, zone, "%m-%d %H:%M") if n.rated_at else "—", n.window, n.clerk,
                  n.ticket_number or "—", n.level_name, "、".join(n.reasons) or "—", STATUS_NAMES.get(n.status, n.status),
                  "、".join(n.steps) or "—", n.deadline.isoformat() if n.deadline else "—", "超期" if n.overdue else "")
                 for n in review.negatives)
    return Table("差评跟进", cols, rows)


def daily_table(review: MonthlyReview) -> Table:
    return Table("每日业务量", (Column("日期", "text"), Column("取号"), Column("办结")),
                 tuple((d.isoformat(), taken, served) for d, taken, served in review.daily))


def write_review_xlsx(review: MonthlyReview, path: Path, zone) -> Path:  # type: ignore[no-untyped-def]
    title = f"{review.branch} 每月评点 {review.month}（{review.start} 至 {review.end}）"
    tables = [kpi_table(review), ranking_table(review), negatives_table(review, zone), daily_table(review),
              *(section_table(review.report, s) for s in ("queue", "ratings", "fees"))]
    return write_xlsx(tables, path, title)
