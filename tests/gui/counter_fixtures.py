"""A counter as the program opens it (Hall: login, call panel, fee and other pages, evaluator)
against a real hub on the same seeded database, on loopback."""

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
from counter_app.hub.client import HubClient
from counter_app.hub.server import start_hub_in_thread
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
    with HubClient(hub.url, Settings().hub.token) as client:
        return next(w for w in client.state()["windows"] if w["number"] == number)


def clerk_at_window(qtbot, halls: list[Hall], seeded_db, hub, staff_no: str = "1001",  # type: ignore[no-untyped-def]
                    window: int = 1, waiting: int = 0) -> tuple[Hall, CounterWindow]:
    """A counter logged in with its window open under ``staff_no``, ``waiting`` tickets of A taken."""
    hall = make_hall(qtbot, seeded_db, hub, window)
    halls.append(hall)
    counter = log_in(qtbot, hall, staff_no)
    qtbot.waitUntil(lambda: counter.call_panel.seat.mine, timeout=5000)
    assert hall.link is not None
    for _ in range(waiting):
        hall.link.client.issue_ticket("A")
    return hall, counter
