"""The back office's work list: applications by stage, the earliest due first, amber when due
within a working day, red when overdue; record each stage's result, send back with a reason,
attach documents."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from counter_app.domain.errors import UserError
from counter_app.gui import keymap
from counter_app.gui.applications.detail_view import ApplicationDetailView
from counter_app.gui.applications.messages import DUE_COLOURS, PAGE_STYLE, ApplicationWords, pick
from counter_app.gui.applications.work_model import WorkListModel
from counter_app.gui.tasks import TaskRunner
from counter_app.services.applications import ApplicationDetail, ApplicationService, StageChange, WorkList
from counter_app.services.auth import StaffSession
from counter_app.gui.widgets import ComboBox

COLUMN_WIDTHS = (240, 110, 140, 260, 100, 110, 170, 90)


class BackOfficePage(QWidget):
    changed = Signal(object)  # StageChange after a result, a move back or an attachment

    def __init__(self, service: ApplicationService, who: StaffSession, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._who, self._tasks = service, who, tasks
        self.words = ApplicationWords(self)
        self.setStyleSheet(PAGE_STYLE)
        self.number: str | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.stage_combo = ComboBox()
        self.stage_combo.addItem(self.tr("All stages"), "")
        self.stage_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.late_only = QCheckBox(self.tr("Only due soon or overdue"))
        self.late_only.toggled.connect(lambda _on: self.refresh())
        self.refresh_button = QPushButton(self.tr("Refresh ({key})").format(key=keymap.label("reload")))
        self.refresh_button.clicked.connect(self.refresh)
        for key in keymap.keys("reload"):
            QShortcut(QKeySequence(key), self, self.refresh)
        self.count_label = QLabel()
        stage_label = QLabel(self.tr("&Stage:"))
        stage_label.setBuddy(self.stage_combo)
        top.addWidget(stage_label)
        top.addWidget(self.stage_combo)
        top.addWidget(self.late_only)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.count_label)
        layout.addLayout(top)
        legend = QHBoxLayout()
        legend.addWidget(QLabel(self.tr("Colours:")))
        for state in ("amber", "red", "stopped"):
            chip = QLabel(self.words.due(state))
            chip.setStyleSheet(f"background: {DUE_COLOURS[state]}; padding: 1px 8px; border: 1px solid #999;")
            legend.addWidget(chip)
        legend.addStretch(1)
        layout.addLayout(legend)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = WorkListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._row_chosen(current.row()))
        splitter.addWidget(self.table)

        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.view = ApplicationDetailView()
        lower_layout.addWidget(self.view, 1)
        actions = QGroupBox(self.tr("Record this stage"))
        grid = QGridLayout(actions)
        self.result_edit = QLineEdit()
        self.result_edit.setPlaceholderText(self.tr("e.g. survey done, pipe route agreed"))
        self.result_edit.returnPressed.connect(self.pass_stage)
        result_label = QLabel(self.tr("&Result:"))
        result_label.setBuddy(self.result_edit)
        grid.addWidget(result_label, 0, 0)
        grid.addWidget(self.result_edit, 0, 1, 1, 3)
        self.pass_button = QPushButton(self.tr("Passed: go to the next stage"))
        self.fail_button = QPushButton(self.tr("Not passed: keep at this stage"))
        grid.addWidget(self.pass_button, 1, 0, 1, 2)
        grid.addWidget(self.fail_button, 1, 2, 1, 2)
        self.back_combo = ComboBox()
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(self.tr("why it goes back"))
        self.back_button = QPushButton(self.tr("Send back"))
        grid.addWidget(QLabel(self.tr("Back to:")), 2, 0)
        grid.addWidget(self.back_combo, 2, 1)
        grid.addWidget(QLabel(self.tr("Reason:")), 2, 2)
        grid.addWidget(self.reason_edit, 2, 3)
        self.attach_button = QPushButton(self.tr("Attach documents…"))
        for button in (self.fail_button, self.back_button, self.attach_button):
            button.setObjectName("secondary")
        grid.addWidget(self.back_button, 3, 0, 1, 2)
        grid.addWidget(self.attach_button, 3, 2, 1, 2)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        grid.addWidget(self.error, 4, 0, 1, 4)
        grid.addWidget(self.message, 5, 0, 1, 4)
        grid.setRowStretch(6, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)
        lower_layout.addWidget(actions, 1)
        splitter.addWidget(lower)
        splitter.setSizes([470, 330])
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)
        self.pass_button.clicked.connect(self.pass_stage)
        self.fail_button.clicked.connect(self.fail_stage)
        self.back_button.clicked.connect(self.send_back)
        self.attach_button.clicked.connect(self._choose_files)
        self._enable(False)
        self._tasks.run(self._service.stage_choices, self._show_stages, self._failed, write=False)

    def _show_stages(self, stages: list[tuple[str, str, str]]) -> None:
        self.stage_combo.blockSignals(True)
        for code, zh, en in stages:
            self.stage_combo.addItem(pick(zh, en), code)
        self.stage_combo.blockSignals(False)
        self.refresh()

    def _enable(self, on: bool) -> None:
        for widget in (self.pass_button, self.fail_button, self.back_button, self.attach_button, self.result_edit,
                       self.reason_edit, self.back_combo):
            widget.setEnabled(on)

    # ---- the list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        stage, late = self.stage_combo.currentData() or None, self.late_only.isChecked()
        self._tasks.run(lambda: self._service.work_list(stage, late_only=late), self.show_list, self._failed, write=False)

    def show_list(self, work: WorkList) -> None:
        keep = self.number
        self.model.set_items(work.items)
        late = sum(1 for item in work.items if item.due_state in ("amber", "red"))
        self.count_label.setText(self.tr("{n} applications, {late} due soon or overdue").format(n=len(work.items), late=late))
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _row_chosen(self, row: int) -> None:
        item = self.model.item(row)
        if item is None:
            return
        self.select(item.number)

    def select(self, number: str) -> None:
        self.number = number
        self._tasks.run(lambda: self._service.detail(number), self._show_detail, self._failed, write=False)

    def _show_detail(self, info: ApplicationDetail) -> None:
        if info.number != self.number:
            return
        self.view.show_detail(info)
        self._enable(info.status == "open")
        self.attach_button.setEnabled(True)
        self.back_combo.clear()
        for code, zh, en in info.stages:
            if code == info.stage:
                break
            self.back_combo.addItem(pick(zh, en), code)
        self.back_combo.setEnabled(self.back_combo.count() > 0 and info.status == "open")
        self.back_button.setEnabled(self.back_combo.isEnabled())

    # ---- actions -------------------------------------------------------------------------------
    def pass_stage(self) -> None:
        self._record(passed=True)

    def fail_stage(self) -> None:
        self._record(passed=False)

    def _record(self, passed: bool) -> None:
        number, result = self.number, self.result_edit.text()
        if number:
            self._run(lambda: self._service.record_result(number, self._who, result, passed=passed))

    def send_back(self) -> None:
        number, target, reason = self.number, self.back_combo.currentData(), self.reason_edit.text()
        if number and target:
            self._run(lambda: self._service.send_back(number, self._who, target, reason))

    def _choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, self.tr("Choose documents to attach"), "",
                                                      self.tr("Scans and photos (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;All files (*)"))
        if names:
            self.attach_files([Path(name) for name in names])

    def attach_files(self, paths: list[Path]) -> None:
        number = self.number
        if number:
            self._run(lambda: self._service.attach(number, self._who, [self._service.store_attachment(p) for p in paths]))

    def _run(self, work) -> None:  # type: ignore[no-untyped-def]
        self.error.clear()
        self._enable(False)
        self._tasks.run(work, self._done, self._failed)

    def _done(self, change: StageChange) -> None:
        self.result_edit.clear()
        self.reason_edit.clear()
        self.message.setText(self.tr("Saved: {number} is now {status}.").format(
            number=change.number, status=self.words.status(change.status)))
        self.refresh()
        self.select(change.number)
        self.changed.emit(change)

    def _failed(self, error: Exception) -> None:
        if self.number:
            self.select(self.number)
        if not isinstance(error, UserError):
            raise error
        self.error.setText(self.words.explain(error))
