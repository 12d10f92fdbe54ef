"""The login screen: staff number and password; the role decides what opens.

Where the hall has a hub the password is checked there (:func:`login_at_hub`): the hub keeps
the lock-out and the audit, and answers the staff session every window command then carries.
A first password, or one reset at head office, is refused with ``must_change``: the dialog then
asks for a new one (:class:`ChangePasswordDialog`) and the change logs him in (:func:`change_at_hub`,
or this PC's own check when the hub is down)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton

from counter_app.domain.errors import InvalidInput, UserError
from counter_app.domain.staff_rules import Role
from counter_app.domain.timeutil import to_local
from counter_app.gui.forms import load_form
from counter_app.gui.password_change import ChangePasswordDialog
from counter_app.gui.rule_words import rule_text
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import AuthService, LoginRefused, StaffSession

Check = Callable[[str, str, "int | None"], StaffSession]
Change = Callable[[str, str, str, "int | None"], StaffSession]


def _session(answer: dict[str, Any]) -> StaffSession:
    return StaffSession(answer["staff_id"], answer["staff_no"], answer["name"], Role(answer["role"]),
                        answer["window"], datetime.fromisoformat(answer["logged_in_at"]))


def login_at_hub(client: Any) -> Check:
    """A login checked by the hub (``HubClient.login``), as a :class:`StaffSession`."""

    def check(staff_no: str, password: str, window: int | None) -> StaffSession:
        if not (staff_no or "").strip():
            raise InvalidInput("staff_no", "enter your staff number", code="staff_no_required")
        if not password:
            raise InvalidInput("password", "enter your password", code="password_required")
        return _session(client.login(staff_no.strip(), password, window))

    return check


def change_at_hub(client: Any) -> Change:
    """A password change checked by the hub (``HubClient.change_password``), logging him in."""

    def change(staff_no: str, password: str, new_password: str, window: int | None) -> StaffSession:
        return _session(client.change_password(staff_no.strip(), password, new_password, window))

    return change


class LoginDialog(QDialog):
    logged_in = Signal(object)  # StaffSession

    def __init__(self, auth: AuthService | Check, tasks: TaskRunner, *, branch_name: str, window: int | None,
                 zone=None, parent=None, change: Change | None = None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self._check: Check = auth.login if isinstance(auth, AuthService) else auth
        self._change: Change | None = auth.change_password if isinstance(auth, AuthService) else change
        self.change_dialog: ChangePasswordDialog | None = None
        self._tasks, self._window, self._zone = tasks, window, zone
        self.session: StaffSession | None = None
        self.setWindowTitle(self.tr("Staff login"))
        form = load_form("login", self)
        self.staff_no: QLineEdit = form.findChild(QLineEdit, "staffNoEdit")
        self.password: QLineEdit = form.findChild(QLineEdit, "passwordEdit")
        self.error: QLabel = form.findChild(QLabel, "errorLabel")
        self.button: QPushButton = form.findChild(QPushButton, "loginButton")
        form.findChild(QLabel, "branchLabel").setText(branch_name)
        form.findChild(QLabel, "titleLabel").setObjectName("title")
        form.findChild(QLabel, "windowValue").setText(self.tr("Window {n}").format(n=window) if window else self.tr("(none)"))
        self.error.setObjectName("fieldError")
        self.button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self.staff_no.returnPressed.connect(self.password.setFocus)
        self.staff_no.setFocus()

    def submit(self) -> None:
        staff_no, password = self.staff_no.text(), self.password.text()
        self.button.setEnabled(False)
        self.error.clear()
        self._tasks.run(lambda: self._check(staff_no, password, self._window), self._succeeded, self._failed)

    def _succeeded(self, session: StaffSession) -> None:
        if self.change_dialog is not None:
            self.change_dialog.accept()
            self.change_dialog = None
        self.session = session
        self.password.clear()
        self.button.setEnabled(True)
        self.logged_in.emit(session)
        self.accept()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, LoginRefused) and error.reason == "must_change" and self._change is not None:
            self._ask_new_password(self.staff_no.text(), self.password.text())
            return
        self.button.setEnabled(True)
        self.password.clear()
        self.error.setText(self.explain(error))
        (self.staff_no if isinstance(error, InvalidInput) and error.field == "staff_no" else self.password).setFocus()
        if not isinstance(error, UserError):  # a refusal, bad input, the hub out of reach: said above
            raise error

    def _ask_new_password(self, staff_no: str, password: str) -> None:
        """The right password, but one to replace: nothing opens until the new one is set."""
        change = self._change
        assert change is not None
        dialog = self.change_dialog = ChangePasswordDialog(staff_no.strip(), self)

        def chosen(new_password: str) -> None:
            self._tasks.run(lambda: change(staff_no, password, new_password, self._window), self._succeeded,
                            refused)

        def refused(error: Exception) -> None:
            if isinstance(error, InvalidInput) and error.field == "new_password":
                dialog.refused(rule_text(error))
            else:  # the current password no longer holds, a lock, the hub gone: back to the login
                dialog.reject()
                self.change_dialog = None
                self._failed(error)

        def given_up() -> None:
            if self.change_dialog is dialog:
                self.change_dialog = None
                self.button.setEnabled(True)
                self.password.clear()
                self.error.setText(self.tr("A new password must be set before you can start."))

        dialog.chosen.connect(chosen)
        dialog.rejected.connect(given_up)
        dialog.open()

    def explain(self, error: Exception) -> str:
        if isinstance(error, InvalidInput):
            return {"staff_no": self.tr("Enter your staff number."), "password": self.tr("Enter your password.")}.get(error.field, rule_text(error))
        if isinstance(error, LoginRefused):
            if error.reason == "locked" and error.locked_until is not None:
                until = self._local_time(error.locked_until)
                return self.tr("Too many wrong passwords: this account is locked until {time}. "
                               "A branch manager can unlock it sooner.").format(time=until)
            if error.reason == "disabled":
                return self.tr("This account is disabled. Please ask your manager.")
            if error.reason == "must_change":
                return self.tr("A new password must be set before you can start.")
            if error.tries_left is not None:
                return self.tr("Wrong staff number or password. {n} tries left before the account is locked "
                               "(a branch manager can unlock it).").format(n=error.tries_left)
            return self.tr("Wrong staff number or password.")
        if isinstance(error, UserError):  # the hub or head office needed, an offline login ended ...: its sentence
            return rule_text(error)
        return self.tr("Login failed: {error}").format(error=error)

    def _local_time(self, moment: datetime) -> str:
        return (to_local(moment, self._zone) if self._zone else moment).strftime("%H:%M")
