"""Status lookup at any window: find an application by its number, the applicant's ID number or
mobile number; see where it stands, what the customer should do next and its stage history;
take in documents that were missing; print the status sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from counter_app.domain.errors import UserError
from counter_app.gui.applications.detail_view import ApplicationDetailView, fill_table, read_only_table
from counter_app.gui.applications.messages import PAGE_STYLE, ApplicationWords, pick
from counter_app.gui.applications.paper import PaperOutput
from counter_app.gui.tasks import TaskRunner
from counter_app.services.applications import ApplicationDetail, ApplicationService, BranchLookup, LookupHit
from counter_app.services.auth import StaffSession


class StatusLookupPage(QWidget):
    shown = Signal(str)  # the application number now on screen
    printed = Signal(object)  # the status sheet PDF
    REFRESH_MS = 15_000

    def __init__(self, service: ApplicationService, who: StaffSession, tasks: TaskRunner, paper: PaperOutput,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service, self._who, self._tasks, self._paper = service, who, tasks, paper
        self.words = ApplicationWords(self)
        self.setStyleSheet(PAGE_STYLE)
        self.hits: list[LookupHit] = []
        self.number: str | None = None
        self.last_sheet: Path | None = None
        self.copy_of: ApplicationDetail | None = None  # another window's application, from the hub's copy
        layout = QVBoxLayout(self)
        search = QHBoxLayout()
        self.query_edit = QLineEdit()
        self.query_edit.setPlaceholderText(self.tr("Application number, resident ID / credit code, or mobile number"))
        self.query_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton(self.tr("Search (Enter)"))
        self.search_button.clicked.connect(self.search)
        search.addWidget(QLabel(self.tr("Find:")))
        search.addWidget(self.query_edit, 1)
        search.addWidget(self.search_button)
        layout.addLayout(search)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        splitter = QSplitter()
        self.results = read_only_table([self.tr("Application no."), self.tr("Type"), self.tr("Applicant"),
                                        self.tr("Status"), self.tr("Accepted"), self.tr("Taken at")])
        self.results.itemSelectionChanged.connect(self._hit_chosen)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)  # the status takes what is left (and elides)
        self.results.setMinimumWidth(600)
        splitter.addWidget(self.results)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.view = ApplicationDetailView()
        right_layout.addWidget(self.view, 1)
        self.hand_in = QGroupBox(self.tr("Documents handed in now"))
        self.hand_in_layout = QVBoxLayout(self.hand_in)
        self.hand_in_button = QPushButton(self.tr("Record documents handed in"))
        self.hand_in_button.clicked.connect(self.record_hand_in)
        self.hand_in_boxes: dict[str, QCheckBox] = {}
        right_layout.addWidget(self.hand_in)
        buttons = QHBoxLayout()
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.print_button = QPushButton(self.tr("Print status sheet"))
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button.clicked.connect(self.print_sheet)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.print_button)
        right_layout.addLayout(buttons)
        self.message = QLabel()
        self.message.setWordWrap(True)
        right_layout.addWidget(self.message)
        splitter.addWidget(right)
        splitter.setSizes([640, 700])
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.hand_in.hide()
        self._enable(False)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(self.REFRESH_MS)

    def _enable(self, on: bool) -> None:
        self.print_button.setEnabled(on)
        self.refresh_button.setEnabled(on)

    def search(self) -> None:
        text = self.query_edit.text()
        self.error.clear()
        self.message.clear()
        self._tasks.run(lambda: self._service.lookup_anywhere(text), self._show_hits, self._failed, write=False)

    def _where(self, hit: LookupHit) -> str:
        if not hit.elsewhere:
            return self.tr("this window")
        return self.tr("window {n}").format(n=hit.window) if hit.window else self.tr("back office")

    def _owner(self, info: ApplicationDetail) -> str:
        return self.tr("window {n}").format(n=info.window_number) if info.window_number else self.tr("back office")

    def _show_hits(self, found: BranchLookup) -> None:
        hits = self.hits = found.hits
        fill_table(self.results, [[h.number, pick(h.type_zh, h.type_en), h.applicant_name,
                                   f"{self.words.status(h.status)} · {pick(h.stage_zh, h.stage_en)}",
                                   h.accepted_on.isoformat() if h.accepted_on else "", self._where(h)] for h in hits])
        if found.unseen is not None:  # the hub cannot be asked: never a bare "not found"
            self.error.setText(self.words.explain(found.unseen))
        if not hits:
            if found.unseen is None:
                self.error.setText(self.tr("Nothing found. Check the number and try again."))
            self.view.clear()
            self.number = None
            self._enable(False)
            self.hand_in.hide()
            return
        self.number = hits[0].number
        self.results.selectRow(0)
        self.show_number(hits[0].number)

    def _hit_chosen(self) -> None:
        rows = self.results.selectionModel().selectedRows()
        if rows and 0 <= rows[0].row() < len(self.hits):
            number = self.hits[rows[0].row()].number
            if number != self.number:
                self.show_number(number)

    def show_number(self, number: str) -> None:
        self.number = number
        self._tasks.run(lambda: self._service.detail_anywhere(number), self._show_detail, self._failed, write=False)

    def refresh(self) -> None:
        if self.number:
            self.show_number(self.number)

    def _tick(self) -> None:
        if self.isVisible() and self.number:
            self.refresh()

    def _show_detail(self, info: ApplicationDetail) -> None:
        if info.number != self.number:
            return
        self.view.show_detail(info)
        self._enable(True)
        self._show_hand_in(info)
        self.copy_of = info if info.copy_as_of_local else None
        self.print_button.setToolTip("")
        if self.copy_of is not None:  # another window's: it changes only where it is kept
            self.print_button.setEnabled(False)  # printed there, from the application itself, not from a copy
            self.print_button.setToolTip(self.tr("The status sheet is printed at {where}, which keeps the application.")
                                         .format(where=self._owner(info)))
            self.hand_in.setTitle(self.tr("Documents handed in now (sent to {where} to be recorded)")
                                  .format(where=self._owner(info)))
        else:
            self.hand_in.setTitle(self.tr("Documents handed in now"))
        self.shown.emit(info.number)

    def _show_hand_in(self, info: ApplicationDetail) -> None:
        for box in self.hand_in_boxes.values():
            self.hand_in_layout.removeWidget(box)
            box.deleteLater()
        self.hand_in_layout.removeWidget(self.hand_in_button)
        self.hand_in_boxes = {}
        for document in info.missing:
            box = QCheckBox(pick(document.name_zh, document.name_en))
            box.setMinimumHeight(30)
            self.hand_in_layout.addWidget(box)
            self.hand_in_boxes[document.code] = box
        self.hand_in_layout.addWidget(self.hand_in_button)
        self.hand_in.setVisible(bool(info.missing))

    def record_hand_in(self) -> None:
        number, codes = self.number, [code for code, box in self.hand_in_boxes.items() if box.isChecked()]
        if not number:
            return
        if self.copy_of is not None:
            owner = self._owner(self.copy_of)
            self._tasks.run(lambda: self._service.forward_hand_in(number, self._who, codes),
                            lambda _sent: self.message.setText(self.tr(
                                "Sent to {where}, which keeps the application: recorded there within seconds while "
                                "that PC is on, and shown here then.").format(where=owner)), self._failed)
            return
        self._tasks.run(lambda: self._service.hand_in_documents(number, self._who, codes),
                        lambda change: (self.message.setText(self.tr("Documents recorded. Status: {status}.")
                                                             .format(status=self.words.status(change.status))),
                                        self.refresh()), self._failed)

    def print_sheet(self) -> None:
        number = self.number
        if not number:
            return
        self._tasks.run(lambda: self._service.print_status_sheet(number, self._who), self._sheet_ready, self._failed,
                        write=False)

    def _sheet_ready(self, path: Path) -> None:
        self.last_sheet = path
        self._paper.output(path, self.message.setText)
        self.printed.emit(path)

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, UserError):
            raise error
        self.error.setText(self.words.explain(error))
        self.query_edit.setFocus()
