"""Background work answers on the GUI thread, in order for writes, and never into a closed window."""

from __future__ import annotations

import threading
import time

import shiboken6
from PySide6.QtWidgets import QLabel

from counter_app.gui.tasks import TaskRunner


def test_results_and_errors_come_back_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    gui_thread = threading.get_ident()
    seen: list[tuple[str, object, bool]] = []
    for n in range(5):
        tasks.run(lambda n=n: (time.sleep(0.01), n)[1],
                  lambda value: seen.append(("done", value, threading.get_ident() == gui_thread)))
    tasks.run(lambda: 1 / 0, None, lambda error: seen.append(("error", type(error).__name__,
                                                               threading.get_ident() == gui_thread)))
    qtbot.waitUntil(lambda: len(seen) == 6, timeout=5000)
    assert seen == [("done", n, True) for n in range(5)] + [("error", "ZeroDivisionError", True)]


def test_an_answer_for_a_closed_window_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    release = threading.Event()
    label = QLabel()
    tasks.run(lambda: release.wait(5) and "late", label.setText)  # a bound method of the widget
    tasks.run(lambda: release.wait(5) and "late", lambda text: label.setText(text))  # a lambda holding it
    shiboken6.delete(label)  # the clerk closed that screen meanwhile
    release.set()
    assert tasks.wait(5000)
    qtbot.wait(100)  # the queued answers arrive here; an exception would fail the test
