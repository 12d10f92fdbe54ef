"""Tariffs at head office: each tariff with its dated versions, and a new version from a later
date with new prices (yuan per m³, per tier and per untiered component). A published version is
never changed; the branches take the new one on the day it comes into force."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.errors import UserError
from counter_app.gui.hq_console.common import ConsoleLink, MessageLabel, refusal_text
from counter_app.gui.widgets import list_table
from counter_app.hq.reference_edits import next_tariff_version, tariff_families
from counter_app.money import format_fen, parse_yuan


class TariffEditor(QWidget):
    published = Signal(dict)  # the server's answer: change_id, key
    loaded = Signal()

    def __init__(self, link: ConsoleLink, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.families: dict[str, list[dict[str, Any]]] = {}
        self.chosen: str | None = None
        self.list = list_table([self.tr("Tariff"), self.tr("Name"), self.tr("Users"), self.tr("Versions"),
                                self.tr("Latest from")])
        self.list.itemSelectionChanged.connect(self._chosen)
        self.versions = list_table([self.tr("In force from"), self.tr("Until"), self.tr("Prices (yuan/m³)"),
                                    self.tr("Change no.")])
        self.valid_from = QDateEdit()
        self.valid_from.setCalendarPopup(True)
        self.valid_from.setDisplayFormat("yyyy-MM-dd")
        self.valid_from.setMinimumHeight(38)
        self.prices = QTableWidget(0, 2)
        self.prices.setHorizontalHeaderLabels([self.tr("Price of"), self.tr("Yuan per m³")])
        self.prices.verticalHeader().hide()
        self.prices.horizontalHeader().setStretchLastSection(True)
        self.prices.horizontalHeader().setMinimumSectionSize(64)
        self.prices.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.publish_button = QPushButton(self.tr("Publish new version"))
        self.publish_button.clicked.connect(self.publish)
        self.message = MessageLabel(self.tr("Choose a tariff: its new version starts from the last version's prices."))
        form = QFormLayout()
        form.addRow(self.tr("In force from"), self.valid_from)
        editor = QGroupBox(self.tr("New version"))
        editor_layout = QVBoxLayout(editor)
        editor_layout.addLayout(form)
        editor_layout.addWidget(self.prices, 1)
        editor_layout.addWidget(self.publish_button)
        editor_layout.addWidget(self.message)
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Tariffs")))
        left.addWidget(self.list, 1)
        left.addWidget(QLabel(self.tr("Versions of the chosen tariff")))
        left.addWidget(self.versions, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(editor, 2)
        self._enable()

    def refresh(self) -> None:
        self.link.run(lambda client: client.tariffs(), self._show, self._failed)

    def _failed(self, error: Exception) -> None:
        self.message.say(refusal_text(error), bad=True)
        self._enable()

    def _show(self, versions: list[dict[str, Any]]) -> None:
        self.families = tariff_families(versions)
        users = {"residential": self.tr("residential"), "non_residential": self.tr("non-residential")}
        self.list.blockSignals(True)
        self.list.setRowCount(len(self.families))
        for row, (code, family) in enumerate(self.families.items()):
            last = family[-1]
            cells = (code, last["name"], users.get(last["user_type"], last["user_type"]), str(len(family)),
                     last["valid_from"])
            for col, text in enumerate(cells):
                self.list.setItem(row, col, QTableWidgetItem(text))
        self.list.blockSignals(False)
        codes = list(self.families)
        if codes:
            self.list.selectRow(codes.index(self.chosen) if self.chosen in codes else 0)
        self._chosen()
        self.loaded.emit()

    def _chosen(self) -> None:
        rows = self.list.selectionModel().selectedRows()
        self.chosen = self.list.item(rows[0].row(), 0).text() if rows else None
        family = self.families.get(self.chosen or "", [])
        self.versions.setRowCount(len(family))
        for row, version in enumerate(reversed(family)):
            cells = (version["valid_from"], version.get("valid_to") or "—", self.price_summary(version["definition"]),
                     str(version.get("hq_version", "")))
            for col, text in enumerate(cells):
                self.versions.setItem(row, col, QTableWidgetItem(text))
        self._fill_prices(family[-1] if family else None)
        self._enable()

    @staticmethod
    def price_summary(definition: dict[str, Any]) -> str:
        tiers = " / ".join(format_fen(t["price_fen"], symbol="") for t in definition.get("tiers") or [])
        flat = [format_fen(c.get("price_fen", 0), symbol="") for c in definition.get("components") or []
                if not c.get("tiered")]
        return " + ".join(part for part in [tiers, *flat] if part)

    def _fill_prices(self, last: dict[str, Any] | None) -> None:
        self.prices.setRowCount(0)
        if last is None:
            return
        start = date.fromisoformat(last["valid_from"])
        proposed = max(start + timedelta(days=1), date.today() + timedelta(days=1))
        self.valid_from.setDate(QDate(proposed.year, proposed.month, proposed.day))
        rows: list[tuple[str, str, int]] = []
        tiers = last["definition"].get("tiers") or []
        for number, tier in enumerate(tiers, start=1):
            bound = tier.get("upto_m3")
            label = (self.tr("Tier {n} (up to {m3} m³)").format(n=number, m3=bound) if bound is not None
                     else self.tr("Tier {n} (above)").format(n=number))
            rows.append((label, f"tier:{number - 1}", tier["price_fen"]))
        for component in last["definition"].get("components") or []:
            if not component.get("tiered"):
                rows.append((component.get("name_zh") or component["code"], f"component:{component['code']}",
                             component.get("price_fen", 0)))
        self.prices.setRowCount(len(rows))
        for row, (label, key, fen) in enumerate(rows):
            name = QTableWidgetItem(label)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name.setData(Qt.ItemDataRole.UserRole, key)
            self.prices.setItem(row, 0, name)
            self.prices.setItem(row, 1, QTableWidgetItem(format_fen(fen, symbol="")))
        self.prices.resizeColumnToContents(0)

    def _enable(self) -> None:
        self.publish_button.setEnabled(self.chosen is not None)

    def new_version(self) -> dict[str, Any]:
        """The payload of the version being edited; bad input raises (naming the price's row)."""
        last = self.families[self.chosen or ""][-1]
        tiers: list[int] = []
        components: dict[str, int] = {}
        for row in range(self.prices.rowCount()):
            kind, _, key = self.prices.item(row, 0).data(Qt.ItemDataRole.UserRole).partition(":")
            fen = parse_yuan(self.prices.item(row, 1).text(), field=self.prices.item(row, 0).text(), allow_zero=True)
            if kind == "tier":
                tiers.append(fen)
            else:
                components[key] = fen
        chosen = self.valid_from.date()
        return next_tariff_version(last, date(chosen.year(), chosen.month(), chosen.day()), tiers, components)

    def publish(self) -> None:
        if self.chosen is None:
            return
        try:
            payload = self.new_version()
        except UserError as error:
            self.message.say(refusal_text(error), bad=True)
            return
        self.publish_button.setEnabled(False)
        self.link.run(lambda client: client.publish_tariff(payload), self._published, self._failed, write=True)

    def _published(self, answer: dict[str, Any]) -> None:
        code, _, start = answer["key"].partition("|")
        self.message.say(self.tr("Published: tariff {code} from {date} (change {change}). The branches take it on that day.")
                  .format(code=code, date=start, change=answer["change_id"]))
        self.published.emit(answer)
        self.refresh()
