"""Work that leaves the GUI thread: database commits, network calls, printing.

``run_task(fn, on_done, on_error)`` runs ``fn`` on a worker thread and calls back on the GUI
thread through queued Qt signals. Writes go through a pool with one thread, so they keep their
order; reads and network calls may use the general pool.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn, self._relay = fn, relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as error:  # handed to the GUI thread, which decides how to show it
            self._relay.failed.emit(error)
        else:
            self._relay.done.emit(result)


def _answer(callback: Callable[[Any], None], value: Any) -> None:
    """Hand a task's outcome to its callback, unless the screen that asked has been closed
    meanwhile (its widgets are gone): then there is nobody left to tell, and that is no error."""
    owner = getattr(callback, "__self__", None)
    if isinstance(owner, QObject) and not shiboken6.isValid(owner):
        log.debug("result of a background task dropped: its window was closed")
        return
    try:
        callback(value)
    except RuntimeError as error:
        if "already deleted" not in str(error) and "source has been deleted" not in str(error):  # a signal's emit
            raise
        log.debug("result of a background task dropped: %s", error)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(4)
        self._live: set[_Relay] = set()

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None, *, write: bool = True) -> None:
        relay = _Relay()
        self._live.add(relay)

        @Slot(object)
        def finished(result: Any) -> None:
            self._live.discard(relay)
            if on_done is not None:
                _answer(on_done, result)

        @Slot(object)
        def failed(error: Exception) -> None:
            self._live.discard(relay)
            if on_error is not None:
                _answer(on_error, error)
            else:
                log.error("background task failed", exc_info=error)

        relay.done.connect(finished)
        relay.failed.connect(failed)
        (self._writes if write else self._reads).start(_Task(fn, relay))

    def wait(self, msecs: int = 5000) -> bool:
        return self._writes.waitForDone(msecs) and self._reads.waitForDone(msecs)
