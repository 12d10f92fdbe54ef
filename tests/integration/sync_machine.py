"""A Hypothesis state machine over a real node database file and a head office on loopback:
payments, voids, sync cycles, network faults, branch crashes (everything closed and reopened
from the files) and head-office restores; invariants after every step, delivery at the end.

Run briefly in the suite (tests/integration/test_sync_statemachine.py) and long on its own
(``python -m tests.perf.sim_sync``)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.errors import NotAllowed
from counter_app.services.node import open_node_database
from counter_app.services.sync.worker import SyncOptions
from tests.integration.sync_fake_hq import FakeHq
from tests.integration.test_payment_crash import _invariants
from tests.integration.sync_fixtures import check_delivery, counter_for, engine_for, enrol_node, outbox, pay, void

OPTIONS = SyncOptions(interval_s=0.1, stall_factor=3.0, connect_timeout_s=2.0, read_timeout_s=5.0,
                      backoff_base_s=0.01, backoff_cap_s=0.02)
FAULTS = st.sampled_from([("drop_request", None), ("drop_response", None), ("duplicate", None), ("delay", 0.05),
                          ("status", 503), ("status", 429), ("status", 500), ("hang", 2.0)])


class SyncMachine(RuleBasedStateMachine):
    template: Path  # a seeded database file, set by the test

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sync-machine-"))
        self.paths = DataPaths(self.folder / "data").ensure()
        shutil.copyfile(self.template, self.paths.database)
        self.hq = FakeHq().__enter__()
        self.db = enrol_node(open_node_database(self.paths, Settings()), self.paths, self.hq)
        self.engine = engine_for(self.db, OPTIONS)
        self.counter = counter_for(self.db, self.paths)
        self.payments: list[str] = []
        self.voided: set[str] = set()
        self.backup = None
        self.lost: set[str] = set()  # acknowledged events a head-office restore lost (re-sent after hello)

    @rule(amount=st.integers(min_value=1, max_value=100_000))
    def take_payment(self, amount: int) -> None:
        self.payments.append(pay(self.counter, amount))

    @precondition(lambda self: len(self.payments) > len(self.voided))
    @rule(data=st.data())
    def void_payment(self, data: st.DataObject) -> None:
        open_ = [p for p in self.payments if p not in self.voided]
        target = data.draw(st.sampled_from(open_))
        try:
            void(self.counter, target)
        except NotAllowed:  # e.g. the balance it went to was spent: refused, nothing written
            return
        self.voided.add(target)

    @rule()
    def sync_step(self) -> None:
        self.engine.step()

    @rule(fault=FAULTS, path=st.sampled_from([None, "/v1/sync/push", "/v1/sync/push"]))
    def next_request_fails(self, fault: tuple[str, object], path: str | None) -> None:
        self.hq.fault(*fault, path=path)

    @rule()
    def crash_branch(self) -> None:
        """Everything in memory gone; the files reopened as the next start would."""
        self.engine.close()
        self.db.dispose()
        self.db = open_node_database(self.paths, Settings())
        self.engine = engine_for(self.db, OPTIONS)
        self.counter = counter_for(self.db, self.paths)

    @rule()
    def hq_takes_backup(self) -> None:
        self.backup = self.hq.backup()

    @precondition(lambda self: self.backup is not None)
    @rule()
    def hq_restores_backup(self) -> None:
        self.hq.restore(self.backup)
        acked = {r.event_id for r in outbox(self.db) if r.state in ("acked", "quarantined")}
        self.lost |= acked - self.hq.stored_ids()

    @invariant()
    def acked_events_are_at_head_office_once(self) -> None:
        check_delivery(self.db, self.hq, drained=False, lost_by_hq=self.lost)

    @invariant()
    def every_fact_has_its_event_and_receipts_are_unique_and_gap_free(self) -> None:
        _invariants(self.db)  # G5 and G3 locally, as after a killed payment

    def teardown(self) -> None:
        try:
            self.hq.faults.clear()
            self.hq.release.set()
            for _ in range(30):  # quiescence: no new writes, the worker alone drains it
                result = self.engine.step()
                if result.status == "ok" and not [r for r in outbox(self.db) if r.state == "pending"]:
                    break
            check_delivery(self.db, self.hq, drained=True)
            assert set(self.payments) <= set(self.hq.state.payments)
        finally:
            self.engine.close()
            self.db.dispose()
            self.hq.__exit__(None, None, None)
            shutil.rmtree(self.folder, ignore_errors=True)
