"""The queue ticket slip (排队号票) as a PDF for an 80 mm roll: the hall, the service, the number
in large type, the people ahead, the time and the hall's notice (过号无效 ...).

:func:`slip_lines` is the one wording of a slip: the PDF draws it, and the kiosk shows the same
lines on screen when its printer cannot print.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.services.documents.fonts import register_cjk_font
from counter_app.services.documents.layout import Geometry, Sheet

DEFAULT_NOTICE = "过号无效，请重新取号"
DEFAULT_HINT = "请在休息区等候，注意呼叫及大屏显示信息"

ROLL = Geometry(80 * mm, None, 5 * mm, 5 * mm, 10.0, 0.0)
NUMBER_SIZE = 46.0


@dataclass(frozen=True)
class TicketSlipData:
    utility_name: str
    branch_name: str
    service_name: str  # e.g. 缴费
    service_letter: str
    number: str  # A012
    green: bool  # 绿色通道
    waiting_ahead: int
    estimated_wait_minutes: int
    issued_at_local: str  # 2025-06-03 14:05:09, in the branch's time zone
    notice: str = DEFAULT_NOTICE
    hint: str = DEFAULT_HINT


@dataclass(frozen=True)
class SlipLine:
    text: str
    role: str  # title, subtitle, number, badge, body, notice, small


def slip_lines(data: TicketSlipData) -> list[SlipLine]:
    """The slip from top to bottom, each line with the role that decides its size."""
    lines = [SlipLine(data.utility_name, "title"), SlipLine(data.branch_name, "subtitle"),
             SlipLine(f"排队业务：{data.service_name}（{data.service_letter}）", "body"),
             SlipLine(data.number, "number")]
    if data.green:
        lines.append(SlipLine("绿色通道 优先办理", "badge"))
    ahead = f"您前面还有 {data.waiting_ahead} 人在等待" if data.waiting_ahead else "您前面暂无等候，请留意叫号"
    lines.append(SlipLine(ahead, "body"))
    if data.waiting_ahead and data.estimated_wait_minutes:
        lines.append(SlipLine(f"预计等候约 {data.estimated_wait_minutes} 分钟", "body"))
    if data.hint:
        lines.append(SlipLine(data.hint, "small"))
    if data.notice:
        lines.append(SlipLine(data.notice, "notice"))
    lines.append(SlipLine(f"取号时间 {data.issued_at_local}", "small"))
    return lines


def _lay_out(sheet: Sheet, lines: list[SlipLine]) -> None:
    size = sheet.g.size
    for line in lines:
        if line.role == "title":
            sheet.centred(line.text, size * 1.3, bold=True)
        elif line.role == "subtitle":
            sheet.centred(line.text, size * 1.1)
            sheet.rule()
        elif line.role == "number":
            sheet.gap(4)
            sheet.centred(line.text, NUMBER_SIZE, bold=True)
            sheet.gap(2)
        elif line.role == "badge":
            sheet.boxed(line.text, size * 1.2)
        elif line.role == "notice":
            sheet.rule()
            sheet.centred(line.text, size * 1.15, bold=True)
        elif line.role == "small":
            sheet.centred(line.text, size * 0.9)
        else:
            sheet.centred(line.text, size * 1.05)


def render_ticket_slip(data: TicketSlipData, out: Path) -> Path:
    """Draw the slip into the PDF file ``out`` (its folder must exist), one page as tall as the
    content, and return ``out``."""
    sheet = Sheet(ROLL, register_cjk_font())
    _lay_out(sheet, slip_lines(data))
    height = sum(row_height for row_height, _ in sheet.rows) + 2 * ROLL.top
    canvas = Canvas(str(out), pagesize=(ROLL.width, height), pageCompression=1,
                    initialFontName=sheet.font, initialFontSize=ROLL.size)
    canvas.setTitle(f"号票 {data.number}")
    canvas.setAuthor(data.utility_name)
    top = height - ROLL.top
    for row_height, draw in sheet.rows:
        draw(canvas, top)
        top -= row_height
    canvas.save()
    return out
