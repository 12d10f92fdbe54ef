"""Reference data edited at head office and published to the branches as new dated versions:
tariffs (:mod:`.tariffs`), the holiday calendar of a year, and staff disabled or enabled at every
branch they belong to (the branches refuse their login after their next sync)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import UserError
from counter_app.gui.hq_console.common import ConsoleLink, MessageLabel, refusal_text, when
from counter_app.gui.hq_console.tariffs import TariffEditor
from counter_app.gui.widgets import list_table
from counter_app.hq.console_client import parse_time
from counter_app.hq.reference_edits import holidays_text, parse_holidays


class HolidayEditor(QWidget):
    published = Signal(dict)
    loaded = Signal()

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year + 1)
        self.year.setMinimumHeight(38)
        self.load_button = QPushButton(self.tr("Load"))
        self.load_button.clicked.connect(self.refresh)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("2027-01-01 休 元旦\n2027-02-06 班 春节调休")
        self.publish_button = QPushButton(self.tr("Publish this year's calendar"))
        self.publish_button.clicked.connect(self.publish)
        hint = QLabel(self.tr("One day per line: date, 休 (holiday) or 班 (working day), name. The list replaces "
                              "the year's calendar at every branch; late fees count working days by it."))
        hint.setWordWrap(True)
        self.message = MessageLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Year")))
        top.addWidget(self.year)
        top.addWidget(self.load_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.publish_button)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        year = self.year.value()
        self.link.run(lambda client: client.holidays(year), self._show, self._failed)

    def _failed(self, error: Exception) -> None:
        self.publish_button.setEnabled(True)
        self.message.say(refusal_text(error), bad=True)

    def _show(self, days: list[dict[str, Any]]) -> None:
        kinds = {"holiday": "休", "workday": "班"}
        self.text.setPlainText(holidays_text([{**d, "kind": kinds.get(d["kind"], d["kind"])} for d in days]))
        self.message.say(self.tr("{n} days published for {year}.").format(n=len(days), year=self.year.value()))
        self.loaded.emit()

    def publish(self) -> None:
        year = self.year.value()
        try:
            days = parse_holidays(year, self.text.toPlainText())
        except UserError as error:
            self.message.say(refusal_text(error), bad=True)
            return
        self.publish_button.setEnabled(False)
        self.link.run(lambda client: client.set_holidays(year, days), self._published, self._failed, write=True)

    def _published(self, answer: dict[str, Any]) -> None:
        self.publish_button.setEnabled(True)
        self.message.say(self.tr("Published: {n} days of {year} (change {change}).").format(
            n=answer["days"], year=answer["year"], change=answer["change_id"]))
        self.published.emit(answer)


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
        self.disable_button.clicked.connect(lambda: self.set_disabled(True))
        self.enable_button.clicked.connect(lambda: self.set_disabled(False))
        self.message = MessageLabel(self.tr("A disabled staff member cannot log in at a branch once it has synced "
                                     "(within minutes when it is online)."))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
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
        roles = {"clerk": self.tr("clerk"), "backoffice": self.tr("back office"), "manager": self.tr("manager"),
                 "admin": self.tr("administrator")}
        chosen = self.selected()
        self.table.setRowCount(len(people))
        for row, person in enumerate(people):
            state = self.tr("disabled") if person.get("disabled") else self.tr("active")
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


class ReferencePage(QWidget):
    """Tariffs, holidays and staff as sub-tabs; each reads head office when it is shown."""

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tariffs = TariffEditor(link)
        self.holidays = HolidayEditor(link)
        self.staff = StaffList(link)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tariffs, self.tr("Tariffs"))
        self.tabs.addTab(self.holidays, self.tr("Holidays"))
        self.tabs.addTab(self.staff, self.tr("Staff"))
        self.tabs.currentChanged.connect(lambda _index: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        self.tabs.currentWidget().refresh()  # type: ignore[attr-defined]
