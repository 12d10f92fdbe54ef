"""冲正 and 退费 at the counter: a reason and a manager's staff number and password typed there and
then. A void reverses one payment of today; once the day is settled, a refund hands back money
from the prepaid balance (linked to the chosen payment when there is one). Either is one
transaction; its slip is printed after it, and the dialog shows the slip number, what is handed
back by method, and where the slip went."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget,
)

from counter_app.domain.errors import UserError
from counter_app.domain.money import format_fen, parse_yuan
from counter_app.gui.fees.fields import FieldErrors, set_outcome
from counter_app.gui.fees.services import FeeServices
from counter_app.gui.fees.words import PAGE_STYLE, FeeWords, roomy
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import StaffSession
from counter_app.services.billing.accounts import AccountView, PaymentSummary
from counter_app.services.billing.payments import PaymentResult, check_reason
from counter_app.services.billing.receipts import PrintOutcome
from counter_app.gui import keymap


class VoidDialog(QDialog):
    voided = Signal(object)  # PaymentResult of the void

    def __init__(self, services: FeeServices, clerk: StaffSession, tasks: TaskRunner, payment: PaymentSummary | None,
                 parent: QWidget | None = None, *, refund_from: AccountView | None = None) -> None:
        super().__init__(parent)
        self._services, self._clerk, self._tasks, self.payment = services, clerk, tasks, payment
        self.account = refund_from  # set: this dialog refunds from that account's balance
        self.words = FeeWords(self)
        self.errors = FieldErrors()
        self.result: PaymentResult | None = None
        self.setStyleSheet(PAGE_STYLE)
        if refund_from is not None:
            self.setWindowTitle(self.tr("Refund from the prepaid balance (退费)"))
            about = QLabel(self.tr("Account {no} {holder}: prepaid balance {balance}. A refund hands back cash from it "
                                   "and prints a refund slip.").format(
                no=refund_from.account_no, holder=refund_from.holder, balance=format_fen(refund_from.balance_fen)))
        else:
            assert payment is not None
            self.setWindowTitle(self.tr("Void a payment (冲正)"))
            methods = "、".join(self.words.method(m) for m in payment.methods) or self.words.method("balance")
            about = QLabel(self.tr("Receipt {no} of {day}: {amount} by {methods}. The bills and the balance are restored; "
                                   "the money goes back the way it came.").format(
                no=payment.receipt_no, day=payment.business_date.isoformat(), amount=format_fen(payment.amount_fen),
                methods=methods))
        about.setWordWrap(True)
        about.setMinimumWidth(600)  # the layout sets the dialog's minimum, so it grows with the outcome
        self.reason = QLineEdit()
        self.reason.setMaxLength(200)
        self.reason.setPlaceholderText(self.tr("e.g. 金额录错 (amount keyed wrongly)"))
        self.staff_no = QLineEdit()
        self.staff_no.setMaxLength(20)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(self.tr("yuan, e.g. 50.00"))
        form = QFormLayout()
        rows = [(self.tr("&Amount to refund:"), self.amount, "amount", ())] if refund_from is not None else []
        for text, edit, field, aliases in (*rows, (self.tr("&Reason:"), self.reason, "reason", ()),
                                           (self.tr("&Manager's staff number:"), self.staff_no, "staff_no", ("manager",)),
                                           (self.tr("Manager's pass&word:"), self.password, "password", ())):
            label = QLabel(text)
            label.setBuddy(edit)
            form.addRow(label, edit)
            form.addRow(self.errors.add(field, edit, *aliases))
        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        self.void_button = QPushButton(self.tr("&Refund   Ctrl+Enter") if refund_from else self.tr("&Void   Ctrl+Enter"))
        self.close_button = QPushButton(self.tr("Close   Esc"))
        self.close_button.setObjectName("secondary")
        for button in (self.void_button, self.close_button):
            button.setAutoDefault(False)  # Enter moves through the fields; it submits only from the password
        self.void_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.reject)
        self.amount.returnPressed.connect(self.reason.setFocus)
        self.reason.returnPressed.connect(self.staff_no.setFocus)
        self.staff_no.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(key), self, activated=self.submit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.void_button)
        buttons.addWidget(self.close_button)
        roomy(self.void_button, self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        (self.amount if refund_from is not None else self.reason).setFocus()

    def submit(self) -> None:
        if self.result is not None or not self.void_button.isEnabled():
            return
        self.errors.clear()
        set_outcome(self.outcome, "", "idle")
        reason, staff_no, password = self.reason.text(), self.staff_no.text(), self.password.text()
        services, clerk, account = self._services, self._clerk, self.account
        payment_id = self.payment.payment_id if self.payment else None
        amount_text = self.amount.text()

        def void() -> PaymentResult:
            amount = parse_yuan(amount_text, "amount") if account is not None else 0
            check_reason(reason)  # before a manager's login attempt is spent on it
            action = "refund" if account is not None else "void"
            manager = services.auth.verify_manager(staff_no, password, for_action=action, requested_by=clerk)
            if account is not None:
                return services.payments.refund(account.account_id, amount, clerk, manager, reason,
                                                original_payment_id=payment_id)
            return services.payments.void_payment(payment_id or "", clerk, manager, reason)

        self.void_button.setEnabled(False)
        self._tasks.run(void, self._voided, self._failed)

    def _failed(self, error: Exception) -> None:
        self.void_button.setEnabled(True)
        self.password.clear()
        if not isinstance(error, UserError):
            raise error
        field = self.words.field_of(error)
        if field != "bills" and self.errors.has(field):
            self.errors.show(field, self.words.explain(error))
            return
        set_outcome(self.outcome, self.words.explain(error), "bad")

    def _voided(self, result: PaymentResult) -> None:
        self.result = result
        self.void_button.hide()
        for edit in (self.amount, self.reason, self.staff_no, self.password):
            edit.setEnabled(False)
        back = "、".join(f"{self.words.method(p.method)} {format_fen(-p.amount_fen)}" for p in result.parts)
        done = self.tr("Refunded. Refund slip {no}; hand back {back}.") if self.account is not None else \
            self.tr("Voided. Void slip {no}; hand back {back}.")
        self._summary = done.format(no=result.receipt_no, back=back or self.tr("nothing (it was paid from the balance)"))
        set_outcome(self.outcome, self._summary + " " + self.tr("Printing the void slip…"))
        self.close_button.setFocus()
        self.voided.emit(result)
        self._tasks.run(lambda: self._services.print_receipt(result.payment_id, self._clerk), self._printed)

    def _printed(self, outcome: PrintOutcome) -> None:
        if outcome.status == "failed":
            text = self.tr("The void slip was not printed ({detail}); print it from the unprinted list ({key}).").format(
                detail=outcome.detail, key=keymap.label("unprinted"))
            set_outcome(self.outcome, f"{self._summary} {text}", "warn")
            return
        where = self.tr("Void slip printed.") if outcome.status == "printed" else \
            self.tr("No printer: the void slip is saved as {path}.").format(path=outcome.path)
        set_outcome(self.outcome, f"{self._summary} {where}")

