"""Receipts whose payment is committed but whose paper never came out (a printer fault, or the
PC stopped between the commit and the printer): offered after a restart and after a fault, and
printed from here as copies marked 补打."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from counter_app.domain.money import format_fen
from counter_app.domain.timeutil import format_local
from counter_app.gui.fees.fields import set_outcome
from counter_app.gui.fees.services import FeeServices
from counter_app.gui.fees.words import PAGE_STYLE, FeeWords, roomy
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import StaffSession
from counter_app.services.billing.receipts import PrintOutcome, UnprintedReceipt


class UnprintedDialog(QDialog):
    printed = Signal(object)  # PrintOutcome

    def __init__(self, services: FeeServices, clerk: StaffSession, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._clerk, self._tasks = services, clerk, tasks
        self.words = FeeWords(self)
        self.pending = 0
        self.lines: list[str] = []
        self.failures = 0
        self.setWindowTitle(self.tr("Receipts not printed"))
        self.setStyleSheet(PAGE_STYLE)
        self.resize(900, 460)
        intro = QLabel(self.tr("These payments are taken and safe, but their receipt never came out of the printer. "
                               "Print them now; each is marked 补打 (copy)."))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("Receipt number"), self.tr("Kind"), self.tr("Account number"),
                                              self.tr("Amount"), self.tr("Taken at"), self.tr("Failed attempts")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.print_selected = QPushButton(self.tr("&Print selected (补打)"))
        self.print_all = QPushButton(self.tr("Print &all"))
        close = QPushButton(self.tr("Close   Esc"))
        close.setObjectName("secondary")
        self.print_selected.setDefault(True)  # Enter prints the chosen receipts
        self.print_all.setAutoDefault(False)
        close.setAutoDefault(False)
        self.print_selected.clicked.connect(lambda: self._print(self._chosen()))
        self.print_all.clicked.connect(lambda: self._print(self._all()))
        close.clicked.connect(self.reject)
        roomy(self.print_selected, self.print_all, close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_selected)
        buttons.addWidget(self.print_all)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self._tasks.run(self._services.receipts.unprinted_receipts, self._fill, write=False)

    def _fill(self, receipts: list[UnprintedReceipt]) -> None:
        self.table.setRowCount(0)
        for receipt in receipts:
            row = self.table.rowCount()
            self.table.insertRow(row)
            cells = (receipt.receipt_no, self.words.kind(receipt.kind), receipt.account_no, format_fen(receipt.total_fen),
                     format_local(receipt.issued_at, self._services.zone, "%Y-%m-%d %H:%M"), str(receipt.failed_attempts))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, receipt)
                self.table.setItem(row, column, cell)
        if receipts:
            self.table.selectRow(0)
            self.table.setFocus()
        elif not self.pending and not self.lines:
            set_outcome(self.outcome, self.tr("Every receipt is printed."))
        for button in (self.print_selected, self.print_all):
            button.setEnabled(bool(receipts) and not self.pending)

    def _chosen(self) -> list[UnprintedReceipt]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in rows]

    def _all(self) -> list[UnprintedReceipt]:
        return [self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in range(self.table.rowCount())]

    def _print(self, receipts: list[UnprintedReceipt]) -> None:
        if not receipts or self.pending:
            return
        self.pending = len(receipts)
        self.print_selected.setEnabled(False)
        self.print_all.setEnabled(False)
        self.lines, self.failures = [], 0
        set_outcome(self.outcome, self.tr("Printing {n} receipts…").format(n=len(receipts)), "warn")
        for receipt in receipts:  # the write pool keeps them in order, one after another
            payment_id = receipt.payment_id
            self._tasks.run(lambda p=payment_id: self._services.print_receipt(p, self._clerk, copy=True), self._done)

    def _done(self, outcome: PrintOutcome) -> None:
        self.pending -= 1
        self.failures += outcome.status == "failed"
        self.lines.append(f"{outcome.receipt_no}: {self.words.print_status(outcome.status)}"
                          + (f" ({outcome.detail})" if outcome.detail else ""))
        self.printed.emit(outcome)
        if self.pending == 0:
            set_outcome(self.outcome, "；".join(self.lines), "warn" if self.failures else "ok")
            self.reload()
