"""A configuration error shown in a dialog, in the user's language (Chinese by default): a
Windows GUI program has no console, so stderr alone would say nothing to anyone."""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.core.config import ConfigError
from counter_app.gui.setup.rule_texts import rule_text


def config_error_box(error: ConfigError) -> QMessageBox:
    """The dialog for ``error``: what is wrong, which key, the rule, and what to do."""
    box = QMessageBox(QMessageBox.Icon.Critical, QCoreApplication.translate("ConfigErrorDialog", "Configuration error"),
                      QCoreApplication.translate("ConfigErrorDialog", "The program was not started: its configuration file has an error."))
    box.setInformativeText(QCoreApplication.translate("ConfigErrorDialog", "Setting: {key}\nExpected: {rule}\n\nCorrect the file, or run “counter-app setup” "
                               "to write it again. The log in the data folder has the same message.")
                           .format(key=error.key, rule=rule_text(error.expected)))
    box.setDetailedText(str(error))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setStyleSheet("QLabel#qt_msgbox_label, QLabel#qt_msgbox_informativelabel { min-width: 460px; }")  # the rule and the address on one line each
    return box


def show_config_error(error: ConfigError) -> None:
    """Show the dialog and wait for it to be closed; without a screen (offscreen, headless CI)
    the dialog is built but not waited for, and stderr and the log carry the message."""
    from counter_app.gui.qtapp import make_application

    no_screen = sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if no_screen and not os.environ.get("QT_QPA_PLATFORM"):
        return  # Qt could not even start here
    app = QApplication.instance() or make_application("zh_CN")
    box = config_error_box(error)
    if app.platformName() in ("offscreen", "minimal"):
        box.deleteLater()
        return
    box.exec()
