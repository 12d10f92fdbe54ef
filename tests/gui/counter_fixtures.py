"""A counter as the program opens it (Hall: login, call panel, fee and other pages, evaluator)
against a real hub on the same seeded database, on loopback. Each counter PC has its own device
credentials, as an installation has them: its counter, its evaluator and its window screen,
all bound to its window; the hall's kiosk (``hub.kiosk``) takes the tickets."""

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
from tests.integration.hub_devices import enrol

#: a counter PC's devices: purpose (as ``Hall.link_for`` asks) -> the device role enrolled
COUNTER_PC = {"counter": "counter", "evaluator": "evaluator", "screen": "display"}


@pytest.fixture
def hub(seeded_db):  # type: ignore[no-untyped-def]
    kiosk_token = enrol(seeded_db, "kiosk")
    handle = start_hub_in_thread(seeded_db, Settings())
    handle.kiosk = HubClient(handle.url, kiosk_token)  # the hall's kiosk: takes tickets, reads the state
    yield handle
    handle.kiosk.close()
    handle.stop()


def make_hall(qtbot, seeded_db, hub, window: int, role: str = "demo") -> Hall:  # type: ignore[no-untyped-def]
    """The program on the counter PC of ``window``, its login dialog shown (``role="counter"``: a
    counter on its own database, which logs staff in on cached credentials when the hub is down)."""
    tasks = TaskRunner()
    links = {purpose: HubLink(hub.url, enrol(seeded_db, role, window, hub_url=hub.url), tasks)
             for purpose, role in COUNTER_PC.items()}
    for link in links.values():
        link.start_stream()
    hall = Hall(Settings(role=role, window=window), DataPaths(seeded_db.path.parent), seeded_db, tasks, links["counter"],
                links=links)
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
        hall.tasks.wait()
        for link in hall.links.values():
            link.close()


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
    """Window ``number`` as the hub says now (read with the kiosk's credential)."""
    return next(w for w in hub.kiosk.state()["windows"] if w["number"] == number)


def clerk_at_window(qtbot, halls: list[Hall], seeded_db, hub, staff_no: str = "1001",  # type: ignore[no-untyped-def]
                    window: int = 1, waiting: int = 0) -> tuple[Hall, CounterWindow]:
    """A counter logged in with its window open under ``staff_no``, ``waiting`` tickets of A taken."""
    hall = make_hall(qtbot, seeded_db, hub, window)
    halls.append(hall)
    counter = log_in(qtbot, hall, staff_no)
    qtbot.waitUntil(lambda: counter.call_panel.seat.mine, timeout=5000)
    for _ in range(waiting):
        hub.kiosk.issue_ticket("A")
    return hall, counter
