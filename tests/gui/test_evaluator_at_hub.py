"""The evaluator with a credential of its own rates through the hub (pytest-qt, offscreen, a real
hub on loopback): the finish reaches it over the stream, the hub opens the request from its own
ticket, and the customer's tap is stored in the hub's database, from ``screen:W01``. A finish at
another window asks nothing here."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select

from counter_app.gui.evaluator import Evaluator, open_evaluator
from counter_app.gui.tasks import TaskRunner
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Rating
from counter_app.services.quality import QualityService
from tests.gui.hall_fixtures import RunningHub, hub  # noqa: F401
from tests.integration.queue_fixtures import evaluator_token
from tests.integration.rating_split_fixtures import COUNTER, counter_database


@pytest.fixture
def evaluator(qtbot, qapp, tmp_path: Path, hub: RunningHub) -> Iterator[Evaluator]:  # noqa: F811
    db = counter_database(tmp_path / "counter")[0]  # the evaluator PC's own database: names and photos only
    tasks = TaskRunner()
    link = hub.link(evaluator_token(1))
    opened = open_evaluator(db, COUNTER, tasks, window=1, hub_events=link.event, hub=link.client,
                            quality=QualityService(db, COUNTER))
    assert opened is not None and opened.window is not None
    qtbot.addWidget(opened.window)
    link.start_stream()
    yield opened
    opened.close()
    tasks.wait()
    db.dispose()


def serve(hub: RunningHub, window: int) -> None:  # noqa: F811
    hub.open(window)
    hub.issue("A")
    hub.call(window)
    hub.client.start_service(window, hub.hall.clerk(window))


def hub_ratings(hub: RunningHub) -> list[Rating]:  # noqa: F811
    with unit_of_work(hub.node.sessions) as session:
        return list(session.scalars(select(Rating)))


def test_a_tap_is_stored_at_the_hub_against_its_own_ticket(qtbot, hub: RunningHub,  # noqa: F811
                                                            evaluator: Evaluator) -> None:
    serve(hub, 1)
    with qtbot.waitSignal(evaluator.controller.asking, timeout=10_000) as asked:
        ticket = hub.client.finish(1, hub.hall.clerk(1))["ticket"]
    request = asked.args[0]
    assert (request.ticket_id, request.device, request.clerk_id) == (ticket["id"], "screen:W01", hub.hall.clerk(1))
    with qtbot.waitSignal(evaluator.controller.finished, timeout=10_000) as done:
        assert evaluator.controller.submit(5)
    assert done.args == [True, ticket["number"]]
    [rating] = hub_ratings(hub)
    assert (rating.ticket_id, rating.level, rating.device) == (ticket["id"], 5, "screen:W01")


def test_a_finish_at_another_window_asks_nothing_here(qtbot, hub: RunningHub,  # noqa: F811
                                                       evaluator: Evaluator) -> None:
    serve(hub, 2)
    hub.client.finish(2, hub.hall.clerk(2))
    qtbot.wait(1500)
    assert evaluator.controller.current is None and hub_ratings(hub) == []
