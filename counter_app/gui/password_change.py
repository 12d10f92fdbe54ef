"""Setting a new password at the login: a staff member whose password is a first one, or one reset
at head office, types a new one twice before anything opens. The rule (at least 6 characters, not
the current one) is the service's (``domain.staff_rules.new_password_hash``); this dialog only
checks that the two entries agree, and shows the service's refusal beside the field."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class ChangePasswordDialog(QDialog):
    chosen = Signal(str)  # the new password, the two entries equal

    def __init__(self, staff_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Set a new password"))
        self.setObjectName("changePasswordDialog")
        self.setMinimumWidth(460)
        intro = QLabel(self.tr("Staff no. {no}: this password is a first one, or one reset at head office. "
                               "Set a password of your own (at least 6 characters) before you start.").format(no=staff_no))
        intro.setWordWrap(True)
        self.new = QLineEdit()
        self.again = QLineEdit()
        for box in (self.new, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
            box.setMaxLength(200)
            box.setMinimumHeight(40)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.button = QPushButton(self.tr("Set the new password and log in"))
        self.button.setMinimumHeight(44)
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.again.returnPressed.connect(self.submit)
        self.new.returnPressed.connect(self.again.setFocus)
        form = QFormLayout()
        form.setVerticalSpacing(14)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.again)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(14)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.button)
        self.new.setFocus()

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self.refused(self.tr("The two entries differ: type the new password twice."))
            return
        self.error.clear()
        self.button.setEnabled(False)
        self.chosen.emit(self.new.text())

    def refused(self, text: str) -> None:
        """The change did not go through: say why, empty both fields, ask again."""
        self.button.setEnabled(True)
        self.error.setText(text)
        self.new.clear()
        self.again.clear()
        self.new.setFocus()
