"""The window states and tickets a queue service keeps in memory between transactions
(``store.RowCache``) stay right: after another writer of the same database (another process,
a restarted hub, the thread path) changed them, after a batch that was rolled back, and for
two calls at one window in one batch (no ticket called twice, none left open)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest

from counter_app.domain.errors import NotAllowed
from counter_app.services.node import NodeDatabase
from counter_app.services.queue import QueueService, QueueSettings
from counter_app.services.queue.runner import Job
from tests.integration.queue_fixtures import Hall, hall_database

START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Asia/Shanghai


class Clock:
    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> datetime:
        self.at += timedelta(milliseconds=1)
        return self.at


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[tuple[NodeDatabase, Hall]]:
    node, hall = hall_database(tmp_path)
    yield node, hall
    node.dispose()


def _service(node: NodeDatabase, clock: Clock) -> QueueService:
    return QueueService(node.sessions, "B001", QueueSettings(reset_enabled=False), node_id=node.node_id, clock=clock)


def test_another_writer_changes_what_this_one_keeps(hall: tuple[NodeDatabase, Hall]) -> None:
    node, h = hall
    clock = Clock()
    mine, other = _service(node, clock), _service(node, clock)
    clerk = h.clerk(1)
    mine.open_window(1, clerk)
    first, second = mine.issue_ticket("A").ticket, mine.issue_ticket("A").ticket
    assert mine.call_next(1, clerk).ticket.id == first.id  # window 1 and A001 now kept by `mine`
    other.no_show(1, clerk)  # the other writer: A001 did not come, window 1 has nothing called
    with pytest.raises(NotAllowed) as refused:
        mine.finish(1, clerk)
    assert refused.value.code == "window_nothing_called"
    assert mine.ticket(first.id).state == "no_show"
    assert mine.call_next(1, clerk).ticket.id == second.id
    other.recall(1, clerk)
    recalled = mine.recall(1, clerk)  # counts on from the other writer's recall, not from what it kept
    assert (recalled.ticket.recall_count, recalled.ticket.call_count) == (2, 3)
    restarted = _service(node, clock)  # a hub started again: keeps nothing yet, reads the database
    assert restarted.finish(1, clerk).ticket.state == "done"
    with pytest.raises(NotAllowed):
        mine.finish(1, clerk)
    assert [e.kind for e in mine.events_since(0)][-5:] == ["no_show", "called", "recalled", "recalled", "done"]
    for service in (mine, other, restarted):
        service.close()


def test_a_rolled_back_batch_leaves_nothing_kept(hall: tuple[NodeDatabase, Hall]) -> None:
    node, h = hall
    queue = _service(node, Clock())
    clerk = h.clerk(1)
    queue.open_window(1, clerk)
    first = queue.issue_ticket("A").ticket
    queue.issue_ticket("A")

    def broken() -> None:
        queue._run(lambda tx: 1 / 0)

    call = Job(queue.prepare(queue.call_next, 1, clerk))
    queue.execute([call, Job(queue.prepare(broken))])  # rolled back; the call then runs again alone
    assert call.error is None and call.result.ticket.id == first.id
    assert queue.finish(1, clerk).ticket.id == first.id
    assert queue.call_next(1, clerk).ticket.number == "A002"
    called = [e.ticket_id for e in queue.events_since(0) if e.kind == "called"]
    assert len(called) == len(set(called)) == 2
    queue.close()


def test_two_calls_at_one_window_in_one_batch(hall: tuple[NodeDatabase, Hall]) -> None:
    """The second call sees the first's window (kept from its write): the first ticket is
    finished, the second called, nobody called twice."""
    from counter_app.hub.writer import LoopWriter

    node, h = hall
    queue = _service(node, Clock())
    clerk = h.clerk(1)
    queue.open_window(1, clerk)
    issued = [queue.issue_ticket("A").ticket for _ in range(3)]

    async def scenario() -> list[object]:
        writer = LoopWriter(queue, max_batch=64)
        try:
            return list(await asyncio.gather(*(writer.submit(queue.call_next, 1, clerk) for _ in range(2))))
        finally:
            writer.close()

    before = queue.committed_batches
    one, two = asyncio.run(scenario())
    assert queue.committed_batches == before + 1  # both in one transaction
    assert (one.ticket.id, two.ticket.id) == (issued[0].id, issued[1].id)  # type: ignore[attr-defined]
    assert queue.ticket(issued[0].id).state == "done"
    assert queue.ticket(issued[1].id).state == "called"
    assert queue.ticket(issued[2].id).state == "waiting"
    assert queue.finish(1, clerk).ticket.id == issued[1].id
    called = [e.ticket_id for e in queue.events_since(0) if e.kind == "called"]
    assert len(called) == len(set(called)) == 2
