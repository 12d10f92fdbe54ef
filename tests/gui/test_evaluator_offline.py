"""The evaluator at a counter with its own database when the hub goes down between asking and the
customer's tap (pytest-qt, offscreen, a real hub over HTTP, stopped and started again): the
customer is thanked as usual, the rating is the counter's (in its own database, with its event),
the clerk's status bar says it was recorded offline, and once the hub is back it is told the
request was answered at the counter: the hub stores no rating and no "not rated" of its own."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import select

from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import OutboxEvent, Rating
from counter_app.persistence.models.quality import RatingRequest
from tests.gui.hall_fixtures import RunningHub, hub  # noqa: F401
from tests.gui.test_evaluator_split import Counter, counter, finish_and_ask  # noqa: F401


def _at_counter(counter: Counter) -> tuple[list[Any], list[Any], list[Any]]:  # noqa: F811
    with unit_of_work(counter.db.sessions) as session:
        ratings = [(r.ticket_id, r.level, r.node_id) for r in session.scalars(select(Rating))]
        requests = [(r.id, r.state) for r in session.scalars(select(RatingRequest))]
        events = [e.event_type for e in session.scalars(select(OutboxEvent).where(OutboxEvent.aggregate_type == "rating"))]
    return ratings, requests, events


def test_a_tap_while_the_hub_is_down_is_thanked_and_recorded_at_the_counter(qtbot, hub: RunningHub,  # noqa: F811
                                                                           counter: Counter) -> None:  # noqa: F811
    view = counter.evaluator.window
    assert view is not None
    ticket = finish_and_ask(qtbot, hub, counter)
    asked = counter.evaluator.controller.current
    hub.stop()
    with qtbot.waitSignal(counter.evaluator.controller.recorded_offline, timeout=10_000) as offline:
        qtbot.mouseClick(view.level_buttons[5], Qt.MouseButton.LeftButton)
    assert offline.args == [True, ticket["number"]]
    assert view.page == "thanks"  # the customer sees nothing of the hub's trouble
    assert "offline" in counter.evaluator.status[0] and counter.evaluator.status[1] == "warn"
    assert _at_counter(counter) == ([(ticket["id"], 5, counter.db.node_id)], [(asked.id, "offline")], ["rating.recorded"])

    hub.restart()  # the evaluator's next poll tells the hub
    qtbot.waitUntil(lambda: [(r.id, r.state) for r in counter.requests()] == [(asked.id, "at_counter")], timeout=15_000)
    assert counter.ratings() == []  # the hub records nothing of that service: it is the counter's rating
    qtbot.waitUntil(lambda: _at_counter(counter)[1] == [(asked.id, "rated")], timeout=5000)
