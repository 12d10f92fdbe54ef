"""Branches and their nodes: last contact, sync lag, what the branch has not sent yet and since
when its oldest unsent payment waits, quarantined events; a branch's row sums its nodes, and
colour says which need a look (rules in :mod:`counter_app.hq.console_view`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.gui.hq_console.common import (
    HEALTH_BACKGROUNDS,
    HEALTH_COLOURS,
    ConsoleLink,
    age_text,
    colour,
    now_utc,
    refusal_text,
    seconds_text,
    when,
)
from counter_app.hq.console_view import HealthPolicy, branch_summaries, node_health

REFRESH_MS = 30_000
COLUMNS = 10


class NodesPage(QWidget):
    loaded = Signal()

    revoked = Signal(str)  # node id

    def __init__(self, link: ConsoleLink, policy: HealthPolicy = HealthPolicy(), *,
                 ask_reason: Callable[[QWidget, str, str], tuple[str, bool]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link, self.policy = link, policy
        self._ask_reason = ask_reason or (lambda parent, title, label: QInputDialog.getText(parent, title, label))
        self.rows: list[dict[str, Any]] = []
        self.summary = QLabel(self.tr("Loading…"))
        self.summary.setObjectName("title")
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.revoke_button = QPushButton(self.tr("Revoke node…"))
        self.revoke_button.setToolTip(self.tr("Refuse every later request of the chosen node (a stolen or "
                                              "replaced PC); its events stay at head office."))
        self.revoke_button.clicked.connect(self.revoke)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(COLUMNS)
        self.tree.setHeaderLabels([self.tr("Branch / node"), self.tr("Role"), self.tr("Status"), self.tr("Host"),
                                   self.tr("Last contact"), self.tr("Lag"), self.tr("Unsent"),
                                   self.tr("Oldest unsent payment"), self.tr("Quarantined"), self.tr("Needs")])
        self.tree.setAlternatingRowColors(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setStyleSheet("QTreeView { font-size: 16px; } QTreeView::item { min-height: 32px; }")
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(64)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.revoke_button)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.tree, 1)
        self.tree.itemSelectionChanged.connect(self._enable)
        self._enable()
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        self.link.run(lambda client: client.nodes(), self._show, self._failed)

    def _failed(self, error: Exception) -> None:
        self.refresh_button.setEnabled(True)
        self._enable()
        self.error.setText(refusal_text(error))

    def reasons_text(self, reasons: tuple[str, ...]) -> str:
        words = {"never_seen": self.tr("never in contact"), "no_contact": self.tr("no recent contact"),
                 "lag": self.tr("lagging"), "gaps": self.tr("events missing"),
                 "unsent_payment": self.tr("payments unsent > 4 h"), "quarantine": self.tr("quarantine to resolve")}
        return self.tr(", ").join(words[r] for r in reasons)

    def status_words(self) -> dict[str, str]:
        return {"active": self.tr("active"), "superseded": self.tr("superseded"), "revoked": self.tr("revoked")}

    def role_words(self) -> dict[str, str]:
        return {"hub": self.tr("hub"), "counter": self.tr("counter"), "kiosk": self.tr("kiosk"),
                "display": self.tr("display"), "evaluator": self.tr("evaluator")}

    def _show(self, rows: list[dict[str, Any]], now: datetime | None = None) -> None:
        self.refresh_button.setEnabled(True)
        self.error.clear()
        self.rows = rows
        now = now or now_utc()
        branches = branch_summaries(rows, now, self.policy)
        self.tree.clear()
        roles, statuses = self.role_words(), self.status_words()
        for branch in branches:
            top = QTreeWidgetItem([
                branch.branch_code, self.tr("{n} nodes").format(n=branch.active), "", "",
                age_text(branch.last_seen_at, now), seconds_text(branch.lag_seconds),
                "—" if branch.pending is None else str(branch.pending),
                age_text(branch.oldest_unsent_payment_at, now, never="—"), str(branch.quarantined), ""])
            font = top.font(0)
            font.setBold(True)
            for col in range(COLUMNS):
                top.setFont(col, font)
            self._paint(top, branch.health)
            self.tree.addTopLevelItem(top)
            for node in branch.nodes:
                health = node_health(node, now, self.policy)
                pending = node.get("pending")
                item = QTreeWidgetItem([
                    f"{node['terminal_code']} #{node['incarnation']}", roles.get(node["role"], node["role"]),
                    statuses.get(node["status"], node["status"]), node["hostname"],
                    age_text(node["last_seen_at"], now), seconds_text(node["lag_seconds"]),
                    "—" if pending is None else str(pending),
                    age_text(node.get("oldest_unsent_payment_at"), now, never="—"), str(node["quarantined"]),
                    self.reasons_text(health.reasons)])
                item.setToolTip(0, node["node_id"])
                item.setToolTip(4, when(node["last_seen_at"]))
                if node.get("reported_at") is not None:  # what the branch said, and when it said it
                    item.setToolTip(6, self.tr("reported {age}").format(age=age_text(node["reported_at"], now)))
                    item.setToolTip(7, when(node.get("oldest_unsent_payment_at")))
                item.setData(0, Qt.ItemDataRole.UserRole, node["node_id"])
                self._paint(item, health.level)
                top.addChild(item)
            top.setExpanded(True)
        nodes = sum(b.active for b in branches)
        quarantined = sum(b.quarantined for b in branches)
        self._enable()
        self.summary.setText(self.tr("{b} branches, {n} active nodes, {q} events in quarantine").format(
            b=len(branches), n=nodes, q=quarantined))
        self.loaded.emit()

    def selected_node(self) -> dict[str, Any] | None:
        items = self.tree.selectedItems()
        node_id = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        return next((n for n in self.rows if n["node_id"] == node_id), None)

    def _enable(self) -> None:
        node = self.selected_node()
        self.revoke_button.setEnabled(node is not None and node["status"] == "active")

    def revoke(self) -> None:
        node = self.selected_node()
        if node is None:
            return
        reason, ok = self._ask_reason(self, self.tr("Revoke node"), self.tr(
            "Revoke {branch} {terminal} ({host})? It can no longer send anything; enrol the PC again with a new "
            "code.\nReason (kept with the node):").format(branch=node["branch_code"], terminal=node["terminal_code"],
                                                        host=node["hostname"]))
        if not ok:
            return
        node_id = node["node_id"]
        self.revoke_button.setEnabled(False)
        self.link.run(lambda client: client.revoke(node_id, reason), self._revoked, self._failed, write=True)

    def _revoked(self, answer: dict[str, Any]) -> None:
        self.revoked.emit(answer["node_id"])
        self.refresh()

    @staticmethod
    def _paint(item: QTreeWidgetItem, level: str) -> None:
        for col in range(COLUMNS):
            item.setBackground(col, QBrush(colour(HEALTH_BACKGROUNDS[level])))
        if level == "inactive":  # superseded or revoked: greyed
            item.setForeground(2, QBrush(colour(HEALTH_COLOURS[level])))
        item.setForeground(COLUMNS - 1, QBrush(colour(HEALTH_COLOURS[level])))

    def stop(self) -> None:
        self._timer.stop()
