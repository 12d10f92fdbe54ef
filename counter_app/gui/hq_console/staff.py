"""Staff at head office: the list with each member's role, branches and offline validity; a staff
member disabled or enabled at every branch he belongs to (the branches refuse his login after their
next sync); and a new staff member with his first password, hashed (argon2id) at head office — the
console never keeps it — and an optional last day for logging in offline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.staff_rules import Role
from counter_app.gui.hq_console.common import ConsoleLink, MessageLabel, refusal_text, when
from counter_app.gui.widgets import ComboBox, list_table
from counter_app.hq.console_client import parse_time
from counter_app.hq.console_rules import generate_password

def role_words() -> dict[str, str]:
    return {"clerk": QCoreApplication.translate("StaffList", "clerk"),
            "backoffice": QCoreApplication.translate("StaffList", "back office"),
            "manager": QCoreApplication.translate("StaffList", "manager"),
            "admin": QCoreApplication.translate("StaffList", "administrator")}


class StaffList(QWidget):
    changed = Signal(dict)
    loaded = Signal()

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.people: list[dict[str, Any]] = []
        self.table = list_table([self.tr("Staff no."), self.tr("Name"), self.tr("Role"), self.tr("Branches"),
                                 self.tr("State"), self.tr("Offline login until")])
        self.table.itemSelectionChanged.connect(self._enable)
        self.disable_button = QPushButton(self.tr("Disable at every branch"))
        self.disable_button.setStyleSheet("QPushButton { background: #c62828; } QPushButton:disabled { background: #9e9e9e; }")
        self.enable_button = QPushButton(self.tr("Enable again"))
        self.reset_button = QPushButton(self.tr("Reset password"))
        self.reset_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(lambda: self.set_disabled(True))
        self.enable_button.clicked.connect(lambda: self.set_disabled(False))
        self.message = MessageLabel(self.tr("A disabled staff member cannot log in at a branch once it has synced "
                                     "(within minutes when it is online)."))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.enable_button)
        buttons.addWidget(self.disable_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._enable()

    def refresh(self) -> None:
        self.link.run(lambda client: client.staff(), self._show, lambda e: self.message.say(refusal_text(e), bad=True))

    def _show(self, people: list[dict[str, Any]]) -> None:
        self.people = people
        roles = role_words()
        chosen = self.selected()
        self.table.setRowCount(len(people))
        for row, person in enumerate(people):
            state = self.tr("disabled") if person.get("disabled") else self.tr("active")
            if person.get("must_change_password"):
                state += self.tr(" · sets a new password at his next login")
            cells = (person["staff_no"], person["name"], roles.get(person["role"], person["role"]),
                     ", ".join(person.get("branches") or []), state,
                     when(parse_time(person.get("offline_valid_until"))) if person.get("offline_valid_until")
                     else self.tr("no limit"))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 4 and person.get("disabled"):
                    item.setForeground(QBrush(QColor("#b00020")))
                self.table.setItem(row, col, item)
            if person["staff_no"] == chosen:
                self.table.selectRow(row)
        self._enable()
        self.loaded.emit()

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table.item(rows[0].row(), 0).text() if rows else None

    def _enable(self) -> None:
        chosen = next((p for p in self.people if p["staff_no"] == self.selected()), None)
        self.disable_button.setEnabled(chosen is not None and not chosen.get("disabled"))
        self.enable_button.setEnabled(chosen is not None and bool(chosen.get("disabled")))
        self.reset_button.setEnabled(chosen is not None and not chosen.get("disabled"))

    def reset_password(self) -> None:
        """A new first password, shown once to hand over; every branch of his asks him for his own."""
        staff_no = self.selected()
        if staff_no is None:
            return
        password = generate_password()
        self.reset_button.setEnabled(False)

        def done(answer: dict[str, Any]) -> None:
            self.message.say(self.tr("Staff {no}: his password is now {password} — hand it over; he sets his own at "
                                     "his next login (change {change}).").format(
                no=answer["staff_no"], password=password, change=answer["change_id"]))
            self.changed.emit(answer)
            self.refresh()

        self.link.run(lambda client: client.reset_staff_password(staff_no, password), done,
                      lambda e: (self.message.say(refusal_text(e), bad=True), self._enable()), write=True)

    def set_disabled(self, disabled: bool) -> None:
        staff_no = self.selected()
        if staff_no is None:
            return
        self.disable_button.setEnabled(False)
        self.enable_button.setEnabled(False)
        self.link.run(lambda client: client.set_staff_disabled(staff_no, disabled), self._changed,
                      lambda e: (self.message.say(refusal_text(e), bad=True), self._enable()), write=True)

    def _changed(self, answer: dict[str, Any]) -> None:
        text = (self.tr("Staff {no} disabled at every branch (change {change}).") if answer["disabled"]
                else self.tr("Staff {no} enabled again (change {change})."))
        self.message.say(text.format(no=answer["staff_no"], change=answer["change_id"]))
        self.changed.emit(answer)
        self.refresh()


class NewStaffForm(QGroupBox):
    """A new staff member; his number is new at head office (a number is never reused)."""

    created = Signal(dict)

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("New staff member"))
        self.link = link
        self.staff_no = QLineEdit()
        self.staff_no.setMaxLength(20)
        self.staff_no.setPlaceholderText("1003")
        self.name = QLineEdit()
        self.name.setMaxLength(50)
        self.role = ComboBox()
        words = role_words()
        for role in Role:
            self.role.addItem(words[role.value], role.value)
        self.branches = QListWidget()
        self.branches.setMaximumHeight(120)
        self.branches.setStyleSheet("QListWidget::item { padding: 4px; }")
        self.password = QLineEdit()
        self.password.setMaxLength(64)
        self.generate_button = QPushButton(self.tr("Generate"))
        self.generate_button.clicked.connect(lambda: self.password.setText(generate_password()))
        self.limited = QCheckBox(self.tr("Offline login only until"))
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        soon = date.today() + timedelta(days=90)
        self.until.setDate(QDate(soon.year, soon.month, soon.day))
        self.until.setEnabled(False)
        self.limited.toggled.connect(self.until.setEnabled)
        for box in (self.staff_no, self.name, self.password, self.until):
            box.setMinimumHeight(38)
        self.create_button = QPushButton(self.tr("Create staff member"))
        self.create_button.clicked.connect(self.create)
        self.message = MessageLabel(self.tr("Hand the first password over in person; head office keeps only its hash."))
        password = QHBoxLayout()
        password.addWidget(self.password, 1)
        password.addWidget(self.generate_button)
        until = QHBoxLayout()
        until.addWidget(self.limited)
        until.addWidget(self.until, 1)
        form = QFormLayout()
        form.setVerticalSpacing(8)
        form.addRow(self.tr("Staff no."), self.staff_no)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Branches"), self.branches)
        form.addRow(self.tr("First password"), password)
        form.addRow("", until)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.create_button)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def show_branches(self, branches: list[dict[str, Any]]) -> None:
        ticked = set(self.ticked())
        self.branches.clear()
        for branch in branches:
            item = QListWidgetItem(f"{branch['code']} {branch['name']}")
            item.setData(Qt.ItemDataRole.UserRole, branch["code"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if branch["code"] in ticked or len(branches) == 1
                               else Qt.CheckState.Unchecked)
            self.branches.addItem(item)

    def ticked(self) -> list[str]:
        return [self.branches.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.branches.count())
                if self.branches.item(i).checkState() == Qt.CheckState.Checked]

    def payload(self) -> dict[str, Any]:
        chosen = self.until.date()
        return {"staff_no": self.staff_no.text().strip(), "name": self.name.text().strip(),
                "role": self.role.currentData(), "branches": self.ticked(), "password": self.password.text(),
                "offline_valid_until": date(chosen.year(), chosen.month(), chosen.day()).isoformat()
                if self.limited.isChecked() else None}

    def create(self) -> None:
        payload = self.payload()
        self.create_button.setEnabled(False)
        self.link.run(lambda client: client.create_staff(payload), self._created, self._failed, write=True)

    def _failed(self, error: Exception) -> None:
        self.create_button.setEnabled(True)
        self.message.say(refusal_text(error), bad=True)

    def _created(self, answer: dict[str, Any]) -> None:
        self.create_button.setEnabled(True)
        self.message.say(self.tr("Staff {no} created (change {change}); the branches let him log in after their next "
                                 "sync.").format(no=answer["staff_no"], change=answer["change_id"]))
        self.password.clear()
        self.staff_no.clear()
        self.name.clear()
        self.created.emit(answer)


class StaffPage(QWidget):
    """The staff list with its disable/enable buttons, and the new staff member's form beside it."""

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.list = StaffList(link)
        self.new = NewStaffForm(link)
        self.new.created.connect(lambda _answer: self.list.refresh())
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 3)
        layout.addWidget(self.new, 2)

    def refresh(self) -> None:
        self.list.refresh()
        self.link.run(lambda client: client.branches(), self.new.show_branches, self.new._failed)
