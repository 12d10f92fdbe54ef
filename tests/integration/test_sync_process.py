"""The program's sync worker runs in a process of its own (``counter-app sync --follow-parent``):
a payment taken in the program reaches head office within seconds through the worker's poll of the
outbox, and the worker ends with the program — stopped, or killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil

from counter_app.services.status import sync_backlog
from counter_app.services.sync.process import SyncProcess
from tests.integration.sync_fixtures import check_delivery, counter_for, hq, node, pay  # noqa: F401 (fixtures)

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def test_the_worker_process_sends_a_payment_taken_in_the_program_and_ends_when_stopped(node, data_paths, hq) -> None:
    (data_paths.root / "config.toml").write_text("[sync]\ninterval_s = 3600.0\ndebounce_s = 0.5\n", encoding="utf-8")
    worker = SyncProcess(data_paths.root, data_paths.root / "config.toml").start()
    try:
        c = counter_for(node, data_paths)
        deadline = time.monotonic() + 60  # the child starts (imports, opens the database), its first cycle
        while time.monotonic() < deadline and sync_backlog(node).last_success_at is None:
            time.sleep(0.1)
        assert sync_backlog(node).status == "ok"
        paid = pay(c)  # committed here; the worker of another process sees the outbox grow
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and paid not in hq.state.payments:
            time.sleep(0.05)
        assert paid in hq.state.payments, "the hour's timer, not the commit, would have sent it"
    finally:
        process = worker.process
        worker.stop()
    assert process is not None and process.returncode == 0  # it ended by itself when its input closed
    check_delivery(node, hq, drained=False)


def test_the_worker_process_does_not_outlive_a_killed_program(node, data_paths) -> None:
    script = ("import sys, time; from pathlib import Path; from counter_app.services.sync.process import SyncProcess; "
              "p = SyncProcess(Path(sys.argv[1])).start(); print(p.process.pid, flush=True); time.sleep(120)")
    program = subprocess.Popen([sys.executable, "-c", script, str(data_paths.root)], stdout=subprocess.PIPE,
                               text=True, env=ENV)
    try:
        child = int(program.stdout.readline())
        time.sleep(1.0)
        assert psutil.pid_exists(child)
        program.send_signal(signal.SIGKILL)
        program.wait(10)
        assert _gone(child, 30), "the sync worker outlived the program"
    finally:
        program.kill()
        program.stdout.close()
