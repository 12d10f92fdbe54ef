"""The console's login: head office's address, the operator's name and password. The password is
checked at head office (lock-out and audit there); the dialog answers with a logged-in client."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from counter_app.domain.errors import InvalidInput, UserError
from counter_app.gui.hq_console.common import refusal_text
from counter_app.gui.rule_words import rule_text
from counter_app.gui.tasks import TaskRunner
from counter_app.hq.console_client import ConsoleClient


class ConsoleLoginDialog(QDialog):
    logged_in = Signal(object)  # the ConsoleClient, holding its session

    def __init__(self, tasks: TaskRunner, url: str, *, make_client: Callable[[str], ConsoleClient] = ConsoleClient,
                 parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._tasks, self._make_client = tasks, make_client
        self.setWindowTitle(self.tr("Head office console"))
        self.setMinimumWidth(520)
        title = QLabel(self.tr("Head office console — operator login"))
        title.setObjectName("title")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        self.address = QLineEdit(url)
        self.address.setPlaceholderText("https://hq.example.cn")
        self.name = QLineEdit()
        self.name.setMaxLength(40)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.button = QPushButton(self.tr("Log in"))
        self.button.setDefault(True)
        form = QFormLayout()
        form.setVerticalSpacing(14)
        form.addRow(self.tr("Head office"), self.address)
        form.addRow(self.tr("Operator"), self.name)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(36, 28, 36, 28)
        layout.setSpacing(14)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.button)
        self.button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self.name.returnPressed.connect(self.password.setFocus)
        (self.name if url else self.address).setFocus()

    def submit(self) -> None:
        url, name, password = self.address.text().strip(), self.name.text(), self.password.text()
        self.error.clear()
        if not url.startswith(("http://", "https://")):
            self.error.setText(self.tr("Head office: an address such as https://hq.example.cn"))
            self.address.setFocus()
            return
        self.button.setEnabled(False)
        make = self._make_client

        def work() -> ConsoleClient:
            client = make(url)
            try:
                client.login(name, password)
            except Exception:
                client.close()
                raise
            return client

        self._tasks.run(work, self._succeeded, self._failed, write=False)

    def _succeeded(self, client: ConsoleClient) -> None:
        self.password.clear()
        self.button.setEnabled(True)
        self.logged_in.emit(client)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        if isinstance(error, InvalidInput):
            self.error.setText(refusal_text(error))
        elif isinstance(error, UserError):
            self.error.setText(rule_text(error))
        else:
            self.error.setText(self.tr("Login failed: {error}").format(error=error))
        (self.name if isinstance(error, InvalidInput) and error.field == "name" else self.password).setFocus()

    def again(self, message: str = "") -> None:
        """Shown anew after a logout or an ended session."""
        self.password.clear()
        self.error.setText(message)
        self.password.setFocus() if self.name.text() else self.name.setFocus()
        self.show()
