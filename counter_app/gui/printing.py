"""The printer layer for every printed document: a PDF made by reportlab goes to a named
printer, page by page, or, when the installation has no printer, stays saved in the data
folder and the caller says where.

Pages are rendered with QtPdf into an image at the printer's resolution (at most
:data:`MAX_DPI`, and at most :data:`MAX_PIXELS` per page, so an A4 page never needs hundreds of
megabytes) and painted onto the :class:`QPrinter`. A page as narrow as a roll goes onto a page
of its own size with no margins, so an 80 mm thermal printer cuts it where it ends.

Everything here blocks: callers run :func:`deliver_pdf` through the
:class:`~counter_app.gui.tasks.TaskRunner`, never on the GUI thread. A printer that is missing,
refuses the job or fails halfway raises :class:`PrinterError`, with a message for the clerk.
"""

from __future__ import annotations

import logging
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSize, QSizeF
from PySide6.QtGui import QColor, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from counter_app.domain.errors import UserError

log = logging.getLogger(__name__)

MAX_DPI = 600
MAX_PIXELS = 36_000_000
ROLL_WIDTH_MM = 90  # pages at most this wide are roll paper: page size = PDF page, no margins
POINTS_PER_MM = 72 / 25.4


class PrinterError(UserError):
    """The printer could not print the document; ``str(error)`` is written for the clerk."""

    code = "printer_error"

    def __init__(self, message: str) -> None:
        super().__init__(message, detail=message)


@dataclass(frozen=True)
class Delivered:
    """Where a document went: ``printer`` (its name) or ``saved`` (the PDF kept instead)."""

    pages: int
    printer: str | None = None
    saved: Path | None = None

    @property
    def message(self) -> str:
        if self.printer:
            return QCoreApplication.translate("Printing", "Printed on {printer}.").format(printer=self.printer)
        return QCoreApplication.translate(
            "Printing", "No printer is set up: the document is saved as {path}.").format(path=self.saved)


def open_printer(name: str) -> QPrinter:
    """The installed printer called ``name`` (raises :class:`PrinterError` when there is none)."""
    info = QPrinterInfo.printerInfo(name)
    if info.isNull():
        known = ", ".join(QPrinterInfo.availablePrinterNames()) or QCoreApplication.translate("Printing", "none")
        raise PrinterError(QCoreApplication.translate(
            "Printing", "Printer \"{name}\" is not installed on this PC (installed: {known}). See printer.name in the settings."
        ).format(name=name, known=known))
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    if info.state() == QPrinter.PrinterState.Error:
        raise PrinterError(QCoreApplication.translate(
            "Printing", "Printer \"{name}\" reports an error. Check paper, cover and cable.").format(name=name))
    return printer


def _load(pdf: Path) -> QPdfDocument:
    document = QPdfDocument()
    error = document.load(str(pdf))
    if error != QPdfDocument.Error.None_ or document.pageCount() < 1:
        document.close()
        raise PrinterError(QCoreApplication.translate(
            "Printing", "The document {path} cannot be read for printing ({error}).").format(path=pdf, error=error.name))
    return document


def _page_image(document: QPdfDocument, page: int, dpi: int) -> QImage:
    points = document.pagePointSize(page)
    pixels = points.width() * points.height() * (dpi / 72) ** 2
    if pixels > MAX_PIXELS:
        dpi = int(dpi * math.sqrt(MAX_PIXELS / pixels))
    size = QSize(max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72)))
    rendered = document.render(page, size)
    if rendered.isNull():
        raise PrinterError(QCoreApplication.translate(
            "Printing", "Page {page} could not be prepared for printing.").format(page=page + 1))
    return on_white(rendered)


def on_white(image: QImage) -> QImage:
    """QtPdf leaves the paper transparent; printers and screenshots want it white."""
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper


def _fit_roll(printer: QPrinter, points: QSizeF) -> None:
    size = QPageSize(points, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.ExactMatch)
    printer.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)


def print_pdf(printer: QPrinter, pdf: Path, *, title: str = "") -> int:
    """Print every page of ``pdf`` on ``printer``; returns the number of pages printed."""
    document = _load(pdf)
    try:
        first = document.pagePointSize(0)
        if first.width() <= ROLL_WIDTH_MM * POINTS_PER_MM:
            _fit_roll(printer, first)
        printer.setDocName(title or pdf.stem)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrinterError(QCoreApplication.translate(
                "Printing", "The printer did not accept the job. Is it switched on and online?"))
        try:
            dpi = min(printer.resolution(), MAX_DPI)
            for page in range(document.pageCount()):
                if page > 0 and not printer.newPage():
                    raise PrinterError(QCoreApplication.translate(
                        "Printing", "The printer stopped after page {page}.").format(page=page))
                image = _page_image(document, page, dpi)
                target = QRectF(printer.pageLayout().paintRectPixels(printer.resolution()))
                scale = min(target.width() / image.width(), target.height() / image.height())
                painter.drawImage(QRectF(target.x(), target.y(), image.width() * scale, image.height() * scale), image)
        finally:
            if not painter.end():
                raise PrinterError(QCoreApplication.translate(
                    "Printing", "The printer failed while printing. Check it and print again."))
        return document.pageCount()
    finally:
        document.close()


def deliver_pdf(pdf: Path, printer_name: str, save_dir: Path, *, title: str = "",
                printer: QPrinter | None = None) -> Delivered:
    """Print ``pdf`` on the printer called ``printer_name`` (or on ``printer``, as tests do);
    with neither, keep the PDF in ``save_dir`` and say so."""
    if printer is None and not printer_name.strip():
        save_dir.mkdir(parents=True, exist_ok=True)
        kept = pdf if pdf.parent.resolve() == save_dir.resolve() else Path(shutil.copy2(pdf, save_dir / pdf.name))
        document = _load(kept)
        pages = document.pageCount()
        document.close()
        return Delivered(pages, saved=kept)
    target = printer if printer is not None else open_printer(printer_name)
    pages = print_pdf(target, pdf, title=title)
    name = printer_name or target.printerName() or target.outputFileName()
    log.info("printed %s (%d pages) on %s", pdf.name, pages, name)
    return Delivered(pages, printer=name)
