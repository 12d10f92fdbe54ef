"""The counter's call panel against a real hub on loopback, driven with the keyboard alone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app.core.config import Settings
from counter_app.gui.call_panel import CallPanel
from counter_app.gui.hub_link import HubLink
from counter_app.gui.tasks import TaskRunner
from counter_app.hub.client import HubClient
from counter_app.hub.server import start_hub_in_thread
from counter_app.gui.login import login_at_hub
from counter_app.hub.client import HubClient
from counter_app.services.seed import DEMO_PASSWORD
from tests.integration.hub_devices import enrol


@pytest.fixture
def hub(seeded_db):  # type: ignore[no-untyped-def]
    kiosk_token = enrol(seeded_db, "kiosk")
    handle = start_hub_in_thread(seeded_db, Settings())
    handle.kiosk = HubClient(handle.url, kiosk_token)  # the hall's kiosk, to take tickets
    yield handle
    handle.kiosk.close()
    handle.stop()


def make_panel(qtbot, seeded_db, hub, window: int, staff_no: str):  # type: ignore[no-untyped-def]
    """A counter PC: its own device credential (a manager console, so a manager may log in
    too), its clerk logged in at the hub for ``window``."""
    tasks = TaskRunner()
    link = HubLink(hub.url, enrol(seeded_db, "manager", hub_url=hub.url), tasks)
    link.start_stream()
    session = login_at_hub(link.client)(staff_no, DEMO_PASSWORD, window)
    panel = CallPanel(link, session, window)
    panel.kiosk = hub.kiosk
    qtbot.addWidget(panel)
    panel.show()
    panel.activateWindow()
    return panel, link, tasks


@pytest.fixture
def panel(qtbot, seeded_db, hub):  # type: ignore[no-untyped-def]
    panel, link, tasks = make_panel(qtbot, seeded_db, hub, 1, "1001")
    yield panel
    tasks.wait()
    link.close()


def press(qtbot, panel, key) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(panel, key)


def test_a_full_service_with_function_keys(qtbot, panel) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: panel.window_label.text() != "", timeout=5000)
    assert not panel.buttons["call_next"].isEnabled()  # window closed
    press(qtbot, panel, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: panel.window_state == "open", timeout=5000)
    for _ in range(3):
        panel.kiosk.issue_ticket("A")
    panel.kiosk.issue_ticket("C", priority="green", priority_reason="elderly")
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 4, timeout=5000)
    assert "3" in panel.count_tiles["A"].text()
    press(qtbot, panel, Qt.Key.Key_F1)  # green channel first
    qtbot.waitUntil(lambda: panel.number.text() == "C001", timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F2)  # recall
    qtbot.waitUntil(lambda: panel.ticket and panel.ticket.call_count == 2, timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: panel.ticket and panel.ticket.state == "serving", timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: panel.ticket is None, timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F5)  # no-show
    qtbot.waitUntil(lambda: panel.ticket is None, timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: panel.number.text() == "A002", timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F6)  # hold
    qtbot.waitUntil(lambda: panel.held.rowCount() == 1, timeout=5000)
    panel.held.selectRow(0)
    press(qtbot, panel, Qt.Key.Key_F12)  # call back
    qtbot.waitUntil(lambda: panel.number.text() == "A002", timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: panel.ticket is None and panel.waiting.rowCount() == 1, timeout=5000)
    panel.waiting.selectRow(0)
    press(qtbot, panel, Qt.Key.Key_F11)  # call the selected one
    qtbot.waitUntil(lambda: panel.number.text() == "A003", timeout=5000)
    press(qtbot, panel, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: panel.window_state == "paused", timeout=5000)
    assert "暂停" in panel.window_label.text() or "Paused" in panel.window_label.text()


def test_refusals_are_shown_not_swallowed(qtbot, panel) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, panel, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: panel.window_state == "open", timeout=5000)
    panel.do_call_next()  # nobody waiting
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=5000)
    assert panel.number.text() == "—"


def test_two_counters_never_get_the_same_ticket(qtbot, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]
    first, link1, tasks1 = make_panel(qtbot, seeded_db, hub, 1, "1001")
    second, link2, tasks2 = make_panel(qtbot, seeded_db, hub, 2, "1002")
    for panel in (first, second):
        panel.do_open_close()
    qtbot.waitUntil(lambda: first.window_state == second.window_state == "open", timeout=5000)
    hub.kiosk.issue_ticket("A")
    hub.kiosk.issue_ticket("A")
    first.do_call_next()
    second.do_call_next()
    qtbot.waitUntil(lambda: first.ticket is not None and second.ticket is not None, timeout=5000)
    assert {first.number.text(), second.number.text()} == {"A001", "A002"}
    qtbot.waitUntil(lambda: first.waiting.rowCount() == 0 and second.waiting.rowCount() == 0, timeout=5000)
    for tasks, link in ((tasks1, link1), (tasks2, link2)):
        tasks.wait()
        link.close()


def test_a_hub_refusal_reads_as_a_sentence_for_the_clerk(qtbot, panel) -> None:  # type: ignore[no-untyped-def]
    press(qtbot, panel, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: panel.window_state == "open", timeout=5000)
    panel._send(HubClient.recall)  # the button is disabled without a ticket; the hub refuses as well
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=5000)
    assert panel.message.text() == "no ticket is called at window 1."


def test_a_manager_resets_the_day_and_a_clerk_cannot(qtbot, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]
    clerk_panel, link1, tasks1 = make_panel(qtbot, seeded_db, hub, 1, "1001")
    manager_panel, link2, tasks2 = make_panel(qtbot, seeded_db, hub, 2, "8001")
    assert clerk_panel.reset_button is None and manager_panel.reset_button is not None
    for _ in range(3):
        hub.kiosk.issue_ticket("A")
    qtbot.waitUntil(lambda: manager_panel.waiting.rowCount() == 3, timeout=5000)
    manager_panel.do_end_of_day_reset(confirmed=True)
    qtbot.waitUntil(lambda: manager_panel.message.text() != "", timeout=5000)
    assert "3" in manager_panel.message.text(), manager_panel.message.text()
    qtbot.waitUntil(lambda: manager_panel.waiting.rowCount() == 0 and clerk_panel.waiting.rowCount() == 0, timeout=5000)
    # the same business day never repeats a number: the next ticket goes on after the cleared ones
    assert hub.kiosk.issue_ticket("A")["ticket"]["number"] == "A004"
    with pytest.raises(Exception, match="manager"):
        link1.client.end_of_day_reset(clerk_panel.session.staff_id)
    for tasks, link in ((tasks1, link1), (tasks2, link2)):
        tasks.wait()
        link.close()


def test_transfer_to_another_window_keeps_the_ticket_for_it(qtbot, seeded_db, hub, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    first, link1, tasks1 = make_panel(qtbot, seeded_db, hub, 1, "1001")
    second, link2, tasks2 = make_panel(qtbot, seeded_db, hub, 2, "1002")
    for panel in (first, second):
        panel.do_open_close()
    qtbot.waitUntil(lambda: first.window_state == second.window_state == "open", timeout=5000)
    hub.kiosk.issue_ticket("A")
    first.do_call_next()
    qtbot.waitUntil(lambda: first.number.text() == "A001", timeout=5000)
    qtbot.waitUntil(lambda: 2 in first.other_windows, timeout=5000)
    offered: list[str] = []

    def choose_window_2(parent, title, label, items, current, editable):  # type: ignore[no-untyped-def]
        offered.extend(items)
        return next(item for item in items if "2" in item and item not in items[:len(first.services)]), True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose_window_2))
    first.do_transfer()
    qtbot.waitUntil(lambda: first.ticket is None, timeout=5000)
    assert len(offered) == len(first.services) + 1
    second.do_call_next()
    qtbot.waitUntil(lambda: second.number.text() == "A001", timeout=5000)
    for tasks, link in ((tasks1, link1), (tasks2, link2)):
        tasks.wait()
        link.close()
