"""Words the application screens share: field names, due states, stage actions, and errors from
the services turned into a sentence for the clerk (by their codes, in the UI language)."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject

from counter_app.gui.rule_words import explain

#: Larger controls than Qt's defaults, for reading and clicking at the counter (on top of hall.qss).
PAGE_STYLE = """
QComboBox { min-height: 34px; font-size: 16px; padding: 1px 8px; }
QRadioButton, QCheckBox { font-size: 15px; spacing: 8px; min-height: 28px; }
QRadioButton::indicator, QCheckBox::indicator { width: 20px; height: 20px; }
QGroupBox { font-weight: bold; }
QTableView, QTableWidget { font-size: 15px; }
QPlainTextEdit { font-size: 16px; }
QPushButton#secondary { background: #546e7a; }
"""

#: Row colours of the due states (text says the same, colour is only a second cue).
DUE_COLOURS = {"amber": "#ffe08a", "red": "#ffb3b3", "stopped": "#dcdcdc", "done": "#d8f0d8"}


def chinese() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


def pick(zh: str, en: str) -> str:
    """The Chinese or English name of something that comes from data (types, stages, documents)."""
    return zh if chinese() or not en else en


class ApplicationWords(QObject):
    """Translated words; one instance per screen is enough."""

    def field(self, name: str) -> str:
        base = name.split(".", 1)[0]
        return {
            "type_code": self.tr("Application type"), "applicant_kind": self.tr("Applicant"),
            "applicant_name": self.tr("Applicant name"), "id_number": self.tr("Resident ID number"),
            "credit_code": self.tr("Unified social credit code"), "phone": self.tr("Mobile number"),
            "contact": self.tr("Contact person"), "site_address": self.tr("Site address"),
            "account_no": self.tr("Account number"), "requested_size": self.tr("Meter size / capacity"),
            "notes": self.tr("Notes"), "attachments": self.tr("Attachments"), "documents": self.tr("Documents"),
            "result": self.tr("Result"), "reason": self.tr("Reason"), "query": self.tr("Search"),
            "number": self.tr("Application number"), "receipt_no": self.tr("Receipt number"), "stage": self.tr("Stage"),
        }.get(base, base)

    def due(self, state: str) -> str:
        return {"green": self.tr("On time"), "amber": self.tr("Due within 1 working day"), "red": self.tr("Overdue"),
                "stopped": self.tr("Clock stopped: documents missing"), "done": self.tr("Finished"),
                "none": "—"}.get(state, state)

    def status(self, status: str) -> str:
        return {"open": self.tr("In progress"), "waiting_docs": self.tr("Waiting for documents"),
                "done": self.tr("Finished"), "withdrawn": self.tr("Withdrawn"), "draft": self.tr("Draft")}.get(status, status)

    def action(self, action: str) -> str:
        return {"enter": self.tr("Started"), "complete": self.tr("Completed"), "not_passed": self.tr("Not passed"),
                "back": self.tr("Sent back"), "stop_clock": self.tr("Clock stopped"), "resume": self.tr("Clock restarted"),
                "documents": self.tr("Documents handed in")}.get(action, action)

    def document_state(self, state: str) -> str:
        return {"received": self.tr("Received"), "missing": self.tr("Missing"),
                "not_applicable": self.tr("Not applicable")}.get(state, state)

    def explain(self, error: Exception) -> str:
        """A sentence for the clerk: the field's name and the rule it broke."""
        return explain(error, self.field)
