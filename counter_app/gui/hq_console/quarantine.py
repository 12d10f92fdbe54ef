"""Quarantined events: what head office could not apply, with the node it came from and why.
An operator re-applies one after the cause is fixed, or rejects it with a reason; either way the
event stays at head office with who resolved it and why (nothing is deleted)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.gui.hq_console.common import ConsoleLink, MessageLabel, refusal_text, when
from counter_app.gui.widgets import list_table
from counter_app.hq.console_client import parse_time


class QuarantinePage(QWidget):
    resolved = Signal(str, str)  # event id, new status
    loaded = Signal()

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.events: list[dict[str, Any]] = []
        self.terminals: dict[str, str] = {}  # node id -> "B017 T03"
        self.title = QLabel(self.tr("Quarantined events"))
        self.title.setObjectName("title")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.table = list_table([self.tr("Received"), self.tr("Branch node"), self.tr("Channel / no."),
                                 self.tr("Event"), self.tr("Problem"), self.tr("Detail")])
        self.table.itemSelectionChanged.connect(self._selected)
        self.incidents = list_table([self.tr("Raised"), self.tr("Branch node"), self.tr("Incident"), self.tr("Detail")])
        self.incidents.setMaximumHeight(180)
        for table in (self.table, self.incidents):
            table.setWordWrap(False)  # a long hash is cut at the column's end, not pushed to a hidden line
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Why (kept with the event), e.g. the payment arrived / edited at the branch"))
        self.reason.setMaxLength(500)
        self.reapply_button = QPushButton(self.tr("Re-apply"))
        self.reject_button = QPushButton(self.tr("Reject"))
        self.reject_button.setStyleSheet("QPushButton { background: #c62828; } QPushButton:disabled { background: #9e9e9e; }")
        self.reapply_button.clicked.connect(lambda: self.resolve("reapply"))
        self.reject_button.clicked.connect(lambda: self.resolve("reject"))
        self.message = MessageLabel(self.tr("Select an event, give the reason, then re-apply it or reject it. "
                                      "Nothing is deleted."))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.refresh_button)
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("Reason")))
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.reapply_button)
        actions.addWidget(self.reject_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(self.tr("Incidents to look at (both facts are kept)")))
        layout.addWidget(self.incidents)
        self._selected()

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.link.run(lambda client: (client.quarantine(), client.nodes(), client.incidents()), self._show, self._failed)

    def _failed(self, error: Exception) -> None:
        self.refresh_button.setEnabled(True)
        self.message.say(refusal_text(error), bad=True)
        self._selected()

    def problem_words(self) -> dict[str, str]:
        """What head office's codes for a quarantined event mean (the code itself in the tooltip)."""
        return {
            "depends_on_missing": self.tr("the payment it reverses has not arrived"),
            "payload_hash_mismatch": self.tr("content changed after it was written"),
            "chain_broken": self.tr("the node's chain of events is broken"),
            "sequence_conflict": self.tr("two events with one sequence number"),
            "event_id_conflict": self.tr("one event id with two contents"),
            "node_mismatch": self.tr("written by another node"),
            "branch_mismatch": self.tr("written for another branch"),
            "payment_id_conflict": self.tr("payment already booked by another event"),
            "invalid_payload": self.tr("content not valid"),
        }

    def incident_words(self) -> dict[str, str]:
        return {"receipt_collision": self.tr("one receipt number on two payments"),
                "event_id_conflict": self.tr("one event id with two contents"),
                "chain_broken": self.tr("the node's chain of events is broken"),
                "sequence_conflict": self.tr("two events with one sequence number")}

    def _show(self, answer: tuple[list[dict[str, Any]], ...]) -> None:
        events, nodes, incidents = answer
        self.refresh_button.setEnabled(True)
        self.events = events
        self.terminals = {n["node_id"]: f"{n['branch_code']} {n['terminal_code']}" for n in nodes}
        self.title.setText(self.tr("Quarantined events: {n}").format(n=len(events)))
        self.table.setRowCount(len(events))
        problems = self.problem_words()
        for row, event in enumerate(events):
            code = event["error_code"] or ""
            cells = (when(event["received_at"]), self.terminals.get(event["node_id"], event["node_id"][:8]),
                     f"{event['channel']} {event['channel_seq']}", event["event_type"], problems.get(code, code or "—"),
                     event["error_detail"] or "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(Qt.ItemDataRole.UserRole, event["event_id"])
                    item.setToolTip(event["event_id"])
                if col == 4:
                    item.setToolTip(code)
                if col == 5:
                    item.setToolTip(text)
                self.table.setItem(row, col, item)
        kinds = self.incident_words()
        self.incidents.setRowCount(len(incidents))
        for row, incident in enumerate(incidents):
            cells = (when(parse_time(incident["raised_at"])), self.terminals.get(incident["node_id"], incident["node_id"][:8]),
                     kinds.get(incident["kind"], incident["kind"]), incident["detail"])
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(incident["kind"] if col == 2 else text)
                self.incidents.setItem(row, col, item)
        if events and not self.table.selectedItems():
            self.table.selectRow(0)
        self._selected()
        self.loaded.emit()

    def selected_event(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def _selected(self) -> None:
        chosen = self.selected_event() is not None
        self.reapply_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    def resolve(self, action: str) -> None:
        event_id, reason = self.selected_event(), self.reason.text()
        if event_id is None:
            return
        self.reapply_button.setEnabled(False)
        self.reject_button.setEnabled(False)
        self.link.run(lambda client: client.resolve(event_id, action, reason), self._resolved, self._failed, write=True)

    def _resolved(self, answer: dict[str, Any]) -> None:
        words = {"applied": self.tr("re-applied"), "rejected": self.tr("rejected")}
        self.message.say(self.tr("Event {event} {what}; the reason is kept with it.").format(
            event=answer["event_id"][:8], what=words.get(answer["status"], answer["status"])))
        self.reason.clear()
        self.resolved.emit(answer["event_id"], answer["status"])
        self.refresh()
