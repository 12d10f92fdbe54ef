"""The void slip (冲正凭证) and the refund slip (退费凭证): a short reportlab page, 80 mm or A5.

The fee receipt itself is drawn by :mod:`counter_app.services.documents.receipt`; a void or a
refund hands money back, so its slip says so in words and names the receipt it corrects, the
reason and the manager who authorised it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.money import amount_in_words, format_fen
from counter_app.services.documents.fonts import register_cjk_font

TITLES = {"void": "冲 正 凭 证", "refund": "退 费 凭 证"}


@dataclass(frozen=True)
class SlipData:
    kind: str  # void | refund
    utility_name: str
    branch_name: str
    slip_no: str
    original_receipt_no: str  # "" for a refund not tied to one receipt
    issued_at_local: str
    account_no: str
    holder: str
    amount_fen: int  # handed back, positive
    methods: tuple[tuple[str, int, str], ...]  # (label, amount handed back, reference)
    balance_after_fen: int
    reason: str
    clerk: str
    manager: str
    window_number: int
    is_copy: bool


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for char in text:
        if current and stringWidth(current + char, font, size) > width:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current else [""]


def render_slip(data: SlipData, out: Path, layout: str = "80mm") -> Path:
    """Draw the slip into ``out`` (its folder must exist) and return ``out``; an 80 mm slip is as
    long as its content."""
    font = register_cjk_font()
    width, height, margin, size = (80 * mm, None, 4 * mm, 8.0) if layout == "80mm" else (A5[0], A5[1], 14 * mm, 10.0)
    lead = size * 1.45
    indent = margin + stringWidth("原收据号　", font, size)
    rows: list[tuple[str, str, float]] = []  # (label or "", text, scale); a label "^" centres the text

    def centred(text: str, scale: float = 1.0) -> None:
        rows.append(("^", text, scale))

    def row(label: str, value: str) -> None:
        for index, line in enumerate(_wrap(value, font, size, width - margin - indent)):
            rows.append((label if index == 0 else "", line, 1.0))

    centred(data.utility_name, 1.3)
    centred(TITLES.get(data.kind, data.kind), 1.2)
    centred(data.branch_name)
    if data.is_copy:
        centred("【补打】", 1.4)
    row("凭证号", data.slip_no)
    if data.original_receipt_no:
        row("原收据号", data.original_receipt_no)
    for label, value in (("日期", data.issued_at_local), ("户号", data.account_no), ("户名", data.holder)):
        row(label, value)
    row("退还金额", format_fen(data.amount_fen))
    row("大写", "人民币" + amount_in_words(data.amount_fen))
    for label, amount, reference in data.methods:
        row(label, format_fen(amount) + (f"  参考号 {reference}" if reference else ""))
    row("预存余额", format_fen(data.balance_after_fen))
    row("原因", data.reason)
    row("收费员", data.clerk)
    row("授权人", data.manager)
    row("窗口", f"{data.window_number} 号窗口")
    rows.append(("", "", 1.0))
    row("客户签字", "")
    page_height = height or 2 * margin + sum(lead * scale for _, _, scale in rows) + size
    canvas = Canvas(str(out), pagesize=(width, page_height), pageCompression=1)
    canvas.setTitle(f"{TITLES.get(data.kind, data.kind)} {data.slip_no}")
    y = page_height - margin - size * 1.3
    for label, text, scale in rows:
        canvas.setFont(font, size * scale)
        if label == "^":
            canvas.drawCentredString(width / 2, y, text)
        else:
            canvas.drawString(margin, y, label)
            canvas.drawString(indent, y, text)
        y -= lead * scale
    canvas.save()
    return out
