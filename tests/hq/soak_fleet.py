"""Part two of the soak: ``nodes`` counters, each enrolled for real (its own SQLite file, its own
credential and terminal code: branches F001, F002 ... of ``windows`` windows each), each holding
``payments`` offline payments taken through the real fee service on a fake clock, reconnect to
head office at the same moment (``workers`` processes, a thread per node). Printed: the drain
time (first start to the last node fully acknowledged), head office's CPU seconds and share over
it (/proc/<pid>/stat), PostgreSQL's CPU and its most client backends, push latency p50/p99, every
answer's status (429/503 included) and the retries; then exactly-once at head office for all of
them (per (terminal, business day) count, sum and event-id hash, and sync_checks.check_drained)."""

from __future__ import annotations

import multiprocessing
from contextlib import nullcontext
import resource
import threading
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select

from counter_app.domain.allocation import MethodPart
from counter_app.domain.timeutil import utcnow
from counter_app.hq.database import make_engine
from counter_app.hq.refdata import api
from counter_app.persistence.models import CustomerAccount
from counter_app.services.auth import AuthService
from counter_app.services.billing.payments import PaymentService
from counter_app.services.node import open_node_database
from counter_app.core.paths import DataPaths
from counter_app.services.seed import DEMO_PASSWORD
from tests.hq.pg import new_database
from tests.hq.refdata_fixtures import account, password_hash
from tests.hq.soak_checks import compare
from tests.perf.stats_util import cpu_seconds, percentile
from tests.hq.soak_world import (BusinessClock, HeadOfficeProcess, counter_settings, data_directory,
                                 enrolled_counter, issue, migrated_template, postgres_load, sync_until_drained)

STAFF = "5001"


@dataclass(frozen=True)
class FleetFigures:
    nodes: int = 100
    payments: int = 300  # each node's offline backlog
    workers: int = 4  # processes; 0: threads of this process (the smoke)
    windows: int = 25  # per branch
    days: int = 3  # fake days the backlog is spread over


@dataclass(frozen=True)
class Spec:
    folder: str
    window: int
    hq_url: str
    code: str
    payments: int
    days: int
    template: str


def publish_fleet(hq_engine: Any, branches: list[str], windows: int) -> None:
    for branch in branches:
        api.upsert_branch(hq_engine, code=branch, name=f"营业厅 {branch}", utility_name="示范水务", by="soak")
        api.upsert_service(hq_engine, branch, code="payment", letter="A", name_zh="缴费", name_en="Payments", by="soak")
        for number in range(1, windows + 1):
            api.upsert_window(hq_engine, branch, number=number, name=f"{number}号窗口", services=["payment"], by="soak")
        numbers = [f"9{branch[1:]}{i:05d}" for i in range(1, 6)]
        api.upsert_accounts_and_bills(hq_engine, branch, accounts=[account(no) for no in numbers], by="soak")
    api.upsert_staff(hq_engine, staff_no=STAFF, name="钱多多", role="clerk", password_hash=password_hash(DEMO_PASSWORD),
                     branches=branches, by="soak")


def prepare(spec: Spec) -> str:
    """Enrol one node, pull its snapshot, take its offline backlog; its node id."""
    folder = Path(spec.folder)
    db = enrolled_counter(folder, spec.hq_url, spec.code, spec.window, Path(spec.template))
    try:
        clock = BusinessClock(first_day=utcnow().date() + timedelta(days=1))
        clock.set(0)
        clerk = AuthService(db, clock=clock).login(STAFF, DEMO_PASSWORD, spec.window)
        service = PaymentService(db, counter_settings(spec.window), clock=clock)
        with db.sessions() as session:
            accounts = list(session.scalars(select(CustomerAccount.id).order_by(CustomerAccount.account_no)))
        for n in range(spec.payments):
            clock.set(n * spec.days // max(1, spec.payments), (n % 97 + 0.5) / 97)
            service.take_payment(clerk, accounts[n % len(accounts)], [MethodPart("cash", 100 + n % 5000)], bill_ids=[])
        return db.node_id
    finally:
        db.dispose()


def reconnect(folders: list[str], barrier: Any) -> list[dict[str, Any]]:
    """Open these nodes, wait at ``barrier`` for the other processes (None: alone), then sync them
    all at once, a thread each."""
    dbs = [open_node_database(DataPaths(Path(f)), counter_settings(1)) for f in folders]
    results: list[dict[str, Any]] = [{} for _ in dbs]

    def run(i: int) -> None:
        try:
            drained = sync_until_drained(dbs[i], seed=i)
            results[i] = {"node_id": dbs[i].node_id, "started": drained.started, "finished": drained.finished,
                          "steps": drained.steps, "retries": drained.retries, "statuses": drained.wire.statuses,
                          "push_s": drained.wire.push_s, "failures": drained.wire.failures}
        except Exception as error:  # reported, and the check after it fails
            results[i] = {"node_id": dbs[i].node_id, "error": repr(error)}

    threads = [threading.Thread(target=run, args=(i,), name=f"node-{i}") for i in range(len(dbs))]
    if barrier is not None:
        barrier.wait(600)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(3600)
    for db in dbs:
        db.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return [{**r, "client_cpu_s": (usage.ru_utime + usage.ru_stime) / len(dbs)} for r in results]


def _run_all(workers: int, function: Any, jobs: list[Any], sample: Any = None) -> list[Any]:
    if workers == 0:
        out: list[Any] = []
        box = threading.Thread(target=lambda: out.extend(function(*job) if isinstance(job, tuple) else function(job)
                                                         for job in jobs))
        box.start()
        while box.is_alive():
            if sample:
                sample()
            box.join(0.25)
        return out
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pending = pool.starmap_async(function, jobs) if isinstance(jobs[0], tuple) else pool.map_async(function, jobs)
        while not pending.ready():
            if sample:
                sample()
            pending.wait(0.25)
        return pending.get()


def run_fleet(pg_uri: str, folder: Path, figures: FleetFigures, log: Any = print) -> dict[str, Any]:
    hq_url = new_database(pg_uri, "fleet")
    hq_engine = make_engine(hq_url, pool_size=2)
    hq = HeadOfficeProcess(hq_url, folder / "hq")
    branches = [f"F{b + 1:03d}" for b in range((figures.nodes + figures.windows - 1) // figures.windows)]
    try:
        publish_fleet(hq_engine, branches, figures.windows)
        hq.start()
        template = str(migrated_template(folder / "template" / "empty.sqlite3"))
        specs = [Spec(str(folder / f"node{n:03d}"), n % figures.windows + 1, hq.url,
                      issue(hq_engine, branches[n // figures.windows], n % figures.windows + 1),
                      figures.payments, figures.days, template) for n in range(figures.nodes)]
        began = time.monotonic()
        node_ids = _run_all(figures.workers, prepare, specs)
        prepare_s = time.monotonic() - began
        log(f"fleet: {figures.nodes} nodes enrolled with {figures.payments} offline payments each in {prepare_s:.0f} s")
        report = _reconnect_all(hq, data_directory(hq_engine), [s.folder for s in specs], figures)
        report["prepare_s"] = round(prepare_s, 1)
        engines = [(node_id, create_engine(f"sqlite:///{Path(s.folder) / 'counter_app.sqlite3'}"))
                   for node_id, s in zip(node_ids, specs)]
        try:
            report["compare"] = compare(engines, hq_engine)
        finally:
            for _, engine in engines:
                engine.dispose()
        report["distinct_terminals"] = len({(b, w) for b in branches for w in range(1, figures.windows + 1)}
                                           & {(branches[n // figures.windows], n % figures.windows + 1)
                                              for n in range(figures.nodes)})
        return {"figures": asdict(figures), **report}
    finally:
        hq.stop()
        hq_engine.dispose()


def _reconnect_all(hq: HeadOfficeProcess, pgdata: Path, folders: list[str], figures: FleetFigures) -> dict[str, Any]:
    workers = max(1, figures.workers)
    groups = [folders[i::workers] for i in range(workers)]
    samples: list[tuple[float, float, float, int]] = []

    def sample() -> None:
        pg_cpu, backends = postgres_load(pgdata)
        samples.append((time.monotonic(), cpu_seconds(hq.pid), pg_cpu, backends))

    with multiprocessing.get_context("spawn").Manager() if figures.workers else nullcontext() as manager:
        barrier = manager.Barrier(workers) if manager is not None else None
        nodes = [r for group in _run_all(figures.workers, reconnect, [(g, barrier) for g in groups], sample)
                 for r in group]
    sample()
    failed = [r for r in nodes if "error" in r]
    assert not failed, f"{len(failed)} nodes did not drain: {failed[:3]}"
    first, last = min(r["started"] for r in nodes), max(r["finished"] for r in nodes)
    before = max((s for s in samples if s[0] <= first), default=samples[0])
    after = min((s for s in samples if s[0] >= last), default=samples[-1])
    span = max(1e-9, after[0] - before[0])
    pushes = [p for r in nodes for p in r["push_s"]]
    statuses: dict[str, int] = {}
    for r in nodes:
        for key, count in r["statuses"].items():
            statuses[key] = statuses.get(key, 0) + count
    events = figures.nodes * figures.payments
    return {"drain_s": round(last - first, 2), "start_spread_s": round(max(r["started"] for r in nodes) - first, 2),
            "node_drain_s_p50": round(percentile([r["finished"] - r["started"] for r in nodes], 50, empty=0.0), 2),
            "events_per_s": round(events / max(1e-9, last - first), 1),
            "hq_cpu_s": round(after[1] - before[1], 2), "hq_cpu_pct": round(100 * (after[1] - before[1]) / span, 1),
            "pg_cpu_s": round(after[2] - before[2], 2), "pg_cpu_pct": round(100 * (after[2] - before[2]) / span, 1),
            "pg_backends_max": max(s[3] for s in samples), "client_cpu_s": round(sum(r["client_cpu_s"] for r in nodes), 1),
            "push_ms_p50": round(percentile(pushes, 50, empty=0.0) * 1000, 1), "push_ms_p99": round(percentile(pushes, 99, empty=0.0) * 1000, 1),
            "pushes": len(pushes), "answers": statuses, "retries": sum(r["retries"] for r in nodes),
            "connection_failures": sum(r["failures"] for r in nodes)}
