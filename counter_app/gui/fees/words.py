"""Words the fee screens share: field and method names, and the services' errors (their rules are
written in English) turned into one sentence for the clerk, shown at the field it is about."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton

from counter_app.domain.errors import InvalidInput
from counter_app.gui.rule_words import explain, rule_of, rule_sentence
from counter_app.services.auth import LoginRefused

#: Larger controls than Qt's defaults (on top of hall.qss), and a focus frame on everything that takes the keyboard.
PAGE_STYLE = """
QLabel#fieldError { font-size: 15px; }
QLabel#caption { color: #455a64; font-size: 14px; }
QLabel#holder { font-size: 22px; font-weight: bold; color: #0b4f8a; }
QLabel#value { font-size: 16px; }
QLabel#due { font-size: 30px; font-weight: bold; color: #0b4f8a; }
QLabel#words { font-size: 17px; color: #0b4f8a; }
QLabel#change { font-size: 26px; font-weight: bold; color: #1b5e20; }
QLabel#change[state="short"] { color: #b00020; font-size: 20px; }
QLabel#outcome { font-size: 18px; padding: 6px 10px; border-radius: 6px; background: #e8f5e9; color: #1b5e20; }
QLabel#outcome[state="warn"] { background: #fff8e1; color: #8d6e00; }
QLabel#outcome[state="bad"] { background: #ffebee; color: #b00020; font-weight: bold; }
QLabel#outcome[state="idle"] { background: transparent; }
QPushButton#pay { font-size: 22px; font-weight: bold; min-height: 56px; background: #2e7d32; }
QPushButton#pay:disabled { background: #9e9e9e; }
QPushButton#unprinted { background: #c62828; }
QPushButton#secondary { background: #546e7a; }
QLineEdit#searchEdit { font-size: 20px; min-height: 40px; }
QLineEdit[invalid="true"] { border: 2px solid #b00020; }
QRadioButton, QCheckBox { font-size: 16px; spacing: 8px; min-height: 30px; }
QRadioButton::indicator, QCheckBox::indicator { width: 20px; height: 20px; }
QRadioButton:focus, QCheckBox:focus { border: 2px solid #ffb300; border-radius: 4px; }
QComboBox { min-height: 34px; font-size: 16px; padding: 1px 8px; }
QComboBox:focus { border: 2px solid #1565c0; }
QGroupBox { font-weight: bold; font-size: 15px; }
QTreeWidget, QTableWidget, QListWidget { font-size: 15px; }
QTreeWidget::item { padding: 1px 0px; }
QHeaderView::section { padding: 4px 6px; }
QTreeWidget:focus, QTableWidget:focus, QListWidget:focus { border: 2px solid #1565c0; }
QListWidget#searchResults { font-size: 17px; }
QListWidget#searchResults::item { min-height: 36px; }
"""


def roomy(*buttons: QPushButton) -> None:
    """Room for the focus frame: a focused button must not clip its text (or its key)."""
    for button in buttons:
        button.ensurePolished()
        button.setMinimumWidth(button.sizeHint().width() + 24)


class FeeWords(QObject):
    """Translated words of the fee screens; one instance per screen is enough."""

    def field(self, name: str) -> str:
        return {
            "query": self.tr("Search"), "account_no": self.tr("Account number"), "bills": self.tr("Bills"),
            "prepay": self.tr("Prepayment"), "tendered": self.tr("Cash handed over"),
            "reference": self.tr("Reference number"), "split_amount": self.tr("Card / QR amount"),
            "amount": self.tr("Amount"), "method": self.tr("Payment method"), "reason": self.tr("Reason"),
            "manager": self.tr("Manager"), "staff_no": self.tr("Manager's staff number"), "password": self.tr("Password"),
            "counted_cash": self.tr("Cash counted"), "payment": self.tr("Payment"), "balance": self.tr("Balance"),
            "ticket": self.tr("Ticket"), "account": self.tr("Account"),
        }.get(name, name)

    def method(self, code: str) -> str:
        return {"cash": self.tr("Cash"), "card": self.tr("Bank card"), "qr": self.tr("QR code"),
                "balance": self.tr("From balance")}.get(code, code)

    def kind(self, kind: str, voided: bool = False) -> str:
        if voided:
            return self.tr("Payment (voided)")
        return {"payment": self.tr("Payment"), "void": self.tr("Void"), "refund": self.tr("Refund")}.get(kind, kind)

    def print_status(self, status: str) -> str:
        return {"printed": self.tr("printed"), "saved": self.tr("saved as PDF"), "failed": self.tr("not printed")}.get(status, status)

    def _rules(self) -> list[tuple[str, str]]:
        """(pattern of the service's rule, the clerk's sentence with the pattern's groups)."""
        return [
            (r"a 户号 is 10 digits, e.g. 1000000123; got '(?P<got>.*)'",
             self.tr("an account number has 10 digits, e.g. 1000000123; '{got}' has not.")),
            (r"no account (?P<no>\d+) at this branch", self.tr("there is no account {no} at this branch.")),
            (r"no such account at this branch.*", self.tr("this account is not at this branch any more; look it up again.")),
            (r"nothing found", self.tr("no account matches. Try the 10-digit account number, the meter number, "
                                       "or part of the name or address.")),
            (r"enter an amount in yuan.*", self.tr("enter an amount in yuan, e.g. 12.50.")),
            (r"'(?P<text>.*)' is not an amount in yuan.*", self.tr("'{text}' is not an amount in yuan; type e.g. 12.50.")),
            (r"at most two decimals \(fen\)", self.tr("at most two decimals (fen).")),
            (r"must not be negative", self.tr("must not be negative.")),
            (r"(the \w+ amount )?must be more than zero", self.tr("must be more than zero.")),
            (r"is beyond any amount the hall handles", self.tr("is far beyond any amount paid at a counter.")),
            (r"less than the cash due \((?P<due>.+)\)",
             self.tr("less than the cash due ({due}): the customer must hand over at least that.")),
            (r"a \w+ payment needs its reference number",
             self.tr("enter the reference number (on the card slip or the customer's payment screen).")),
            (r"at most (?P<n>\d+) characters", self.tr("at most {n} characters.")),
            (r"one cash part per payment", self.tr("only one cash part per payment.")),
            (r"less than the total; the rest is cash",
             self.tr("must be less than the amount to collect; the rest is paid in cash.")),
            (r"the (?P<period>[0-9-]+) bill has just been paid.*",
             self.tr("the {period} bill has just been paid, perhaps at another window. Nothing was taken; "
                     "the account is shown again as it stands now.")),
            (r"the amount due is now (?P<now>\S+), not (?P<was>\S+) .*",
             self.tr("the bills now owe {now}, not {was} (paid at another window?). Nothing was taken; "
                     "the account is shown again as it stands now.")),
            (r"bill (?P<period>\S+) no longer owes that much.*",
             self.tr("the {period} bill no longer owes that much (paid at another window?). Nothing was taken.")),
            (r"that bill is not a bill of this account", self.tr("that bill is not a bill of this account.")),
            (r"say why.*", self.tr("say why, e.g. 金额录错 (amount keyed wrongly).")),
            (r"a manager must authorise this.*", self.tr("a manager must authorise this with staff number and password.")),
            (r"only a manager can authorise this", self.tr("only a manager can authorise this.")),
            (r"this payment is already voided \(void slip (?P<slip>.+)\)",
             self.tr("this payment is already voided (void slip {slip}).")),
            (r"a payment can be voided \(冲正\) only on its own business day.*",
             self.tr("a payment can be voided only on its own business day; use a refund instead.")),
            (r"the day of this payment is settled.*",
             self.tr("the day of this payment is settled; use a refund instead.")),
            (r"only a payment can be voided.*", self.tr("only a payment can be voided, not a void or a refund.")),
            (r"the (?P<amount>\S+) prepaid has since been used.*",
             self.tr("the {amount} it prepaid has since been spent, so it cannot be voided.")),
            (r"no such payment", self.tr("no such payment.")),
            (r"find the account first", self.tr("find the account first (Ctrl+F).")),
            (r"a refund comes only from the prepaid balance \((?P<balance>.+)\)",
             self.tr("a refund comes only from the prepaid balance ({balance}).")),
            (r"no such ticket", self.tr("this PC does not know the ticket being served; nothing was taken. Ask IT.")),
            (r"the cash counted, in fen, zero or more", self.tr("enter the cash counted, zero or more.")),
            (r"the day (?P<day>\S+) is already settled.*", self.tr("the day {day} is already settled.")),
            (r"the business day (?P<day>\S+) has not begun.*", self.tr("the business day {day} has not begun.")),
            (r"enter your staff number", self.tr("enter the manager's staff number.")),
            (r"enter your password", self.tr("enter the manager's password.")),
            (r"choose a payment.*", self.tr("choose a payment in the list of last payments first.")),
            (r"choose at least one bill or enter a prepayment",
             self.tr("tick at least one bill or enter a prepayment.")),
        ]

    def rule(self, error: Exception) -> str:
        if isinstance(error, LoginRefused):
            return {"locked": self.tr("this staff number is locked after too many wrong passwords."),
                    "disabled": self.tr("this staff number is disabled.")}.get(
                error.reason, self.tr("wrong staff number or password."))
        return rule_sentence(rule_of(error), self._rules())

    def explain(self, error: Exception) -> str:
        """A sentence for the clerk: the field's name and the rule it broke."""
        return explain(error, self.field, self.rule(error), "password" if isinstance(error, LoginRefused) else None)

    @staticmethod
    def field_of(error: Exception) -> str:
        """The field an error belongs at; a refusal of the payment belongs at the bills."""
        if isinstance(error, InvalidInput):
            return error.field
        if isinstance(error, LoginRefused):
            return "password"
        return "bills"
