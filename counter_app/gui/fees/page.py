"""The fee page (收费) at the counter, keyboard first (keys from ``keymap``: F1–F12 stay the
queue's): Ctrl+F find the account, Enter take it, type what the customer hands over, Ctrl+Enter
collect. The payment commits on the write worker; only then is the receipt printed, on the same
worker, and the outcome shown. Ctrl+D voids the chosen payment (manager's credentials), Ctrl+P
reprints it (补打), Ctrl+U lists receipts never printed, Ctrl+E settles the day (日结), Ctrl+R
reads the account again."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from counter_app.domain.errors import InvalidInput, NotAllowed, UserError
from counter_app.domain.money import format_fen
from counter_app.gui import keymap
from counter_app.gui.fees.account_panel import AccountPanel
from counter_app.gui.fees.fields import FieldErrors, set_outcome
from counter_app.gui.fees.payment_form import PaymentForm
from counter_app.gui.fees.search import AccountSearch
from counter_app.gui.fees.services import FeeServices
from counter_app.gui.fees.settlement_dialog import SettlementDialog
from counter_app.gui.fees.unprinted_dialog import UnprintedDialog
from counter_app.gui.fees.void_dialog import VoidDialog
from counter_app.gui.fees.words import PAGE_STYLE, FeeWords, roomy
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import StaffSession
from counter_app.services.billing.accounts import AccountHit, AccountView
from counter_app.services.billing.payments import PaymentResult, Quote
from counter_app.services.billing.receipts import PrintOutcome, UnprintedReceipt
from counter_app.services.billing.settlement import SettlementRecord

PANEL, RESULTS, HINT = range(3)


class FeePage(QWidget):
    paid = Signal(object)  # PaymentResult
    printed = Signal(object)  # PrintOutcome
    account_shown = Signal(object)  # AccountView

    def __init__(self, services: FeeServices, clerk: StaffSession, tasks: TaskRunner,
                 current_ticket: Callable[[], str | None] = lambda: None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.clerk, self._tasks, self._current_ticket = services, clerk, tasks, current_ticket
        self.words = FeeWords(self)
        self.errors = FieldErrors()
        self.setStyleSheet(PAGE_STYLE)
        self._quote_generation = 0
        self._paid_text = ""
        self.last_result: PaymentResult | None = None
        self.void_dialog: VoidDialog | None = None
        self.unprinted_dialog: UnprintedDialog | None = None
        self.settlement_dialog: SettlementDialog | None = None
        self._build()
        self.check_unprinted()
        self.check_day()

    # -- layout ---------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = AccountSearch(self.services.accounts, self._tasks, self.words, self.errors)
        self.panel = AccountPanel(self.words, self.errors)
        self.form = PaymentForm(self.words, self.errors)
        hint = QLabel(self.tr("Type or scan the account number (户号), the meter number, part of the name or the address, "
                              "then press Enter.") + "\n\n" + "\n".join(f"{key}  {text}" for key, text in self.key_help()))
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setObjectName("words")
        self.stack = QStackedWidget()
        for widget in (self.panel, self.search.results, hint):
            self.stack.addWidget(widget)
        self.stack.setCurrentIndex(HINT)

        self.outcome = QLabel()
        self.outcome.setObjectName("outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        self.day_state = QLabel()
        self.day_state.setObjectName("outcome")
        self.day_state.setWordWrap(True)
        self.day_state.hide()
        self.unprinted_button = QPushButton()
        self.unprinted_button.setObjectName("unprinted")
        self.unprinted_button.hide()
        self.unprinted_button.clicked.connect(self.show_unprinted)
        self.buttons: dict[str, QPushButton] = {}
        for name, text in (
                ("void", self.tr("Void (冲正)")), ("reprint", self.tr("Reprint (补打)")), ("refund", self.tr("Refund (退费)")),
                ("unprinted", self.tr("Unprinted receipts")), ("settle", self.tr("Daily settlement (日结)"))):
            button = QPushButton(f"{text}   {keymap.label(name)}")
            button.setObjectName("secondary")
            button.setMinimumHeight(44)
            roomy(button)
            self.buttons[name] = button
        self.buttons["void"].clicked.connect(self.void_selected)
        self.buttons["reprint"].clicked.connect(self.reprint_selected)
        self.buttons["refund"].clicked.connect(self.refund_from_balance)
        self.buttons["unprinted"].clicked.connect(self.show_unprinted)
        self.buttons["settle"].clicked.connect(self.show_settlement)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.form)
        right.addWidget(self.outcome)
        right.addStretch(1)
        right_column = QWidget()
        right_column.setLayout(right)
        right_column.setFixedWidth(500)
        body = QHBoxLayout()
        body.addWidget(self.stack, 1)
        body.addWidget(right_column)
        bottom = QHBoxLayout()
        for name in ("void", "reprint", "refund", "unprinted", "settle"):
            bottom.addWidget(self.buttons[name])
        bottom.addStretch(1)
        bottom.addWidget(self.day_state, 2)
        bottom.addWidget(self.unprinted_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)

        self.search.searching.connect(self._searching)
        self.search.picked.connect(self._picked)
        self.search.escaped.connect(self._back_to_account)
        self.panel.bills_changed.connect(self.request_quote)
        self.form.quote_inputs_changed.connect(self.request_quote)
        self.form.pay_button.clicked.connect(self.pay)
        for name, action in (("find", self.search.focus), ("submit", self.pay), ("void", self.void_selected),
                             ("reprint", self.reprint_selected), ("refund", self.refund_from_balance),
                             ("unprinted", self.show_unprinted), ("settle", self.show_settlement),
                             ("reload", self.reload_account)):
            for key in keymap.keys(name):
                QShortcut(QKeySequence(key), self, activated=action, context=Qt.ShortcutContext.WindowShortcut)

    def key_help(self) -> list[tuple[str, str]]:
        """This page's keys, for the counter window's key strip and the hint."""
        return [(keymap.label(name), text) for name, text in (
            ("find", self.tr("find")), ("submit", self.tr("collect")), ("void", self.tr("void")),
            ("reprint", self.tr("reprint")), ("refund", self.tr("refund")), ("unprinted", self.tr("unprinted")),
            ("settle", self.tr("日结")), ("reload", self.tr("read the account again")))]

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().showEvent(event)
        focused = self.focusWidget()
        if focused is None or not focused.isVisible():
            self.search.focus()

    # -- the account ------------------------------------------------------------------------------------

    def _searching(self) -> None:
        """A new search hides the account: F12 must never pay an account the clerk has left."""
        self.stack.setCurrentIndex(RESULTS)
        self.form.setEnabled(False)

    def _back_to_account(self) -> None:
        self.stack.setCurrentIndex(PANEL if self.panel.view else HINT)
        self.form.setEnabled(self.panel.view is not None)

    def _picked(self, hit: AccountHit) -> None:
        self.errors.clear()
        set_outcome(self.outcome, "", "idle")
        self.form.reset()
        self.load_account(hit.account_id, focus_form=True)

    def load_account(self, account_id: str, *, focus_form: bool = False, select_payment: str | None = None) -> None:
        def shown(view: AccountView) -> None:
            self.panel.show_account(view)
            self.stack.setCurrentIndex(PANEL)
            self.form.setEnabled(True)
            if select_payment:
                self.panel.select_payment(select_payment)
            if focus_form:
                self.form.first_field().setFocus(Qt.FocusReason.OtherFocusReason)
            self.account_shown.emit(view)

        self._tasks.run(lambda: self.services.accounts.account_view(account_id), shown, self._failed, write=False)

    def reload_account(self) -> None:
        if self.panel.view is not None:
            self.load_account(self.panel.view.account_id)

    def request_quote(self) -> None:
        """Ask the service what the ticked bills owe now; Pay waits for the answer."""
        self._quote_generation += 1
        generation = self._quote_generation
        self.form.set_quote(None)
        view = self.panel.view
        if view is None:
            return
        bill_ids, use_balance = self.panel.selected_bill_ids(), self.form.use_balance.isChecked()

        def quoted(quote: Quote) -> None:
            if generation == self._quote_generation:
                self.form.set_quote(quote)

        self._tasks.run(lambda: self.services.payments.quote(view.account_id, bill_ids, use_balance), quoted,
                        self._failed, write=False)

    # -- collecting -------------------------------------------------------------------------------------

    def pay(self) -> None:
        quote = self.form.quote
        if quote is None or self.panel.view is None or not self.form.pay_button.isEnabled():
            return
        self.errors.clear()
        try:
            parts = self.form.parts()
        except InvalidInput as error:
            self._show_error(error)
            return
        use_balance, ticket_id, clerk = self.form.use_balance.isChecked(), self._current_ticket(), self.clerk
        self.form.set_busy(True)
        set_outcome(self.outcome, self.tr("Taking the payment…"), "warn")
        self._tasks.run(lambda: self.services.payments.take_payment(
            clerk, quote.account_id, parts, bill_ids=list(quote.bill_ids), use_balance=use_balance, ticket_id=ticket_id,
            expected_due_fen=quote.due_fen), self._paid, self._pay_failed)

    def _paid(self, result: PaymentResult) -> None:
        self.form.set_busy(False)
        self.last_result = result
        text = self.tr("Paid: receipt {no}, total {total}.").format(no=result.receipt_no, total=format_fen(result.total_fen))
        if result.tendered_fen:
            text += " " + self.tr("Tendered {tendered}, CHANGE {change}.").format(
                tendered=format_fen(result.tendered_fen), change=format_fen(result.change_fen))
        self._paid_text = text
        set_outcome(self.outcome, text + " " + self.tr("Printing the receipt…"))
        self.form.reset()
        self.paid.emit(result)
        self._tasks.run(lambda: self.services.print_receipt(result.payment_id, self.clerk), self._printed, self._failed)
        self.load_account(result.account_id, select_payment=result.payment_id)
        self.search.focus()

    def _pay_failed(self, error: Exception) -> None:
        self.form.set_busy(False)
        set_outcome(self.outcome, "", "idle")
        self._show_error(error)
        if isinstance(error, NotAllowed) and self.panel.view is not None:
            self.load_account(self.panel.view.account_id)  # show the bills as they stand now; the message stays

    def _printed(self, outcome: PrintOutcome) -> None:
        self.printed.emit(outcome)
        prefix = self._paid_text if not outcome.is_copy else self.tr("Copy (补打) of {no}:").format(no=outcome.receipt_no)
        if outcome.status == "failed":
            set_outcome(self.outcome, prefix + " " + self.tr(
                "The receipt was NOT printed ({detail}). The payment is safe; press {key} to print it.").format(
                detail=outcome.detail, key=keymap.label("unprinted")), "bad")
            self.check_unprinted()
        elif outcome.status == "printed":
            set_outcome(self.outcome, prefix + " " + self.tr("Receipt printed."))
        else:
            set_outcome(self.outcome, prefix + " " + self.tr("No printer: receipt saved as {path}.").format(path=outcome.path))

    # -- void, reprint, unprinted, settlement -----------------------------------------------------------

    def _chosen_payment(self):  # type: ignore[no-untyped-def]
        payment = self.panel.selected_payment()
        if payment is None:
            self._show_error(InvalidInput("payment", "choose a payment in the list of last payments", code="payment_choose"))
        return payment

    def void_selected(self) -> None:
        payment = self._chosen_payment()
        if payment is None:
            return
        self.void_dialog = VoidDialog(self.services, self.clerk, self._tasks, payment, self)
        self.void_dialog.voided.connect(lambda result: self.load_account(result.account_id, select_payment=payment.payment_id))
        self.void_dialog.finished.connect(self._back_from_dialog)
        self.void_dialog.open()

    def refund_from_balance(self) -> None:
        """退费 from the shown account's prepaid balance, linked to the chosen payment if any."""
        view = self.panel.view
        if view is None:
            self._show_error(InvalidInput("account", "find the account first", code="account_first"))
            return
        self.void_dialog = VoidDialog(self.services, self.clerk, self._tasks, self.panel.selected_payment(), self,
                                      refund_from=view)
        self.void_dialog.voided.connect(lambda result: self.load_account(result.account_id))
        self.void_dialog.finished.connect(self._back_from_dialog)
        self.void_dialog.open()

    def reprint_selected(self) -> None:
        payment = self._chosen_payment()
        if payment is None:
            return
        set_outcome(self.outcome, self.tr("Printing a copy (补打) of {no}…").format(no=payment.receipt_no), "warn")
        self._tasks.run(lambda: self.services.print_receipt(payment.payment_id, self.clerk, copy=True), self._printed,
                        self._failed)

    def check_unprinted(self) -> None:
        self._tasks.run(self.services.receipts.unprinted_receipts, self._show_unprinted_count, self._failed, write=False)

    def _show_unprinted_count(self, receipts: list[UnprintedReceipt]) -> None:
        self.unprinted_button.setText(self.tr("{n} receipts not printed: print them now   {key}").format(
            n=len(receipts), key=keymap.label("unprinted")))
        self.unprinted_button.setVisible(bool(receipts))

    def show_unprinted(self) -> None:
        self.unprinted_dialog = UnprintedDialog(self.services, self.clerk, self._tasks, self)
        self.unprinted_dialog.finished.connect(lambda code: (self.check_unprinted(), self._back_from_dialog(code)))
        self.unprinted_dialog.open()

    def show_settlement(self) -> None:
        self.settlement_dialog = SettlementDialog(self.services, self.clerk, self._tasks, self)
        self.settlement_dialog.settled.connect(lambda _record: self.check_day())
        self.settlement_dialog.finished.connect(self._back_from_dialog)
        self.settlement_dialog.open()

    def _back_from_dialog(self, _code: int = 0) -> None:
        self.window().activateWindow()
        self.search.focus()

    def check_day(self) -> None:
        clerk_id = self.clerk.staff_id
        settlement = self.services.settlement
        self._tasks.run(lambda: (settlement.day_summary(clerk_id).settled, settlement.current_day(clerk_id)),
                        lambda answer: self._show_day(*answer), self._failed, write=False)

    def _show_day(self, settled: SettlementRecord | None, current_day) -> None:  # type: ignore[no-untyped-def]
        if settled is None:
            set_outcome(self.day_state, "", "idle")
            return
        set_outcome(self.day_state, self.tr("Today is settled (日结) and locked: new payments count towards {day}.").format(
            day=current_day.isoformat()), "warn")

    # -- errors -----------------------------------------------------------------------------------------

    def _show_error(self, error: Exception) -> None:
        field = self.words.field_of(error)
        if self.errors.has(field):
            self.errors.show(field, self.words.explain(error))
        else:
            set_outcome(self.outcome, self.words.explain(error), "bad")

    def _failed(self, error: Exception) -> None:
        if not isinstance(error, UserError):
            raise error
        self._show_error(error)
