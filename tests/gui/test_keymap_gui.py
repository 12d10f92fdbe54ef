"""Issue 13: F-keys changed meaning between tabs: F1 did nothing on 收费, F5 and F12 meant one
thing on 收费 and another on 叫号. Now F1–F12 are the queue's on every tab, page actions are on
Ctrl, and the map is on screen. The real counter against a real hub, offscreen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter_app.gui.fees.page import FeePage
from tests.gui.counter_fixtures import clerk_at_window, halls, hub  # noqa: F401


def press(qtbot, key: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    qtbot.keyClick(QApplication.focusWidget(), key)


def test_f_keys_call_on_the_fee_tab_and_the_map_is_on_screen(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub, waiting=1)
    panel = counter.call_panel
    assert hall.link is not None
    fees = next(counter.tabs.widget(i) for i in range(counter.tabs.count())
                if isinstance(counter.tabs.widget(i), FeePage))
    counter.tabs.setCurrentWidget(fees)
    counter.activateWindow()
    qtbot.waitUntil(lambda: fees.search.edit.hasFocus(), timeout=5000)
    press(qtbot, Qt.Key.Key_F1)  # call next, from the fee tab
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)
    press(qtbot, Qt.Key.Key_F5)  # no-show, as on the call panel (it used to mean 冲正 here)
    qtbot.waitUntil(lambda: panel.ticket is None, timeout=5000)
    assert hall.link.client.ticket("A001")["state"] == "no_show"
    assert counter.tabs.currentWidget() is fees and QApplication.activeModalWidget() is None
    strip = counter.key_strip.text()
    assert counter.key_strip.isVisible()
    for part in ("F1</b>&nbsp;叫号", "F5</b>&nbsp;过号", "F12</b>&nbsp;回呼挂起号", "Ctrl+F</b>&nbsp;查找",
                 "Ctrl+D</b>&nbsp;冲正", "Ctrl+L</b>&nbsp;注销"):
        assert part in strip
    counter.tabs.setCurrentWidget(panel)
    assert "Ctrl+D" not in counter.key_strip.text()  # only this tab's own keys besides the F-keys
