"""The kiosk's building blocks: a service button that shows its queue, the slip drawn on screen
(what the paper says, for when the printer cannot print) and the 绿色通道 page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from counter_app.gui.hall_feed import ServiceInfo
from counter_app.services.documents.ticket_slip import SlipLine

GREEN_REASONS = ("elderly", "disabled", "pregnant", "military")


def label(name: str, text: str = "", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    widget.setWordWrap(wrap)
    return widget


def big_button(name: str, text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a touch screen: no focus frame left on the last button
    return button


class ServiceButton(QPushButton):
    """One service: its letter, its name, and how long the queue is (or why it is not open)."""

    def __init__(self, letter: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("service")
        self.letter = letter
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.badge = label("badge", letter)
        self.name = label("serviceName", "", Qt.AlignmentFlag.AlignLeft)
        self.queue = label("queueLine", "", Qt.AlignmentFlag.AlignLeft)
        layout = QGridLayout(self)
        layout.addWidget(self.badge, 1, 0, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.name, 1, 1)
        layout.addWidget(self.queue, 2, 1)
        layout.setColumnStretch(1, 1)
        layout.setRowStretch(0, 1)
        layout.setRowStretch(3, 1)
        layout.setHorizontalSpacing(24)
        for child in (self.badge, self.name, self.queue):
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

    def show_service(self, service: ServiceInfo, waiting: int, language: str, online: bool) -> None:
        self.name.setText(service.name(language))
        if not service.active:
            self.queue.setText(self.tr("Not taking tickets at the moment"))
        elif service.full:
            self.queue.setText(self.tr("All of today's tickets are taken"))
        elif waiting == 0:
            self.queue.setText(self.tr("No one waiting"))
        elif service.estimated_wait_minutes > 0:
            self.queue.setText(self.tr("{count} waiting · about {minutes} min").format(
                count=waiting, minutes=service.estimated_wait_minutes))
        else:
            self.queue.setText(self.tr("{count} waiting").format(count=waiting))
        self.setEnabled(online and service.active and not service.full)


class SlipView(QFrame):
    """The ticket slip as the paper would show it, line by line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slip")
        self._layout = QVBoxLayout(self)
        self._lines: list[QLabel] = []

    def show_lines(self, lines: list[SlipLine]) -> None:
        for old in self._lines:
            old.deleteLater()
        self._lines = [label(f"slip_{line.role}", line.text) for line in lines]
        for widget in self._lines:
            self._layout.addWidget(widget)

    def text(self) -> str:
        return "\n".join(widget.text() for widget in self._lines)


class GreenPage(QWidget):
    """绿色通道: who may use it, one button per reason, and the way back."""

    chosen = Signal(str)
    back = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        names = {"elderly": self.tr("Senior citizen"), "disabled": self.tr("Person with a disability"),
                 "pregnant": self.tr("Pregnant woman"), "military": self.tr("Serviceman or veteran")}
        layout = QVBoxLayout(self)
        layout.addWidget(label("pageTitle", self.tr("Green channel")))
        layout.addWidget(label("pageText", self.tr(
            "Served before the other customers of the same service. Please show your ID or certificate "
            "at the window when you are called.")))
        self.buttons: dict[str, QPushButton] = {}
        for reason in GREEN_REASONS:
            button = big_button("reason", names[reason])
            button.clicked.connect(lambda _checked=False, r=reason: self.chosen.emit(r))
            layout.addWidget(button, 2)
            self.buttons[reason] = button
        self.back_button = big_button("back", self.tr("Back"))
        self.back_button.clicked.connect(self.back)
        layout.addWidget(self.back_button, 1)
