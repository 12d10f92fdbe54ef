"""The statistics as tables: headers and rows of plain values (numbers stay numbers, so screens
sort them and spreadsheets sum them), one table per section of a :class:`StatsReport`. The
screen, the XLSX export and the monthly review all read these, so they show the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from counter_app.services.stats.service import StatsReport

SECTIONS = ("queue", "fees", "ratings", "work", "walkin")
SECTION_TITLES = {"queue": "排队", "fees": "收费", "ratings": "评价", "work": "报装与首问", "walkin": "无号服务"}
DIMENSION_TITLES = {"total": "合计", "branch": "营业厅", "day": "日期", "hour": "时段", "service": "业务",
                    "window": "窗口", "clerk": "营业员"}
METHOD_TITLES = {"cash": "现金", "wechat": "微信", "alipay": "支付宝", "card": "银行卡", "unionpay": "云闪付"}


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "int"  # text | int | min (seconds shown as minutes) | pct | yuan (fen shown as yuan) | days


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


def pct(share: Fraction | None) -> float | None:
    return None if share is None else round(float(share) * 100, 2)


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def yuan(fen: int | None) -> float | None:
    return None if fen is None else fen / 100


def queue_table(report: StatsReport) -> Table:
    cols = (Column(DIMENSION_TITLES[report.by], "text"), Column("取号"), Column("叫号"), Column("办结"), Column("过号"),
            Column("转移"), Column("清号"), Column("平均等候(分)", "min"), Column("等候中位数(分)", "min"),
            Column("等候P90(分)", "min"), Column("等候达标率", "pct"), Column("平均办理(分)", "min"),
            Column("办理中位数(分)", "min"), Column("办理P90(分)", "min"))
    rows = []
    for key in report.keys:
        r = report.queue.get(key)
        if r is None:
            continue
        rows.append((report.label(key), r.taken, r.called, r.served, r.no_show, r.transferred, r.cleared,
                     minutes(r.wait.mean), minutes(r.wait.median), minutes(r.wait.p90), pct(r.within_target),
                     minutes(r.handle.mean), minutes(r.handle.median), minutes(r.handle.p90)))
    return Table(SECTION_TITLES["queue"], cols, tuple(rows))


def fee_table(report: StatsReport) -> Table:
    methods = sorted({m for r in report.fees.values() for m in r.by_method})
    cols = [Column(DIMENSION_TITLES[report.by], "text"), Column("收费笔数"), Column("收费金额(元)", "yuan")]
    for m in methods:
        cols += [Column(f"{METHOD_TITLES.get(m, m)}笔数"), Column(f"{METHOD_TITLES.get(m, m)}金额(元)", "yuan")]
    cols += [Column("冲正笔数"), Column("冲正金额(元)", "yuan"), Column("退费笔数"), Column("退费金额(元)", "yuan")]
    rows = []
    for key in report.keys:
        r = report.fees.get(key)
        if r is None:
            continue
        row: list[Any] = [report.label(key), r.payments, yuan(r.paid_fen)]
        for m in methods:
            n, fen = r.by_method.get(m, (0, 0))
            row += [n, yuan(fen)]
        row += [r.voids, yuan(r.void_fen), r.refunds, yuan(r.refund_fen)]
        rows.append(tuple(row))
    return Table(SECTION_TITLES["fees"], tuple(cols), tuple(rows))


def rating_table(report: StatsReport) -> Table:
    cols = (Column(DIMENSION_TITLES[report.by], "text"), Column("邀评数"), Column("评价数"), Column("主动评价率", "pct"),
            Column("非常满意"), Column("满意"), Column("基本满意"), Column("不满意"), Column("非常不满意"),
            Column("满意率", "pct"), Column("差评数"), Column("整改率", "pct"), Column("回访率", "pct"))
    rows = []
    for key in report.keys:
        r = report.ratings.get(key)
        if r is None:
            continue
        rows.append((report.label(key), r.requested, r.rated, pct(r.active_rate),
                     *(r.levels.get(level, 0) for level in (5, 4, 3, 2, 1)),
                     pct(r.result.rate if r.result else None), r.negative, pct(r.rectify_rate), pct(r.callback_rate)))
    return Table(SECTION_TITLES["ratings"], cols, tuple(rows))


def work_table(report: StatsReport) -> Table:
    cols = (Column(DIMENSION_TITLES[report.by], "text"), Column("报装受理"), Column("报装办结"), Column("报装超期"),
            Column("首问登记"), Column("首问未结"), Column("未结最长(天)", "days"), Column("未结平均(天)", "days"))
    rows = []
    for key in report.keys:
        r = report.work.get(key)
        if r is None:
            continue
        oldest = None if r.oldest_days is None else round(r.oldest_days, 1)
        mean = None if r.mean_age_days is None else round(r.mean_age_days, 1)
        rows.append((report.label(key), r.accepted, r.finished, r.overdue, r.inquiries, r.open_items, oldest, mean))
    return Table(SECTION_TITLES["work"], cols, tuple(rows))


def walk_in_table(report: StatsReport) -> Table:
    """Services without a ticket (walk-ins): served and rated, never in a waiting time."""
    cols = (Column(DIMENSION_TITLES[report.by], "text"), Column("无号服务"), Column("其中收费"), Column("其中报装"),
            Column("邀评数"), Column("评价数"), Column("主动评价率", "pct"), Column("非常满意"), Column("满意"),
            Column("基本满意"), Column("不满意"), Column("非常不满意"), Column("满意率", "pct"), Column("差评数"))
    rows = []
    for key in report.keys:
        r = report.walkin.get(key)
        if r is None:
            continue
        rows.append((report.label(key), r.served, r.payments, r.applications, r.requested, r.rated, pct(r.active_rate),
                     *(r.levels.get(level, 0) for level in (5, 4, 3, 2, 1)),
                     pct(r.result.rate if r.result else None), r.negative))
    return Table(SECTION_TITLES["walkin"], cols, tuple(rows))


def section_table(report: StatsReport, section: str) -> Table:
    return {"queue": queue_table, "fees": fee_table, "ratings": rating_table, "work": work_table,
            "walkin": walk_in_table}[section](report)


def text_of(value: Any, kind: str) -> str:
    """A cell as a screen shows it."""
    if value is None:
        return "—"
    if kind == "pct":
        return f"{value:.2f}%"
    if kind == "yuan":
        return f"{value:,.2f}"
    if kind in ("min", "days"):
        return f"{value:.1f}"
    return str(value)
