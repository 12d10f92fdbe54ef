"""Issue 13: cramped tables, 19 px drop-down rows and small text. Every tab of the manager's
counter at the smaller screen of the hall (1366×768), in the program's own font and style: no
drop-down row a finger can miss, no text under 14 px, no button or label cut, no list wider than
its place."""

from __future__ import annotations

from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTableWidget, QWidget

from tests.gui.counter_fixtures import clerk_at_window, halls, hub  # noqa: F401


def problems(page: QWidget) -> list[tuple[str, str, int]]:
    found = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page):
            continue
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
        if text and QFontInfo(widget.font()).pixelSize() < 14:
            found.append(("small text", text[:20], QFontInfo(widget.font()).pixelSize()))
        if isinstance(widget, QAbstractButton) and text and widget.width() < widget.sizeHint().width() - 2:
            found.append(("cut button", text[:20], widget.width()))
        if isinstance(widget, QComboBox) and widget.count() and widget.view().sizeHintForRow(0) < 30:
            found.append(("drop-down row", widget.currentText()[:20], widget.view().sizeHintForRow(0)))
        if isinstance(widget, QTableWidget) and widget.horizontalScrollBar().isVisible():
            found.append(("list wider than its place", widget.horizontalHeaderItem(0).text(), widget.width()))
    return found


def test_every_tab_fits_a_1366_by_768_screen(qtbot, hall_look, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]
    _hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub, "8001")
    counter.resize(1366, 768)
    # maximised on a 1366×768 screen under a 40 px taskbar and a 30 px title bar: no tab may make it taller
    assert counter.minimumSizeHint().height() <= 768 - 40 - 30, counter.minimumSizeHint()
    assert (counter.width(), counter.height()) == (1366, 768)
    found = {}
    for index in range(counter.tabs.count()):
        counter.tabs.setCurrentIndex(index)
        qtbot.wait(150)
        page_problems = problems(counter)
        if page_problems:
            found[counter.tabs.tabText(index)] = page_problems
    assert found == {}
