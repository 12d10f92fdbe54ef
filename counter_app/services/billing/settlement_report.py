"""The settlement report (日结报表) as an A4 PDF drawn with reportlab, the CJK font embedded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from counter_app.domain.money import amount_in_words, format_fen
from counter_app.services.documents.fonts import register_cjk_font


@dataclass(frozen=True)
class SettlementReport:
    utility_name: str
    branch_name: str
    business_date: str
    clerk: str
    window_number: int | None
    rows: tuple[tuple[str, int, int, int, int], ...]  # (method, taken, voided, refunded, net) in fen
    counts: tuple[int, int, int]  # payments, voids, refunds
    late_fee_fen: int
    to_balance_fen: int
    from_balance_fen: int
    first_receipt_no: str
    last_receipt_no: str
    expected_cash_fen: int
    counted_cash_fen: int | None  # None: not settled yet
    difference_fen: int | None
    settled_at_local: str
    printed_at_local: str


def _difference(fen: int) -> str:
    if fen == 0:
        return "¥0.00（相符）"
    return f"{format_fen(fen)}（{'长款' if fen > 0 else '短款'}）"


def render_settlement_report(report: SettlementReport, out: Path) -> Path:
    font = register_cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=15)
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=f"日结报表 {report.business_date} {report.clerk}",
                            author=report.utility_name)
    settled = report.counted_cash_fen is not None
    story = [
        Paragraph(report.utility_name, title),
        Paragraph(f"{report.branch_name} 收费员日结报表" + ("" if settled else "（未日结）"), title),
        Spacer(1, 4 * mm),
        Paragraph(f"营业日 {report.business_date}　收费员 {report.clerk}　"
                  f"窗口 {report.window_number if report.window_number is not None else '-'}", body),
        Paragraph(f"收据号 {report.first_receipt_no or '-'} 至 {report.last_receipt_no or '-'}　"
                  f"收费 {report.counts[0]} 笔　冲正 {report.counts[1]} 笔　退费 {report.counts[2]} 笔", body),
        Spacer(1, 4 * mm),
    ]
    data = [["收款方式", "收费", "冲正退还", "退费", "净额"]]
    for method, taken, voided, refunded, net in report.rows:
        data.append([method, format_fen(taken), format_fen(voided), format_fen(refunded), format_fen(net)])
    data.append(["合计", *(format_fen(sum(r[i] for r in report.rows)) for i in range(1, 5))])
    table = Table(data, colWidths=[34 * mm, 34 * mm, 34 * mm, 34 * mm, 38 * mm])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 10),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey), ("BACKGROUND", (0, -1), (-1, -1), colors.whitesmoke),
    ]))
    story += [table, Spacer(1, 5 * mm)]
    cash = [["其中违约金", format_fen(report.late_fee_fen)], ["转入预存", format_fen(report.to_balance_fen)],
            ["预存抵扣 / 退费", format_fen(report.from_balance_fen)],
            ["应有现金", format_fen(report.expected_cash_fen)],
            ["应有现金（大写）", "人民币" + amount_in_words(max(report.expected_cash_fen, 0))]]
    if settled:
        assert report.counted_cash_fen is not None and report.difference_fen is not None
        cash += [["实点现金", format_fen(report.counted_cash_fen)], ["差额", _difference(report.difference_fen)],
                 ["日结时间", report.settled_at_local]]
    summary = Table(cash, colWidths=[50 * mm, 124 * mm])
    summary.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 10),
                                 ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story += [summary, Spacer(1, 14 * mm),
              Paragraph("收费员签字：______________　　复核人签字：______________", body),
              Spacer(1, 4 * mm), Paragraph(f"打印时间 {report.printed_at_local}", body)]
    doc.build(story)
    return out
