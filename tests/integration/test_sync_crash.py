"""``counter-app sync --once``'s exit codes and report when head office is down or the node is
not enrolled. (The kill -9 runs at the named crash points, against the real head office, are
tests/hq/test_crash_processes.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from counter_app.core.crashpoints import ENV
from counter_app.core.paths import install_root
from tests.integration.sync_fake_hq import FakeHq
from tests.integration.sync_fixtures import counter_for, enrol_node, pay


def _sync(root) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k != ENV}
    env["PYTHONPATH"] = str(install_root())
    return subprocess.run([sys.executable, "-m", "counter_app", "sync", "--data-dir", str(root), "--once"],
                          cwd=install_root(), env=env, capture_output=True, text=True, timeout=120)


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
