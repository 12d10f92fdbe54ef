"""The hall display against a real hub on loopback: it restores the hall at start, follows the
calls live with a highlight, and catches up on every call it missed while closed or cut off."""

from __future__ import annotations

from counter_app.core.config import Settings
from counter_app.gui.hall_display import DisplayOptions, HallDisplay, open_display
from tests.gui.hall_fixtures import hub  # noqa: F401



def show(qtbot, hub, **options) -> HallDisplay:  # type: ignore[no-untyped-def]
    display = open_display(hub.link(), Settings(), DisplayOptions(**options))
    qtbot.addWidget(display)
    display.resize(1920, 1080)
    display.show()
    qtbot.waitUntil(lambda: display.feed.ready and display.feed.link.online, timeout=5000)
    return display


def recent(display: HallDisplay) -> list[tuple[str, str]]:
    return [(number.text(), window.text()) for number, window in display.recent_rows if number.text()]


def waiting(display: HallDisplay) -> dict[str, str]:
    return {letter: label.text() for letter, label in display.waiting_rows.items()}


def test_display_restores_the_hall_at_start(qtbot, hub, zh) -> None:  # type: ignore[no-untyped-def]
    hub.open(1, 3, 5)
    hub.issue("A", 5)
    hub.issue("B", 2)
    for window in (1, 3, 5):
        hub.call(window)
    display = show(qtbot, hub)
    assert display.now_number.text() == "B001"
    assert display.now_window.text() == "请到 5 号窗口"
    assert recent(display) == [("A002", "3号窗口"), ("A001", "1号窗口")]
    assert waiting(display) == {"A": "3 人", "B": "1 人", "C": "0 人", "D": "0 人"}
    assert not display.flashing  # nothing new: the restored call is not flashed


def test_a_new_call_shows_at_once_with_a_highlight_that_ends(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(2)
    hub.issue("A", 3)
    display = show(qtbot, hub, flash_seconds=1.0)
    assert display.now_number.text() == "—"
    hub.call(2)
    qtbot.waitUntil(lambda: display.now_number.text() == "A001", timeout=5000)
    assert display.flashing
    assert display.now_window.text() == display.window_text(2)
    assert waiting(display)["A"] == display.tr("{count} waiting").format(count=2)
    qtbot.waitUntil(lambda: not display.flashing, timeout=5000)
    assert display.now_panel.property("flash") is False
    hub.call(2)
    qtbot.waitUntil(lambda: display.now_number.text() == "A002", timeout=5000)
    assert [number for number, _ in recent(display)] == ["A001"]
    hub.client.recall(2, hub.hall.clerk(2))
    qtbot.waitUntil(lambda: display.flashing, timeout=5000)
    assert display.now_number.text() == "A002"
    assert [number for number, _ in recent(display)] == ["A001"]  # a recall is not listed twice


def test_a_closed_service_says_so(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.configure_service("D", active=False)
    display = show(qtbot, hub)
    assert waiting(display)["D"] == display.tr("Closed")
    assert display.waiting_rows["D"].property("closed") is True


def test_a_restarted_display_catches_up_on_missed_calls(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(1, 4)
    hub.issue("A", 6)
    hub.call(1)
    first = show(qtbot, hub)
    qtbot.waitUntil(lambda: first.now_number.text() == "A001", timeout=5000)
    first.feed.link.close()
    first.close()
    hub.call(4)
    hub.call(1)
    hub.issue("B", 1)
    second = show(qtbot, hub)
    assert second.now_number.text() == "A003"
    assert [number for number, _ in recent(second)] == ["A002", "A001"]
    assert second.feed.model.seq == hub.client.health()["seq"]


def test_calls_made_while_the_network_was_down_arrive_after_it_returns(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(3, 7)
    hub.issue("A", 4)
    hub.issue("C", 2)
    display = show(qtbot, hub)
    hub.stop()
    qtbot.waitUntil(lambda: display.offline.isVisible(), timeout=5000)
    queue = hub.offline_queue()  # the hub's own queue, writing its log while no client can see it
    queue.call_next(3, hub.hall.clerk(3))
    queue.call_next(7, hub.hall.clerk(7))
    queue.call_next(3, hub.hall.clerk(3))
    hub.restart()
    qtbot.waitUntil(lambda: display.now_number.text() == "A002", timeout=15000)
    qtbot.waitUntil(lambda: not display.offline.isVisible(), timeout=5000)
    assert [number for number, _ in recent(display)] == ["C001", "A001"]
    assert display.feed.model.waiting_counts() == {"A": 2, "B": 0, "C": 1, "D": 0}
    assert display.feed.model.seq == hub.client.health()["seq"]


def test_a_display_started_before_the_hub_waits_for_it(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(2)
    hub.issue("A", 2)
    hub.call(2)
    hub.stop()
    display = open_display(hub.link(), Settings(), DisplayOptions())
    qtbot.addWidget(display)
    display.show()
    qtbot.wait(300)
    assert not display.feed.ready and display.now_window.text() == display.tr("Connecting to the queue server…")
    hub.restart()
    qtbot.waitUntil(lambda: display.now_number.text() == "A001", timeout=10000)
    hub.call(2)
    qtbot.waitUntil(lambda: display.now_number.text() == "A002", timeout=10000)


def test_a_finished_call_leaves_now_calling(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: the display kept 正在呼叫 C001 minutes after C001 was finished."""
    hub.open(1, 2)
    hub.issue("C", 1)
    display = show(qtbot, hub, flash_seconds=0.5)
    hub.call(1)
    qtbot.waitUntil(lambda: display.now_number.text() == "C001", timeout=5000)
    hub.client.finish(1, hub.hall.clerk(1))
    qtbot.waitUntil(lambda: display.now_number.text() == "—", timeout=5000)
    assert display.now_window.text() == display.tr("Please wait for your number")
    assert [number for number, _ in recent(display)] == ["C001"]  # still listed among the last calls
    hub.issue("A", 1)
    hub.call(2)
    qtbot.waitUntil(lambda: display.now_number.text() == "A001", timeout=5000)
    hub.client.start_service(2, hub.hall.clerk(2))  # the customer came to the window: no longer called
    qtbot.waitUntil(lambda: display.now_number.text() == "—", timeout=5000)
    assert [number for number, _ in recent(display)] == ["A001", "C001"]
