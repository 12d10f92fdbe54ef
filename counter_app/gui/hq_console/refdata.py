"""Reference data edited at head office and published to the branches as new dated versions:
tariffs (:mod:`.tariffs`), the holiday calendar of a year, staff (:mod:`.staff`: created, disabled
or enabled at every branch they belong to), a branch's services and windows (:mod:`.catalog`) and
its local policy tables (:mod:`.policy`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import UserError
from counter_app.gui.hq_console.catalog import ServicesEditor, WindowsEditor
from counter_app.gui.hq_console.common import ConsoleLink, MessageLabel, refusal_text
from counter_app.gui.hq_console.policy import PolicyEditor
from counter_app.gui.hq_console.staff import StaffPage
from counter_app.gui.hq_console.tariffs import TariffEditor
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


class ReferencePage(QWidget):
    """Tariffs, holidays, staff, services, windows and policy tables as sub-tabs; each reads head
    office when it is shown."""

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tariffs = TariffEditor(link)
        self.holidays = HolidayEditor(link)
        self.staff_page = StaffPage(link)
        self.staff = self.staff_page.list
        self.new_staff = self.staff_page.new
        self.services = ServicesEditor(link)
        self.windows = WindowsEditor(link)
        self.policy = PolicyEditor(link)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tariffs, self.tr("Tariffs"))
        self.tabs.addTab(self.holidays, self.tr("Holidays"))
        self.tabs.addTab(self.staff_page, self.tr("Staff"))
        self.tabs.addTab(self.services, self.tr("Services"))
        self.tabs.addTab(self.windows, self.tr("Windows"))
        self.tabs.addTab(self.policy, self.tr("Local policy"))
        self.tabs.currentChanged.connect(lambda _index: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def edits(self) -> list:  # type: ignore[type-arg]
        """The signals of every edit (for the audit list to refresh)."""
        return [self.tariffs.published, self.holidays.published, self.staff.changed, self.new_staff.created,
                self.services.saved, self.windows.saved, self.policy.published]

    def refresh(self) -> None:
        self.tabs.currentWidget().refresh()  # type: ignore[attr-defined]
