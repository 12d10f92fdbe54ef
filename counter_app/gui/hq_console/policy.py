"""Local policy tables from head office: for one branch or for all, a table (``[offline]``,
``[billing]``, ``[stats]`` ...) published as a new version of ``key = value`` lines that overlay
the branch's own TOML key by key. Earlier versions are kept and listed with who published them
and when; a version is never edited, the next one replaces it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.core.config import POLICY_TABLES
from counter_app.domain.errors import UserError
from counter_app.gui.hq_console.catalog import BranchEditor
from counter_app.gui.hq_console.common import ConsoleLink, refusal_text, when
from counter_app.gui.hq_console.from_day import FromDay, changes_ahead, joined
from counter_app.gui.widgets import ComboBox, list_table
from counter_app.hq.console_rules import ALL_BRANCHES, parse_policy, policy_text

EXAMPLES = {"offline": "login_days = 14", "billing": "allocation = [{ from = 2027-01-01, late_fee_first = true }]",
            "stats": "target_wait_minutes = 15", "quality": "followup_working_days = 3", "sync": "interval_s = 30",
            "queue": "recall_cap = 3"}


def undated(values: dict[str, Any]) -> dict[str, Any]:
    """The keys in force from the start (what the editor edits); the dated entries are listed apart."""
    return {k: v for k, v in values.items() if k != "dated"}


class PolicyEditor(BranchEditor):
    published = Signal(dict)
    loaded = Signal()

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(link, everyone=True, parent=parent)
        self.tables: dict[str, dict[str, Any]] = {}
        self.name = ComboBox()
        words = {"queue": self.tr("Queue"), "voice": self.tr("Voice calls"), "kiosk": self.tr("Ticket kiosk"),
                 "display": self.tr("Hall display"), "quality": self.tr("Ratings and follow-ups"),
                 "billing": self.tr("Payments and late fees"), "sync": self.tr("Sync with head office"),
                 "stats": self.tr("Statistics targets"), "offline": self.tr("Offline login")}
        for name in POLICY_TABLES:
            self.name.addItem(f"[{name}] {words.get(name, name)}", name)
        self.name.setCurrentIndex(self.name.findData("offline"))
        self.name.currentIndexChanged.connect(lambda _i: self._chosen())
        self.list = list_table([self.tr("Table"), self.tr("Values now"), self.tr("Change no.")], stretch=1)
        self.list.itemSelectionChanged.connect(self._picked)
        self.history = list_table([self.tr("Published"), self.tr("By"), self.tr("Values"), self.tr("Change no.")], stretch=2)
        self.text = QPlainTextEdit()
        self.text.setFont(QFont("monospace"))
        self.text.setMinimumHeight(120)
        self.from_day = FromDay()
        self.publish_button = QPushButton(self.tr("Publish as a new version"))
        self.publish_button.clicked.connect(self.publish)
        hint = QLabel(self.tr("One key = value per line, as in the branch's own file (without the [table] line). "
                              "The keys given here replace the branch's own; the others stay as they are."))
        hint.setWordWrap(True)
        editor = QGroupBox(self.tr("New version"))
        form = QHBoxLayout()
        form.addWidget(QLabel(self.tr("Table")))
        form.addWidget(self.name, 1)
        form.addWidget(QLabel(self.tr("In force from")))
        form.addWidget(self.from_day)
        editor_layout = QVBoxLayout(editor)
        editor_layout.addLayout(form)
        editor_layout.addWidget(hint)
        editor_layout.addWidget(self.text, 1)
        editor_layout.addWidget(self.publish_button)
        editor_layout.addWidget(self.message)
        self.lay_out([self.tr("Tables head office sets for this branch"), self.list,
                      self.tr("Versions of the chosen table (newest first)"), self.history], editor)

    def _enable(self) -> None:
        self.publish_button.setEnabled(True)

    def reload(self) -> None:
        branch = self.branch.code()
        if branch is None:
            return
        if branch == ALL_BRANCHES:
            self.message.say(self.tr("All branches: what is published here becomes the table's new version at every "
                                     "branch head office knows. Choose a branch to see its versions."))
            self._show([])
            return
        self.link.run(lambda client: client.policies(branch), self._show, self._failed)

    def _show(self, tables: list[dict[str, Any]]) -> None:
        self.tables = {t["name"]: t for t in tables}
        self.list.blockSignals(True)
        self.list.setRowCount(len(tables))
        for row, table in enumerate(tables):
            summary = joined(*policy_text(undated(table["values"])).splitlines(), changes_ahead(table["values"]))
            for col, text in enumerate((f"[{table['name']}]", summary, str(table.get("hq_version", "")))):
                self.list.setItem(row, col, QTableWidgetItem(text))
        self.list.blockSignals(False)
        self._chosen()
        self.loaded.emit()

    def _picked(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        if rows:
            self.name.setCurrentIndex(self.name.findData(self.list.item(rows[0].row(), 0).text().strip("[]")))

    def _chosen(self) -> None:
        name, branch = self.name.currentData(), self.branch.code()
        table = self.tables.get(name)
        self.text.setPlainText(policy_text(undated(table["values"])) if table else "")
        self.text.setPlaceholderText(EXAMPLES.get(name, "key = value"))
        self.history.setRowCount(0)
        if table is not None and branch and branch != ALL_BRANCHES:
            self.link.run(lambda client: client.policy_history(branch, name), self._show_history, self._failed)

    def _show_history(self, versions: list[dict[str, Any]]) -> None:
        self.history.setRowCount(len(versions))
        for row, version in enumerate(versions):
            values = version["payload"]["values"] if version["payload"] else {}
            dated = changes_ahead(values, date.min)  # every entry of that version, past or to come
            summary = joined(*policy_text(undated(values)).splitlines(), dated)
            summary = summary if version["payload"] else self.tr("removed")
            cells = (when(version["committed_at"]), version["published_by"], summary, str(version["change_id"]))
            for col, text in enumerate(cells):
                self.history.setItem(row, col, QTableWidgetItem(text))

    def publish(self) -> None:
        branch, name = self.branch.code(), self.name.currentData()
        if not branch:
            return
        try:
            values = parse_policy(name, self.text.toPlainText())
            valid_from = self.from_day.valid_from()
        except UserError as error:
            self.message.say(refusal_text(error), bad=True)
            return
        self.publish_button.setEnabled(False)
        self.link.run(lambda client: client.publish_policy(branch, name, values, valid_from), self._published,
                      self._failed, write=True)

    def _published(self, answer: dict[str, Any]) -> None:
        self._enable()
        if answer.get("valid_from"):
            text = self.tr("Published: [{name}] for {branches} (change {change}). Each branch holds it from its next "
                           "sync and applies it from {day}.")
        else:
            text = self.tr("Published: [{name}] for {branches} (change {change}). Each branch applies it when it "
                           "next syncs.")
        self.message.say(text.format(name=answer["name"], branches=", ".join(answer["branches"]),
                                     change=answer["change_id"], day=answer.get("valid_from", "")))
        self.published.emit(answer)
        self.reload()
