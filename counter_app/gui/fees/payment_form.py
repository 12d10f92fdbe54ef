"""How the customer pays: from the balance, an extra prepayment, cash (tendered, change shown as
typed, never negative), bank card or QR (reference number), or a split of card/QR and cash.
The amounts come from the service's quote; the form only reads what the clerk typed into
:class:`MethodPart` values, which the domain checks (field and rule) before anything is sent."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup, QCheckBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QRadioButton, QVBoxLayout, QWidget,
)

from counter_app.domain import allocation as alloc
from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import InvalidInput
from counter_app.domain.money import amount_in_words, format_fen, parse_yuan
from counter_app.gui.fees.fields import FieldErrors, restyle
from counter_app.gui.fees.words import FeeWords
from counter_app.services.billing.payments import Quote
from counter_app.gui import keymap
from counter_app.gui.widgets import ComboBox

MODES = ("cash", "card", "qr", "split")


def _amount_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setMaxLength(16)
    edit.setPlaceholderText("0.00")
    return edit


class PaymentForm(QWidget):
    quote_inputs_changed = Signal()  # what the quote depends on changed (pay from balance)

    def __init__(self, words: FeeWords, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words, self._errors = words, errors
        self.quote: Quote | None = None
        self.busy = False

        self.due = QLabel("—")
        self.due.setObjectName("due")
        self.in_words = QLabel()
        self.in_words.setObjectName("words")
        self.in_words.setWordWrap(True)
        self.breakdown = QLabel()
        self.breakdown.setObjectName("caption")
        self.breakdown.setWordWrap(True)

        self.use_balance = QCheckBox(self.tr("Pay from the &balance (预存)"))
        self.use_balance.toggled.connect(lambda _on: self.quote_inputs_changed.emit())
        self.prepay = _amount_edit()
        self.prepay.textChanged.connect(lambda _text: self.refresh())
        self.mode_buttons: dict[str, QRadioButton] = {}
        self.mode_group = QButtonGroup(self)
        modes = QHBoxLayout()
        modes.addWidget(QLabel(self.tr("Method:")))
        for mode, text in zip(MODES, (self.tr("&Cash"), self.tr("Ban&k card"), self.tr("&QR code"), self.tr("&Split"))):
            button = QRadioButton(text)
            button.setObjectName(f"mode_{mode}")
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            modes.addWidget(button)
        modes.addStretch(1)
        self.mode_buttons["cash"].setChecked(True)
        self.mode_group.buttonToggled.connect(lambda _button, on: on and self._mode_changed())
        self.split_method = ComboBox()
        self.split_method.addItem(words.method("card"), "card")
        self.split_method.addItem(words.method("qr"), "qr")
        self.split_amount = _amount_edit()
        self.split_amount.textChanged.connect(lambda _text: self.refresh())
        self.reference = QLineEdit()
        self.reference.setMaxLength(alloc.MAX_REFERENCE + 10)
        self.reference.setPlaceholderText(self.tr("from the card slip or the payment screen"))
        self.tendered = _amount_edit()
        self.tendered.setPlaceholderText(self.tr("empty: exactly the amount"))
        self.tendered.textChanged.connect(lambda _text: self.refresh())
        self.change = QLabel("—")
        self.change.setObjectName("change")

        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.use_balance)
        self._row(self.tr("&Extra prepayment ¥:"), self.prepay, "prepay")
        form.addRow(modes)  # the whole width: the four choices never get cut
        form.addRow(self._errors.add("method", self.mode_buttons["cash"]))
        self._row(self.tr("Card &or QR:"), self.split_method, "split_method")
        self._row(self.tr("Card / QR amou&nt ¥:"), self.split_amount, "split_amount")
        self._row(self.tr("&Reference no.:"), self.reference, "reference")
        self._row(self.tr("Cash &tendered ¥:"), self.tendered, "tendered")
        form.addRow(self.tr("Change:"), self.change)

        self.pay_button = QPushButton(self.tr("Collect and print   {key}").format(key=keymap.label("submit")))
        self.pay_button.setObjectName("pay")
        self.pay_button.setEnabled(False)
        totals = QGroupBox(self.tr("To collect"))
        totals_layout = QVBoxLayout(totals)
        totals_layout.addWidget(self.due)
        totals_layout.addWidget(self.in_words)
        totals_layout.addWidget(self.breakdown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(totals)
        layout.addLayout(form)
        layout.addWidget(self.pay_button)
        self.setEnabled(False)
        self._mode_changed()

    def _row(self, text: str, widget: QWidget, field: str) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        self.form.addRow(label, widget)
        if field != "split_method":
            self.form.addRow(self._errors.add(field, widget, *(("amount",) if field == "split_amount" else ())))

    # -- state ------------------------------------------------------------------------------------------

    def mode(self) -> str:
        return next(mode for mode, button in self.mode_buttons.items() if button.isChecked())

    def _mode_changed(self) -> None:
        mode = self.mode()
        shown = {"split_method": mode == "split", "split_amount": mode == "split",
                 "reference": mode != "cash", "tendered": mode in ("cash", "split")}
        for field, widget in (("split_method", self.split_method), ("split_amount", self.split_amount),
                              ("reference", self.reference), ("tendered", self.tendered)):
            self.form.setRowVisible(widget, shown[field])
            if field != "split_method":
                self._errors.clear(field)
        self.form.setRowVisible(self.change, shown["tendered"])
        self.refresh()

    def set_quote(self, quote: Quote | None) -> None:
        self.quote = quote
        self.refresh()

    def set_busy(self, busy: bool) -> None:
        """While a payment is on its way, Pay stays off."""
        self.busy = busy
        self.refresh()

    def changeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == event.Type.EnabledChange:
            self.refresh()

    def first_field(self) -> QWidget:
        """Where the clerk types next for the chosen method."""
        if self.quote is not None and self._to_collect_or_none() == 0:
            return self.pay_button
        return {"cash": self.tendered, "split": self.split_amount}.get(self.mode(), self.reference)

    def reset(self) -> None:
        for edit in (self.prepay, self.split_amount, self.reference, self.tendered):
            edit.clear()
        self.use_balance.setChecked(False)
        self.mode_buttons["cash"].setChecked(True)
        self._errors.clear()
        self.set_quote(None)

    # -- amounts ----------------------------------------------------------------------------------------

    def prepay_fen(self) -> int:
        text = self.prepay.text()
        return parse_yuan(text, "prepay") if text.strip() else 0

    def to_collect(self) -> int:
        """What the customer hands over now: the quote's part of the bills plus the prepayment."""
        assert self.quote is not None
        return self.quote.to_pay_fen + self.prepay_fen()

    def _to_collect_or_none(self) -> int | None:
        try:
            return self.to_collect() if self.quote is not None else None
        except InvalidInput:
            return None

    def _tendered_fen(self) -> int | None:
        text = self.tendered.text()
        return parse_yuan(text, "tendered") if text.strip() else None

    def _typed_parts(self) -> list[MethodPart]:
        """The methods as typed, not yet checked; the amounts come from :meth:`to_collect`."""
        assert self.quote is not None
        total = self.to_collect()
        if total == 0:
            if self.quote.due_fen == 0:
                raise InvalidInput("bills", "choose at least one bill or enter a prepayment", code="bills_or_prepay")
            return []
        mode = self.mode()
        if mode in ("card", "qr"):
            return [MethodPart(mode, total, self.reference.text())]
        tendered = self._tendered_fen()
        if mode == "cash":
            return [MethodPart("cash", total, tendered_fen=tendered)]
        other = parse_yuan(self.split_amount.text(), "split_amount")
        if other >= total:
            raise InvalidInput("split_amount", "less than the total; the rest is cash", code="split_below_total")
        return [MethodPart(self.split_method.currentData(), other, self.reference.text()),
                MethodPart("cash", total - other, tendered_fen=tendered)]

    def parts(self) -> tuple[MethodPart, ...]:
        """The methods of the payment as typed; InvalidInput(field, rule) for the first bad field."""
        return alloc.check_parts(self._typed_parts())

    def refresh(self) -> None:
        """Totals, 大写, change and Pay as the clerk types; bad text shows no amount, and no message yet."""
        quote, total = self.quote, self._to_collect_or_none()
        wanted = quote is not None and (quote.due_fen > 0 or bool(self.prepay.text().strip()))
        self.pay_button.setEnabled(wanted and not self.busy)  # bad text is said at its field on Pay
        if quote is None or total is None:
            working = quote is None and self.isEnabled()
            self.due.setText("—" if self.isEnabled() else "")
            self.in_words.setText("")
            self.breakdown.setText(self.tr("Working out the amount…") if working else "")
            self._show_change("", "ok")
            return
        self.due.setText(format_fen(total))
        self.in_words.setText(self.tr("In words: {words}").format(words=amount_in_words(total)))
        parts = [self.tr("bills {due} (late fee {fee})").format(due=format_fen(quote.due_fen), fee=format_fen(quote.late_fee_fen))]
        if quote.from_balance_fen:
            parts.append(self.tr("from balance −{amount}").format(amount=format_fen(quote.from_balance_fen)))
        if self.prepay.text().strip():
            parts.append(self.tr("prepayment +{amount}").format(amount=format_fen(self.prepay_fen())))
        if not wanted:
            parts = [self.tr("Nothing to collect: no bill is ticked. Enter an extra prepayment to pay in advance.")]
        self.breakdown.setText("；".join(parts))
        self._show_change(*self._change_text())

    def _show_change(self, text: str, state: str) -> None:
        self.change.setText(text or ("—" if self.isEnabled() else ""))
        restyle(self.change, "state", state)

    def _change_text(self) -> tuple[str, str]:
        """The change to hand back and its state: ok, or short when less than the cash due was typed."""
        try:
            typed = self._typed_parts()
        except InvalidInput:
            return "", "ok"
        cash = next((part for part in typed if part.method == "cash"), None)
        if cash is None:
            return "", "ok"
        try:
            alloc.check_parts([cash])
        except InvalidInput as error:
            if error.field == "tendered":
                return self.tr("not enough: at least {due}").format(due=format_fen(cash.amount_fen)), "short"
            return "", "ok"
        return format_fen(cash.change_fen), "ok"
