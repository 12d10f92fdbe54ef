"""The monthly review (每月评点) as an A4 PDF: KPIs against targets and the previous month,
charts (daily volume, arrivals and waits by hour, wait distribution), the clerk ranking with
stars, the star rules, and the month's negative ratings with their follow-up. The bundled CJK
font is embedded (subset), as on receipts."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence
from zoneinfo import ZoneInfo

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from counter_app.services.documents.fonts import register_cjk_font
from counter_app.services.stats.review import MonthlyReview
from counter_app.services.stats.review_tables import kpi_table, negatives_table, ranking_table
from counter_app.services.stats.tables import Table as DataTable, text_of

BLUE, GREEN, RED, GREY = colors.HexColor("#1f5fa8"), colors.HexColor("#2e8b57"), colors.HexColor("#c0392b"), colors.HexColor("#e8eef6")
ORANGE = colors.HexColor("#e67e22")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=4),
        "sub": ParagraphStyle("sub", fontName=font, fontSize=9.5, leading=13, textColor=colors.HexColor("#555555")),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=13, leading=18, spaceBefore=8, spaceAfter=4, textColor=BLUE),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11),
        "note": ParagraphStyle("note", fontName=font, fontSize=8.5, leading=12, textColor=colors.HexColor("#444444")),
    }


def _grid(table: DataTable, font: str, widths: Sequence[float] | None = None, colour_column: int | None = None) -> Table:
    cell = ParagraphStyle("c", fontName=font, fontSize=8.5, leading=10.5)
    head = ParagraphStyle("h", fontName=font, fontSize=8.5, leading=10.5, textColor=colors.white)
    data = [[Paragraph(c.title, head) for c in table.columns]]
    for row in table.rows:
        data.append([Paragraph(text_of(v, c.kind) if not isinstance(v, str) else v, cell)
                     for v, c in zip(row, table.columns)])
    if len(data) == 1:
        data.append([Paragraph("（无）", cell)] + [""] * (len(table.columns) - 1))
    grid = Table(data, colWidths=widths, repeatRows=1)
    style = [("FONTNAME", (0, 0), (-1, -1), font), ("BACKGROUND", (0, 0), (-1, 0), BLUE),
             ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa9bb")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, GREY])]
    if colour_column is not None:
        for i, row in enumerate(table.rows, start=1):
            value = row[colour_column]
            if value in ("达标", "未达标"):
                style.append(("TEXTCOLOR", (colour_column, i), (colour_column, i), GREEN if value == "达标" else RED))
    grid.setStyle(TableStyle(style))
    return grid


def _bars(title: str, labels: list[str], series: list[tuple[str, list[float], colors.Color]], font: str,
          width: float = 250 * mm, height: float = 62 * mm, every: int = 1) -> Drawing:
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 12 * mm, width - 22 * mm, height - 24 * mm
    chart.data = [values or [0] for _n, values, _c in series]
    for i, (_n, _v, colour) in enumerate(series):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
    chart.categoryAxis.categoryNames = [l if i % every == 0 else "" for i, l in enumerate(labels)] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.barSpacing = 0.5
    chart.groupSpacing = 3
    drawing.add(chart)
    drawing.add(String(14 * mm, height - 7 * mm, title, fontName=font, fontSize=10, fillColor=BLUE))
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = width - 60 * mm, height - 4 * mm
        legend.fontName, legend.fontSize = font, 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.colorNamePairs = [(c, n) for n, _v, c in series]
        drawing.add(legend)
    return drawing


def render_monthly_review(review: MonthlyReview, path: Path, zone: ZoneInfo, rules: Sequence[str] = (),
                          printed_at: str = "") -> Path:
    font = register_cjk_font()
    s = _styles(font)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=14 * mm, rightMargin=14 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title=f"每月评点 {review.month}",
                            author=review.branch)
    story: list = [Paragraph(f"{review.branch} 每月评点 {review.month}", s["title"]),
                   Paragraph(f"统计期间 {review.start} 至 {review.end}，对比上月 {review.previous_month}。"
                             f"{'打印时间 ' + printed_at if printed_at else ''}", s["sub"]),
                   Paragraph("一、月度指标（目标取自政策表 [stats]）", s["h2"]),
                   _grid(kpi_table(review), font, [55 * mm, 35 * mm, 45 * mm, 25 * mm, 40 * mm, 35 * mm], colour_column=3)]
    story += [Paragraph("二、业务量与等候", s["h2"])]
    days = [d.strftime("%d") for d, _t, _s in review.daily]
    story.append(_bars("每日业务量（取号 / 办结）", days, [("取号", [t for _d, t, _s in review.daily], BLUE),
                                                      ("办结", [v for _d, _t, v in review.daily], GREEN)], font))
    hours = [f"{h}时" for h, _n, _w in review.hourly]
    buckets = [f"{i * 5}-{i * 5 + 5}" for i in range(len(review.wait_histogram) - 1)]
    buckets.append(f"≥{(len(review.wait_histogram) - 1) * 5}")
    small = 84 * mm
    row = [_bars("各时段到达人数", hours, [("到达", [n for _h, n, _w in review.hourly], BLUE)], font, width=small),
           _bars("各时段平均等候（分钟）", hours, [("等候", [round(w or 0, 1) for _h, _n, w in review.hourly], ORANGE)],
                 font, width=small),
           _bars("等候时长分布（分钟，人数）", buckets, [("人数", list(review.wait_histogram), BLUE)], font, width=small)]
    story.append(Table([row], colWidths=[small + 2 * mm] * 3))
    story += [Paragraph("三、营业员排名", s["h2"]),
              _grid(ranking_table(review), font)]
    if rules:
        story += [Spacer(1, 3 * mm), Paragraph("星级规则（按顺序，满足全部条件取首条）：" + "；".join(rules), s["note"])]
    story += [Paragraph(f"四、本月差评及跟进（{len(review.negatives)} 条）", s["h2"]),
              _grid(negatives_table(review, zone), font)]
    doc.build(story)
    return path
