"""The back-office list as a Qt table model: filling it only swaps the list; each cell is
formatted when the view asks for it, so 50,000 applications fill in well under a frame."""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from counter_app.gui.applications.messages import DUE_COLOURS, ApplicationWords, chinese
from counter_app.services.applications import WorkItem

_Index = QModelIndex | QPersistentModelIndex


class WorkListModel(QAbstractTableModel):
    COLUMNS = ("number", "type", "applicant", "address", "stage", "due", "state", "elapsed")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: Sequence[WorkItem] = ()
        self._words = ApplicationWords(self)
        self._zh = chinese()
        self._brushes = {state: QBrush(QColor(colour)) for state, colour in DUE_COLOURS.items()}
        self._headers = (self.tr("Application no."), self.tr("Type"), self.tr("Applicant"), self.tr("Site address"),
                         self.tr("Stage"), self.tr("Due"), self.tr("Due state"), self.tr("Working days"))
        self._state_text = {state: self._words.due(state) for state in ("green", "amber", "red", "stopped", "done", "none")}

    def set_items(self, items: Sequence[WorkItem]) -> None:
        self.beginResetModel()
        self._items = items
        self._zh = chinese()
        self.endResetModel()

    def item(self, row: int) -> WorkItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, number: str) -> int:
        for row, item in enumerate(self._items):
            if item.number == number:
                return row
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return item.number
            if column == 1:
                return item.type_zh if self._zh else item.type_en
            if column == 2:
                return item.applicant_name
            if column == 3:
                return item.site_address
            if column == 4:
                return item.stage_zh if self._zh else item.stage_en
            if column == 5:
                return item.due.isoformat() if item.due else "—"
            if column == 6:
                return self._state_text.get(item.due_state, item.due_state)
            return str(item.elapsed_days)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes.get(item.due_state)
        if role == Qt.ItemDataRole.ForegroundRole and item.due_state in ("amber", "red", "stopped"):
            return QBrush(QColor("#000000"))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 7:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return item.number
        return None
