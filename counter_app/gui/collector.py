"""Python's cyclic garbage collector, run on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate when a threshold is
crossed: a statistics query on a worker thread, say. If the garbage it finds then holds Qt
widgets (a closed page caught in a reference cycle with its slots), their C++ destructors run on
that worker thread, and the program dies of a segmentation fault, which a clerk sees as the
counter vanishing. So automatic collection is switched off and the GUI thread collects on a
timer, by the same thresholds the interpreter would use (pyqtgraph's ``GarbageCollector`` does
the same for the same reason). A full collection walks every object of the program (a few hundred
milliseconds for a large heap, on the GUI thread), so it is done at most every ``FULL_EVERY_S``;
the young generations, where nearly all garbage is, are collected as often as they fill.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500
FULL_EVERY_S = 30.0


class GuiThreadCollector(QObject):
    """Collects on the GUI thread every ``interval_ms``, the generations the interpreter would
    have collected by now; automatic collection stays off while it lives."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS, full_every_s: float = FULL_EVERY_S) -> None:
        super().__init__(parent)
        self.collections = 0
        self.full_every_s = full_every_s
        self._last_full = time.monotonic()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)
        gc.disable()

    def check(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for level in range(3):
            if counts[level] > thresholds[level]:
                generation = level
        now = time.monotonic()
        if generation == 2 and now - self._last_full < self.full_every_s:
            generation = 1
        if generation >= 0:
            gc.collect(generation)
            self.collections += 1
            if generation == 2:
                self._last_full = now


def collect_on_gui_thread(app: QCoreApplication, interval_ms: int = INTERVAL_MS) -> GuiThreadCollector:
    """Install the collector once per application (a second call returns the first)."""
    existing = app.findChild(GuiThreadCollector)
    if isinstance(existing, GuiThreadCollector):
        return existing
    return GuiThreadCollector(app, interval_ms)
