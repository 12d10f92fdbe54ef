"""The documents checklist of the intake form: one row per document, ticked received, missing
or not applicable. Required documents start as missing, optional ones as not applicable, so
nothing counts as received until the clerk says so."""

from __future__ import annotations

from typing import Mapping, Sequence

from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QRadioButton, QWidget

from counter_app.domain.applications import DOCUMENT_STATES, MISSING, NOT_APPLICABLE, DocumentRequirement
from counter_app.gui.applications.messages import pick


class DocumentChecklist(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(14)
        self._grid.setVerticalSpacing(6)
        self._rows: dict[str, tuple[QLabel, QButtonGroup, dict[str, QRadioButton]]] = {}
        self._order: list[str] = []
        title = QLabel(self.tr("Document"))
        title.setStyleSheet("font-weight: bold;")
        self._grid.addWidget(title, 0, 0)
        self._grid.setColumnStretch(0, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

    def set_documents(self, documents: Sequence[DocumentRequirement], states: Mapping[str, str] | None = None) -> None:
        """Show these documents; a state already ticked for the same document is kept."""
        keep = {**self.states(), **(states or {})}
        for label, group, buttons in self._rows.values():
            for widget in (label, *buttons.values()):
                self._grid.removeWidget(widget)
                widget.hide()
                widget.deleteLater()
            group.deleteLater()
        self._rows.clear()
        self._order = [d.code for d in documents]
        texts = (self.tr("Received"), self.tr("Missing"), self.tr("Not applicable"))
        for row, document in enumerate(documents, start=1):
            name = pick(document.name_zh, document.name_en) + ("" if document.required else self.tr(" (if it applies)"))
            label = QLabel(name)
            label.setWordWrap(True)
            self._grid.addWidget(label, row, 0)
            group = QButtonGroup(self)
            buttons = {}
            for column, (state, text) in enumerate(zip(DOCUMENT_STATES, texts), start=1):
                button = QRadioButton(text)
                button.setObjectName(f"doc_{document.code}_{state}")
                button.setMinimumHeight(30)
                if state == NOT_APPLICABLE and document.required:
                    button.setEnabled(False)
                group.addButton(button)
                buttons[state] = button
                self._grid.addWidget(button, row, column)
            wanted = keep.get(document.code) or (MISSING if document.required else NOT_APPLICABLE)
            if wanted == NOT_APPLICABLE and document.required:
                wanted = MISSING
            buttons[wanted].setChecked(True)
            self._rows[document.code] = (label, group, buttons)
            self._mark(document.code)
            group.buttonToggled.connect(lambda _button, _on, code=document.code: self._mark(code))
        self._count()

    def _mark(self, code: str) -> None:
        """A missing document's name in red: these are the ones the customer must bring."""
        label, _group, buttons = self._rows[code]
        label.setStyleSheet("color: #b00020; font-weight: bold;" if buttons[MISSING].isChecked() else "")
        self._count()

    def _count(self) -> None:
        missing = sum(1 for _l, _g, row in self._rows.values() if row[MISSING].isChecked())
        self.summary.setText(self.tr("{n} missing: all of them go on the slip, told once.").format(n=missing)
                             if missing else self.tr("All documents received."))
        self.summary.setStyleSheet("color: #b00020;" if missing else "color: #1b5e20;")

    def states(self) -> dict[str, str]:
        result = {}
        for code, (_label, _group, buttons) in self._rows.items():
            for state, button in buttons.items():
                if button.isChecked():
                    result[code] = state
        return result

    def set_state(self, code: str, state: str) -> None:
        self._rows[code][2][state].setChecked(True)

    def button(self, code: str, state: str) -> QRadioButton:
        return self._rows[code][2][state]

    def focus_row(self, code: str) -> None:
        if code in self._rows:
            buttons = self._rows[code][2]
            next(b for b in buttons.values() if b.isChecked()).setFocus()

    @property
    def codes(self) -> list[str]:
        return list(self._order)
