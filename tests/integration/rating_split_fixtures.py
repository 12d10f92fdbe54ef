"""A branch as it is really deployed: the hub on its own database owns the queue, and the counter
(with its evaluator) on another database holds the same reference data but no tickets.

Both databases are copies of the same seeded template (tests/integration/queue_fixtures), so
staff, windows and services have the same ids on both; the counter's copy gets its own node
identity, as an enrolled counter has."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from counter_app.core.config import EvaluatorSettings, Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Ticket
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.quality import QualityService
from counter_app.services.queue import QueueService, TicketView
from tests.integration.quality_fixtures import Clock
from tests.integration.queue_fixtures import BRANCH_CODE, Hall, hall_database, hub_settings

SCREEN = "screen:W01"
COUNTER = Settings(role="counter", window=1, branch=hub_settings().branch,
                   evaluator=EvaluatorSettings(mode="screen", timeout_seconds=30))


def counter_database(root: Path, settings: Settings = COUNTER) -> tuple[NodeDatabase, Hall]:
    """The counter's own database: the hall's reference data, its own node id, no tickets."""
    node, hall = hall_database(root)
    node.dispose()
    raw = sqlite3.connect(DataPaths(root).database)
    with raw:
        raw.execute("DELETE FROM node_identity")
    raw.close()
    return open_node_database(DataPaths(root), settings), hall


def tickets_in(db: NodeDatabase) -> int:
    with unit_of_work(db.sessions) as session:
        return session.scalar(select(func.count()).select_from(Ticket)) or 0


def wire(event: Any) -> dict[str, Any]:
    """A queue event as the hub's stream delivers it: JSON, times as ISO 8601 text."""
    return json.loads(json.dumps(event.to_json()))


@dataclass
class SplitHall:
    """The hub's queue on one database, the counter's quality service on another, one clock."""

    hub_db: NodeDatabase
    queue: QueueService
    counter_db: NodeDatabase
    quality: QualityService
    hall: Hall
    clock: Clock

    def clerk(self, window: int) -> str:
        return self.hall.clerk(window)

    def serve(self, window: int = 1, seconds: float = 90) -> TicketView:
        """Through the hub's queue: open, issue, call, serve ``seconds`` and finish."""
        clerk = self.clerk(window)
        opened = self.queue.open_window(window, clerk)
        self.queue.issue_ticket(opened.window.services[0])
        self.queue.call_next(window, clerk)
        self.queue.start_service(window, clerk)
        self.clock.advance(seconds=seconds)
        done = self.queue.finish(window, clerk).ticket
        assert done is not None and done.state == "done"
        return done

    def events(self, ticket_id: str, kind: str) -> list[dict[str, Any]]:
        """The hub's events of ``kind`` for a ticket, as the stream carries them."""
        return [wire(e) for e in self.queue.events_since(0) if e.ticket_id == ticket_id and e.kind == kind]

    def done(self, ticket_id: str) -> dict[str, Any]:
        return self.events(ticket_id, "done")[-1]

    def call(self, ticket_id: str) -> dict[str, Any]:
        return self.events(ticket_id, "called")[-1]

    def close(self) -> None:
        self.hub_db.dispose()
        self.counter_db.dispose()


def split_hall(root: Path, start: datetime | None = None) -> SplitHall:
    clock = Clock(start or utcnow())
    hub_db, hall = hall_database(root / "hub")
    counter_db, _ = counter_database(root / "counter")
    queue = QueueService(hub_db.sessions, BRANCH_CODE, node_id=hub_db.node_id, clock=clock)
    return SplitHall(hub_db, queue, counter_db, QualityService(counter_db, COUNTER, clock=clock), hall, clock)
