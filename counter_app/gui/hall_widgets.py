"""Pieces the customer-facing screens share: a screen whose type scales with its size, the
date-and-time line, a scrolling notice and a clerk's avatar."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QLocale, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class ScaledScreen(QWidget):
    """A full-screen view designed at ``DESIGN`` pixels: its style sheet is rebuilt with every
    size scaled to the real screen, so the type stays as large as the layout allows.

    The application's style sheet sets a font size on every widget; a screen's own style sheet
    wins over it, while ``setFont`` would not."""

    DESIGN = QSize(1920, 1080)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = 0.0
        self.rescale(self.DESIGN)

    def style_for(self, px: Callable[[float], int]) -> str:
        """The screen's style sheet, every size given through ``px(design_pixels)``."""
        raise NotImplementedError

    def design_for(self, size: QSize) -> QSize:
        """The design size to scale from (a screen may have one per orientation)."""
        return self.DESIGN

    def rescale(self, size: QSize) -> None:
        design = self.design_for(size)
        scale = min(size.width() / design.width(), size.height() / design.height())
        if scale > 0 and abs(scale - self.scale) > 0.02:
            self.scale = scale
            self.setStyleSheet(self.style_for(lambda n: max(1, round(n * scale))))
            self.scaled(scale)

    def scaled(self, scale: float) -> None:
        """For sizes a style sheet cannot set (pictures); may run before ``__init__`` is done."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.rescale(event.size())
        super().resizeEvent(event)


class ClockLabel(QLabel):
    """Today's date, weekday and the time in the branch's zone, in the language of the UI."""

    def __init__(self, zone: ZoneInfo, parent: QWidget | None = None, *, seconds: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("clock")
        self._zone = zone
        self._format = "HH:mm:ss" if seconds else "HH:mm"
        self._timer = QTimer(self, interval=1000 if seconds else 10_000)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.tick()

    def tick(self) -> None:
        now = datetime.now(self._zone)
        locale = QLocale()
        day = QDate(now.year, now.month, now.day)
        clock = f"{now.hour:02d}:{now.minute:02d}" + (f":{now.second:02d}" if self._format == "HH:mm:ss" else "")
        self.setText(f"{locale.toString(day, QLocale.FormatType.LongFormat)}  {clock}")


class Marquee(QWidget):
    """One line of notice text scrolling right to left, repeated without a gap in the loop."""

    STEP_PX = 2
    FRAME_MS = 33

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("marquee")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._text = text
        self._offset = 0.0
        self._timer = QTimer(self, interval=self.FRAME_MS)
        self._timer.timeout.connect(self._advance)
        self._timer.start()

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        self._text = text
        self._offset = 0.0
        self.update()

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self.font())
        return QSize(metrics.horizontalAdvance(self._text), int(metrics.height() * 1.5))

    def _span(self) -> float:
        metrics = QFontMetrics(self.font())
        return metrics.horizontalAdvance(self._text + "\u3000" * 4)

    def _advance(self) -> None:
        if self._text and self.isVisible():
            self._offset = (self._offset + self.STEP_PX) % max(self._span(), 1.0)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._text:
            return
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        span = self._span()
        x = self.height() * 0.3 - self._offset
        while x < self.width():
            painter.drawText(QRectF(x, 0, span, self.height()), int(Qt.AlignmentFlag.AlignVCenter), self._text)
            x += span
        painter.end()


def initials(name: str) -> str:
    """What an avatar shows without a photo: a Chinese given name (the last two characters), or
    the initials of a western name."""
    name = name.strip()
    if not name:
        return "?"
    if name.isascii():
        return "".join(part[0] for part in name.split()[:2]).upper()
    return name[-2:] if len(name) >= 3 else name


class Avatar(QLabel):
    """A round clerk picture: the photo when there is one, else the initials on a colour of
    the name's own (the same clerk always gets the same colour)."""

    PALETTE = ("#1565c0", "#2e7d32", "#6a1b9a", "#c62828", "#00838f", "#ef6c00", "#4527a0", "#283593")

    def __init__(self, side: int = 160, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("avatar")
        self._side = side
        self._name = ""
        self._photo = QPixmap()
        self.setFixedSize(side, side)

    def set_side(self, side: int) -> None:
        self._side = side
        self.setFixedSize(side, side)
        self._draw()

    def show_clerk(self, name: str, photo: bytes | None = None) -> None:
        self._name = name
        self._photo = QPixmap()
        if photo:
            self._photo.loadFromData(photo)
        self._draw()

    @property
    def has_photo(self) -> bool:
        return not self._photo.isNull()

    def _draw(self) -> None:
        side = self._side
        canvas = QPixmap(side, side)
        canvas.fill(Qt.GlobalColor.transparent)
        painter = QPainter(canvas)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        clip = QPainterPath()
        clip.addEllipse(QRectF(0, 0, side, side))
        painter.setClipPath(clip)
        if self.has_photo:
            scaled = self._photo.scaled(side, side, Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                        Qt.TransformationMode.SmoothTransformation)
            painter.drawPixmap((side - scaled.width()) // 2, (side - scaled.height()) // 2, scaled)
        else:
            digest = hashlib.sha1(self._name.encode("utf-8")).digest()
            painter.fillRect(0, 0, side, side, QColor(self.PALETTE[digest[0] % len(self.PALETTE)]))
            text = initials(self._name)
            font = QFont(self.font())
            font.setPixelSize(int(side * (0.36 if len(text) > 1 else 0.5)))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("white"))
            painter.drawText(QRectF(0, 0, side, side), int(Qt.AlignmentFlag.AlignCenter), text)
        painter.end()
        self.setPixmap(canvas)
