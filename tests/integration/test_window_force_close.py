"""Issue 13: a window left open by a clerk (gone home, PC restarted) blocked everyone else. A
manager force-closes it with a reason; a ticket still open there is held for that window."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hub.server import start_hub_in_thread
from counter_app.services.node import NodeDatabase
from counter_app.services.queue import QueueService
from tests.integration.queue_fixtures import Hall, HallClient, hall_database, hub_settings


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[tuple[NodeDatabase, Hall]]:
    node, hall = hall_database(tmp_path)
    yield node, hall
    node.dispose()


def test_a_manager_force_closes_a_window_and_its_ticket_is_held(hall: tuple[NodeDatabase, Hall]) -> None:
    node, h = hall
    q = QueueService(node.sessions, "B001", node_id=node.node_id)
    q.open_window(1, h.clerk(1))
    q.issue_ticket("A")
    called = q.call_next(1, h.clerk(1)).ticket
    assert called is not None
    with pytest.raises(NotAllowed, match="only a manager"):
        q.force_close_window(1, h.clerk(2), "clerk went home")
    with pytest.raises(InvalidInput) as caught:
        q.force_close_window(1, h.manager, "   ")
    assert caught.value.field == "reason"
    result = q.force_close_window(1, h.manager, "李娜 went home without logging out")
    assert (result.window.state, result.window.clerk_id, result.window.current) == ("closed", None, None)
    assert q.ticket(called.number).state == "held"
    closed = [e for e in result.events if e.kind == "window_closed"]
    assert closed and closed[0].data["forced"] is True
    assert closed[0].data["reason"] == "李娜 went home without logging out"
    assert closed[0].data["previous_clerk_id"] == h.clerk(1)
    # another clerk can now open it and call the held ticket back
    q.open_window(1, h.clerk(2))
    back = q.call_back(1, h.clerk(2), called.number)
    assert back.ticket is not None and back.ticket.state == "called"
    # closing a closed window changes nothing
    assert q.force_close_window(3, h.manager, "nobody there").events == ()


def test_force_close_over_http(hall: tuple[NodeDatabase, Hall]) -> None:
    node, h = hall
    handle = start_hub_in_thread(node, hub_settings())
    try:
        with HallClient(handle.url, h) as client:  # each clerk logs in at the hub for the window
            client.open_window(2, h.clerk(2))
            with pytest.raises(InvalidInput) as caught:
                client.force_close_window(2, h.manager, "")
            assert caught.value.field == "reason"
            with pytest.raises(NotAllowed, match="manager"):
                client.force_close_window(2, h.clerk(1), "I want it")
            answer = client.force_close_window(2, h.manager, "PC died")
            assert answer["window"]["state"] == "closed"
            client.open_window(2, h.clerk(1))  # no longer "open under another clerk"
    finally:
        handle.stop()
