"""Messages at the field they are about: the field is framed in red, the sentence sits under it,
the field takes the focus, and editing the field clears the message."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QWidget


class FieldErrors:
    def __init__(self) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._aliases: dict[str, str] = {}

    def add(self, name: str, widget: QWidget, *aliases: str) -> QLabel:
        """Register ``widget`` as field ``name`` (and under ``aliases``); returns the label to lay out under it."""
        label = QLabel()
        label.setObjectName("fieldError")
        label.setWordWrap(True)
        label.hide()
        self._fields[name] = (widget, label)
        for alias in aliases:
            self._aliases[alias] = name
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _text, n=name: self.clear(n))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _index, n=name: self.clear(n))
        elif isinstance(widget, QAbstractButton):
            widget.toggled.connect(lambda _on, n=name: self.clear(n))
        return label

    def name(self, field: str) -> str:
        return self._aliases.get(field, field)

    def has(self, field: str) -> bool:
        return self.name(field) in self._fields

    def show(self, field: str, text: str, focus: bool = True) -> None:
        widget, label = self._fields[self.name(field)]
        label.setText(text)
        label.show()
        self._mark(widget, True)
        if focus and widget.isEnabled():
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()

    def text(self, field: str) -> str:
        _widget, label = self._fields[self.name(field)]
        return label.text() if not label.isHidden() else ""

    def clear(self, field: str | None = None) -> None:
        for name in ([self.name(field)] if field else list(self._fields)):
            widget, label = self._fields[name]
            label.clear()
            label.hide()
            self._mark(widget, False)

    @staticmethod
    def _mark(widget: QWidget, invalid: bool) -> None:
        if bool(widget.property("invalid")) != invalid:
            widget.setProperty("invalid", invalid)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
