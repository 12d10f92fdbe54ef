"""Garbage is freed on the GUI thread only. The manager's statistics once crashed the counter
(segmentation fault, CI of stop 20): a query on a worker thread set off Python's collector, which
freed a closed page's widgets there. The check runs in a fresh process so that nothing set up by
the test session (which uses the same collector) can hide a program that forgot it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = r"""
import threading, time
from PySide6.QtWidgets import QApplication, QWidget
from counter_app.gui.qtapp import make_application

app = make_application("zh_CN")
freed_on = []

class ClosedPage(QWidget):  # a page caught in a cycle with itself, as slots and lambdas make them
    def __init__(self):
        super().__init__()
        self.me = self
    def __del__(self):
        freed_on.append(threading.current_thread().name)

ClosedPage()

def statistics_query():  # allocates as a report does: enough to cross the collector's thresholds
    for _ in range(100_000):
        cycle = []
        cycle.append(cycle)

worker = threading.Thread(target=statistics_query, name="worker")
worker.start()
worker.join()
deadline = time.monotonic() + 5
while not freed_on and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.02)
print("freed on", freed_on)
"""


def test_a_closed_page_is_freed_on_the_gui_thread_not_on_the_worker_that_allocated() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "freed on ['MainThread']" in done.stdout, done.stdout + done.stderr[-2000:]
