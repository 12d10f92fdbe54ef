"""The status lookup of window 2 (its own database) finds an application window 1 took, from
the hub's read copy, shows where it was taken, and sends documents handed in there to window 1; with the hub
down it says other windows' applications cannot be seen now, in Chinese (pytest-qt, offscreen,
a real hub on 127.0.0.1)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from counter_app.gui.applications import install_application_pages
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.qtapp import install_translations
from counter_app.gui.tasks import TaskRunner
from tests.integration.application_split_fixtures import branch, person_form, wait_for  # noqa: F401

__all__ = ["branch"]


def test_window_2_shows_window_1s_application_forwards_documents_and_says_when_the_hub_is_down(qtbot, qapp, hall_look, branch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (one, two), state, _ = branch
    translators = install_translations(qapp, "zh_CN")
    tasks = TaskRunner()
    try:
        taken = one.service.submit(person_form(one.service, missing=("id_card", "property")), one.counter.clerk())
        assert wait_for(lambda: one.desk.pending() == 0)
        window = CounterWindow(two.counter.db, two.counter.clerk(), tasks, printer_name="")
        qtbot.addWidget(window)
        lookup = install_application_pages(window, two.counter.db, two.counter.clerk(), tasks, service=two.service).lookup
        window.tabs.setCurrentWidget(lookup)
        window.resize(1280, 800)
        window.show()
        qtbot.keyClicks(lookup.query_edit, taken.number)
        with qtbot.waitSignal(lookup.shown, timeout=5000):
            qtbot.keyClick(lookup.query_edit, Qt.Key.Key_Return)
        assert lookup.results.item(0, 5).text() == "1号窗口"
        assert "待补件" in lookup.view.status.text() and "申请人身份证" in lookup.view.next_step.text()
        assert lookup.view.taken.text().startswith("1号窗口") and "副本更新于" in lookup.view.taken.text()
        assert not lookup.hand_in.isHidden() and not lookup.print_button.isEnabled()
        assert lookup.print_button.toolTip() == "进度单请在受理该申请的1号窗口打印。"  # why it is off
        assert lookup.hand_in.title() == "现场补交资料（转交1号窗口登记）"
        missing = [lookup.view.documents.item(r, 0).text() for r in range(lookup.view.documents.rowCount())
                   if lookup.view.documents.item(r, 1).background().color() == Qt.GlobalColor.yellow]
        assert len(missing) == 2
        folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
        folder.mkdir(parents=True, exist_ok=True)
        qtbot.wait(200)
        assert window.grab().save(str(folder / "application-lookup-other-window.png"))

        lookup.hand_in_boxes["property"].setChecked(True)  # the customer brings one of the two here
        qtbot.mouseClick(lookup.hand_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: lookup.message.text().startswith("已转交1号窗口"), timeout=5000)
        assert wait_for(lambda: [d.code for d in one.service.detail(taken.number).missing] == ["id_card"])
        assert wait_for(lambda: [d.code for d in two.service.detail_anywhere(taken.number).missing] == ["id_card"])
        qtbot.mouseClick(lookup.refresh_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: list(lookup.hand_in_boxes) == ["id_card"], timeout=8000)

        state["hub"].stop()
        later = one.service.submit(person_form(one.service), one.counter.clerk())
        lookup.query_edit.clear()
        qtbot.keyClicks(lookup.query_edit, later.number)
        qtbot.keyClick(lookup.query_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "暂时查不到其他窗口受理的申请" in lookup.error.text(), timeout=8000)
        assert "未查到申请" not in lookup.error.text() and lookup.results.rowCount() == 0
        assert lookup.message.text() == ""  # nothing said of the application shown before
        qtbot.wait(100)
        assert window.grab().save(str(folder / "application-lookup-hub-down.png"))
    finally:
        tasks.wait(10_000)
        for translator in translators:
            qapp.removeTranslator(translator)
