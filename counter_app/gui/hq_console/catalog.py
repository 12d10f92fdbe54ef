"""A branch's catalogue at head office: its services (ticket letter, names, daily cap, standard
minutes) added, changed, retired or restored — never deleted — and its windows with the services
each serves in calling order. Every save is published to the branch through head office."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import UserError
from counter_app.gui.hq_console.common import ConsoleLink, MessageLabel, refusal_text
from counter_app.gui.hq_console.from_day import FromDay, changes_ahead, joined
from counter_app.gui.widgets import ComboBox, list_table
from counter_app.hq.console_rules import ALL_BRANCHES, check_letter_free, check_window

RETIRED = QColor("#78909c")


def spin(low: int, high: int, value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setMinimumHeight(38)
    return box


class BranchBox(ComboBox):
    """The branches head office knows (code and name); with ``everyone`` first "all branches"."""

    def __init__(self, link: ConsoleLink, everyone: bool = False) -> None:
        super().__init__()
        self.link = link
        self.everyone = everyone
        self.setMinimumWidth(220)

    def load(self, then: Callable[[], None], failed: Callable[[Exception], None]) -> None:
        def show(branches: list[dict[str, Any]]) -> None:
            chosen = self.currentData()
            self.blockSignals(True)
            self.clear()
            if self.everyone:
                self.addItem(self.tr("All branches"), ALL_BRANCHES)
            for branch in branches:
                self.addItem(f"{branch['code']} {branch['name']}", branch["code"])
            index = self.findData(chosen)
            self.setCurrentIndex(index if index >= 0 else 0)
            self.blockSignals(False)
            then()

        self.link.run(lambda client: client.branches(), show, failed)

    def code(self) -> str | None:
        return self.currentData()


class BranchEditor(QWidget):
    """A page of one branch's data (or of all branches): the branch chooser above a list on the
    left, an editor on the right, a line of news; a refusal is said there and the page's buttons
    come back (:meth:`_enable`)."""

    def __init__(self, link: ConsoleLink, everyone: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.branch = BranchBox(link, everyone)
        self.branch.currentIndexChanged.connect(lambda _i: self.reload())
        self.message = MessageLabel()

    def lay_out(self, left_items: list[QWidget | str], editor: QWidget) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(QCoreApplication.translate("BranchEditor", "Branch")))
        top.addWidget(self.branch)
        top.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(top)
        for item in left_items:
            if isinstance(item, str):
                left.addWidget(QLabel(item))
            else:
                left.addWidget(item, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(editor, 2)

    def refresh(self) -> None:
        self.branch.load(self.reload, self._failed)

    def reload(self) -> None:
        raise NotImplementedError

    def _failed(self, error: Exception) -> None:
        self.message.say(refusal_text(error), bad=True)
        self._enable()

    def _enable(self) -> None:
        """The page's buttons as they should be now (after a refusal too)."""


class ServicesEditor(BranchEditor):
    saved = Signal(dict)
    loaded = Signal()

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(link, parent=parent)
        self.message.setText(self.tr("A retired service is kept (its tickets and figures stay); "
                                     "it is no longer offered at the kiosk."))
        self.services: list[dict[str, Any]] = []
        self.table = list_table([self.tr("Code"), self.tr("Letter"), self.tr("Name (Chinese)"), self.tr("Name (English)"),
                                 self.tr("Daily cap"), self.tr("Minutes"), self.tr("State")])
        self.table.itemSelectionChanged.connect(self._chosen)
        self.code = QLineEdit()
        self.code.setMaxLength(20)
        self.code.setPlaceholderText("payment")
        self.letter = QLineEdit()
        self.letter.setMaxLength(1)
        self.letter.setPlaceholderText("A")
        self.name_zh = QLineEdit()
        self.name_zh.setMaxLength(50)
        self.name_en = QLineEdit()
        self.name_en.setMaxLength(50)
        self.daily_cap = spin(1, 99999, 999)
        self.minutes = spin(1, 600, 5)
        self.sort_order = spin(0, 9999, 0)
        self.from_day = FromDay()
        self.add_button = QPushButton(self.tr("Add as a new service"))
        self.save_button = QPushButton(self.tr("Save changes"))
        self.retire_button = QPushButton(self.tr("Retire"))
        self.restore_button = QPushButton(self.tr("Restore"))
        self.add_button.clicked.connect(lambda: self.save(new=True))
        self.save_button.clicked.connect(lambda: self.save(new=False))
        self.retire_button.clicked.connect(lambda: self.set_active(False))
        self.restore_button.clicked.connect(lambda: self.set_active(True))
        form = QFormLayout()
        form.setVerticalSpacing(10)
        for label, widget in ((self.tr("Code"), self.code), (self.tr("Ticket letter"), self.letter),
                              (self.tr("Name (Chinese)"), self.name_zh), (self.tr("Name (English)"), self.name_en),
                              (self.tr("Daily cap"), self.daily_cap), (self.tr("Standard minutes"), self.minutes),
                              (self.tr("Order at the kiosk"), self.sort_order), (self.tr("In force from"), self.from_day)):
            form.addRow(label, widget)
        editor = QGroupBox(self.tr("Service"))
        editor_layout = QVBoxLayout(editor)
        editor_layout.addLayout(form)
        for pair in ((self.add_button, self.save_button), (self.retire_button, self.restore_button)):
            row = QHBoxLayout()
            for button in pair:
                row.addWidget(button)
            editor_layout.addLayout(row)
        editor_layout.addWidget(self.message)
        editor_layout.addStretch(1)
        self.lay_out([self.table], editor)
        self._enable()

    def reload(self) -> None:
        branch = self.branch.code()
        if branch:
            self.link.run(lambda client: client.services(branch), self._show, self._failed)

    def _show(self, services: list[dict[str, Any]]) -> None:
        chosen = self.selected()
        self.services = services
        self.table.blockSignals(True)
        self.table.setRowCount(len(services))
        for row, service in enumerate(services):
            active = service.get("active", True)
            state = self.tr("in use") if active else self.tr("retired")
            coming = changes_ahead(service)
            cells = (service["code"], service["letter"], service["name_zh"], service["name_en"],
                     str(service["daily_cap"]), str(service["standard_minutes"]), joined(state, coming))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not active:
                    item.setForeground(QBrush(RETIRED))
                self.table.setItem(row, col, item)
            if service["code"] == (chosen or {}).get("code"):
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._chosen()
        self.loaded.emit()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.services[rows[0].row()] if rows and rows[0].row() < len(self.services) else None

    def _chosen(self) -> None:
        service = self.selected()
        if service is not None:
            self.code.setText(service["code"])
            self.letter.setText(service["letter"])
            self.name_zh.setText(service["name_zh"])
            self.name_en.setText(service["name_en"])
            self.daily_cap.setValue(service["daily_cap"])
            self.minutes.setValue(service["standard_minutes"])
            self.sort_order.setValue(service.get("sort_order", 0))
        self._enable()

    def _enable(self) -> None:
        service = self.selected()
        self.add_button.setEnabled(True)
        self.save_button.setEnabled(service is not None)
        self.retire_button.setEnabled(service is not None and service.get("active", True))
        self.restore_button.setEnabled(service is not None and not service.get("active", True))

    def form(self) -> dict[str, Any]:
        return {"code": self.code.text().strip(), "letter": self.letter.text().strip().upper(),
                "name_zh": self.name_zh.text().strip(), "name_en": self.name_en.text().strip(),
                "daily_cap": self.daily_cap.value(), "standard_minutes": self.minutes.value(),
                "sort_order": self.sort_order.value()}

    def save(self, *, new: bool) -> None:
        branch, payload = self.branch.code(), self.form()
        if not branch:
            return
        try:
            check_letter_free(payload["letter"], payload["code"], self.services)
            valid_from = self.from_day.valid_from()
        except UserError as error:
            self.message.say(refusal_text(error), bad=True)
            return
        for button in (self.add_button, self.save_button):
            button.setEnabled(False)
        self.link.run(lambda client: client.save_service(branch, payload, new=new, valid_from=valid_from), self._saved,
                      self._failed, write=True)

    def set_active(self, active: bool) -> None:
        branch, service = self.branch.code(), self.selected()
        if not branch or service is None:
            return
        try:
            valid_from = self.from_day.valid_from()
        except UserError as error:
            self.message.say(refusal_text(error), bad=True)
            return
        self.retire_button.setEnabled(False)
        self.restore_button.setEnabled(False)
        self.link.run(lambda client: client.set_service_active(branch, service["code"], active, valid_from),
                      self._saved, self._failed, write=True)

    def _saved(self, answer: dict[str, Any]) -> None:
        later = bool(answer.get("valid_from"))
        if "active" in answer and later:
            text = (self.tr("Service {code} is restored from {day} (change {change}).") if answer["active"]
                    else self.tr("Service {code} is retired from {day}; until then it is in use (change {change})."))
        elif "active" in answer:
            text = (self.tr("Service {code} restored (change {change}).") if answer["active"]
                    else self.tr("Service {code} retired; it is kept (change {change})."))
        elif answer.get("new"):
            text = (self.tr("Service {code} added; the branches offer it from {day} (change {change}).") if later
                    else self.tr("Service {code} added (change {change})."))
        else:
            text = (self.tr("Service {code} saved; the changes hold from {day} (change {change}).") if later
                    else self.tr("Service {code} saved (change {change})."))
        self.message.say(text.format(code=answer["code"], change=answer["change_id"], day=answer.get("valid_from", "")))
        self.saved.emit(answer)
        self.reload()


class WindowsEditor(BranchEditor):
    saved = Signal(dict)
    loaded = Signal()

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(link, parent=parent)
        self.message.setText(self.tr("Tick the services this window serves; it calls them in the order listed."))
        self.windows: list[dict[str, Any]] = []
        self.services: list[dict[str, Any]] = []
        self.table = list_table([self.tr("Window"), self.tr("Name"), self.tr("Services (calling order)"),
                                 self.tr("State")], stretch=2)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.number = spin(1, 999, 1)
        self.name = QLineEdit()
        self.name.setMaxLength(50)
        self.open = QCheckBox(self.tr("Open (calls tickets)"))
        self.open.setChecked(True)
        self.from_day = FromDay()
        self.serves = QListWidget()
        self.serves.setMinimumHeight(150)
        self.serves.setStyleSheet("QListWidget::item { padding: 6px; }")
        self.up_button = QPushButton(self.tr("Move up"))
        self.down_button = QPushButton(self.tr("Move down"))
        self.up_button.clicked.connect(lambda: self.move(-1))
        self.down_button.clicked.connect(lambda: self.move(1))
        self.save_button = QPushButton(self.tr("Save window"))
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.addRow(self.tr("Window no."), self.number)
        form.addRow(self.tr("Name"), self.name)
        form.addRow("", self.open)
        form.addRow(self.tr("In force from"), self.from_day)
        editor = QGroupBox(self.tr("Window"))
        editor_layout = QVBoxLayout(editor)
        editor_layout.addLayout(form)
        editor_layout.addWidget(QLabel(self.tr("Serves")))
        order = QHBoxLayout()
        order.addWidget(self.up_button)
        order.addWidget(self.down_button)
        editor_layout.addWidget(self.serves, 1)
        editor_layout.addLayout(order)
        editor_layout.addWidget(self.save_button)
        editor_layout.addWidget(self.message)
        self.lay_out([self.table], editor)

    def _enable(self) -> None:
        self.save_button.setEnabled(True)

    def reload(self) -> None:
        branch = self.branch.code()
        if branch:
            self.link.run(lambda client: (client.services(branch), client.windows(branch)), self._show, self._failed)

    def _show(self, answer: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
        self.services, self.windows = answer
        names = {s["code"]: s["name_zh"] for s in self.services}
        chosen = self.number.value()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.windows))
        for row, window in enumerate(self.windows):
            state = self.tr("open") if window.get("active", True) else self.tr("closed")
            coming = changes_ahead(window)
            cells = (str(window["number"]), window.get("name", ""),
                     "、".join(f"{names.get(code, code)} ({code})" for code in window["services"]),
                     joined(state, coming))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not window.get("active", True):
                    item.setForeground(QBrush(RETIRED))
                self.table.setItem(row, col, item)
            if window["number"] == chosen:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        self._chosen()
        self.loaded.emit()

    def _fill_services(self, serves: list[str]) -> None:
        self.serves.clear()
        ordered = [*[s for code in serves for s in self.services if s["code"] == code],
                   *[s for s in self.services if s["code"] not in serves and s.get("active", True)]]
        for service in ordered:
            retired = "" if service.get("active", True) else self.tr(" (retired)")
            item = QListWidgetItem(f"{service['letter']}  {service['name_zh']} ({service['code']}){retired}")
            item.setData(Qt.ItemDataRole.UserRole, service["code"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if service["code"] in serves else Qt.CheckState.Unchecked)
            self.serves.addItem(item)

    def _chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        window = self.windows[rows[0].row()] if rows and rows[0].row() < len(self.windows) else None
        if window is not None:
            self.number.setValue(window["number"])
            self.name.setText(window.get("name", ""))
            self.open.setChecked(window.get("active", True))
        self._fill_services(window["services"] if window else [])

    def move(self, step: int) -> None:
        """The chosen service one place earlier (-1) or later (+1) in the calling order."""
        row = self.serves.currentRow()
        if row < 0 or not 0 <= row + step < self.serves.count():
            return
        item = self.serves.takeItem(row)
        self.serves.insertItem(row + step, item)
        self.serves.setCurrentRow(row + step)

    def ticked(self) -> list[str]:
        return [self.serves.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.serves.count())
                if self.serves.item(i).checkState() == Qt.CheckState.Checked]

    def save(self) -> None:
        branch, number, name, active = self.branch.code(), self.number.value(), self.name.text().strip(), self.open.isChecked()
        try:
            valid_from = self.from_day.valid_from()
            services = self.ticked() if valid_from else check_window(active, self.ticked(), self.services)
        except UserError as error:  # a service beginning later is checked at head office, on its day
            self.message.say(refusal_text(error), bad=True)
            return
        if not branch:
            return
        self.save_button.setEnabled(False)
        self.link.run(lambda client: client.save_window(branch, number, name, active, services, valid_from),
                      self._saved, self._failed, write=True)

    def _saved(self, answer: dict[str, Any]) -> None:
        self._enable()
        if answer.get("valid_from"):
            self.message.say(self.tr("Window {number} saved from {day} (change {change}).").format(
                number=answer["number"], day=answer["valid_from"], change=answer["change_id"]))
        else:
            self.message.say(self.tr("Window {number} saved: {n} services (change {change}).").format(
                number=answer["number"], n=len(answer["services"]), change=answer["change_id"]))
        self.saved.emit(answer)
        self.reload()
