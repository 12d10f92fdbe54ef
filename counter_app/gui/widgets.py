"""Small widgets the screens share."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QStyledItemDelegate, QTableWidget, QWidget

#: no column narrower than this: an empty list still shows its headers whole
MIN_COLUMN_PX = 64


def list_table(headers: list[str], *, fit_columns: bool = True, stretch: int | None = None) -> QTableWidget:
    """A read-only list: whole rows, one at a time, no row numbers; column ``stretch`` (default
    the last) takes the room left; ``fit_columns`` sizes the others to their contents, never
    below :data:`MIN_COLUMN_PX`."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setMinimumSectionSize(MIN_COLUMN_PX)
    if fit_columns:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class ComboBox(QComboBox):
    """A drop-down whose list rows are as tall as the style sheet says (hall.qss): Qt's own
    delegate for the list ignores it and draws 19-26 px rows, too small to hit at the counter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(QStyledItemDelegate(self))
