"""Messages where the clerk looks: at the field they are about (framed in red, the sentence under
it, the focus on it, cleared by editing it), or in a coloured outcome line for a whole action."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDialog, QLabel, QLineEdit, QWidget


def restyle(widget: QWidget, name: str, value: object) -> None:
    """Set a property the style sheet selects on (``[state="bad"]``) and let the style see it."""
    if widget.property(name) != value:
        widget.setProperty(name, value)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def set_outcome(label: QLabel, text: str, state: str = "ok") -> None:
    """The coloured sentence that says how an action ended (ok, warn, bad, idle). A dialog grows
    to fit it (a wrapped label's height is not part of a window's minimum size)."""
    label.setText(text)
    label.setVisible(bool(text))
    restyle(label, "state", state)
    window = label.window()
    if isinstance(window, QDialog):
        QTimer.singleShot(0, window.adjustSize)


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
        restyle(widget, "invalid", invalid)
