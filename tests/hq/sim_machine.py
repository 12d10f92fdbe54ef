"""Deterministic simulation of sync against the real head office (SYNC.md c.14 item 2): the real
FastAPI app on a real PostgreSQL (uvicorn on loopback, in this process), two branch nodes on
real SQLite files enrolled for real, each drained by the real sync engine through a
fault-injecting transport. Rules: payments and voids through the real fee service, tickets,
a poison event, sync steps, network faults, branch crashes (everything dropped, the files
reopened), head-office crashes (server and connection pool gone, started again), replays of
earlier requests. After every step G2, G3, G5, G9 and "acknowledged ⊆ head office"; at the
end, with no faults and no new writes, the worker alone drains (G12), then G1, G9, G10.

Short run: tests/hq/test_sync_simulation.py; long run: ``python -m tests.perf.sim_sync``."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.errors import NotAllowed
from counter_app.domain.ids import new_id
from counter_app.hq.database import HQDatabase, make_engine
from counter_app.hq.enrolment import issue_code
from counter_app.hq.server import HQHandle, start_hq_in_thread
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.outbox import record_event
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.queue.service import QueueService
from counter_app.services.sync import outbox_store
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.worker import SyncEngine, SyncOptions, SyncThread
from tests.hq.faulty_transport import FAULTS, BranchCrash, FaultyTransport, SimClock
from tests.hq.pg import drop_database, new_database
from tests.hq.sync_checks import Branch, HeadOffice, check_drained, check_safety
from tests.integration.billing_fixtures import Counter, counter
from tests.integration.sync_fixtures import pay, void
from tests.integration.test_payment_crash import _invariants

OPTIONS = SyncOptions(interval_s=1.0, stall_factor=3.0, connect_timeout_s=5.0, read_timeout_s=30.0,
                      backoff_base_s=0.01, backoff_cap_s=0.05)
FAULT_ARGS = {"status": st.sampled_from([500, 503, 429]), "delay": st.sampled_from([0.01, 0.05])}
FAULT = st.sampled_from(FAULTS).flatmap(lambda kind: st.tuples(st.just(kind), FAULT_ARGS.get(kind, st.none())))
NODES = st.integers(min_value=0, max_value=1)
DRAIN_S = 30.0


class HeadOfficeUnderTest:
    """The real head-office app serving a database of its own; ``restart`` is a crash of the
    process: the server and every pooled connection gone, a new one started on the same data."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.db = HQDatabase(make_engine(url, pool_size=4), url)
        self.handle: HQHandle = start_hq_in_thread(self.db)

    def restart(self) -> None:
        self.stop()
        self.db = HQDatabase(make_engine(self.url, pool_size=4), self.url)
        self.handle = start_hq_in_thread(self.db)

    def stop(self) -> None:
        self.handle.stop()
        self.db.dispose()


class BranchNode:
    def __init__(self, root: Path, template: Path, hq: HeadOfficeUnderTest, role: str, window: int | None) -> None:
        self.paths = DataPaths(root).ensure()
        shutil.copyfile(template, self.paths.database)
        db = open_node_database(self.paths, Settings())
        enrol(db.sessions, self.paths.root, hq.handle.url, issue_code(hq.db.engine, "B001", role, window, 7).code)
        db.dispose()
        self.clock = SimClock()
        self.transport = FaultyTransport(lambda: hq.handle.url, self.paths.root, self.clock,
                                         OPTIONS.interval_s * OPTIONS.stall_factor)
        self.payments: list[str] = []
        self.voided: set[str] = set()
        self.poison: set[str] = set()
        self.crashes = 0
        self.open()

    def open(self) -> None:
        self.db: NodeDatabase = open_node_database(self.paths, Settings())
        self.engine = SyncEngine(self.db.sessions, self.paths.root, options=OPTIONS, clock=self.clock,
                                 transport_factory=lambda url: self.transport, rng=random.Random(7), poll_s=0.005)
        self.counter: Counter = counter(self.db, self.paths)

    def crash(self) -> None:
        """Everything in memory gone; the files reopened as the next start would."""
        self.crashes += 1
        self.engine.close()
        self.db.dispose()
        self.transport.faults.clear()
        self.open()

    def close(self) -> None:
        self.engine.close()
        self.transport.close()
        self.db.dispose()


class SyncSimulation(RuleBasedStateMachine):
    template: Path  # a seeded branch database file
    pg_uri: str  # the PostgreSQL server (its template database migrated)
    stats: dict[str, int] = {}

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sync-sim-"))
        self.hq = HeadOfficeUnderTest(new_database(self.pg_uri, "hq_sim"))
        self.nodes = [BranchNode(self.folder / "hub", self.template, self.hq, "hub", None),
                      BranchNode(self.folder / "w2", self.template, self.hq, "counter", 2)]
        self.hq_crashes = 0

    # -- what happens at the windows ---------------------------------------------------------

    @rule(n=NODES, amounts=st.lists(st.integers(min_value=1, max_value=100_000), min_size=1, max_size=4))
    def take_payments(self, n: int, amounts: list[int]) -> None:
        for amount in amounts:
            self.nodes[n].payments.append(pay(self.nodes[n].counter, amount))

    @precondition(lambda self: any(len(n.payments) > len(n.voided) for n in self.nodes))
    @rule(data=st.data())
    def void_payment(self, data: st.DataObject) -> None:
        node = data.draw(st.sampled_from([n for n in self.nodes if len(n.payments) > len(n.voided)]))
        target = data.draw(st.sampled_from([p for p in node.payments if p not in node.voided]))
        try:
            void(node.counter, target)
        except NotAllowed:  # e.g. the balance it went to was spent: refused, nothing written
            return
        node.voided.add(target)

    @rule(n=NODES)
    def take_ticket(self, n: int) -> None:
        QueueService(self.nodes[n].db.sessions, "B001").issue_ticket("A")

    @precondition(lambda self: sum(len(n.poison) for n in self.nodes) < 2)
    @rule(n=NODES)
    def write_poison(self, n: int) -> None:
        """An event head office cannot apply (a payment without its payment): G10."""
        node = self.nodes[n]
        with unit_of_work(node.db.sessions) as session:
            event = record_event(session, channel="payments", event_type="payment.created", aggregate_type="payment",
                                 aggregate_id=new_id(), payload={"payment": "unreadable", "receipt": None})
        node.poison.add(event.event_id)

    # -- the link and the crashes ------------------------------------------------------------

    @rule(n=NODES, faults=st.lists(FAULT, max_size=2))
    def sync_step(self, n: int, faults: list[tuple[str, object]]) -> None:
        """A cycle whose pushes meet ``faults`` (and any queued for the next requests)."""
        self.nodes[n].transport.faults.extend((kind, arg, "/v1/sync/push") for kind, arg in faults)
        try:
            self.nodes[n].engine.step()
        except BranchCrash:
            self.nodes[n].crash()

    @rule(n=NODES, fault=FAULT, times=st.integers(min_value=1, max_value=2))
    def next_requests_fail(self, n: int, fault: tuple[str, object], times: int) -> None:
        self.nodes[n].transport.faults.extend([(*fault, None)] * times)

    @rule(n=NODES)
    def crash_branch(self, n: int) -> None:
        self.nodes[n].crash()

    @precondition(lambda self: self.hq_crashes < 3)  # each costs a server start: a few a history
    @rule()
    def crash_head_office(self) -> None:
        self.hq_crashes += 1
        self.hq.restart()

    @precondition(lambda self: any(n.transport.pushes for n in self.nodes))
    @rule(data=st.data())
    def replay_an_earlier_push(self, data: st.DataObject) -> None:
        """A request seen on the wire sent again, newly signed: only duplicates (or the same
        events for the first time), never a second booking."""
        node = data.draw(st.sampled_from([n for n in self.nodes if n.transport.pushes]))
        body = data.draw(st.sampled_from(node.transport.pushes))
        answer = node.transport.resend("/v1/sync/push", body)
        assert answer.status in (200, 503), answer
        for result in answer.body.get("results", []):
            assert result["status"] in ("applied", "duplicate") or result["event_id"] in node.poison, result

    # -- what must hold --------------------------------------------------------------------------

    def _ends(self) -> tuple[list[Branch], HeadOffice]:
        return [Branch.read(n.db.engine) for n in self.nodes], HeadOffice.read(self.hq.db.engine)

    @invariant()
    def safety(self) -> None:
        for node in self.nodes:
            _invariants(node.db)  # G5 and unique gap-free receipts at the branch
        check_safety(*self._ends())

    def teardown(self) -> None:
        try:
            for node in self.nodes:
                node.transport.faults.clear()
            threads = [SyncThread(node.engine).start() for node in self.nodes]  # nobody clicks anything (G12)
            deadline = time.monotonic() + DRAIN_S
            while time.monotonic() < deadline and any(outbox_store.has_pending(n.db.sessions) for n in self.nodes):
                time.sleep(0.05)
            for thread in threads:
                thread.stop(10)
            branches, hq = self._ends()
            check_drained(branches, hq, set().union(*(n.poison for n in self.nodes)))
            stats = type(self).stats
            for node in self.nodes:
                for kind, count in node.transport.seen.items():
                    stats[kind or "clean"] = stats.get(kind or "clean", 0) + count
                stats["branch_crash"] = stats.get("branch_crash", 0) + node.crashes
                stats["payments"] = stats.get("payments", 0) + len(node.payments)
                stats["voids"] = stats.get("voids", 0) + len(node.voided)
                stats["poison"] = stats.get("poison", 0) + len(node.poison)
            stats["hq_crash"] = stats.get("hq_crash", 0) + self.hq_crashes
            stats["histories"] = stats.get("histories", 0) + 1
        finally:
            for node in self.nodes:
                node.close()
            self.hq.stop()
            drop_database(self.pg_uri, self.hq.url)
            shutil.rmtree(self.folder, ignore_errors=True)
