"""The sync worker in a process of its own beside the program (SYNC.md c.6: "its own thread or
process"). In a thread it shared the interpreter lock with the window's (or the hub's) work:
while a backlog drained, every payment at the window waited for the lock behind the encoding of
push batches. In its own process it shares only the database, whose write lock it takes for a
moment once a second at most (:mod:`counter_app.services.sync.outbox_store`).

The child is ``counter-app sync --follow-parent``: it runs the worker until its standard input
closes, which happens when this program stops it or ends in any way, even killed, so it never
outlives the program. New outbox events wake it through its poll of the outbox's highest seq."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

from counter_app.core.serving import end_process

log = logging.getLogger(__name__)


class SyncProcess:
    def __init__(self, data_dir: Path, config: Path | None = None) -> None:
        self.argv = [sys.executable, "-m", "counter_app", "sync", "--data-dir", str(data_dir), "--follow-parent"]
        if config is not None:
            self.argv += ["--config", str(config)]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "SyncProcess":
        self.process = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        log.info("sync worker started in process %d", self.process.pid)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Close its standard input (it writes what head office answered and ends), then wait."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        end_process(process, timeout, sig=None, kill_wait=5, name="sync worker")


def follow_parent(stop: threading.Event) -> None:
    """In the child: set ``stop`` when standard input reaches its end (the parent closed or died)."""

    def watch() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        stop.set()

    threading.Thread(target=watch, name="sync-parent-watch", daemon=True).start()
