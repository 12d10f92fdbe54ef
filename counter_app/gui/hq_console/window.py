"""The console's main window: one tab per task (branches and nodes, enrolment codes, quarantine,
reference data, head office's audit), the operator and head office in the header, and a log-out.
An ended session closes the window and asks for the login again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.gui.hq_console.codes import CodesPage
from counter_app.gui.hq_console.common import ConsoleLink, refusal_text, when
from counter_app.gui.hq_console.nodes import NodesPage
from counter_app.gui.hq_console.quarantine import QuarantinePage
from counter_app.gui.hq_console.refdata import ReferencePage
from counter_app.gui.widgets import list_table


class AuditPage(QWidget):
    """Who did what at head office, newest first (logins, codes, resolutions, edits)."""

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.table = list_table([self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Concerning"),
                                 self.tr("Details")])
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Head office's audit log (newest first)")), 1)
        top.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        self.link.run(lambda client: client.audit(), self._show, lambda error: self.error.setText(refusal_text(error)))

    def _show(self, rows: list[dict[str, Any]]) -> None:
        from counter_app.hq.console_client import parse_time

        self.error.clear()
        self.table.setRowCount(len(rows))
        for row, entry in enumerate(rows):
            detail = ", ".join(f"{k}={v}" for k, v in (entry.get("detail") or {}).items())
            cells = (when(parse_time(entry["at"])), entry["actor_label"], entry["action"],
                     f"{entry['entity']} {entry['entity_id']}".strip(), detail)
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))


class ConsoleWindow(QMainWindow):
    logged_out = Signal(str)  # why ("" for the operator's own log-out)

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        operator = link.client.operator.get("name", "")
        self.setWindowTitle(self.tr("Head office console — {operator}").format(operator=operator))
        self.nodes = NodesPage(link)
        self.codes = CodesPage(link)
        self.quarantine = QuarantinePage(link)
        self.reference = ReferencePage(link)
        self.audit = AuditPage(link)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.nodes, self.tr("Branches and nodes"))
        self.tabs.addTab(self.codes, self.tr("Enrolment codes"))
        self.tabs.addTab(self.quarantine, self.tr("Quarantine"))
        self.tabs.addTab(self.reference, self.tr("Reference data"))
        self.tabs.addTab(self.audit, self.tr("Audit log"))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.header = QLabel(self.tr("Operator {operator} · head office {url}").format(operator=operator,
                                                                                     url=link.client.url))
        self.logout_button = QPushButton(self.tr("Log out"))
        self.logout_button.clicked.connect(self.log_out)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.logout_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(body)
        self.codes.issued.connect(lambda _answer: self.audit.refresh())
        self.nodes.revoked.connect(lambda _node: self.audit.refresh())
        self.quarantine.resolved.connect(lambda *_: (self.nodes.refresh(), self.audit.refresh()))
        for edited in self.reference.edits():
            edited.connect(lambda _answer: self.audit.refresh())
        link.session_ended.connect(self._session_ended)
        self._ended = False

    def start(self) -> None:
        self.tabs.setFocus()
        self.nodes.start()
        self.quarantine.refresh()
        self.audit.refresh()

    def _tab_shown(self, index: int) -> None:
        page = self.tabs.widget(index)
        refresh = getattr(page, "refresh", None)
        if page is not self.codes and callable(refresh):
            refresh()

    def _session_ended(self) -> None:
        if not self._ended:
            self._ended = True
            self.nodes.stop()
            self.logged_out.emit(self.tr("Your session at head office has ended; please log in again."))
            self.close()

    def log_out(self) -> None:
        self._ended = True
        self.nodes.stop()
        self.link.run(lambda client: client.logout(), lambda _none: None, lambda _error: None, write=True)
        self.logged_out.emit("")
        self.close()
