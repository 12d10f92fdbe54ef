"""The printer layer: a PDF-file QPrinter stands in for the printer and its output is read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QImage, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from counter_app.gui.printing import Delivered, PrinterError, deliver_pdf, on_white
from counter_app.gui.tasks import TaskRunner
from counter_app.services.documents.ticket_slip import TicketSlipData, render_ticket_slip

MM = 72 / 25.4


def file_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def slip_pdf(folder: Path) -> Path:
    data = TicketSlipData("示范市自来水有限公司", "城东营业厅", "缴费", "A", "A012", False, 3, 15, "2025-06-03 14:05:09")
    return render_ticket_slip(data, folder / "A012.pdf")


def a4_pdf(path: Path, pages: int) -> Path:
    canvas = Canvas(str(path), pagesize=A4)
    for page in range(pages):
        canvas.setFont("Helvetica", 40)
        canvas.drawString(100, 700, f"page {page + 1}")
        canvas.rect(60, 60, 200 + 100 * page, 100, fill=1)
        canvas.showPage()
    canvas.save()
    return path


def grey(pdf: Path, page: int, size: QSize) -> bytes:
    document = QPdfDocument()
    document.load(str(pdf))
    image = on_white(document.render(page, size)).convertToFormat(QImage.Format.Format_Grayscale8)
    document.close()
    raw, stride = bytes(image.constBits()), image.bytesPerLine()
    return b"".join(raw[y * stride: y * stride + size.width()] for y in range(size.height()))


def difference(a: bytes, b: bytes) -> float:
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a) / 255


def ink(image: bytes) -> float:
    return sum(1 for value in image if value < 128) / len(image)


def assert_same_look(source: Path, printed: Path, page: int, size: QSize) -> None:
    """Same marks in the same places, give or take anti-aliasing."""
    before, after = grey(source, page, size), grey(printed, page, size)
    assert ink(after) == pytest.approx(ink(before), rel=0.05)
    assert difference(before, after) < 0.03


def run(qtbot, fn):  # type: ignore[no-untyped-def]
    """Run ``fn`` the way the front-ends do (TaskRunner) and return its result or error."""
    tasks = TaskRunner()
    outcome: dict[str, object] = {}
    ticks = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    tasks.run(fn, lambda result: outcome.setdefault("result", result), lambda error: outcome.setdefault("error", error))
    qtbot.waitUntil(lambda: bool(outcome), timeout=20000)
    timer.stop()
    tasks.wait()
    outcome["gui_ticks"] = len(ticks)
    return outcome


def test_slip_prints_on_a_roll_page_of_its_own_size_and_looks_like_the_pdf(qtbot, tmp_path: Path) -> None:
    source = slip_pdf(tmp_path)
    out = tmp_path / "printed.pdf"
    outcome = run(qtbot, lambda: deliver_pdf(source, "", tmp_path / "saved", printer=file_printer(out)))
    result = outcome["result"]
    assert isinstance(result, Delivered) and result.pages == 1 and result.saved is None
    printed = QPdfDocument()
    printed.load(str(out))
    assert printed.pageCount() == 1
    size = printed.pagePointSize(0)
    printed.close()
    assert size.width() == pytest.approx(80 * MM, abs=1.5)
    assert_same_look(source, out, 0, QSize(640, round(640 * size.height() / size.width())))
    assert not (tmp_path / "saved").exists()


def test_a4_document_prints_every_page_while_the_gui_keeps_running(qtbot, tmp_path: Path) -> None:
    source = a4_pdf(tmp_path / "report.pdf", 3)
    out = tmp_path / "printed.pdf"

    def job() -> Delivered:
        printer = file_printer(out)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        return deliver_pdf(source, "", tmp_path, printer=printer)

    outcome = run(qtbot, job)
    assert outcome["result"].pages == 3  # type: ignore[union-attr]
    assert outcome["gui_ticks"] > 0
    printed = QPdfDocument()
    printed.load(str(out))
    assert printed.pageCount() == 3
    assert printed.pagePointSize(2).width() == pytest.approx(A4[0], abs=1)
    printed.close()
    # a sheet is fitted inside the printer's margins: the same marks, a little smaller
    size = QSize(420, 594)
    assert 0.85 < ink(grey(out, 2, size)) / ink(grey(source, 2, size)) < 1.0


def test_without_a_printer_the_pdf_is_kept_in_the_data_folder_and_the_message_says_where(qtbot, tmp_path: Path) -> None:
    source = slip_pdf(tmp_path)
    saved = tmp_path / "data" / "receipts"
    outcome = run(qtbot, lambda: deliver_pdf(source, "  ", saved))
    result = outcome["result"]
    assert isinstance(result, Delivered)
    assert result.printer is None and result.saved == saved / "A012.pdf" and result.saved.read_bytes() == source.read_bytes()
    assert str(result.saved) in result.message


def test_a_printer_that_is_not_installed_is_a_printer_error_naming_it(qtbot, tmp_path: Path) -> None:
    outcome = run(qtbot, lambda: deliver_pdf(slip_pdf(tmp_path), "Kiosk-TM-T88", tmp_path))
    error = outcome["error"]
    assert isinstance(error, PrinterError)
    assert "Kiosk-TM-T88" in str(error) and "printer.name" in str(error)


@pytest.mark.qt_log_ignore("QPdfWriter|QPainter::begin|Cannot open")
def test_a_printer_that_refuses_the_job_is_a_printer_error(qtbot, tmp_path: Path) -> None:
    printer = file_printer(tmp_path / "no such folder" / "out.pdf")
    outcome = run(qtbot, lambda: deliver_pdf(slip_pdf(tmp_path), "", tmp_path, printer=printer))
    assert isinstance(outcome["error"], PrinterError)
    assert "switched on" in str(outcome["error"])


def test_an_unreadable_document_is_a_printer_error(qtbot, tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really")
    outcome = run(qtbot, lambda: deliver_pdf(broken, "", tmp_path, printer=file_printer(tmp_path / "o.pdf")))
    assert isinstance(outcome["error"], PrinterError)
