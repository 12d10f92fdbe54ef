"""The fee receipt (收据) as a PDF: an 80 mm thermal roll or an A5 sheet, drawn with reportlab.

The receipt carries everything a customer needs to check a payment later: the amounts in figures
and in 大写, how it was paid, the balance left, who took it, and a QR code with the receipt number
and a check value (a short HMAC of number and total) that the hall can verify.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from counter_app.domain.money import amount_in_words, format_fen
from counter_app.services.documents.fonts import register_cjk_font
from counter_app.services.documents.layout import Geometry, Sheet, draw_text

LAYOUTS = ("80mm", "a5")


@dataclass(frozen=True)
class ReceiptLine:
    """One charge: a tier or component of one billing period."""

    period: str  # yyyy-mm
    usage_m3: int  # the period's whole usage, repeated on each of its lines
    description: str  # e.g. "水费 第1阶梯"
    m3: int
    price_fen: int
    amount_fen: int


@dataclass(frozen=True)
class ReceiptData:
    utility_name: str
    branch_name: str
    receipt_no: str
    issued_at_local: str
    account_no: str
    holder: str
    address: str
    lines: tuple[ReceiptLine, ...]
    late_fee_fen: int
    total_fen: int
    methods: tuple[tuple[str, int, str], ...]  # (label, amount_fen, reference)
    tendered_fen: int
    change_fen: int
    balance_after_fen: int
    clerk_name: str
    clerk_no: str
    window_number: int
    is_copy: bool
    query_phone: str
    check_value: str


def receipt_check_value(receipt_no: str, total_fen: int, secret: str) -> str:
    """8 hex digits of HMAC-SHA256 over receipt number and total: printed and put in the QR code."""
    message = f"{receipt_no}|{total_fen}".encode("utf-8")
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()[:8]


def qr_payload(receipt_no: str, check_value: str) -> str:
    return f"{receipt_no}|{check_value}"


_GEOMETRY = {
    "80mm": Geometry(80 * mm, None, 4 * mm, 4 * mm, 8.0, 26 * mm),
    "a5": Geometry(A5[0], A5[1], 14 * mm, 12 * mm, 10.0, 28 * mm),
}


def _period_groups(lines: tuple[ReceiptLine, ...]) -> list[list[ReceiptLine]]:
    return [list(group) for _, group in itertools.groupby(lines, key=lambda line: line.period)]


def _quantity(line: ReceiptLine) -> str:
    return f"{line.m3} m³ × {format_fen(line.price_fen)}"


def _header(s: Sheet, data: ReceiptData) -> None:
    s.centred(data.utility_name, s.g.size * 1.35, bold=True)
    s.centred("缴 费 收 据", s.g.size * 1.2)
    s.centred(data.branch_name)
    if data.is_copy:
        s.gap(2)
        s.boxed("补打", s.g.size * 1.8)


def _charges_roll(s: Sheet, data: ReceiptData) -> None:
    size = s.g.size
    indent = s.left + size
    quantity_right = s.right - s.width_of("¥0,000.00", size) - size
    for group in _period_groups(data.lines):
        s.cells([(f"{group[0].period}  用水量 {group[0].usage_m3} m³", s.left, "l")])
        for line in group:
            quantity = _quantity(line)
            room = quantity_right - s.width_of(quantity, size) - size / 2 - indent
            amount = (format_fen(line.amount_fen), s.right, "r")
            if s.width_of(line.description, size) <= room:
                s.cells([(line.description, indent, "l"), (quantity, quantity_right, "r"), amount])
            else:
                s.cells([(line.description, indent, "l")])
                s.cells([(quantity, quantity_right, "r"), amount])


def _charges_sheet(s: Sheet, data: ReceiptData) -> None:
    w = s.right - s.left
    at = {"period": s.left, "usage": s.left + 0.26 * w, "item": s.left + 0.31 * w,
          "m3": s.left + 0.68 * w, "price": s.left + 0.83 * w}
    s.cells([("期间", at["period"], "l"), ("用水量", at["usage"], "r"), ("项目", at["item"], "l"),
             ("水量", at["m3"], "r"), ("单价", at["price"], "r"), ("金额", s.right, "r")], bold=True)
    item_width = at["m3"] - s.width_of("00000 m³", s.g.size) - at["item"]
    for group in _period_groups(data.lines):
        for index, line in enumerate(group):
            first = [(line.period, at["period"], "l"), (f"{line.usage_m3} m³", at["usage"], "r")]
            item, *more = s.wrap(line.description, s.g.size, item_width)
            s.cells((first if index == 0 else []) + [
                (item, at["item"], "l"), (f"{line.m3} m³", at["m3"], "r"),
                (format_fen(line.price_fen), at["price"], "r"), (format_fen(line.amount_fen), s.right, "r")])
            for rest in more:
                s.cells([(rest, at["item"], "l")])


def _money(s: Sheet, data: ReceiptData) -> None:
    s.both_sides("违约金", format_fen(data.late_fee_fen))
    s.rule()
    s.both_sides("合计", format_fen(data.total_fen), s.g.size * 1.5, bold=True)
    s.pair("大写", "人民币" + amount_in_words(data.total_fen))
    s.rule()
    for label, amount, reference in data.methods:
        s.both_sides(label, format_fen(amount))
        small = s.g.size * 0.85
        for part in s.wrap(f"参考号 {reference}", small, s.right - s.left - s.g.size) if reference else []:
            s.cells([(part, s.left + s.g.size, "l")], small)
    s.both_sides("实收", format_fen(data.tendered_fen))
    s.both_sides("找零", format_fen(data.change_fen))
    s.both_sides("预存余额", format_fen(data.balance_after_fen))
    s.rule()


def _roll(s: Sheet, data: ReceiptData) -> None:
    _header(s, data)
    s.rule()
    for label, value in (("收据号", data.receipt_no), ("日期", data.issued_at_local), ("户号", data.account_no),
                         ("户名", data.holder), ("地址", data.address)):
        s.pair(label, value)
    s.rule()
    _charges_roll(s, data)
    _money(s, data)
    s.pair("收费员", f"{data.clerk_name}  工号 {data.clerk_no}")
    s.pair("窗口", f"{data.window_number} 号窗口")
    s.gap(2)
    s.qr(qr_payload(data.receipt_no, data.check_value), (s.g.width - s.g.qr) / 2)
    s.centred(f"校验码 {data.check_value}")
    s.centred(f"查询电话 {data.query_phone}")
    s.centred("请妥善保管本收据")


def _sheet(s: Sheet, data: ReceiptData) -> None:
    side, page_top = s.g.qr, s.g.height or 0.0
    s.qr(qr_payload(data.receipt_no, data.check_value), s.right - side, top=page_top - s.g.top)
    s.inset = side
    _header(s, data)
    s.inset = 0.0
    s.gap(max(2.0, side - 4 - sum(height for height, _ in s.rows)))
    s.rule()
    half = s.left + (s.right - s.left) / 2
    indent = s.width_of("收费员 ", s.g.size)
    s.cells([("收据号", s.left, "l"), (data.receipt_no, s.left + indent, "l"),
             ("日期", half, "l"), (data.issued_at_local, half + indent, "l")])
    for label, value in (("户号", data.account_no), ("户名", data.holder), ("地址", data.address)):
        s.pair(label, value)
    s.rule()
    _charges_sheet(s, data)
    _money(s, data)
    s.cells([(f"收费员 {data.clerk_name}  工号 {data.clerk_no}", s.left, "l"),
             (f"窗口 {data.window_number} 号", half, "l")])
    s.cells([(f"校验码 {data.check_value}", s.left, "l"), (f"查询电话 {data.query_phone}", half, "l")])
    s.centred("请妥善保管本收据")


def render_receipt(data: ReceiptData, out: Path, layout: str = "80mm") -> Path:
    """Draw the receipt into the PDF file ``out`` (its folder must exist) and return ``out``."""
    if layout not in _GEOMETRY:
        raise ValueError(f"receipt layout must be one of {', '.join(LAYOUTS)}, got {layout!r}")
    geometry = _GEOMETRY[layout]
    sheet = Sheet(geometry, register_cjk_font())
    (_roll if layout == "80mm" else _sheet)(sheet, data)
    content = sum(height for height, _ in sheet.rows)
    page_height = geometry.height or content + 2 * geometry.top
    canvas = Canvas(str(out), pagesize=(geometry.width, page_height), pageCompression=1,
                    initialFontName=sheet.font, initialFontSize=geometry.size)
    canvas.setTitle(f"收据 {data.receipt_no}")
    canvas.setAuthor(data.utility_name)
    top = page_height - geometry.top
    for height, draw in sheet.rows:
        if top - height < geometry.top and geometry.height is not None and height:
            canvas.showPage()
            top = page_height - geometry.top
            draw_text(canvas, [(f"收据号 {data.receipt_no}（续）", sheet.left)], top - geometry.size, sheet.font, geometry.size, False)
            top -= geometry.size * 2
        draw(canvas, top)
        top -= height
    canvas.save()
    return out
