"""Issue 13: no logout or switch of clerk; a window opened by a clerk stayed open across a
restart and nobody else could use it, while the panel showed 窗口已开启 with live buttons; the
window screen kept showing 1001 while the evaluator showed the manager. The real counter (Hall,
login, call panel, evaluator, window screen) against a real hub on loopback, offscreen."""

from __future__ import annotations

import shiboken6

from counter_app.hub.client import HubClient
from counter_app.services.devices import DeviceRegistry
from counter_app.services.seed import DEMO_PASSWORD
from tests.gui.counter_fixtures import (  # noqa: F401
    clerk_at_window, evaluator_of, halls, hub, log_in, make_hall, window_state,
)
from tests.integration.hub_devices import enrol


def hub_sessions(seeded_db, window: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The staff numbers with a staff session still open at the hub for ``window``."""
    return [s.staff_no for _hash, s in DeviceRegistry(seeded_db).active_sessions() if s.window == window]


def test_log_out_hands_the_window_over_and_every_screen_shows_the_next_clerk(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]
    hall = make_hall(qtbot, seeded_db, hub, 1)
    halls.append(hall)
    screen = hall.open_window_screen(1, full_screen=False)
    qtbot.addWidget(screen)
    counter = log_in(qtbot, hall, "1001")
    panel = counter.call_panel
    qtbot.waitUntil(lambda: panel.window_state == "open" and panel.seat.mine, timeout=5000)  # opened at login
    qtbot.waitUntil(lambda: screen.clerk_name.text() == "李娜", timeout=5000)
    assert hall.link is not None
    assert hub_sessions(seeded_db, 1) == ["1001"]
    hub.kiosk.issue_ticket("A")
    panel.do_call_next()
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)

    counter.log_out()
    qtbot.waitUntil(lambda: hall.login.isVisible(), timeout=5000)  # type: ignore[attr-defined]
    assert counter not in hall.windows
    qtbot.waitUntil(lambda: not shiboken6.isValid(counter), timeout=5000)  # gone, with its call panel
    closed = window_state(hub, 1)
    assert (closed["state"], closed["clerk_id"]) == ("closed", None)
    assert hall.link.client.ticket("A001")["state"] == "held"  # kept for the window, not lost
    assert hub_sessions(seeded_db, 1) == []  # logged out at the hub too: 1001's session ended
    qtbot.waitUntil(lambda: screen.state == "closed" and screen.clerk_name.text() == "", timeout=5000)

    manager = log_in(qtbot, hall, "8001")
    qtbot.waitUntil(lambda: manager.call_panel.seat.mine, timeout=5000)
    qtbot.waitUntil(lambda: screen.clerk_name.text() == "孙建国", timeout=5000)
    qtbot.waitUntil(lambda: evaluator_of(hall).window.clerk_name.text() == "孙建国", timeout=5000)
    assert manager.call_panel.held.rowCount() == 1  # the held A001 can be called back


def test_a_window_left_open_says_by_whom_and_a_manager_force_closes_it(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]
    with HubClient(hub.url, enrol(seeded_db, "counter", 1, hub_url=hub.url)) as client:  # 李娜's PC
        clerk = client.login("1001", DEMO_PASSWORD, 1)
        client.open_window(1, clerk["staff_id"])  # and it died with the window open
    hall = make_hall(qtbot, seeded_db, hub, 1)
    halls.append(hall)
    counter = log_in(qtbot, hall, "1002")
    panel = counter.call_panel
    qtbot.waitUntil(lambda: panel.seat.taken, timeout=5000)
    assert panel.window_label.text() == "其他营业员开着此窗口：李娜 1001"
    assert not any(b.isEnabled() for b in panel.buttons.values())  # nothing that would only be refused
    assert "1001" in panel.message.text()
    # the evaluator shows who holds the window, as the window screen does (it showed the one logged in)
    qtbot.waitUntil(lambda: evaluator_of(hall).window.clerk_name.text() == "李娜", timeout=5000)

    boss_hall = make_hall(qtbot, seeded_db, hub, 2)
    halls.append(boss_hall)
    boss = log_in(qtbot, boss_hall, "8001")
    assert boss.call_panel.force_close_button is not None and panel.force_close_button is None
    boss.call_panel.do_force_close(1, "  ")
    qtbot.waitUntil(lambda: boss.call_panel.message.text() != "", timeout=5000)
    assert window_state(hub, 1)["state"] == "open"  # no reason, nothing closed
    boss.call_panel.do_force_close(1, "李娜的电脑坏了")
    qtbot.waitUntil(lambda: panel.window_state == "closed", timeout=5000)
    assert panel.buttons["open_close"].isEnabled()
    panel.do_open_close()
    qtbot.waitUntil(lambda: panel.seat.mine, timeout=5000)


def test_quitting_the_program_closes_the_window(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub, waiting=1)
    panel = counter.call_panel
    assert hall.link is not None
    panel.do_call_next()
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)
    counter.close()
    hall.tasks.wait()  # as the program does after its event loop ended: no more callbacks
    assert window_state(hub, 1)["state"] == "closed"
    assert hall.link.client.ticket("A001")["state"] == "held"
    assert hub_sessions(seeded_db, 1) == []  # and the clerk's staff session at the hub ended
