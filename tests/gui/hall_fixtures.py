"""A real hub on loopback for the hall's screens: a seeded branch (tests/integration/queue_fixtures)
served from a thread on a free port, a synchronous client to play the counters, and HubLinks
for the screens under test."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select

from counter_app.gui.hub_link import HubLink
from counter_app.gui.tasks import TaskRunner
from counter_app.hub.server import HubHandle, start_hub_in_thread
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Service
from counter_app.services.node import NodeDatabase
from counter_app.services.queue import QueueService
from tests.integration.queue_fixtures import BRANCH_CODE, KIOSK_TOKEN, Hall, HallClient, hall_database, hub_settings


@dataclass
class RunningHub:
    root: Path
    node: NodeDatabase
    hall: Hall
    handle: HubHandle
    client: HallClient
    links: list[tuple[HubLink, TaskRunner]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.handle.url

    def link(self, token: str = KIOSK_TOKEN) -> HubLink:
        """A HubLink as a screen holds one (the kiosk's credential unless given); closed when the test ends."""
        tasks = TaskRunner()
        link = HubLink(self.url, token, tasks)
        self.links.append((link, tasks))
        return link

    def open(self, *windows: int) -> None:
        for window in windows:
            self.client.open_window(window, self.hall.clerk(window))

    def call(self, window: int) -> dict:
        return self.client.call_next(window, self.hall.clerk(window))

    def issue(self, service: str, count: int = 1, priority: str = "normal") -> list[dict]:
        return [self.client.issue_ticket(service, priority) for _ in range(count)]

    def stop(self) -> None:
        self.handle.stop()

    def restart(self) -> None:
        """Serve the same database again on the same port (a hub restart)."""
        self.handle = start_hub_in_thread(self.node, hub_settings(port=self.handle.port), port=self.handle.port)

    def configure_service(self, letter: str, **fields: object) -> None:
        """Change a service as head office would (active, daily_cap ...); the hub restarts to see it."""
        self.stop()
        with unit_of_work(self.node.sessions) as session:
            service = session.scalars(select(Service).where(Service.letter == letter)).one()
            for name, value in fields.items():
                setattr(service, name, value)
        self.restart()

    def offline_queue(self) -> QueueService:
        """The queue over the hub's database, for changes made while the hub is down."""
        return QueueService(self.node.sessions, BRANCH_CODE, node_id=self.node.node_id)

    def close(self) -> None:
        for link, tasks in self.links:
            link.close()
            tasks.wait()
        self.client.close()
        self.handle.stop()
        self.node.dispose()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[RunningHub]:
    node, hall = hall_database(tmp_path / "hub")
    handle = start_hub_in_thread(node, hub_settings())
    running = RunningHub(tmp_path / "hub", node, hall, handle, HallClient(handle.url, hall))
    yield running
    running.close()
