"""Enrolment codes: one for a branch's node (role, window, days valid), shown once as text and
as a QR code for the IT person at the branch (``counter-app enrol --code``); head office keeps
only its hash. The QR code can be saved as a PNG to print or send."""

from __future__ import annotations

import io
from typing import Any, Callable

import segno
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.gui.hq_console.common import ConsoleLink, refusal_text, when
from counter_app.gui.widgets import ComboBox

ROLES = ("counter", "hub", "kiosk", "display", "evaluator")


def qr_png(text: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


class CodesPage(QWidget):
    issued = Signal(object)  # the answer: code, branch_code, terminal_code, role, window, expires_at

    def __init__(self, link: ConsoleLink, *, save_dialog: Callable[..., tuple[str, str]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self._save_dialog = save_dialog or QFileDialog.getSaveFileName
        self.last: dict[str, Any] | None = None
        self.branch = QLineEdit()
        self.branch.setPlaceholderText("B017")
        self.branch.setMaxLength(10)
        self.role = ComboBox()
        words = {"counter": self.tr("Counter (window PC)"), "hub": self.tr("Hub (branch server)"),
                 "kiosk": self.tr("Ticket kiosk"), "display": self.tr("Hall display"),
                 "evaluator": self.tr("Evaluator")}
        for role in ROLES:
            self.role.addItem(words[role], role)
        self.window = QSpinBox()
        self.window.setRange(0, 99)
        self.window.setSpecialValueText(self.tr("none"))
        self.window.setValue(1)
        self.days = QSpinBox()
        self.days.setRange(1, 90)
        self.days.setValue(7)
        for box in (self.window, self.days):
            box.setMinimumHeight(38)
        self.issue_button = QPushButton(self.tr("Issue code"))
        self.issue_button.clicked.connect(self.issue)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.setVerticalSpacing(12)
        form.addRow(self.tr("Branch"), self.branch)
        form.addRow(self.tr("Node role"), self.role)
        form.addRow(self.tr("Window"), self.window)
        form.addRow(self.tr("Valid for (days)"), self.days)
        ask = QGroupBox(self.tr("New enrolment code"))
        ask_layout = QVBoxLayout(ask)
        ask_layout.addLayout(form)
        ask_layout.addWidget(self.issue_button)
        ask_layout.addWidget(self.error)
        ask_layout.addStretch(1)
        self.code = QLabel("—")
        self.code.setObjectName("enrolCode")
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSize(22)
        mono.setBold(True)
        self.code.setFont(mono)
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel(self.tr("Issue a code, then give it to the branch's IT person: "
                                      "counter-app enrol --hq ADDRESS --code CODE"))
        self.details.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumSize(300, 300)
        self.save_button = QPushButton(self.tr("Save QR code as PNG…"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_png)
        shown = QGroupBox(self.tr("Code to give to the branch (shown once)"))
        shown_layout = QVBoxLayout(shown)
        shown_layout.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        shown_layout.addWidget(self.qr)
        shown_layout.addWidget(self.details)
        shown_layout.addStretch(1)
        shown_layout.addWidget(self.save_button)
        layout = QHBoxLayout(self)
        layout.addWidget(ask, 2)
        layout.addWidget(shown, 3)

    def issue(self) -> None:
        branch, role = self.branch.text().strip().upper(), self.role.currentData()
        window, days = (self.window.value() or None), self.days.value()
        self.error.clear()
        self.issue_button.setEnabled(False)
        self.link.run(lambda client: client.issue_code(branch, role, window, days), self._show, self._failed, write=True)

    def _failed(self, error: Exception) -> None:
        self.issue_button.setEnabled(True)
        self.error.setText(refusal_text(error))

    def _show(self, answer: dict[str, Any]) -> None:
        self.issue_button.setEnabled(True)
        self.last = answer
        self.code.setText(answer["code"])
        pixmap = QPixmap()
        pixmap.loadFromData(qr_png(answer["code"], scale=9), "PNG")
        self.qr.setPixmap(pixmap)
        self.details.setText(self.tr("{branch} {terminal}: valid once, until {until}.\n"
                                     "At the branch: counter-app enrol --hq {url} --code {code}").format(
            branch=answer["branch_code"], terminal=answer["terminal_code"], until=when(answer["expires_at"]),
            url=self.link.client.url, code=answer["code"]))
        self.save_button.setEnabled(True)
        self.issued.emit(answer)

    def save_png(self) -> None:
        if self.last is None:
            return
        suggested = f"enrol-{self.last['branch_code']}-{self.last['terminal_code']}.png"
        path, _ = self._save_dialog(self, self.tr("Save QR code"), suggested, "PNG (*.png)")
        if path:
            with open(path, "wb") as file:
                file.write(qr_png(self.last["code"]))
