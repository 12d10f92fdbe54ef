"""The account as the clerk sees it: who and where, meter and balance (预存), the outstanding
bills oldest first, each ticked and explained (readings, usage, tier lines, late fee with its
days), and the last payments, from which a void or a reprint is chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QGridLayout, QGroupBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from counter_app.domain.money import format_fen
from counter_app.gui.fees.fields import FieldErrors
from counter_app.gui.fees.words import FeeWords
from counter_app.services.billing.accounts import AccountView, BillView, PaymentSummary

ID_ROLE = Qt.ItemDataRole.UserRole
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _value(text: str = "", name: str = "value") -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class AccountPanel(QWidget):
    bills_changed = Signal()

    def __init__(self, words: FeeWords, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words = words
        self.view: AccountView | None = None
        self._filling = False
        self.holder, self.account_no, self.user_type = _value(name="holder"), _value(), _value()
        self.meter, self.balance, self.address = _value(), _value(), _value()
        self.address.setWordWrap(True)
        card = QGridLayout()
        card.setHorizontalSpacing(14)
        card.addWidget(self.holder, 0, 0, 1, 2)
        card.addWidget(self.account_no, 0, 2, 1, 2)
        for row, (caption, value, col) in enumerate(((self.tr("User type"), self.user_type, 0), (self.tr("Meter"), self.meter, 2),
                                                     (self.tr("Balance (预存)"), self.balance, 0))):
            caption_label = QLabel(caption)
            caption_label.setObjectName("caption")
            card.addWidget(caption_label, 1 + row // 2, col)
            card.addWidget(value, 1 + row // 2, col + 1)
        caption_label = QLabel(self.tr("Address"))
        caption_label.setObjectName("caption")
        card.addWidget(caption_label, 3, 0)
        card.addWidget(self.address, 3, 1, 1, 3)
        card.setColumnStretch(1, 1)
        card.setColumnStretch(3, 1)

        self.bills = QTreeWidget()
        self.bills.setObjectName("bills")
        self.bills.setHeaderLabels([self.tr("Period"), self.tr("Readings"), self.tr("Usage"), self.tr("Amount"),
                                    self.tr("Late fee"), self.tr("Owed"), self.tr("Due by")])
        self.bills.setRootIsDecorated(True)
        self.bills.setUniformRowHeights(True)
        self.bills.setAllColumnsShowFocus(True)
        for column in range(2, 6):
            self.bills.headerItem().setTextAlignment(column, RIGHT)
        header = self.bills.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.bills.itemChanged.connect(self._ticked)
        self.bills_title = QLabel(self.tr("Outstanding b&ills (oldest first; Space ticks or unticks):"))
        self.bills_title.setBuddy(self.bills)

        self.payments = QTableWidget(0, 5)
        self.payments.setObjectName("lastPayments")
        self.payments.setHorizontalHeaderLabels([self.tr("Receipt number"), self.tr("Date"), self.tr("Kind"),
                                                 self.tr("Amount"), self.tr("Method")])
        self.payments.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.payments.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.payments.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.payments.horizontalHeaderItem(3).setTextAlignment(RIGHT)
        self.payments.verticalHeader().hide()
        self.payments.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.payments.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.payments.setMaximumHeight(132)  # four rows; the bills get the height
        payments_title = QLabel(self.tr("&Last payments (choose one to void or reprint):"))
        payments_title.setBuddy(self.payments)

        box = QGroupBox(self.tr("Account"))
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(card)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addWidget(self.bills_title)
        layout.addWidget(self.bills, 1)
        layout.addWidget(errors.add("bills", self.bills))
        layout.addWidget(payments_title)
        layout.addWidget(self.payments)

    # -- filling --------------------------------------------------------------------------------------

    def show_account(self, view: AccountView) -> None:
        self.view = view
        self.holder.setText(view.holder)
        self.account_no.setText(self.tr("Account {no}").format(no=view.account_no))
        self.user_type.setText(view.user_type_label)
        self.meter.setText("、".join(f"{no} (DN{dn})" for no, dn in view.meters) or "—")
        self.balance.setText(format_fen(view.balance_fen))
        self.address.setText(view.address)
        self._filling = True
        self.bills.clear()
        for bill in view.bills:
            self.bills.addTopLevelItem(self._bill_item(bill))
        if not view.bills:
            none = QTreeWidgetItem([self.tr("No outstanding bills.")])
            none.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.bills.addTopLevelItem(none)
        self.bills.expandAll()
        if view.bills:
            self.bills.setCurrentItem(self.bills.topLevelItem(0))
        self._filling = False
        self._fill_payments(view.last_payments)
        self.bills_changed.emit()

    def _bill_item(self, bill: BillView) -> QTreeWidgetItem:
        principal = format_fen(bill.principal_owed_fen)
        if bill.paid_fen:
            principal = self.tr("{owed} (of {amount})").format(owed=principal, amount=format_fen(bill.amount_fen))
        item = QTreeWidgetItem([bill.period, f"{bill.prev_reading} → {bill.curr_reading}", f"{bill.usage_m3} m³", principal,
                                format_fen(bill.late_fee_owed_fen) if bill.late_fee_owed_fen else "—",
                                format_fen(bill.owed_fen), bill.due_date.isoformat()])
        item.setData(0, ID_ROLE, bill.bill_id)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked)
        item.setToolTip(0, self.tr("{start} to {end}").format(start=bill.period_start.isoformat(), end=bill.period_end.isoformat()))
        for column in range(2, 6):
            item.setTextAlignment(column, RIGHT)
        for line in bill.lines:
            child = QTreeWidgetItem([line.description, self.tr("{price} per m³").format(price=format_fen(line.price_fen)),
                                     f"{line.m3} m³", format_fen(line.amount_fen)])
            child.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for column in (2, 3):
                child.setTextAlignment(column, RIGHT)
            item.addChild(child)
        fee = bill.late_fee
        if fee is not None and fee.fee_fen:
            text = self.tr("Late fee (违约金): {days} days overdue from {first}").format(
                days=fee.days, first=fee.first_day.isoformat() if fee.first_day else "—")
            if fee.capped:
                text += self.tr(", capped")
            if fee.fee_fen != bill.late_fee_owed_fen:
                text += self.tr(", partly paid already")
            child = QTreeWidgetItem([text, "", "", "", format_fen(bill.late_fee_owed_fen)])
            child.setFlags(Qt.ItemFlag.ItemIsEnabled)
            child.setTextAlignment(4, RIGHT)
            item.addChild(child)
        return item

    def _fill_payments(self, payments: tuple[PaymentSummary, ...]) -> None:
        self.payments.setRowCount(0)
        for summary in payments:
            row = self.payments.rowCount()
            self.payments.insertRow(row)
            methods = "、".join(self._words.method(m) for m in summary.methods) or self._words.method("balance")
            cells = (summary.receipt_no, summary.business_date.isoformat(), self._words.kind(summary.kind, summary.voided),
                     format_fen(summary.amount_fen), methods)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, summary)
                if column == 3:
                    cell.setTextAlignment(RIGHT)
                self.payments.setItem(row, column, cell)
        if payments:
            self.payments.selectRow(0)  # the newest: what F5 and F6 act on unless another is chosen

    def clear(self) -> None:
        self.view = None
        for label in (self.holder, self.account_no, self.user_type, self.meter, self.balance, self.address):
            label.clear()
        self.bills.clear()
        self.payments.setRowCount(0)
        self.bills_changed.emit()

    # -- what the clerk chose -------------------------------------------------------------------------

    def _ticked(self, item: QTreeWidgetItem, column: int) -> None:
        if not self._filling and column == 0 and item.parent() is None:
            self.bills_changed.emit()

    def selected_bill_ids(self) -> list[str]:
        """The ticked bills, in the order shown (oldest first)."""
        chosen = []
        for index in range(self.bills.topLevelItemCount()):
            item = self.bills.topLevelItem(index)
            bill_id = item.data(0, ID_ROLE)
            if bill_id and item.checkState(0) == Qt.CheckState.Checked:
                chosen.append(bill_id)
        return chosen

    def selected_payment(self) -> PaymentSummary | None:
        rows = self.payments.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.payments.item(rows[0].row(), 0)
        return item.data(ID_ROLE) if item else None

    def select_payment(self, payment_id: str) -> None:
        for row in range(self.payments.rowCount()):
            summary = self.payments.item(row, 0).data(ID_ROLE)
            if summary.payment_id == payment_id:
                self.payments.selectRow(row)
                return
