"""The evaluator at a counter with its own database, beside a real hub on another database
(pytest-qt, offscreen), with the evaluator's own device credential: the clerk's finish reaches
the evaluator over the hub's event stream, the hub opens the request from its own ticket, and the
customer's tap is stored at the hub (the queue's authority), once; a finish at another window
asks nothing here; no tap in time is stored as not rated."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from counter_app.domain.errors import NotAllowed
from counter_app.domain.timeutil import utcnow
from counter_app.gui.evaluator import Evaluator, open_evaluator
from counter_app.gui.tasks import TaskRunner
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Rating
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.node import NodeDatabase
from counter_app.services.quality import QualityService
from tests.gui.hall_fixtures import RunningHub, hub  # noqa: F401
from tests.integration.quality_fixtures import Clock
from tests.integration.queue_fixtures import evaluator_token
from tests.integration.rating_split_fixtures import COUNTER, SCREEN, counter_database, tickets_in


class Counter:
    """The counter PC: its own database, its quality service on a clock the test may move, and
    the evaluator of window 1 following the hub's events."""

    def __init__(self, root: Path, hub: RunningHub, clerk_id: str | None) -> None:  # noqa: F811
        self.db: NodeDatabase = counter_database(root)[0]
        self.clock = Clock(utcnow())
        self.quality = QualityService(self.db, COUNTER, clock=self.clock)
        self.tasks = TaskRunner()
        self.hub_node = hub.node
        self.link = hub.link(evaluator_token(1))  # the evaluator's own credential, never the counter's
        evaluator = open_evaluator(self.db, COUNTER, self.tasks, window=1, clerk_id=clerk_id,
                                   hub_events=self.link.event, quality=self.quality, hub=self.link.client)
        assert evaluator is not None and evaluator.window is not None
        self.evaluator: Evaluator = evaluator

    def ratings(self) -> list[Rating]:
        """The ratings at the hub, where they are taken."""
        with unit_of_work(self.hub_node.sessions) as session:
            return list(session.scalars(select(Rating)))

    def requests(self) -> list[RatingRequest]:
        with unit_of_work(self.hub_node.sessions) as session:
            return list(session.scalars(select(RatingRequest)))

    def pending(self) -> object:
        return self.link.client.pending_rating(1)

    def close(self) -> None:
        self.evaluator.close()
        self.tasks.wait()
        self.db.dispose()


@pytest.fixture
def counter(qtbot, qapp, tmp_path: Path, hub: RunningHub) -> Iterator[Counter]:  # noqa: F811
    c = Counter(tmp_path / "counter", hub, hub.hall.clerk(1))  # the clerk logged in at this counter
    qtbot.addWidget(c.evaluator.window)
    c.link.start_stream()
    yield c
    c.close()


def serve(hub: RunningHub, window: int) -> None:  # noqa: F811
    hub.open(window)
    hub.issue("A")
    hub.call(window)
    hub.client.start_service(window, hub.hall.clerk(window))


def finish_and_ask(qtbot, hub: RunningHub,  # type: ignore[no-untyped-def]  # noqa: F811
                   counter: Counter) -> dict[str, Any]:
    serve(hub, 1)
    with qtbot.waitSignal(counter.evaluator.controller.asking, timeout=10_000):
        finished = hub.client.finish(1, hub.hall.clerk(1))
    return finished["ticket"]


def test_a_finish_at_the_hub_is_rated_at_the_hub_not_in_the_counters_database(qtbot, hub: RunningHub,  # noqa: F811
                                                                    counter: Counter) -> None:
    view = counter.evaluator.window
    assert view is not None
    ticket = finish_and_ask(qtbot, hub, counter)
    assert view.page == "asking" and counter.evaluator.controller.current.ticket_number == ticket["number"]
    with qtbot.waitSignal(counter.evaluator.controller.finished, timeout=5000) as ended:
        qtbot.mouseClick(view.level_buttons[4], Qt.MouseButton.LeftButton)
    assert ended.args == [True, ticket["number"]]
    [rating] = counter.ratings()
    assert (rating.ticket_id, rating.ticket_number, rating.level, rating.device) == (ticket["id"], "A001", 4, SCREEN)
    assert (rating.window_id, rating.clerk_id) == (hub.hall.windows[1], hub.hall.clerk(1))
    assert rating.service_id == hub.hall.services["A"] and rating.called_at is not None
    assert rating.node_id == hub.node.node_id != counter.db.node_id
    assert tickets_in(counter.db) == 0  # the ticket stayed the hub's
    with unit_of_work(counter.db.sessions) as session:
        assert session.scalars(select(Rating)).all() == []  # nothing rated on the counter's side

    # a second rating of the same service: the event again (a replay after a reconnect) asks nothing,
    # a second tap counts for nothing, and the service refuses outright
    done = next(e for e in hub.client.events()["events"] if e["kind"] == "done" and e["ticket_id"] == ticket["id"])
    counter.evaluator.on_hub_event(done)
    qtbot.mouseClick(view.level_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.wait(700)
    assert view.page != "asking" and counter.pending() is None
    with pytest.raises(NotAllowed, match="rated once"):
        counter.link.client.ask_rating(1, done["ticket_id"])
    assert [(r.ticket_id, r.level) for r in counter.ratings()] == [(ticket["id"], 4)]


def test_a_finish_at_another_window_never_asks_here(qtbot, hub: RunningHub, counter: Counter) -> None:  # noqa: F811
    serve(hub, 2)
    with qtbot.waitSignal(counter.link.event, timeout=10_000,
                          check_params_cb=lambda event: event.kind == "done" and event.window == 2):
        hub.client.finish(2, hub.hall.clerk(2))
    qtbot.wait(700)  # time for a request, had one been made, and for the evaluator's poll
    assert counter.evaluator.window.page == "idle"
    assert counter.pending() is None and counter.requests() == [] and counter.ratings() == []


def test_no_tap_in_time_stores_not_rated_at_the_hub(qtbot, hub: RunningHub,  # noqa: F811
                                                                 counter: Counter) -> None:
    view = counter.evaluator.window
    ticket = finish_and_ask(qtbot, hub, counter)
    qtbot.waitUntil(lambda: " s left" in view.ticket_line.text(), timeout=3000)  # no translator installed here
    asked = counter.evaluator.controller.current
    counter.clock.now = asked.expires_at + timedelta(seconds=1)  # the hub's 30 s, as this PC's clock sees them
    with qtbot.waitSignal(counter.evaluator.controller.finished, timeout=5000) as ended:
        pass
    assert ended.args == [False, ticket["number"]]
    assert view.page == "idle"
    [rating] = counter.ratings()
    assert (rating.ticket_id, rating.level, rating.rated_at) == (ticket["id"], None, None)
    qtbot.mouseClick(view.level_buttons[5], Qt.MouseButton.LeftButton)  # too late: nothing happens
    qtbot.wait(300)
    assert [r.level for r in counter.ratings()] == [None]


def test_an_evaluator_of_its_own_learns_the_clerk_from_the_hubs_events(qtbot, qapp, tmp_path: Path,  # noqa: F811
                                                                      hub: RunningHub) -> None:  # noqa: F811
    """The evaluator role has nobody logged in: the hub's window_opened says who works window 1
    (its database has no window state either), and that clerk's finish asks."""
    c = Counter(tmp_path / "pad", hub, clerk_id=None)
    qtbot.addWidget(c.evaluator.window)
    try:
        c.link.start_stream()
        view = c.evaluator.window
        assert view is not None
        serve(hub, 1)
        qtbot.waitUntil(lambda: view.clerk_name.text() == "营业员1", timeout=10_000)
        assert c.evaluator.controller.window_clerk == hub.hall.clerk(1)
        with qtbot.waitSignal(c.evaluator.controller.asking, timeout=10_000):
            hub.client.finish(1, hub.hall.clerk(1))
        with qtbot.waitSignal(c.evaluator.controller.finished, timeout=5000):
            qtbot.mouseClick(view.level_buttons[5], Qt.MouseButton.LeftButton)
        assert [(r.level, r.clerk_id) for r in c.ratings()] == [(5, hub.hall.clerk(1))]
        hub.client.close_window(1, hub.hall.clerk(1))
        qtbot.waitUntil(lambda: c.evaluator.controller.window_clerk is None, timeout=10_000)
    finally:
        c.close()
