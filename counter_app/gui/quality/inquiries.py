"""The first-responder log (首问负责): log an inquiry or complaint as it comes in, see the open
items with their age and who owns them, hand one over with a note, record the answer, and tie
a complaint to the follow-up of a negative rating."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import InvalidInput
from counter_app.gui.quality.labels import OVERDUE, QualityWords, when
from counter_app.gui.rule_words import rule_text
from counter_app.gui.tasks import TaskRunner
from counter_app.gui.widgets import ComboBox, list_table
from counter_app.services.quality import FollowUpView, InquiryView, QualityService

class InquiryLog(QWidget):
    changed = Signal()

    def __init__(self, quality: QualityService, tasks: TaskRunner, staff_id: str, zone: ZoneInfo,
                 window: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = QualityWords(self)
        self.quality, self.tasks, self.staff_id, self.zone, self.window_number = quality, tasks, staff_id, zone, window
        self.items: list[InquiryView] = []
        self.field_names = {"customer": self.tr("Customer"), "contact": self.tr("Contact"), "topic": self.tr("Topic"),
                            "text": self.tr("What the customer said"), "note": self.tr("Hand-over note"),
                            "answer": self.tr("Answer")}
        layout = QVBoxLayout(self)
        layout.addWidget(self._new_item_box())
        self.mine_only = QCheckBox(self.tr("Only mine"))
        self.mine_only.toggled.connect(self.refresh)
        self.count_line = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Open inquiries and complaints")))
        bar.addStretch(1)
        bar.addWidget(self.count_line)
        bar.addWidget(self.mine_only)
        layout.addLayout(bar)
        self.table = list_table([self.tr("Kind"), self.tr("Customer"), self.tr("Topic"), self.tr("Owner"),
                                 self.tr("First received by"), self.tr("Age"), self.tr("Answer due")], stretch=2)
        self.table.itemSelectionChanged.connect(self._show_selected)
        body = QSplitter(Qt.Orientation.Horizontal)  # the list gets the height, the chosen item a side column
        body.addWidget(self.table)
        body.addWidget(self._actions_box())
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setSizes([800, 520])
        layout.addWidget(body, 1)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        self._show_selected()

    def _new_item_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Log an inquiry or complaint"))
        self.kind = ComboBox()
        for code in ("inquiry", "complaint"):
            self.kind.addItem(self.words.kind(code), code)
        self.customer, self.contact, self.topic = QLineEdit(), QLineEdit(), QLineEdit()
        self.text = QPlainTextEdit()
        self.text.setFixedHeight(60)
        self.log_button = QPushButton(self.tr("Log it"))
        self.log_button.clicked.connect(self.log_item)
        form = QFormLayout(box)
        row = QHBoxLayout()
        for label, widget in ((self.tr("Kind"), self.kind), (self.field_names["customer"], self.customer),
                              (self.field_names["contact"], self.contact), (self.field_names["topic"], self.topic)):
            row.addWidget(QLabel(label))
            row.addWidget(widget, 1)
        form.addRow(row)
        text_row = QHBoxLayout()
        text_row.addWidget(self.text, 1)
        text_row.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignBottom)
        form.addRow(self.field_names["text"], text_row)
        return box

    def _actions_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Selected item"))
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.colleague = ComboBox()
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.field_names["note"])
        self.hand_button = QPushButton(self.tr("Hand over"))
        self.hand_button.clicked.connect(self.hand_over)
        self.answer = QLineEdit()
        self.answer.setPlaceholderText(self.tr("The answer given to the customer"))
        self.answer_button = QPushButton(self.tr("Answer and close"))
        self.answer_button.clicked.connect(self.answer_item)
        self.followup = ComboBox()
        self.link_button = QPushButton(self.tr("Link to follow-up"))
        self.link_button.clicked.connect(self.link)
        form = QVBoxLayout(box)
        form.addWidget(self.detail)
        for widgets in ((self.colleague, self.note, self.hand_button), (self.answer, self.answer_button),
                        (self.followup, self.link_button)):
            row = QHBoxLayout()
            for widget in widgets:
                row.addWidget(widget, 0 if isinstance(widget, QPushButton) else 1)
            form.addLayout(row)
        form.addStretch(1)
        return box

    # --- loading -------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        """Current whenever the tab is opened, without pressing 刷新."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        inquiries, owner = self.quality.inquiries, self.staff_id if self.mine_only.isChecked() else None
        followups = self.quality.followups
        self.tasks.run(lambda: (inquiries.open_items(owner), inquiries.colleagues(), followups.listing("open")),
                       self._loaded, self._failed, write=False)

    def _loaded(self, loaded: tuple[list[InquiryView], list[tuple[str, str]], list[FollowUpView]]) -> None:
        items, colleagues, followups = loaded
        self.colleague.clear()
        for staff_id, label in colleagues:
            if staff_id != self.staff_id:
                self.colleague.addItem(label, staff_id)
        self.followup.clear()
        for f in followups:
            self.followup.addItem(f"{f.rating.ticket_number or '—'} {self.words.level(f.rating.level)} "
                                  f"{f.rating.clerk_name} {when(f.rating.requested_at, self.zone)}", f.id)
        self.show_items(items)

    def show_items(self, items: list[InquiryView]) -> None:
        keep = self.current.id if self.current else None
        self.items = items
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            due = item.answer_due.strftime("%Y-%m-%d") + (self.tr(" (overdue)") if item.overdue else "")
            cells = (self.words.kind(item.kind), f"{item.customer} {item.contact}".strip(), item.topic, item.owner_name,
                     item.received_by_name, self.words.age(item.age), due)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if item.overdue:
                    cell.setForeground(QBrush(OVERDUE))
                self.table.setItem(row, column, cell)
        self.count_line.setText(self.tr("{count} open").format(count=len(items)))
        rows = [r for r, i in enumerate(items) if i.id == keep]
        if rows:
            self.table.selectRow(rows[0])
        self._show_selected()
        self.changed.emit()

    @property
    def current(self) -> InquiryView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _show_selected(self) -> None:
        item = self.current
        for widget in (self.colleague, self.note, self.hand_button, self.answer, self.answer_button):
            widget.setEnabled(item is not None)
        complaint = item is not None and item.kind == "complaint"
        self.followup.setEnabled(complaint)
        self.link_button.setEnabled(complaint and self.followup.count() > 0)
        if item is None:
            self.detail.setText(self.tr("Choose an item in the list."))
            return
        history = "；".join(f"{when(e.at, self.zone)} {self.words.happening(e.kind)} {e.from_name}"
                           + (f"→{e.to_name}" if e.to_name else "") + (f"：{e.note}" if e.note else "")
                           for e in item.events)
        self.detail.setText(f"{self.words.kind(item.kind)}：{item.text}" + (f"\n{history}" if history else ""))
        inquiries = self.quality.inquiries
        self.tasks.run(lambda: inquiries.get(item.id), self._detail_loaded, self._failed, write=False)

    def _detail_loaded(self, item: InquiryView) -> None:
        if self.current is not None and self.current.id == item.id and item.events and not self.current.events:
            self.items[self.items.index(self.current)] = item
            self._show_selected()

    # --- actions -------------------------------------------------------------------------------

    def log_item(self) -> None:
        values = (self.kind.currentData(), self.customer.text(), self.contact.text(), self.topic.text(),
                  self.text.toPlainText())
        inquiries, staff, window = self.quality.inquiries, self.staff_id, self.window_number
        self.tasks.run(lambda: inquiries.log(*values, staff, window), self._logged, self._failed)

    def _logged(self, _item: InquiryView) -> None:
        for widget in (self.customer, self.contact, self.topic, self.text):
            widget.clear()
        self.error.setText("")
        self.refresh()

    def hand_over(self) -> None:
        item, target, note = self.current, self.colleague.currentData(), self.note.text()
        if item is not None and target:
            inquiries, staff = self.quality.inquiries, self.staff_id
            self.tasks.run(lambda: inquiries.hand_over(item.id, staff, target, note), self._done, self._failed)

    def answer_item(self) -> None:
        item, text = self.current, self.answer.text()
        if item is not None:
            inquiries, staff = self.quality.inquiries, self.staff_id
            self.tasks.run(lambda: inquiries.answer(item.id, staff, text), self._done, self._failed)

    def link(self) -> None:
        item, followup = self.current, self.followup.currentData()
        if item is not None and followup:
            inquiries, staff = self.quality.inquiries, self.staff_id
            self.tasks.run(lambda: inquiries.link_followup(item.id, followup, staff), self._done, self._failed)

    def _done(self, _item: InquiryView) -> None:
        self.note.clear()
        self.answer.clear()
        self.error.setText("")
        self.refresh()

    def _failed(self, error: Exception) -> None:
        if isinstance(error, InvalidInput) and error.field in self.field_names:
            self.error.setText(self.tr("{field}: {rule}").format(field=self.field_names[error.field],
                                                                 rule=rule_text(error)))
        else:
            self.error.setText(rule_text(error))
