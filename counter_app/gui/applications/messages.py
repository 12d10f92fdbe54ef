"""Words the application screens share: field names, due states, stage actions, and errors from
the services turned into a sentence for the clerk (the services' rules are written in English)."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QObject

from counter_app.gui.rule_words import explain, rule_of, rule_sentence

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

    def _rules(self) -> list[tuple[str, str]]:
        """(pattern of the service's rule, the clerk's sentence with the pattern's groups)."""
        return [
            (r"enter the 18-character resident ID number", self.tr("enter the 18-character resident ID number.")),
            (r"a resident ID has 18 characters, this has (?P<n>\d+)", self.tr("a resident ID has 18 characters, this one has {n}.")),
            (r"the first 17 characters are digits.*", self.tr("the first 17 characters are digits; the last is a digit or X.")),
            (r"the first two digits are not a province code", self.tr("the first two digits are not a province code.")),
            (r"digits 7-14 are not a valid birth date", self.tr("digits 7-14 are not a valid date of birth.")),
            (r"the birth date in digits 7-14 is not plausible", self.tr("the date of birth in digits 7-14 is not plausible.")),
            (r"the check digit .*", self.tr("the check digit (last character) does not match: please check the number.")),
            (r"enter the 18-character unified social credit code", self.tr("enter the 18-character unified social credit code.")),
            (r"a unified social credit code has 18 characters, this has (?P<n>\d+)",
             self.tr("a unified social credit code has 18 characters, this one has {n}.")),
            (r"'(?P<ch>.)' cannot appear.*", self.tr("'{ch}' cannot appear: only digits and capital letters without I, O, S, V, Z.")),
            (r"the first character is not a registration authority code", self.tr("the first character is not a registration authority code.")),
            (r"characters 3-8 are the region code.*", self.tr("characters 3-8 are the region code and must be digits.")),
            (r"the check character .*", self.tr("the check character (last character) does not match: please check the code.")),
            (r"enter an 11-digit mobile number", self.tr("enter an 11-digit mobile number.")),
            (r"a mobile number has 11 digits", self.tr("a mobile number has 11 digits.")),
            (r"a mobile number starts with 13 to 19", self.tr("a mobile number starts with 13 to 19.")),
            (r"this field is required", self.tr("this field is required.")),
            (r"at most (?P<n>\d+) characters", self.tr("at most {n} characters.")),
            (r"choose a person or a company", self.tr("choose a person or a company.")),
            (r"enter the applicant's name", self.tr("enter the applicant's name.")),
            (r"enter the company's contact person", self.tr("enter the company's contact person.")),
            (r"enter the address where water is needed", self.tr("enter the address where water is needed.")),
            (r"give the full address.*", self.tr("give the full address: district, road and number.")),
            (r".* needs the existing account number.*", self.tr("this application needs the existing account number (on any bill).")),
            (r".* needs the .*", self.tr("this application needs the meter size or capacity asked for.")),
            (r"(?P<file>.+) (was not stored|is no longer stored): add it again", self.tr("{file} is not stored any more: add it again.")),
            (r"choose an application type", self.tr("choose an application type.")),
            (r"no account has this number.*", self.tr("no account has this number: check the account number on a bill.")),
            (r"no application has this number", self.tr("no application has this number.")),
            (r"tick received, missing or not applicable", self.tr("tick received, missing or not applicable.")),
            (r"a required document cannot be not applicable", self.tr("a required document cannot be not applicable.")),
            (r"record the result of the stage before moving on", self.tr("write down the result of this stage first.")),
            (r"going back to an earlier stage needs a reason", self.tr("going back to an earlier stage needs a reason.")),
            (r"say why the stage did not pass", self.tr("say why the stage did not pass.")),
            (r"tick the documents handed in", self.tr("tick the documents handed in.")),
            (r"this document was not missing", self.tr("this document was not missing.")),
            (r"tick the documents of this application.*", self.tr("tick the documents of this application that are needed.")),
            (r"say why the documents are needed", self.tr("say why the documents are needed.")),
            (r"choose a file to attach", self.tr("choose a file to attach.")),
            (r"(?P<file>.+): file not found", self.tr("{file}: file not found.")),
            (r"(?P<file>.+): the file is empty", self.tr("{file}: the file is empty.")),
            (r"(?P<file>.+): larger than (?P<n>\d+) MB", self.tr("{file}: larger than {n} MB.")),
            (r"enter an application number.*", self.tr("enter an application number, an 18-character ID number or credit code, or a mobile number.")),
            (r"documents are missing: the clock is stopped.*",
             self.tr("documents are missing: the clock is stopped until they are handed in.")),
            (r"the application is finished", self.tr("the application is finished.")),
            (r"the application was withdrawn", self.tr("the application was withdrawn.")),
            (r"stages cannot be skipped.*", self.tr("stages cannot be skipped.")),
            (r"the application is already at .*", self.tr("the application is already at this stage.")),
            (r".* is for back office staff or a manager", self.tr("only back office staff or a manager may do this.")),
            (r"the application is not at the .* stage", self.tr("the application is not at this stage.")),
            (r"this draft is gone.*", self.tr("this draft is gone: it was accepted or discarded.")),
        ]

    def explain(self, error: Exception) -> str:
        """A sentence for the clerk: the field's name and the rule it broke."""
        return explain(error, self.field, rule_sentence(rule_of(error), self._rules()))
