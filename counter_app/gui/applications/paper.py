"""Getting a PDF made by the services onto paper, off the GUI thread. Without a configured
printer the PDF stays in the data folder and the clerk is told where."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QRectF, QSize, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from counter_app.domain.errors import UserError
from counter_app.gui.rule_words import rule_text
from counter_app.gui.tasks import TaskRunner


class PrinterFailed(UserError):
    """The printer did not take the job; the PDF is kept."""


def print_pdf(path: Path, printer_name: str) -> None:
    """Render each page of the PDF at the printer's resolution and send it (runs on a worker)."""
    document = QPdfDocument()
    if document.load(str(path)) != QPdfDocument.Error.None_:
        raise PrinterFailed(f"cannot read {path.name}", code="printer_cannot_read", file=path.name)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPrinterName(printer_name)
    printer.setDocName(path.stem)
    if not printer.isValid():
        raise PrinterFailed(f"printer {printer_name} is not available", code="printer_unavailable", printer=printer_name)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrinterFailed(f"printer {printer_name} refused the job", code="printer_refused", printer=printer_name)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
            image = document.render(page, QSize(int(target.width()), int(target.height())))
            painter.drawImage(target, image)
    finally:
        painter.end()
        document.close()


class PaperOutput(QObject):
    """Prints to the configured printer, or keeps the PDF; reports in a sentence for the clerk."""

    def __init__(self, tasks: TaskRunner, printer_name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks, self._printer = tasks, printer_name

    def output(self, pdf: Path, report: Callable[[str], None]) -> None:
        if not self._printer:
            report(self.tr("Saved as PDF (no printer set up): {path}").format(path=pdf))
            return
        name = self._printer
        self._tasks.run(lambda: print_pdf(pdf, name),
                        lambda _done: report(self.tr("Sent to printer {name}.").format(name=name)),
                        lambda error: report(self.tr("Printer {name} failed ({error}); the PDF is kept: {path}")
                                             .format(name=name, error=rule_text(error), path=pdf)), write=False)

    @staticmethod
    def open(pdf: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(pdf)))
