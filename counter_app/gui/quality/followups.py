"""The manager's list of negative-rating follow-ups (差评整改): open and overdue ones first,
each with its rating, deadline and progress; the manager records 核实, 整改 and 回访 and closes
it with the outcome once all three are there."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import InvalidInput
from counter_app.domain.ratings import FOLLOWUP_STEPS, RESOLUTIONS
from counter_app.gui.quality.labels import OVERDUE, QualityWords, reason_names, when
from counter_app.gui.rule_words import rule_text
from counter_app.gui.tasks import TaskRunner
from counter_app.gui.widgets import ComboBox, list_table
from counter_app.services.quality import FollowUpIncomplete, FollowUpView, QualityService

class FollowUpList(QWidget):
    changed = Signal()

    def __init__(self, quality: QualityService, tasks: TaskRunner, staff_id: str, zone: ZoneInfo,
                 language: str = "zh_CN", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = QualityWords(self)
        self.quality, self.tasks, self.staff_id, self.zone, self.language = quality, tasks, staff_id, zone, language
        self.items: list[FollowUpView] = []
        self.which = ComboBox()
        for code, text in (("open", self.tr("Open")), ("overdue", self.tr("Overdue")), ("all", self.tr("All"))):
            self.which.addItem(text, code)
        self.which.currentIndexChanged.connect(self.refresh)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.count_line = QLabel()
        self.table = list_table([
            self.tr("Rated at"), self.tr("Window"), self.tr("Clerk"), self.tr("Ticket"), self.tr("Rating"),
            self.tr("Reasons"), self.tr("Deadline"), self.tr("Progress")], stretch=5)
        self.table.itemSelectionChanged.connect(self._selected)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Show")))
        top.addWidget(self.which)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.count_line)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self._detail_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([880, 460])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._show_detail(None)

    def _detail_panel(self) -> QWidget:
        box = QGroupBox(self.tr("Follow-up"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.steps = QListWidget()
        self.steps.setWordWrap(True)
        self.steps.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.step_kind = ComboBox()
        for step in FOLLOWUP_STEPS:
            self.step_kind.addItem(self.words.step(step), step)
        self.step_text = QPlainTextEdit()
        self.step_text.setPlaceholderText(self.tr("What was found, done or said, and with whom"))
        self.step_text.setFixedHeight(80)
        self.record_button = QPushButton(self.tr("Record"))
        self.record_button.clicked.connect(self.record)
        self.resolution = ComboBox()
        for code in RESOLUTIONS:
            self.resolution.addItem(self.words.resolution(code), code)
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText(self.tr("Outcome in one sentence"))
        self.close_button = QPushButton(self.tr("Close follow-up"))
        self.close_button.clicked.connect(self.close_followup)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Step"), self.step_kind)
        form.addRow(self.tr("Record"), self.step_text)
        form.addRow("", self.record_button)
        form.addRow(self.tr("Result"), self.resolution)
        form.addRow(self.tr("Outcome"), self.outcome)
        form.addRow("", self.close_button)
        layout = QVBoxLayout(box)
        layout.addWidget(self.summary)
        layout.addWidget(self.steps, 1)
        layout.addLayout(form)
        layout.addWidget(self.missing)
        layout.addWidget(self.error)
        return box

    # --- loading -------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        """Current whenever the tab is opened, without pressing 刷新."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        which, followups = self.which.currentData(), self.quality.followups
        self.tasks.run(lambda: followups.listing(which), self.show_items, self._failed, write=False)

    def show_items(self, items: list[FollowUpView], select_id: str | None = None) -> None:
        keep = select_id or (self.current.id if self.current else None)
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            rating = item.rating
            if item.status == "closed":
                progress = self.tr("Closed: {result}").format(result=self.words.resolution(item.resolution))
            elif item.missing:
                progress = self.tr("To record: {steps}").format(steps=self._steps(item.missing))
            else:
                progress = self.tr("Ready to close")
            cells = (when(rating.rated_at or rating.requested_at, self.zone), str(rating.window),
                     f"{rating.clerk_name} {rating.staff_no}", rating.ticket_number or self.tr("walk-in"),
                     self.words.level(rating.level), reason_names(rating.reasons, self.quality.policy, self.language),
                     item.deadline.strftime("%Y-%m-%d") + (self.tr(" (overdue)") if item.overdue else ""), progress)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if item.overdue and item.status == "open":
                    cell.setForeground(QBrush(OVERDUE))
                self.table.setItem(row, column, cell)
        overdue = sum(1 for i in items if i.overdue and i.status == "open")
        self.count_line.setText(self.tr("{count} listed, {overdue} overdue").format(count=len(items), overdue=overdue))
        rows = [r for r, i in enumerate(items) if i.id == keep]
        if rows:
            self.table.selectRow(rows[0])
        else:
            self.table.clearSelection()
        self._show_detail(self.current)  # also when the same row stays selected
        self.changed.emit()

    @property
    def current(self) -> FollowUpView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _selected(self) -> None:
        self._show_detail(self.current)

    def _show_detail(self, item: FollowUpView | None) -> None:
        self.error.setText("")
        editable = item is not None and item.status == "open"
        for widget in (self.step_kind, self.step_text, self.record_button, self.resolution, self.outcome,
                       self.close_button):
            widget.setEnabled(editable)
        self.steps.clear()
        if item is None:
            self.summary.setText(self.tr("Choose a follow-up in the list."))
            self.missing.setText("")
            return
        rating = item.rating
        self.summary.setText(self.tr("{level} from ticket {ticket} at window {window}, clerk {clerk}; "
                                     "opened {opened}, due {deadline}").format(
            level=self.words.level(rating.level), ticket=rating.ticket_number or self.tr("walk-in"),
            window=rating.window,
            clerk=f"{rating.clerk_name} {rating.staff_no}", opened=when(item.opened_at, self.zone),
            deadline=item.deadline.strftime("%Y-%m-%d")))
        for step in item.steps:
            name = self.words.step(step.step)
            self.steps.addItem(f"{when(step.at, self.zone)}  {name}（{step.staff_name}）：{step.text}")
        if item.status == "open" and item.missing:
            self.missing.setText(self.tr("Before closing, record: {steps}").format(steps=self._steps(item.missing)))
        else:
            self.missing.setText("")
        self.close_button.setEnabled(editable and not item.missing)
        index = next((i for i in range(self.step_kind.count()) if self.step_kind.itemData(i) not in
                      {s.step for s in item.steps}), 0)
        self.step_kind.setCurrentIndex(index)

    # --- the manager's actions -----------------------------------------------------------------

    def record(self) -> None:
        item = self.current
        if item is None:
            return
        step, text, followups, staff = self.step_kind.currentData(), self.step_text.toPlainText(), \
            self.quality.followups, self.staff_id
        self.tasks.run(lambda: followups.record(item.id, step, text, staff), self._updated, self._failed)

    def close_followup(self) -> None:
        item = self.current
        if item is None:
            return
        outcome, resolution, followups, staff = self.outcome.text(), self.resolution.currentData(), \
            self.quality.followups, self.staff_id
        self.tasks.run(lambda: followups.close(item.id, outcome, resolution, staff), self._updated, self._failed)

    def _updated(self, view: FollowUpView) -> None:
        self.step_text.clear()
        self.outcome.clear()
        which, followups = self.which.currentData(), self.quality.followups
        self.tasks.run(lambda: followups.listing(which), lambda items: self.show_items(items, view.id), self._failed,
                       write=False)

    def _steps(self, steps: tuple[str, ...]) -> str:
        return "、".join(self.words.step(s) for s in steps)

    def _failed(self, error: Exception) -> None:
        if isinstance(error, FollowUpIncomplete):
            text = self.tr("Before closing, record: {steps}").format(steps=self._steps(error.missing))
        elif isinstance(error, InvalidInput) and error.field == "outcome":
            text = self.tr("Please write the outcome before closing.")
        elif isinstance(error, InvalidInput) and error.code == "not_empty":
            text = self.tr("Please write what was done before recording it.")
        else:
            text = rule_text(error)
        self.error.setText(text)
