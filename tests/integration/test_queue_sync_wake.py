"""A queue operation wakes the sync worker of its own process, as any other outbox write does.

The queue writes its outbox event with plain SQL on its own connection; the wake-up after a commit
that wrote outbox events (``persistence.outbox.on_commit``, SYNC.md c.6) once fired only for
sessions, so with ``[sync] own_process = false`` a hub's ticket waited for the worker's timer."""

from __future__ import annotations

import asyncio
import dataclasses
import time

import pytest
from sqlalchemy import select

from counter_app.hub.writer import LoopWriter
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Branch, Service
from counter_app.services.queue import QueueService
from counter_app.services.sync.worker import SyncThread
from tests.integration.sync_fixtures import FAST, engine_for, hq, node  # noqa: F401


def _wait(condition, timeout: float) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end and not condition():
        time.sleep(0.02)


@pytest.mark.parametrize("path", ["thread", "hub-loop"])
def test_a_ticket_wakes_the_idle_worker_of_this_process(node, hq, path: str) -> None:  # noqa: F811
    """The worker's timer is an hour and it does not poll the outbox: only the commit can wake it."""
    options = dataclasses.replace(FAST, interval_s=3600.0, debounce_s=0.1)
    worker = SyncThread(engine_for(node, options), outbox_poll_s=3600.0, in_process=True).start()
    try:
        _wait(lambda: worker.cycles >= 1, 15.0)
        assert worker.cycles == 1
        with unit_of_work(node.sessions) as session:
            branch = session.scalars(select(Branch.code)).first()
            letter = session.scalars(select(Service.letter).order_by(Service.letter)).first()
        queue = QueueService(node.sessions, branch, node_id=node.node_id)
        if path == "thread":
            queue.issue_ticket(letter)
        else:  # the hub's: operations on the event loop, the commit on a thread of its own
            writer = LoopWriter(queue, max_batch=8)
            try:
                asyncio.run(writer.submit(queue.issue_ticket, letter))
            finally:
                writer.close()
        _wait(lambda: worker.cycles >= 2, 5.0)
        assert worker.cycles >= 2, "the ticket's outbox event waited for the worker's timer"
    finally:
        worker.stop()
