"""A small row layout for printed slips on reportlab: rows of text cells, rules and a QR code,
stacked top-down, so a roll can be sized to its content and a sheet can break onto new pages."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Callable

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

#: Any of the eight QR masks decodes; trying them all (reportlab's ``make``) costs 6 ms a code.
QR_MASK = 2


@dataclass(frozen=True)
class Geometry:
    width: float
    height: float | None  # None: as tall as the content (a roll)
    margin: float
    top: float
    size: float  # body text
    qr: float  # side of the QR code, quiet zone included


Draw = Callable[[Canvas, float], None]


def draw_text(c: Canvas, pieces: list[tuple[str, float]], y: float, font: str, size: float, bold: bool) -> None:
    """Draw ``(text, x)`` pieces on one baseline in one text object. Bold is the glyph outline
    stroked over the fill: the bundled font has no bold face."""
    t = c.beginText()
    t.setFont(font, size)
    if bold:
        c.saveState()
        c.setLineWidth(size * 0.03)
        t.setTextRenderMode(2)
    for text, x in pieces:
        t.setTextOrigin(x, y)
        t.textOut(text)
    if bold:
        t.setTextRenderMode(0)
    c.drawText(t)
    if bold:
        c.restoreState()


class Sheet:
    """Rows of content, each a height and a drawing function taking the row's top edge."""

    def __init__(self, geometry: Geometry, font: str) -> None:
        self.g = geometry
        self.font = font
        self.left = geometry.margin
        self.right = geometry.width - geometry.margin
        self.rows: list[tuple[float, Draw]] = []
        self.inset = 0.0  # kept clear on both sides of centred text (beside the A5 QR code)

    def width_of(self, text: str, size: float) -> float:
        return stringWidth(text, self.font, size)

    def add(self, height: float, draw: Draw) -> None:
        self.rows.append((height, draw))

    def gap(self, height: float) -> None:
        self.add(height, lambda c, top: None)

    def cells(self, cells: list[tuple[str, float, str]], size: float | None = None, bold: bool = False) -> None:
        """One line of text pieces, each (text, x, align) with align one of l, c, r."""
        size = size or self.g.size
        font = self.font
        shift = {"l": 0.0, "c": 0.5, "r": 1.0}
        pieces = [(text, x - shift[align] * stringWidth(text, font, size) if align != "l" else x)
                  for text, x, align in cells]
        self.add(size * 1.35, lambda c, top: draw_text(c, pieces, top - size, font, size, bold))

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        """Lines of at most ``width``, broken between any two characters (Chinese has no spaces)."""
        if self.width_of(text, size) <= width:
            return [text]
        lines, current, used = [], "", 0.0
        for char in text:
            char_width = self.width_of(char, size)
            if current and used + char_width > width:
                lines.append(current)
                current, used = "", 0.0
                if char == " ":
                    continue
            current += char
            used += char_width
        return [*lines, current] if current else lines

    def centred(self, text: str, size: float | None = None, bold: bool = False) -> None:
        size = size or self.g.size
        middle = (self.left + self.right) / 2
        for line in self.wrap(text, size, self.right - self.left - 2 * self.inset):
            self.cells([(line, middle, "c")], size, bold)

    def pair(self, label: str, value: str) -> None:
        """``label  value``; a long value wraps under itself."""
        size = self.g.size
        indent = self.left + self.width_of("收费员 ", size)
        for index, line in enumerate(self.wrap(value, size, self.right - indent)):
            self.cells(([(label, self.left, "l")] if index == 0 else []) + [(line, indent, "l")])

    def both_sides(self, label: str, value: str, size: float | None = None, bold: bool = False) -> None:
        self.cells([(label, self.left, "l"), (value, self.right, "r")], size, bold)

    def rule(self) -> None:
        def draw(c: Canvas, top: float) -> None:
            c.setDash(1.5, 1.5)
            c.setLineWidth(0.5)
            c.line(self.left, top - 3, self.right, top - 3)
            c.setDash()

        self.add(6, draw)

    def boxed(self, text: str, size: float) -> None:
        width = self.width_of(text, size) + size
        middle = (self.left + self.right) / 2

        def draw(c: Canvas, top: float) -> None:
            c.setLineWidth(1.2)
            c.rect(middle - width / 2, top - size * 1.45, width, size * 1.35)
            draw_text(c, [(text, middle - width / 2 + size / 2)], top - size * 1.15, self.font, size, True)

        self.add(size * 1.7, draw)

    def qr(self, payload: str, x: float, top: float | None = None) -> None:
        """A QR code at ``x``: a row of its own, or drawn at a fixed ``top`` without a row."""
        modules = qr_modules(payload)
        side = self.g.qr
        box = side / (len(modules) + 4)

        def draw(c: Canvas, row_top: float) -> None:
            path = c.beginPath()
            for r, row in enumerate(modules):
                column = 0
                for dark, run in itertools.groupby(bool(m) for m in row):
                    count = sum(1 for _ in run)
                    if dark:
                        path.rect(x + (column + 2) * box, row_top - (r + 3) * box, count * box, box)
                    column += count
            c.drawPath(path, stroke=0, fill=1)

        if top is None:
            self.add(side, draw)
        else:
            self.add(0, lambda c, _top: draw(c, top))


def qr_modules(payload: str) -> list[list[bool]]:
    """The QR matrix of ``payload`` (error correction M, mask :data:`QR_MASK`), without quiet zone."""
    code = QrCodeWidget(payload, barLevel="M").qr
    code.version = code.calculate_version()
    code.makeImpl(False, QR_MASK)
    return code.modules
