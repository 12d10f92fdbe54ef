"""A branch whose two counters keep their own databases, each taking connection applications
and reporting them to a real hub on 127.0.0.1 in the background (:class:`ApplicationReporter`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from counter_app.core.paths import DataPaths
from counter_app.hub.server import start_hub_in_thread
from counter_app.services.applications import ApplicationDesk, ApplicationReporter, ApplicationService
from tests.integration.hub_devices import enrol
from tests.integration.split_fixtures import SplitCounter, open_counter
from tests.integration.test_applications_service import PERSON_ID, person_form

__all__ = ["PERSON_ID", "ApplicationCounter", "branch", "person_form", "wait_for"]


@dataclass
class ApplicationCounter:
    counter: SplitCounter
    service: ApplicationService
    reporter: ApplicationReporter

    @property
    def desk(self) -> ApplicationDesk:
        return self.reporter.desk


def wait_for(check: Callable[[], Any], seconds: float = 5.0) -> Any:
    """``check()``'s first truthy answer, asked every 0.05 s for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer or time.monotonic() > deadline:
            return answer
        time.sleep(0.05)


@pytest.fixture
def branch(seeded_db, settings, tmp_path):  # type: ignore[no-untyped-def]
    """(counters at windows 1 and 2, the hub state {"hub": handle}, restart()): the hub in a thread."""
    tokens = {w: enrol(seeded_db, "counter", w) for w in (1, 2)}
    state = {"hub": start_hub_in_thread(seeded_db, settings)}
    port = state["hub"].port
    counters = []
    for w in (1, 2):
        folder = tmp_path / f"counter{w}"
        counter = open_counter(folder, w, seeded_db.path, state["hub"].url, tokens[w])
        service = ApplicationService(counter.db, DataPaths(folder))
        reporter = ApplicationReporter(ApplicationDesk(service.ctx, counter.client), interval=0.3).start()
        counters.append(ApplicationCounter(counter, service.report_to(reporter), reporter))

    def restart() -> None:
        state["hub"] = start_hub_in_thread(seeded_db, settings, port=port)

    yield counters, state, restart
    for c in counters:
        c.reporter.stop()
    state["hub"].stop()
    for c in counters:
        c.counter.close()
