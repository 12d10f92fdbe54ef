"""Drain of a branch's backlog after an outage (issue 9): a week offline at a busy window leaves
N payment events in a real branch database; when the link is back, the real sync engine pushes
them over real HTTP to the real head office (embedded PostgreSQL, one worker). Prints JSON: the
time to queue them, the drain time, events per second, what head office holds afterwards, and
the cost the sync adds to a payment at the window (commit time of the same payments without and
while the engine drains a backlog, in rounds that alternate so that the machine's other load falls
on both alike).

Head office runs in a process of its own, as it does in the field (``--hq thread`` runs it in this
process, where its work competes with the window's for the one interpreter lock).

    .venv/bin/python tests/perf/bench_sync_drain.py [--events 50000] [--hq process|thread] [--sync process|thread]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from counter_app.core.serving import end_process  # noqa: E402

CHUNK = 1000  # events queued per branch transaction


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda share: ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]  # noqa: E731
    return {"p50_ms": round(pick(0.5) * 1000, 2), "p99_ms": round(pick(0.99) * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2)}


def _payment_times(db: Any, paths: Any, count: int) -> list[float]:
    """``count`` prepayments at the window, each timed from the call to its commit."""
    from counter_app.domain.allocation import MethodPart
    from tests.integration.billing_fixtures import account_with_bills, clerk, counter

    c = counter(db, paths)
    who, account = clerk(c), account_with_bills(c).account_id
    times = []
    for _ in range(count):
        began = time.perf_counter()
        c.payments.take_payment(who, account, [MethodPart("cash", 10_000)], bill_ids=[])
        times.append(time.perf_counter() - began)
    return times


def _cost_at_the_window(db: Any, paths: Any, engine: Any, payments: int, template: dict[str, Any],
                        backlog: int, sync_mode: str, rounds: int = 3) -> dict[str, Any]:
    """The same payments without and with the sync draining a backlog of ``backlog`` events, in
    ``rounds`` alternating rounds. ``sync_mode``: ``process`` — the program's worker process
    (``counter-app sync --follow-parent``, as the program runs it by default); ``thread`` — the
    engine in a thread of this process (``[sync] own_process = false``)."""
    import threading

    from counter_app.services.status import sync_backlog

    if sync_mode == "process":
        from counter_app.services.sync.process import SyncProcess
    quiet: list[float] = []
    busy: list[float] = []
    left: list[int] = []
    share = max(1, payments // rounds)
    for round_no in range(rounds):
        quiet += _payment_times(db, paths, share)
        _queue(db, template, backlog, 2_000_000 + round_no * 100_000)
        queued = sync_backlog(db).pending
        stop = threading.Event()
        if sync_mode == "process":
            worker = SyncProcess(paths.root).start()
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and sync_backlog(db).pending >= queued:
                time.sleep(0.05)  # until it is pushing
        else:
            def keep_draining() -> None:
                while not stop.is_set():
                    engine.drain(max_cycles=5)

            worker = threading.Thread(target=keep_draining, daemon=True)
            worker.start()
        busy += _payment_times(db, paths, share)
        left.append(sync_backlog(db).pending)  # > 0: the backlog lasted the whole round
        if sync_mode == "process":
            worker.stop()
        else:
            stop.set()
            worker.join(120)
        engine.drain(max_cycles=10 * backlog)
    return {"payments": len(quiet), "rounds": rounds, "sync": sync_mode, "backlog_per_round": backlog,
            "pending_left_after_each_round": left, "without_sync": _percentiles(quiet),
            "while_draining": _percentiles(busy)}


class _HqProcess:
    """``python -m counter_app.hq.server`` on the benchmark's PostgreSQL, stopped by :meth:`stop`."""

    def __init__(self, url: str, folder: Path) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen([sys.executable, "-m", "counter_app.hq.server", "--data-dir", str(folder),
                                         "--database-url", url, "--listen", "127.0.0.1:0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        line = self.process.stdout.readline() if self.process.stdout else ""
        found = re.match(r"HQ LISTENING (http://\S+)", line)
        if found is None:
            self.process.kill()
            raise RuntimeError(f"head office did not start: {line!r}")
        self.url = found.group(1)

    def stop(self) -> None:
        end_process(self.process, timeout=30)


def _payment_template(db: Any, paths: Any) -> dict[str, Any]:
    """One real payment through the fee service: the payload every queued event copies."""
    from sqlalchemy import select

    from counter_app.domain.allocation import MethodPart
    from counter_app.persistence.database import unit_of_work
    from counter_app.persistence.models import OutboxEvent
    from tests.integration.billing_fixtures import account_with_bills, clerk, counter

    c = counter(db, paths)
    view = account_with_bills(c)
    paid = c.payments.take_payment(clerk(c), view.account_id, [MethodPart("cash", view.owed_fen)],
                                   bill_ids=[b.bill_id for b in view.bills], expected_due_fen=view.owed_fen)
    with unit_of_work(db.sessions) as session:
        return dict(session.scalars(select(OutboxEvent.payload).where(OutboxEvent.aggregate_id == paid.payment_id)).one())


def _queue(db: Any, template: dict[str, Any], events: int, first_seq: int) -> None:
    """``events`` more payments' events, each with ids and a receipt number of its own (from
    ``first_seq`` on, far from the numbers the real payments of the run take)."""
    from counter_app.domain.ids import new_id
    from counter_app.persistence.database import unit_of_work
    from counter_app.persistence.outbox import record_event

    base = template["receipt"]["receipt_no"].rsplit("-", 1)[0]
    start = first_seq
    for first in range(0, events, CHUNK):
        with unit_of_work(db.sessions) as session:
            for seq in range(start + first, start + min(first + CHUNK, events)):
                payload = copy.deepcopy(template)
                payload["payment"]["id"] = payment_id = new_id()
                payload["receipt"].update(id=new_id(), seq=seq, receipt_no=f"{base}-{seq:07d}")
                for row in (*payload["parts"], *payload["allocations"]):
                    row["id"] = new_id()
                record_event(session, channel="payments", event_type="payment.created", aggregate_type="payment",
                             aggregate_id=payment_id, payload=payload, node=db.node_id)


def run(events: int = 50_000, folder: Path | None = None, payments: int = 300, hq_mode: str = "process",
        sync_mode: str = "process", backlog: int = 8000) -> dict[str, Any]:
    from sqlalchemy import func, select

    from counter_app.core.config import Settings
    from counter_app.core.paths import DataPaths
    from counter_app.hq.database import open_hq_database
    from counter_app.hq.enrolment import issue_code
    from counter_app.hq.models import HQPayment, InboundEvent
    from counter_app.hq.server import start_hq_in_thread
    from counter_app.services.node import open_node_database
    from counter_app.services.seed import seed_demo
    from counter_app.services.status import sync_backlog
    from counter_app.services.sync.enrolment import enrol
    from counter_app.services.sync.worker import SyncEngine

    own = folder is None
    folder = Path(tempfile.mkdtemp(prefix="bench-drain-")) if folder is None else folder
    hq_db = open_hq_database(Settings(), folder / "hq", pool_size=4)
    hq = start_hq_in_thread(hq_db) if hq_mode == "thread" else _HqProcess(hq_db.url, folder / "hq-worker")
    try:
        paths, settings = DataPaths(folder / "branch").ensure(), Settings()
        db = open_node_database(paths, settings)
        seed_demo(db, settings, accounts=50, months=2)
        enrol(db.sessions, paths.root, hq.url, issue_code(hq_db.engine, "B001", "hub", None, 1).code)
        db.dispose()
        db = open_node_database(paths, settings)
        try:
            engine = SyncEngine(db.sessions, paths.root)
            engine.drain()  # the seed's own events and the template payment, not measured
            template = _payment_template(db, paths)
            engine.drain()
            began = time.perf_counter()
            _queue(db, template, events, 1_000_000)
            queued_s = time.perf_counter() - began
            pending = sync_backlog(db).pending
            began = time.perf_counter()
            result = engine.drain(max_cycles=10 * events)
            drain_s = time.perf_counter() - began
            cost = _cost_at_the_window(db, paths, engine, payments, template, min(events, backlog), sync_mode)
            engine.close()
            backlog = sync_backlog(db)
        finally:
            db.dispose()
        with hq_db.engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(InboundEvent)).scalar_one()
            hq_payments = connection.execute(select(func.count()).select_from(HQPayment)).scalar_one()
            applied = connection.execute(select(func.count()).select_from(InboundEvent)
                                         .where(InboundEvent.apply_status == "applied")).scalar_one()
    finally:
        hq.stop()
        hq_db.dispose()
        if own:
            shutil.rmtree(folder, ignore_errors=True)
    return {"events": events, "hq": hq_mode, "pending_before": pending, "queue_s": round(queued_s, 2), "drain_s": round(drain_s, 2),
            "events_per_s": round(pending / drain_s, 1) if drain_s else None, "result": result.status,
            "pending_after": backlog.pending, "quarantined_after": backlog.quarantined,
            "hq_inbound_events": stored, "hq_applied": applied, "hq_payments": hq_payments,
            "payment_commit_at_the_window": cost}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--payments", type=int, default=300, help="payments timed without and with the sync running")
    parser.add_argument("--hq", choices=("process", "thread"), default="process",
                        help="head office in a process of its own (as in the field) or in a thread of this one")
    parser.add_argument("--sync", choices=("process", "thread"), default="process",
                        help="for the cost at the window: the program's worker process (default) or a thread")
    parser.add_argument("--backlog", type=int, default=8000, help="events queued before each timed round")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.events, payments=args.payments, hq_mode=args.hq, sync_mode=args.sync,
                         backlog=args.backlog), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
