"""One application at a glance: where it stands, its due state, what the customer should do
next, the stage history and the promised dates ahead. Shared by the status lookup and the
back office."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from counter_app.gui.applications.messages import DUE_COLOURS, ApplicationWords, pick
from counter_app.services.applications import ApplicationDetail


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    table.resizeRowsToContents()


class ApplicationDetailView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.words = ApplicationWords(self)
        self.detail: ApplicationDetail | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(self.tr("No application chosen"))
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        form = QFormLayout()
        self.applicant, self.address, self.status, self.due, self.elapsed, self.taken = (QLabel() for _ in range(6))
        for label in (self.applicant, self.address, self.status, self.due, self.elapsed, self.taken):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Applicant:"), self.applicant)
        form.addRow(self.tr("Site address:"), self.address)
        form.addRow(self.tr("Status:"), self.status)
        due_row = QHBoxLayout()
        due_row.addWidget(self.due)
        due_row.addStretch(1)
        form.addRow(self.tr("Stage due:"), due_row)
        form.addRow(self.tr("Working days used:"), self.elapsed)
        self.taken.setWordWrap(False)  # one line: a wrapped label here squeezes the rows above it
        form.addRow(self.tr("Taken at:"), self.taken)  # shown for another window's application only
        form.setRowVisible(self.taken, False)
        self.form = form
        layout.addLayout(form)
        self.next_step = QLabel()
        self.next_step.setObjectName("nextStep")
        self.next_step.setWordWrap(True)
        self.next_step.setStyleSheet("QLabel#nextStep { font-size: 18px; font-weight: bold; color: #0b4f8a;"
                                     " background: #eef4fb; border-radius: 6px; padding: 8px; }")
        layout.addWidget(self.next_step)
        self.tabs = QTabWidget()
        self.history = read_only_table([self.tr("Time"), self.tr("Stage"), self.tr("What happened"),
                                        self.tr("Result / reason"), self.tr("By")])
        self.schedule = read_only_table([self.tr("Stage"), self.tr("Limit (working days)"), self.tr("Promised date")])
        self.documents = read_only_table([self.tr("Document"), self.tr("State")])
        for table in (self.history, self.schedule, self.documents):
            table.setMinimumHeight(90)
        self.tabs.addTab(self.history, self.tr("Stage history"))
        self.tabs.addTab(self.schedule, self.tr("Stages ahead"))
        self.tabs.addTab(self.documents, self.tr("Documents"))
        layout.addWidget(self.tabs, 1)
        self.next_step.hide()

    def show_detail(self, info: ApplicationDetail) -> None:
        self.detail = info
        w = self.words
        self.title.setText(f"{info.number}  ·  {pick(info.type_zh, info.type_en)}")
        who = info.applicant_name + (f"（{info.contact}）" if info.contact else "")
        self.applicant.setText(f"{who}   {info.phone}")
        self.address.setText(info.site_address)
        stage = pick(info.stage_zh, info.stage_en)
        self.status.setText(self.tr("{status} — stage: {stage}").format(status=w.status(info.status), stage=stage))
        due = info.due.isoformat() if info.due and info.status == "open" else ""
        self.due.setText(f"{due}  {w.due(info.due_state)}".strip())
        colour = DUE_COLOURS.get(info.due_state)
        self.due.setStyleSheet(f"background: {colour}; padding: 2px 6px; border-radius: 4px;" if colour else "")
        self.due.setMinimumHeight(self.due.sizeHint().height())  # the chip's padding: never squeezed
        elapsed = self.tr("{n} working days").format(n=info.elapsed_days)
        if info.stopped_days:
            elapsed += self.tr(" (plus {n} stopped for missing documents)").format(n=info.stopped_days)
        self.elapsed.setText(elapsed)
        self.taken.setText(self._taken(info))
        self.form.setRowVisible(self.taken, bool(info.copy_as_of_local))
        step = pick(info.next_step.text_zh, info.next_step.text_en)
        self.next_step.setText(self.tr("Next step: {step}").format(step=step))
        self.next_step.show()
        fill_table(self.history, [[h.at_local, pick(h.stage_zh, h.stage_en), w.action(h.action),
                                   "；".join(part for part in (h.result, h.reason) if part), h.staff_name]
                                  for h in reversed(info.history)])
        fill_table(self.schedule, [[pick(s.name_zh, s.name_en), str(s.limit_days), s.due.isoformat()] for s in info.schedule])
        fill_table(self.documents, [[pick(d.name_zh, d.name_en), w.document_state(d.state)] for d in info.documents])
        for row, document in enumerate(info.documents):
            if document.state == "missing":
                self.documents.item(row, 1).setBackground(Qt.GlobalColor.yellow)
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def _taken(self, info: ApplicationDetail) -> str:
        where = self.tr("window {n}").format(n=info.window_number) if info.window_number else self.tr("back office")
        text = f"{where} · {info.clerk_name} ({info.clerk_no}) · {info.accepted_at_local}"
        if info.copy_as_of_local:
            text += " · " + self.tr("copy as of {time}").format(time=info.copy_as_of_local)
        return text

    def clear(self) -> None:
        self.detail = None
        self.title.setText(self.tr("No application chosen"))
        for label in (self.applicant, self.address, self.status, self.due, self.elapsed, self.taken):
            label.clear()
        self.form.setRowVisible(self.taken, False)
        self.due.setStyleSheet("")
        self.next_step.hide()
        for table in (self.history, self.schedule, self.documents):
            table.setRowCount(0)
