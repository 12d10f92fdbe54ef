"""A background thread that reports what this PC wrote to the hub: once at start, whenever
:meth:`BackgroundReporter.kick` is called (after a commit) and every ``interval`` seconds, so
what was written while the hub was down reaches it soon after it is back. The UI never waits."""

from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class BackgroundReporter:
    def __init__(self, work: Callable[[], object], *, name: str, what: str, interval: float = 5.0) -> None:
        self._work, self._what = work, what
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> "BackgroundReporter":
        self._thread.start()
        return self

    def kick(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._work()
            except Exception:
                log.exception("%s failed", self._what)
            self._wake.wait(self._interval)
            self._wake.clear()
