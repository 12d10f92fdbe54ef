"""The statistics page: a period (day, week, month, custom), a dimension (clerk, window,
service, hour, day) and filters; one sortable table per section, each exportable to XLSX; and
the monthly review as PDF or XLSX. The figures come from :mod:`counter_app.services.stats`, off
the GUI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import InvalidInput
from counter_app.gui.widgets import ComboBox
from counter_app.gui.rule_words import explain, rule_text
from counter_app.gui.tasks import TaskRunner
from counter_app.services.stats import Filters, Statistics, StatsReport, period_bounds
from counter_app.services.stats.monthly import write_monthly_review
from counter_app.services.stats.tables import SECTIONS, Table, section_table, text_of
from counter_app.services.stats.xlsx import write_xlsx

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


def fill_model(model: QStandardItemModel, table: Table) -> None:
    """Rows shown as text, sorted by their values (numbers as numbers, '—' last)."""
    model.clear()
    model.setHorizontalHeaderLabels([c.title for c in table.columns])
    for row in table.rows:
        items = []
        for value, column in zip(row, table.columns):
            item = QStandardItem(text_of(value, column.kind))
            item.setEditable(False)
            item.setData(value if value is not None else (float("-inf") if column.kind != "text" else ""), SORT_ROLE)
            if column.kind != "text":
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            items.append(item)
        model.appendRow(items)


class StatisticsPage(QWidget):
    computed = Signal(object)  # the StatsReport shown now

    def __init__(self, stats: Statistics, tasks: TaskRunner, *, save_dialog: Callable[..., str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats, self.tasks = stats, tasks
        self.save_dialog = save_dialog or (lambda *a: QFileDialog.getSaveFileName(self, *a)[0])
        self.report: StatsReport | None = None
        self.last_filters = Filters()
        self.tables: dict[str, Table] = {}
        self.period = ComboBox()
        for code, text in (("day", self.tr("Day")), ("week", self.tr("Week")), ("month", self.tr("Month")),
                           ("custom", self.tr("Custom"))):
            self.period.addItem(text, code)
        self.period.setCurrentIndex(2)
        today = QDate(stats.today().year, stats.today().month, stats.today().day)
        self.start, self.end = QDateEdit(today), QDateEdit(today)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.period.currentIndexChanged.connect(self._period_changed)
        self.by = ComboBox()
        for code, text in (("clerk", self.tr("Clerk")), ("window", self.tr("Window")), ("service", self.tr("Service")),
                           ("hour", self.tr("Hour of day")), ("day", self.tr("Day")), ("total", self.tr("Branch total"))):
            self.by.addItem(text, code)
        self.window_filter, self.clerk_filter, self.service_filter = QLineEdit(), QLineEdit(), QLineEdit()
        self.window_filter.setPlaceholderText(self.tr("number"))
        self.clerk_filter.setPlaceholderText(self.tr("staff no."))
        self.service_filter.setPlaceholderText(self.tr("letter"))
        for edit in (self.window_filter, self.clerk_filter, self.service_filter):
            edit.setMaximumWidth(110)
        self.run_button = QPushButton(self.tr("Show"))
        self.run_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("Export XLSX…"))
        self.export_button.clicked.connect(self.export)
        self.review_button = QPushButton(self.tr("Monthly review…"))
        self.review_button.clicked.connect(self.monthly_review)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.tabs = QTabWidget()
        self.models: dict[str, QStandardItemModel] = {}
        self.views: dict[str, QTableView] = {}
        titles = {"queue": self.tr("Queue"), "fees": self.tr("Fees"), "ratings": self.tr("Ratings"),
                  "work": self.tr("Applications and first contact"), "walkin": self.tr("Walk-in services")}
        for section in SECTIONS:
            model = QStandardItemModel(self)
            model.setSortRole(SORT_ROLE)
            view = QTableView()
            view.setModel(model)
            view.setSortingEnabled(True)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.verticalHeader().hide()
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            self.models[section], self.views[section] = model, view
            self.tabs.addTab(view, titles[section])
        top = QHBoxLayout()
        for widget in (QLabel(self.tr("Period")), self.period, self.start, QLabel("—"), self.end, QLabel(self.tr("By")),
                       self.by, QLabel(self.tr("Window")), self.window_filter, QLabel(self.tr("Clerk")),
                       self.clerk_filter, QLabel(self.tr("Service")), self.service_filter, self.run_button):
            top.addWidget(widget)
        top.addStretch(1)
        actions = QHBoxLayout()
        actions.addWidget(self.message, 1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.review_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        self._period_changed()

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.end.setEnabled(custom)

    def bounds(self) -> tuple[date, date]:
        first = self.start.date().toPython()
        return period_bounds(self.period.currentData(), first, self.end.date().toPython())

    def refresh(self) -> None:
        try:
            start, end = self.bounds()
            window = self.window_filter.text().strip()
            if window and not window.isdigit():
                raise InvalidInput("window", "a window number such as 3", code="stats_window_form")
        except InvalidInput as error:
            self.show_error(error)
            return
        by = self.by.currentData()
        service = self.service_filter.text().strip().upper() or None
        clerk = self.clerk_filter.text().strip() or None
        self.message.setText(self.tr("Counting {start} to {end}…").format(start=start, end=end))
        self.run_button.setEnabled(False)

        def work() -> StatsReport:
            filters = self.stats.filters(window=int(window) if window else None, clerk_no=clerk, service=service)
            self.last_filters = filters
            return self.stats.report(start, end, by, filters)

        self.tasks.run(work, self.show_report, self.show_error, write=False)

    def show_report(self, report: StatsReport) -> None:
        self.run_button.setEnabled(True)
        self.report = report
        for section in SECTIONS:
            self.tables[section] = section_table(report, section)
            fill_model(self.models[section], self.tables[section])
        self.message.setText(self.tr("{start} to {end}: {n} rows").format(start=report.start, end=report.end,
                                                                         n=len(report.keys)))
        self.computed.emit(report)

    def show_error(self, error: Exception) -> None:
        self.run_button.setEnabled(True)
        words = explain(error, self.field_word) if isinstance(error, InvalidInput) else rule_text(error)
        self.message.setText(self.tr("Not counted: {error}").format(error=words))

    def field_word(self, field: str) -> str:
        """The filter a refusal names, in the UI language ("clerk: no staff member 9999")."""
        words = {"window": self.tr("window"), "clerk": self.tr("clerk"), "service": self.tr("service"),
                 "branch": self.tr("branch"), "period": self.tr("period"), "start": self.tr("start"),
                 "end": self.tr("end")}
        return words.get(field, field)

    def export(self) -> None:
        if not self.tables or self.report is None:
            self.message.setText(self.tr("Show the statistics first."))
            return
        default = f"统计_{self.report.start}_{self.report.end}_{self.report.by}.xlsx"
        name = self.save_dialog(self.tr("Export statistics"), default, "Excel (*.xlsx)")
        if not name:
            return
        tables = [self.tables[s] for s in SECTIONS]
        title = f"{self.report.start} 至 {self.report.end}"
        self.tasks.run(lambda: write_xlsx(tables, Path(name), title),
                       lambda path: self.message.setText(self.tr("Saved {path}").format(path=path)), self.show_error,
                       write=False)

    def monthly_review(self) -> None:
        month = self.start.date().toPython().strftime("%Y-%m")
        name = self.save_dialog(self.tr("Monthly review {month}").format(month=month), f"每月评点_{month}.pdf",
                                "PDF (*.pdf);;Excel (*.xlsx)")
        if not name:
            return
        self.message.setText(self.tr("Writing the monthly review {month}…").format(month=month))
        self.tasks.run(lambda: write_monthly_review(self.stats, month, Path(name)),
                       lambda path: self.message.setText(self.tr("Saved {path}").format(path=path)), self.show_error,
                       write=False)


__all__ = ["StatisticsPage"]
