"""The kiosk clicked through against a real hub: services with their queues, a ticket printed on
a PDF-file printer, the slip on screen when the printer fails or is missing, 绿色通道, refusals
for a closed service or a full day, and the way back to the start."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.kiosk import Kiosk, KioskOptions, open_kiosk
from counter_app.gui.tasks import TaskRunner
from tests.gui.hall_fixtures import hub  # noqa: F401


def file_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def tasks():  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    yield runner
    runner.wait()


def show(qtbot, hub, tmp_path: Path, tasks, printer_out: Path | None = None, **options) -> Kiosk:  # type: ignore[no-untyped-def]
    make_printer = (lambda: file_printer(printer_out)) if printer_out else None
    kiosk = open_kiosk(hub.link(), Settings(), DataPaths(tmp_path / "data").ensure(), tasks, KioskOptions(**options),
                       make_printer=make_printer)
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.waitUntil(lambda: kiosk.feed.ready and kiosk.feed.link.online and kiosk.buttons["A"].isEnabled(), timeout=5000)
    return kiosk


def tap(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_services_show_their_queues_and_a_closed_one_cannot_be_taken(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    hub.configure_service("D", active=False)
    hub.open(1, 2)
    hub.issue("A", 4)
    kiosk = show(qtbot, hub, tmp_path, tasks)
    assert list(kiosk.buttons) == ["A", "B", "C", "D"]
    assert kiosk.buttons["A"].name.text() == "缴费"
    assert kiosk.buttons["A"].queue.text() == kiosk.buttons["A"].tr("{count} waiting · about {minutes} min").format(
        count=4, minutes=10)
    assert kiosk.buttons["B"].queue.text() == kiosk.buttons["B"].tr("No one waiting")
    assert not kiosk.buttons["D"].isEnabled()
    assert kiosk.buttons["D"].queue.text() == kiosk.buttons["D"].tr("Not taking tickets at the moment")
    hub.issue("B", 2)  # another kiosk
    qtbot.waitUntil(lambda: "2" in kiosk.buttons["B"].queue.text(), timeout=5000)


def test_a_ticket_is_issued_and_printed(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "printer.pdf"
    hub.issue("A", 2)
    kiosk = show(qtbot, hub, tmp_path, tasks, printer_out=out)
    tap(qtbot, kiosk.buttons["A"])
    qtbot.waitUntil(lambda: kiosk.delivered is not None, timeout=10000)
    assert kiosk.answer_title.text() == kiosk.tr("Please take your ticket")
    assert not kiosk.slip.isVisible()
    assert "A003" in kiosk.slip.text() and "您前面还有 2 人在等待" in kiosk.slip.text()
    document = QPdfDocument()
    document.load(str(out))
    assert document.pageCount() == 1 and document.pagePointSize(0).width() == pytest.approx(80 * 72 / 25.4, abs=1.5)
    document.close()
    assert not kiosk.last_slip.exists()  # printed: no PDF left behind
    assert hub.client.ticket("A003")["state"] == "waiting"
    qtbot.waitUntil(lambda: kiosk.feed.model.waiting("A") == 3, timeout=5000)


@pytest.mark.qt_log_ignore("QPdfWriter|QPainter::begin|Cannot open")
def test_when_the_printer_fails_the_slip_is_shown_on_screen(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    kiosk = show(qtbot, hub, tmp_path, tasks, printer_out=tmp_path / "missing folder" / "printer.pdf")
    tap(qtbot, kiosk.buttons["C"])
    qtbot.waitUntil(lambda: kiosk.slip.isVisible(), timeout=10000)
    assert kiosk.delivered is None
    assert kiosk.answer_title.property("tone") == "bad"
    assert "C001" in kiosk.slip.text() and "过号无效，请重新取号" in kiosk.slip.text()


def test_without_a_printer_the_slip_is_shown_and_kept_as_pdf(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    kiosk = show(qtbot, hub, tmp_path, tasks, notice="过号请重新取号，谢谢合作")
    tap(qtbot, kiosk.buttons["B"])
    qtbot.waitUntil(lambda: kiosk.delivered is not None, timeout=10000)
    assert kiosk.slip.isVisible() and "B001" in kiosk.slip.text() and "过号请重新取号，谢谢合作" in kiosk.slip.text()
    assert kiosk.delivered.saved == kiosk.last_slip and kiosk.last_slip.exists()
    assert kiosk.last_slip.parent == tmp_path / "data" / "receipts" / "tickets"


def test_green_channel_gives_a_priority_ticket(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    hub.issue("A", 3)
    kiosk = show(qtbot, hub, tmp_path, tasks)
    tap(qtbot, kiosk.green_button)
    assert kiosk.page == "green"
    tap(qtbot, kiosk.green_page.buttons["elderly"])
    assert kiosk.page == "home" and kiosk.green_reason == "elderly" and kiosk.banner.isVisible()
    tap(qtbot, kiosk.buttons["A"])
    qtbot.waitUntil(lambda: kiosk.delivered is not None, timeout=10000)
    assert "绿色通道" in kiosk.slip.text() and "您前面暂无等候" in kiosk.slip.text()
    assert hub.client.ticket("A004")["priority"] == "green"
    tap(qtbot, kiosk.done_button)
    assert kiosk.page == "home" and kiosk.green_reason == ""  # the next customer starts plain


def test_a_service_at_its_daily_cap_is_refused_in_plain_words(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    hub.configure_service("C", daily_cap=1)
    kiosk = show(qtbot, hub, tmp_path, tasks)
    tap(qtbot, kiosk.buttons["C"])
    qtbot.waitUntil(lambda: kiosk.delivered is not None, timeout=10000)
    tap(qtbot, kiosk.done_button)
    qtbot.waitUntil(lambda: not kiosk.buttons["C"].isEnabled(), timeout=5000)
    assert kiosk.buttons["C"].queue.text() == kiosk.buttons["C"].tr("All of today's tickets are taken")
    kiosk.take("C")  # as if tapped on a screen that had not heard yet: the hub refuses (409)
    qtbot.waitUntil(lambda: kiosk.answer_title.text() == kiosk.tr("No ticket issued"), timeout=5000)
    assert "咨询" in kiosk.answer_text.text() and kiosk.answer_title.property("tone") == "bad"


def test_a_closed_service_refused_by_the_hub_says_so(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    hub.configure_service("D", active=False)
    kiosk = show(qtbot, hub, tmp_path, tasks)
    kiosk.take("D")
    qtbot.waitUntil(lambda: kiosk.answer_title.text() == kiosk.tr("No ticket issued"), timeout=5000)
    assert kiosk.answer_text.text() == kiosk.tr(
        "{service} is not taking tickets at the moment. Please ask at the information desk.").format(service="过户更名")


def test_answer_pages_go_back_to_the_start_by_themselves(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    kiosk = show(qtbot, hub, tmp_path, tasks, return_seconds=1)
    tap(qtbot, kiosk.buttons["A"])
    qtbot.waitUntil(lambda: kiosk.page == "answer" and kiosk.delivered is not None, timeout=10000)
    qtbot.waitUntil(lambda: kiosk.page == "home", timeout=5000)


def test_with_the_hub_gone_the_kiosk_says_so_and_issues_nothing(qtbot, hub, tmp_path, tasks) -> None:  # type: ignore[no-untyped-def]
    kiosk = show(qtbot, hub, tmp_path, tasks)
    hub.stop()
    qtbot.waitUntil(lambda: not kiosk.buttons["A"].isEnabled(), timeout=5000)
    assert kiosk.banner.isVisible() and kiosk.banner.property("tone") == "bad"
    kiosk.take("A")
    qtbot.waitUntil(lambda: kiosk.answer_title.text() == kiosk.tr("No ticket issued"), timeout=10000)
    hub.restart()
    qtbot.waitUntil(lambda: kiosk.buttons["A"].isEnabled(), timeout=15000)


def test_a_kiosk_started_with_the_hub_down_says_what_to_do(qtbot, hub, tmp_path, tasks, zh) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: with the hub down the kiosk filled the screen with the green-channel button,
    which did nothing when tapped."""
    hub.stop()
    kiosk = open_kiosk(hub.link(), Settings(), DataPaths(tmp_path / "data").ensure(), tasks, KioskOptions())
    qtbot.addWidget(kiosk)
    kiosk.resize(1080, 1920)
    kiosk.show()
    qtbot.wait(300)
    assert not kiosk.green_button.isVisible()  # nothing offered that cannot work
    assert kiosk.prompt.text() == "暂时无法取号"
    assert kiosk.banner.isVisible() and kiosk.banner.property("tone") == "bad"
    assert "工作人员" in kiosk.banner.text()  # what the customer should do
    assert kiosk.banner.height() > kiosk.height() // 5  # the message fills the screen, not a button
    hub.restart()
    qtbot.waitUntil(lambda: "A" in kiosk.buttons and kiosk.buttons["A"].isEnabled(), timeout=15000)
    assert kiosk.green_button.isVisible() and kiosk.prompt.text() == "请选择办理业务"
    assert not kiosk.banner.isVisible()
