"""Words the fee screens share: field and method names, and the services' errors (by their codes,
in the UI language) turned into one sentence for the clerk, shown at the field it is about."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton

from counter_app.domain.errors import InvalidInput
from counter_app.gui.rule_words import explain, rule_text
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

    def rule(self, error: Exception) -> str:
        return rule_text(error)

    def explain(self, error: Exception) -> str:
        """A sentence for the clerk: the field's name and the rule it broke."""
        return explain(error, self.field, "password" if isinstance(error, LoginRefused) else None)

    @staticmethod
    def field_of(error: Exception) -> str:
        """The field an error belongs at; a refusal of the payment belongs at the bills."""
        if isinstance(error, InvalidInput):
            return error.field
        if isinstance(error, LoginRefused):
            return "password"
        return "bills"
