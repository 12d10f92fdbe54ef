"""Process-level crashes around sync (SYNC.md c.9 #2 and #5), with the named failpoints of the
real program: the counter killed after a payment's COMMIT and before its receipt printed, and
``counter-app sync`` killed after head office answered and before the acknowledgement was
stored. After each restart: nothing lost, nothing twice at head office, nothing acked early."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from counter_app.core.config import Settings
from counter_app.core.paths import install_root
from counter_app.core.crashpoints import ENV
from counter_app.services.node import open_node_database
from tests.integration.billing_fixtures import account_with_bills
from tests.integration.sync_fake_hq import FakeHq
from tests.integration.sync_fixtures import check_delivery, counter_for, enrol_node, outbox, pay

PAY = """
import sys
from pathlib import Path
from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.services.auth import AuthService
from counter_app.services.billing.payments import PaymentService
from counter_app.services.billing.receipts import ReceiptService
from counter_app.services.node import open_node_database

paths = DataPaths(Path(sys.argv[1]))
db = open_node_database(paths, Settings())
who = AuthService(db).login("1001", "demo1234", 1)
result = PaymentService(db, Settings()).take_payment(who, sys.argv[2], [MethodPart("cash", 100)], bill_ids=[])
ReceiptService(db, paths, Settings()).render_and_print(result.payment_id, who)
"""


def _env(failpoint: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    env["PYTHONPATH"] = str(install_root())
    if failpoint:
        env[ENV] = failpoint
    return env


def _sync(root, failpoint: str | None = None) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "counter_app", "sync", "--data-dir", str(root), "--once"],
                          cwd=install_root(), env=_env(failpoint), capture_output=True, text=True, timeout=120)


def test_kill_after_commit_and_after_answer_loses_and_doubles_nothing(seeded_db, data_paths) -> None:
    with FakeHq() as hq:
        db = enrol_node(seeded_db, data_paths, hq)
        c = counter_for(db, data_paths)
        account = account_with_bills(c).account_id
        pay(c)
        db.dispose()
        for _ in range(3):  # a few iterations: killed at each point in turn
            child = subprocess.run([sys.executable, "-c", PAY, str(data_paths.root), account], cwd=install_root(),
                                   env=_env("after_local_commit_before_print"), capture_output=True, text=True,
                                   timeout=120)
            assert child.returncode == -9, child.stderr[-2000:]
            killed = _sync(data_paths.root, "after_response_before_ack")
            assert killed.returncode == -9, killed.stderr[-2000:]
            db = open_node_database(data_paths, Settings())
            try:
                pending = [r for r in outbox(db) if r.state == "pending"]
                assert pending and {r.event_id for r in pending} <= hq.stored_ids()  # stored there, not acked here
                check_delivery(db, hq, drained=False)
            finally:
                db.dispose()
            done = _sync(data_paths.root)
            assert done.returncode == 0, done.stdout + done.stderr
            report = json.loads(done.stdout)
            assert (report["online"], report["pending"], report["quarantined"]) == (True, 0, 0)
        db = open_node_database(data_paths, Settings())
        try:
            check_delivery(db, hq, drained=True)
            assert len(hq.state.payments) == 4
            assert len(counter_for(db, data_paths).receipts.unprinted_receipts()) == 4  # none was printed
            assert hq.duplicates >= 3  # each killed run's events, stored there, came again and were "duplicate"
        finally:
            db.dispose()


def test_sync_command_exits_non_zero_with_the_status_when_head_office_is_down(seeded_db, data_paths) -> None:
    with FakeHq() as hq:
        db = enrol_node(seeded_db, data_paths, hq)
        pay(counter_for(db, data_paths))
        db.dispose()
    child = _sync(data_paths.root)  # the server is gone now
    assert child.returncode == 1, child.stderr
    report = json.loads(child.stdout)
    assert report["online"] is False and report["pending"] == 1 and report["status"] == "offline"
    assert report["oldest_pending_payment_age_s"] is not None and "Traceback" not in child.stderr


def test_sync_command_exits_2_when_events_wait_on_a_person(seeded_db, data_paths) -> None:
    pay(counter_for(seeded_db, data_paths))  # not enrolled: the payment waits for enrolment
    seeded_db.dispose()
    child = _sync(data_paths.root)
    assert child.returncode == 2, child.stderr
    report = json.loads(child.stdout)
    assert (report["enrolled"], report["status"], report["pending"]) == (False, "not_enrolled", 1)
