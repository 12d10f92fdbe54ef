"""日结 at the counter: the clerk's day by method (payments, voids, refunds, net), the cash the
drawer should hold, the cash counted, the difference; then the day is locked and the report
printed. Locking asks twice: after it, today's payments can no longer be voided."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from counter_app.domain.allocation import METHODS
from counter_app.domain.errors import InvalidInput, UserError
from counter_app.domain.money import format_fen, parse_yuan
from counter_app.domain.timeutil import format_local
from counter_app.gui.fees.fields import FieldErrors, restyle, set_outcome
from counter_app.gui.fees.services import FeeServices
from counter_app.gui.fees.words import PAGE_STYLE, FeeWords, roomy
from counter_app.gui.printing import Delivered
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import StaffSession
from counter_app.services.billing.settlement import DaySummary, SettlementRecord

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SettlementDialog(QDialog):
    settled = Signal(object)  # SettlementRecord

    def __init__(self, services: FeeServices, clerk: StaffSession, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services, self._clerk, self._tasks = services, clerk, tasks
        self.words = FeeWords(self)
        self.errors = FieldErrors()
        self.summary: DaySummary | None = None
        self._confirming = False
        self.setWindowTitle(self.tr("Daily settlement (日结)"))
        self.setStyleSheet(PAGE_STYLE)
        self.heading = QLabel()
        self.heading.setObjectName("title")
        self.heading.setMinimumWidth(720)  # the layout sets the dialog's minimum, so it grows with the outcome
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.grid = QGridLayout()
        self.cells: dict[tuple[int, int], QLabel] = {}
        headers = (self.tr("Method"), self.tr("Payments"), self.tr("Voids"), self.tr("Refunds"), self.tr("Net"))
        row_names = [self.words.method(m) for m in METHODS] + [self.tr("Count")]
        for column, text in enumerate(headers):
            self.grid.addWidget(self._cell(text, bold=True, right=column > 0), 0, column)
        for row, text in enumerate(row_names, start=1):
            self.grid.addWidget(self._cell(text, bold=True), row, 0)
            for column in range(1, 5):
                self.cells[(row, column)] = self._cell("", right=True)
                self.grid.addWidget(self.cells[(row, column)], row, column)
        table = QGroupBox(self.tr("The day by method"))
        table.setLayout(self.grid)
        self.extra = QLabel()
        self.extra.setWordWrap(True)
        self.extra.setObjectName("caption")
        self.expected = QLabel()
        self.expected.setObjectName("due")
        self.counted = QLineEdit()
        self.counted.setMaxLength(16)
        self.counted.setPlaceholderText("0.00")
        self.counted.textEdited.connect(lambda _text: self._show_difference())
        self.difference = QLabel("—")
        self.difference.setObjectName("change")
        form = QFormLayout()
        form.addRow(self.tr("Cash the drawer should hold:"), self.expected)
        counted_label = QLabel(self.tr("Cash &counted ¥:"))
        counted_label.setBuddy(self.counted)
        form.addRow(counted_label, self.counted)
        form.addRow(self.errors.add("counted_cash", self.counted))
        form.addRow(self.tr("Difference:"), self.difference)
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        self.settle_button = QPushButton(self.tr("&Settle and lock the day   Ctrl+Enter"))
        self.report_button = QPushButton(self.tr("&Print report"))
        self.report_button.setObjectName("secondary")
        close = QPushButton(self.tr("Close   Esc"))
        close.setObjectName("secondary")
        for button in (self.settle_button, self.report_button, close):
            button.setAutoDefault(False)  # Enter in the counted field is the one way in, and it asks twice
        self.settle_button.clicked.connect(self.settle)
        self.report_button.clicked.connect(self.print_report)
        close.clicked.connect(self.reject)
        self.counted.returnPressed.connect(self.settle)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, activated=self.settle)
        roomy(self.settle_button, self.report_button, close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.settle_button)
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.state)
        layout.addWidget(table)
        layout.addWidget(self.extra)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.settle_button.setEnabled(False)
        self.reload()

    @staticmethod
    def _cell(text: str, bold: bool = False, right: bool = False) -> QLabel:
        label = QLabel(text)
        label.setObjectName("value")
        if bold:
            label.setStyleSheet("font-weight: bold;")
        if right:
            label.setAlignment(RIGHT)
        return label

    def reload(self) -> None:
        clerk_id = self._clerk.staff_id
        self._tasks.run(lambda: self._services.settlement.day_summary(clerk_id), self._show, self._failed, write=False)

    def _show(self, summary: DaySummary) -> None:
        self.summary = summary
        day = summary.business_date.isoformat()
        self.heading.setText(self.tr("{day} — {name} {no}").format(day=day, name=summary.clerk_name, no=summary.clerk_no))
        kinds = (summary.payments, summary.voids, summary.refunds)
        for row, method in enumerate(METHODS, start=1):
            for column, totals in enumerate(kinds, start=1):
                self.cells[(row, column)].setText(format_fen(totals.by_method.get(method, 0)))
            self.cells[(row, 4)].setText(format_fen(summary.net_by_method.get(method, 0)))
        count_row = len(METHODS) + 1
        for column, totals in enumerate(kinds, start=1):
            self.cells[(count_row, column)].setText(str(totals.count))
        self.extra.setText(self.tr("Late fees {fee}; prepaid into balances {to}; paid from balances {from_}; "
                                   "receipts {first} to {last}.").format(
            fee=format_fen(summary.late_fee_fen), to=format_fen(summary.to_balance_fen),
            from_=format_fen(summary.from_balance_fen), first=summary.first_receipt_no or "—", last=summary.last_receipt_no or "—"))
        self.expected.setText(format_fen(summary.expected_cash_fen))
        record = summary.settled
        if record is None:
            self.state.setText(self.tr("Not settled yet. Count the cash in the drawer and enter it below."))
            self.settle_button.setEnabled(True)
            self.counted.setFocus()
        else:
            self._show_record(record)
        self._show_difference()

    def _show_record(self, record: SettlementRecord) -> None:
        self.state.setText(self.tr("Settled and locked at {time}. New payments count towards the next business day.").format(
            time=format_local(record.locked_at, self._services.zone, "%Y-%m-%d %H:%M")))
        self.counted.setText(format_fen(record.counted_cash_fen, symbol=""))
        self.counted.setEnabled(False)
        self.settle_button.setEnabled(False)
        self.difference.setText(self._difference_text(record.difference_fen))
        self.report_button.setFocus()

    def _difference_text(self, difference: int) -> str:
        restyle(self.difference, "state", "ok" if difference == 0 else "short")
        if difference == 0:
            return self.tr("none, the cash is right")
        if difference > 0:
            return self.tr("surplus (长款) {amount}").format(amount=format_fen(difference))
        return self.tr("shortage (短款) {amount}").format(amount=format_fen(-difference))

    def _counted_fen(self) -> int:
        return parse_yuan(self.counted.text(), "counted_cash", allow_zero=True)

    def _show_difference(self) -> None:
        self._confirming = False
        self.settle_button.setText(self.tr("&Settle and lock the day   Ctrl+Enter"))
        if self.summary is None or self.summary.settled is not None:
            return
        try:
            counted = self._counted_fen()
        except InvalidInput:
            self.difference.setText("—")
            return
        self.difference.setText(self._difference_text(counted - self.summary.expected_cash_fen))

    def settle(self) -> None:
        if self.summary is None or self.summary.settled is not None or not self.settle_button.isEnabled():
            return
        try:
            counted = self._counted_fen()
        except InvalidInput as error:
            self.errors.show("counted_cash", self.words.explain(error))
            return
        if not self._confirming:
            self._confirming = True
            self.settle_button.setText(self.tr("Press again to lock {day}").format(day=self.summary.business_date.isoformat()))
            set_outcome(self.outcome, self.tr("After locking, today's payments can no longer be voided and new payments "
                                              "count towards the next business day. Press Ctrl+Enter again to lock."), "warn")
            return
        self.settle_button.setEnabled(False)
        day = self.summary.business_date
        self._tasks.run(lambda: self._services.settlement.settle_day(self._clerk, counted, day), self._settled, self._failed)

    def _settled(self, record: SettlementRecord) -> None:
        self.settled.emit(record)
        set_outcome(self.outcome, self.tr("The day is settled and locked. Printing the report…"))
        self.reload()
        self.print_report()

    def print_report(self) -> None:
        if self.summary is None:
            return
        clerk_id, day = self._clerk.staff_id, self.summary.business_date
        self.report_button.setEnabled(False)
        self._tasks.run(lambda: self._services.print_settlement_report(clerk_id, day), self._reported, self._failed)

    def _reported(self, delivered: Delivered) -> None:
        self.report_button.setEnabled(True)
        self.report = delivered
        set_outcome(self.outcome, delivered.message)

    def _failed(self, error: Exception) -> None:
        self.report_button.setEnabled(True)
        self.settle_button.setEnabled(self.summary is not None and self.summary.settled is None)
        if not isinstance(error, UserError):
            raise error
        if isinstance(error, InvalidInput) and self.errors.has(error.field):
            self.errors.show(error.field, self.words.explain(error))
            return
        set_outcome(self.outcome, self.words.explain(error), "bad")
