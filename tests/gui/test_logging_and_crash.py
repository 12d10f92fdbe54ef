"""Qt's own warnings reach our log file; an unhandled error is logged and shown with the log's path."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.core.logs import setup_logging
from counter_app.gui.qtapp import install_crash_dialog, route_qt_messages


def flush() -> None:
    for handler in logging.getLogger("counter_app").handlers:
        handler.flush()


@pytest.mark.qt_log_level_fail("CRITICAL")
def test_qt_warnings_go_to_the_log(qapp, data_paths) -> None:  # type: ignore[no-untyped-def]
    setup_logging(data_paths.log_file)
    route_qt_messages()
    qWarning("printer driver said something odd")
    flush()
    assert "WARNING counter_app.qt printer driver said something odd" in data_paths.log_file.read_text(encoding="utf-8")


def test_crash_dialog_shows_the_error_and_the_log(qapp, data_paths) -> None:  # type: ignore[no-untyped-def]
    setup_logging(data_paths.log_file)
    old_hook = sys.excepthook
    install_crash_dialog(data_paths.log_file)
    seen: list[tuple[str, str]] = []

    def read_and_close() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append((widget.text(), widget.detailedText()))
                widget.done(0)

    QTimer.singleShot(200, read_and_close)
    try:
        raise ZeroDivisionError("receipt total went wrong")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = old_hook
    flush()
    assert seen and str(data_paths.log_file) in seen[0][0]
    assert "ZeroDivisionError: receipt total went wrong" in seen[0][1]
    assert "unhandled error" in data_paths.log_file.read_text(encoding="utf-8")
