"""Issue 13: no logout or switch of clerk; a window opened by a clerk stayed open across a
restart and nobody else could use it, while the panel showed 窗口已开启 with live buttons; the
window screen kept showing 1001 while the evaluator showed the manager. The real counter (Hall,
login, call panel, evaluator, window screen) against a real hub on loopback, offscreen."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.application import make_login
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.evaluator import Evaluator
from counter_app.gui.hub_link import HubLink
from counter_app.gui.roles import Hall
from counter_app.gui.tasks import TaskRunner
from counter_app.hub.server import start_hub_in_thread
from counter_app.services.auth import AuthService
from counter_app.services.seed import DEMO_PASSWORD


@pytest.fixture
def hub(seeded_db):  # type: ignore[no-untyped-def]
    handle = start_hub_in_thread(seeded_db, Settings())
    yield handle
    handle.stop()


def make_hall(qtbot, seeded_db, hub, window: int) -> Hall:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    link = HubLink(hub.url, Settings().hub.token, tasks)
    link.start_stream()
    hall = Hall(Settings(window=window), DataPaths(seeded_db.path.parent), seeded_db, tasks, link)
    hall.login = make_login(hall)  # type: ignore[attr-defined]
    qtbot.addWidget(hall.login)  # type: ignore[attr-defined]
    hall.login.show()  # type: ignore[attr-defined]
    return hall


@pytest.fixture
def halls(qtbot, zh, seeded_db, hub) -> Iterator[list[Hall]]:  # type: ignore[no-untyped-def]
    made: list[Hall] = []
    yield made
    for hall in made:
        for thing in list(hall.windows):
            getattr(thing, "close")()
        assert hall.link is not None
        hall.tasks.wait()
        hall.link.close()


def log_in(qtbot, hall: Hall, staff_no: str) -> CounterWindow:  # type: ignore[no-untyped-def]
    login = hall.login  # type: ignore[attr-defined]
    with qtbot.waitSignal(login.logged_in, timeout=5000):
        qtbot.keyClicks(login.staff_no, staff_no)
        qtbot.keyClicks(login.password, DEMO_PASSWORD)
        qtbot.keyClick(login.password, Qt.Key.Key_Return)
    return [w for w in hall.windows if isinstance(w, CounterWindow)][-1]


def evaluator_of(hall: Hall) -> Evaluator:
    return [w for w in hall.windows if isinstance(w, Evaluator)][-1]


def window_state(hub, number: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from counter_app.hub.client import HubClient
    with HubClient(hub.url, Settings().hub.token) as client:
        return next(w for w in client.state()["windows"] if w["number"] == number)


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
    hall.link.client.issue_ticket("A")
    panel.do_call_next()
    qtbot.waitUntil(lambda: panel.number.text() == "A001", timeout=5000)

    counter.log_out()
    qtbot.waitUntil(lambda: hall.login.isVisible(), timeout=5000)  # type: ignore[attr-defined]
    assert not counter.isVisible()
    closed = window_state(hub, 1)
    assert (closed["state"], closed["clerk_id"]) == ("closed", None)
    assert hall.link.client.ticket("A001")["state"] == "held"  # kept for the window, not lost
    qtbot.waitUntil(lambda: screen.state == "closed" and screen.clerk_name.text() == "", timeout=5000)

    manager = log_in(qtbot, hall, "8001")
    qtbot.waitUntil(lambda: manager.call_panel.seat.mine, timeout=5000)
    qtbot.waitUntil(lambda: screen.clerk_name.text() == "孙建国", timeout=5000)
    qtbot.waitUntil(lambda: evaluator_of(hall).window.clerk_name.text() == "孙建国", timeout=5000)
    assert manager.call_panel.held.rowCount() == 1  # the held A001 can be called back


def test_a_window_left_open_says_by_whom_and_a_manager_force_closes_it(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]
    staff = {s.staff_no: s.staff_id for s in (AuthService(seeded_db).login(n, DEMO_PASSWORD, None)
                                              for n in ("1001",))}
    from counter_app.hub.client import HubClient
    with HubClient(hub.url, Settings().hub.token) as client:
        client.open_window(1, staff["1001"])  # 李娜's PC died with the window open
    hall = make_hall(qtbot, seeded_db, hub, 1)
    halls.append(hall)
    counter = log_in(qtbot, hall, "1002")
    panel = counter.call_panel
    qtbot.waitUntil(lambda: panel.seat.taken, timeout=5000)
    assert panel.window_label.text() == "其他营业员开着此窗口：李娜 1001"
    assert not any(b.isEnabled() for b in panel.buttons.values())  # nothing that would only be refused
    assert "1001" in panel.message.text()

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
    hall = make_hall(qtbot, seeded_db, hub, 1)
    halls.append(hall)
    counter = log_in(qtbot, hall, "1001")
    qtbot.waitUntil(lambda: counter.call_panel.seat.mine, timeout=5000)
    counter.close()
    hall.tasks.wait()
    assert window_state(hub, 1)["state"] == "closed"
