"""The acceptance slip (受理回执) of a connection application, as an A4 PDF drawn with reportlab.

It is the one-time notice (一次性告知) the customer takes home: what was received, **every**
document still missing, each stage with its promised date in working days, who accepted it at
which window, and the number to call. The CJK font is embedded, so it prints the same anywhere.
The small layout helpers here are shared with the status sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors, textsplit
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle, paragraph

from counter_app.services.documents.fonts import register_cjk_font

_WEEKDAYS = "一二三四五六日"

#: Chinese full-width punctuation that may not begin a line (CLREQ), missing from reportlab's
#: Japanese-minded list: its CJK wrap then broke "状态\n，办理时限…"
_CHINESE_CANNOT_START = "，；：！？》〉”’"


def _chinese_line_breaks() -> None:
    """Teach reportlab's CJK line breaking the Chinese punctuation (once, for every document)."""
    for module in (textsplit, paragraph):  # one paragraph of one run of text wraps in textsplit
        missing = "".join(ch for ch in _CHINESE_CANNOT_START if ch not in module.ALL_CANNOT_START)
        if missing:
            module.ALL_CANNOT_START += missing
_TIGHT = [("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]


@dataclass(frozen=True)
class SlipStage:
    name: str
    limit_days: int
    due: date


@dataclass(frozen=True)
class AcceptanceSlipData:
    utility_name: str
    branch_name: str
    number: str
    type_name: str
    applicant: str
    applicant_code: str  # resident ID or credit code, masked
    phone: str  # masked
    address: str
    accepted_at_local: str
    received: tuple[str, ...]
    missing: tuple[str, ...]
    stages: tuple[SlipStage, ...]
    clock_stopped: bool
    fee_lines: tuple[tuple[str, str], ...]  # (item, amount as printed)
    clerk_name: str
    clerk_no: str
    window_number: int | None
    query_phone: str


def mask(code: str, keep_start: int = 4, keep_end: int = 4) -> str:
    """``1101**********002X``: enough for the customer to recognise, not enough to misuse."""
    if len(code) <= keep_start + keep_end:
        return code
    return code[:keep_start] + "*" * (len(code) - keep_start - keep_end) + code[-keep_end:]


def long_date(day: date) -> str:
    return f"{day:%Y-%m-%d}（周{_WEEKDAYS[day.weekday()]}）"


class Styles:
    """Paragraph styles in the embedded CJK font, sized for reading at arm's length."""

    def __init__(self) -> None:
        font = register_cjk_font()
        _chinese_line_breaks()
        base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=9, leading=12.5, textColor=colors.HexColor("#333333"))
        self.title = ParagraphStyle("title", parent=base, fontSize=18, leading=24, alignment=1, spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", parent=base, fontSize=11, leading=15, alignment=1,
                                       textColor=colors.HexColor("#444444"))
        self.heading = ParagraphStyle("heading", parent=base, fontSize=12.5, leading=18, spaceBefore=8, spaceAfter=3,
                                      textColor=colors.HexColor("#0b4f8a"))
        self.notice = ParagraphStyle("notice", parent=base, fontSize=11, leading=16)

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style or self.body)


def field_table(styles: Styles, pairs: Sequence[tuple[str, str]]) -> Table:
    """Two label/value columns side by side: the application's particulars."""
    cells = [[styles.p(label, styles.small), styles.p(value)] for label, value in pairs]
    table = Table(cells, colWidths=[28 * mm, 150 * mm])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9e9e9e")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f4f8")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *_TIGHT,
    ]))
    return table


def grid(styles: Styles, header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]) -> Table:
    """A ruled table with a shaded header row; cells wrap."""
    cells = [[styles.p(h, styles.small) for h in header]] + [[styles.p(str(c)) for c in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9e9e9e")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3ebf5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *_TIGHT,
    ]))
    return table


def boxed(styles: Styles, flowables: list[Flowable], colour: str) -> Table:
    box = Table([[flowables]], colWidths=[178 * mm])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(colour)),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return box


def build_pdf(path: Path, title: str, story: list[Flowable]) -> Path:
    """Write an A4 document with a page number in the footer."""
    font = register_cjk_font()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def footer(canvas, document) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {document.page} 页")
        canvas.restoreState()

    document = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
                                 bottomMargin=16 * mm, title=title, author="counter_app")
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


def header(styles: Styles, utility: str, branch: str, title: str) -> list[Flowable]:
    return [styles.p(utility, styles.subtitle), styles.p(title, styles.title), styles.p(branch, styles.subtitle),
            Spacer(1, 4 * mm)]


def render_acceptance_slip(data: AcceptanceSlipData, path: Path) -> Path:
    s = Styles()
    story: list[Flowable] = header(s, data.utility_name, data.branch_name, "报装受理回执")
    story.append(field_table(s, [
        ("申请编号", data.number), ("业务类型", data.type_name), ("申请人", data.applicant),
        ("证件号码", data.applicant_code), ("联系电话", data.phone), ("用水地址", data.address),
        ("受理时间", data.accepted_at_local),
    ]))
    story.append(s.p("已收资料", s.heading))
    story.append(s.p("、".join(data.received) if data.received else "（无）"))
    story.append(s.p("一次性告知：尚缺资料", s.heading))
    if data.missing:
        lines = [s.p(f"{n}. {name}", s.notice) for n, name in enumerate(data.missing, 1)]
        lines.append(s.p("以上为办理本业务尚需的全部资料，请携带到任一营业窗口补交，无需另行排队预约。"
                         "资料补齐前申请处于“待补件”状态，办理时限暂停计算。", s.small))
        story.append(boxed(s, lines, "#b00020"))
    else:
        story.append(boxed(s, [s.p("资料齐全，无需补交。", s.notice)], "#1b5e20"))
    story.append(s.p("办理环节及承诺时限", s.heading))
    story.append(grid(s, ["序号", "办理环节", "时限（工作日）", "承诺完成日期"],
                      [[str(n), st.name, str(st.limit_days), long_date(st.due)] for n, st in enumerate(data.stages, 1)],
                      [14, 60, 36, 68]))
    note = "时限按工作日计算（不含周末及法定节假日，调休上班日计入）。"
    if data.clock_stopped:
        note += "上列日期按资料于今日补齐计算；资料实际补齐之日晚于今日的，各环节日期相应顺延。"
    story.append(Spacer(1, 1.5 * mm))
    story.append(s.p(note, s.small))
    if data.fee_lines:
        story.append(s.p("收费项目（在“收费”环节于任一窗口缴纳，凭收据办理）", s.heading))
        story.append(grid(s, ["项目", "金额"], [list(line) for line in data.fee_lines], [130, 48]))
    story.append(Spacer(1, 4 * mm))
    window = f"{data.window_number}号窗口" if data.window_number else "—"
    story.append(boxed(s, [
        s.p(f"受理人：{data.clerk_name}（工号 {data.clerk_no}）　　受理窗口：{window}　　查询电话：{data.query_phone}", s.notice),
        s.p("凭申请编号、身份证号（统一社会信用代码）或手机号，可在任一营业窗口或拨打查询电话了解办理进度。", s.small),
    ], "#0b4f8a"))
    return build_pdf(path, f"报装受理回执 {data.number}", story)
