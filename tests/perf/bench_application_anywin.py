"""Applications at any window (split mode), timed on real parts: a hub on 127.0.0.1 in a thread,
two counters with their own SQLite files.

    PYTHONPATH=$PWD .venv/bin/python tests/perf/bench_application_anywin.py [visible] [lookups]   # defaults 30 200

Prints, as JSON, median and p99 in ms of: an application taken at window 1 until window 2's
lookup finds it (the background reporter kicked by the commit, window 2 asking every 10 ms);
window 2's lookup by number of window 1's application (own database, then the hub); the same
lookup at window 1 of its own application (own database plus the hub's answer that it has no
other) against the plain local lookup; window 2's detail from the hub's copy; and the size of
one copy on the wire."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Callable

from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.hub.server import start_hub_in_thread
from counter_app.persistence.models import Application
from counter_app.services.applications import ApplicationDesk, ApplicationReporter, ApplicationService
from counter_app.services.node import open_node_database
from counter_app.services.seed import seed_demo
from tests.integration.hub_devices import enrol
from tests.integration.split_fixtures import open_counter
from tests.integration.test_applications_service import person_form
from tests.perf.stats_util import percentile


def _timed(action: Callable[[], object], n: int) -> dict[str, float]:
    spent = []
    for _ in range(n):
        began = time.perf_counter()
        action()
        spent.append((time.perf_counter() - began) * 1000)
    return {"median_ms": round(median(spent), 2), "p99_ms": round(percentile(spent, 99), 2), "n": n}


def main(visible: int = 30, lookups: int = 200) -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix="anywin-bench-"))
    hub_db = open_node_database(DataPaths(root / "hub").ensure(), Settings())
    seed_demo(hub_db, Settings(), accounts=300, months=1)
    tokens = {w: enrol(hub_db, "counter", w) for w in (1, 2)}
    hub = start_hub_in_thread(hub_db, Settings())
    counters, services, reporters = [], [], []
    for w in (1, 2):
        counter = open_counter(root / f"counter{w}", w, hub_db.path, hub.url, tokens[w])
        service = ApplicationService(counter.db, DataPaths(root / f"counter{w}"))
        reporter = ApplicationReporter(ApplicationDesk(service.ctx, counter.client)).start()
        counters.append(counter), services.append(service.report_to(reporter)), reporters.append(reporter)
    try:
        one, two = services
        clerk = counters[0].clerk()
        until_seen = []
        for _ in range(visible):
            began = time.perf_counter()
            number = one.submit(person_form(one, missing=("id_card",)), clerk).number
            deadline = began + 10
            while not any(h.number == number for h in two.lookup_anywhere(number).hits):
                assert time.perf_counter() < deadline, "not seen at window 2 within 10 s"
                time.sleep(0.01)
            until_seen.append((time.perf_counter() - began) * 1000)
        with counters[0].db.sessions() as session:
            application_id = session.scalar(select(Application.id).where(Application.number == number))
        copy = reporters[0].desk.copy_of(application_id)
        figures: dict[str, object] = {
            "taken_at_1_until_found_at_2": {"median_ms": round(median(until_seen), 1),
                                            "p99_ms": round(percentile(until_seen, 99), 1), "n": visible},
            "lookup_at_2_of_window_1s_number": _timed(lambda: two.lookup_anywhere(number), lookups),
            "lookup_at_1_of_its_own_number_local_then_hub": _timed(lambda: one.lookup_anywhere(number), lookups),
            "lookup_at_1_of_its_own_number_local_only": _timed(lambda: one.lookup(number), lookups),
            "detail_at_2_from_the_hubs_copy": _timed(lambda: two.detail_anywhere(number), lookups),
            "detail_at_1_own": _timed(lambda: one.detail(number), lookups),
            "copy_bytes": len(json.dumps(copy.model_dump(mode="json"), ensure_ascii=False).encode()) if copy else 0,
        }
    finally:
        for reporter in reporters:
            reporter.stop()
        hub.stop()
        for counter in counters:
            counter.close()
        hub_db.dispose()
    return figures


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(json.dumps(main(*args), indent=2))
