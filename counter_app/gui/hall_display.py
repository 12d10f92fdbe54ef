"""The hall display (综合屏): readable from across the hall.

The number just called and its window in very large type, flashing for a few seconds; the
last calls; how many wait for each service; the date and time; a scrolling notice. It draws
from a :class:`~counter_app.gui.hall_feed.HallFeed`: the state at start, then the event stream,
so after a restart or a network loss it shows what it missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from counter_app.core.config import Settings
from counter_app.gui.hall_feed import Call, HallFeed
from counter_app.gui.hall_widgets import ClockLabel, Marquee, ScaledScreen
from counter_app.gui.hub_link import HubLink
from counter_app.protocol import Event


@dataclass(frozen=True)
class DisplayOptions:
    recent_calls: int = 5  # below the number being called
    flash_seconds: float = 6.0
    notice: str = ""  # empty: the standard notice in the UI language
    title: str = ""  # empty: utility and branch name


def _label(name: str, text: str = "", align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return label


def _panel(name: str) -> QFrame:
    frame = QFrame()
    frame.setObjectName(name)
    return frame


def repolish(widget: QWidget, **properties: object) -> None:
    """Set style properties and let the style sheet see them."""
    for key, value in properties.items():
        widget.setProperty(key, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class HallDisplay(ScaledScreen):
    FLASH_MS = 450

    def __init__(self, feed: HallFeed, settings: Settings, options: DisplayOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hallDisplay")
        self.setWindowTitle(self.tr("Hall display"))
        self.feed = feed
        self.options = options or DisplayOptions()
        self.language = settings.language
        title = self.options.title or f"{settings.branch.utility}  {settings.branch.name}"
        self.title = _label("title", title)
        self.clock = ClockLabel(settings.branch.zone)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.offline = _label("offline", "", Qt.AlignmentFlag.AlignCenter)
        self.offline.hide()
        self.voice_problem = _label("voiceProblem", "", Qt.AlignmentFlag.AlignCenter)
        self.voice_problem.setWordWrap(True)
        self.voice_problem.hide()

        self.now_panel = _panel("nowCalling")
        self.now_caption = _label("nowCaption", self.tr("Now calling"), Qt.AlignmentFlag.AlignCenter)
        self.now_number = _label("nowNumber", "—", Qt.AlignmentFlag.AlignCenter)
        self.now_window = _label("nowWindow", self.tr("Connecting to the queue server…"), Qt.AlignmentFlag.AlignCenter)
        now_layout = QVBoxLayout(self.now_panel)
        for widget in (self.now_caption, self.now_number, self.now_window):
            now_layout.addWidget(widget)
        now_layout.setStretch(1, 1)
        now_layout.setContentsMargins(0, 0, 0, 0)

        recent_panel = _panel("recentPanel")
        recent_layout = QGridLayout(recent_panel)
        recent_layout.addWidget(_label("panelTitle", self.tr("Recent calls")), 0, 0, 1, 2)
        self.recent_rows: list[tuple[QLabel, QLabel]] = []
        for row in range(1, self.options.recent_calls + 1):
            number, window = _label("recentNumber"), _label("recentWindow", "", Qt.AlignmentFlag.AlignRight)
            recent_layout.addWidget(number, row, 0)
            recent_layout.addWidget(window, row, 1)
            self.recent_rows.append((number, window))
        recent_layout.setColumnStretch(1, 1)
        recent_layout.setRowStretch(self.options.recent_calls + 1, 1)

        self.waiting_panel = _panel("waitingPanel")
        self.waiting_grid = QGridLayout(self.waiting_panel)
        self.waiting_grid.addWidget(_label("panelTitle", self.tr("Waiting")), 0, 0, 1, 3)
        self.waiting_rows: dict[str, QLabel] = {}
        self._waiting_widgets: list[QWidget] = []

        self.notice = Marquee(self.options.notice or self.tr(
            "After taking a ticket please wait in the seating area and follow the screen and the voice calls. "
            "A missed number is void: please take a new ticket."))

        header = QHBoxLayout()
        header.addWidget(self.title, 3)
        header.addWidget(self.offline, 2)
        header.addWidget(self.clock, 2)
        side = QVBoxLayout()
        side.addWidget(recent_panel, 6)
        side.addWidget(self.waiting_panel, 5)
        body = QHBoxLayout()
        body.addWidget(self.now_panel, 11)
        body.addLayout(side, 8)
        root = QVBoxLayout(self)
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # a full screen never grows past the screen
        root.addLayout(header)
        root.addWidget(self.voice_problem)
        root.addLayout(body, 1)
        root.addWidget(self.notice)

        self._flash_on = False
        self._flash_until = 0
        self._flash = QTimer(self, interval=self.FLASH_MS)
        self._flash.timeout.connect(self._toggle_flash)
        feed.restored.connect(self.redraw)
        feed.changed.connect(self._changed)
        feed.called.connect(self._called)
        feed.link.online_changed.connect(self._online)

    def style_for(self, px: Callable[[float], int]) -> str:
        return f"""
        #hallDisplay {{ background: #061423; }}
        #hallDisplay QLabel {{ color: #f5f7fa; font-size: {px(40)}px; }}
        #hallDisplay QLabel#title {{ font-size: {px(50)}px; font-weight: bold; }}
        #hallDisplay QLabel#clock {{ font-size: {px(44)}px; color: #cfd8dc; }}
        #hallDisplay QLabel#offline {{ font-size: {px(34)}px; color: #ffffff; background: #c62828;
                                       border-radius: {px(10)}px; padding: {px(6)}px; }}
        #hallDisplay QLabel#voiceProblem {{ font-size: {px(28)}px; color: #101010; background: #ffb300;
                                            border-radius: {px(10)}px; padding: {px(4)}px; }}
        #nowCalling {{ background: #0d2a4a; border: {px(6)}px solid #ffb300; border-radius: {px(24)}px; }}
        #nowCalling[flash="true"] {{ background: #ffb300; }}
        #hallDisplay QLabel#nowCaption {{ font-size: {px(64)}px; padding-top: {px(24)}px; color: #ffd54f; font-weight: bold; }}
        #hallDisplay QLabel#nowNumber {{ font-size: {px(330)}px; font-weight: bold; color: #ffeb3b; }}
        #hallDisplay QLabel#nowWindow {{ font-size: {px(96)}px; padding-bottom: {px(36)}px; font-weight: bold; color: #ffffff; }}
        #hallDisplay #nowCalling[flash="true"] QLabel {{ color: #101010; }}
        #recentPanel, #waitingPanel {{ background: #0b223b; border-radius: {px(20)}px; }}
        #hallDisplay QLabel#panelTitle {{ font-size: {px(42)}px; padding: {px(4)}px {px(12)}px; color: #80cbc4; font-weight: bold; }}
        #hallDisplay QLabel#recentNumber {{ font-size: {px(58)}px; padding-left: {px(12)}px; font-weight: bold; color: #ffeb3b; }}
        #hallDisplay QLabel#recentWindow {{ font-size: {px(54)}px; padding-right: {px(12)}px; }}
        #hallDisplay QLabel#serviceLetter {{ font-size: {px(48)}px; font-weight: bold; color: #061423;
            background: #80cbc4; border-radius: {px(12)}px; min-width: {px(72)}px; max-width: {px(72)}px; margin-left: {px(12)}px; }}
        #hallDisplay QLabel#serviceName {{ font-size: {px(52)}px; }}
        #hallDisplay QLabel#serviceCount {{ font-size: {px(54)}px; font-weight: bold; color: #ffeb3b; padding-right: {px(12)}px; }}
        #hallDisplay QLabel#serviceCount[closed="true"] {{ font-size: {px(40)}px; color: #90a4ae; }}
        #marquee {{ background: #ffb300; color: #101010; font-size: {px(44)}px; min-height: {px(84)}px; }}
        """

    # --- drawing -------------------------------------------------------------------------------

    def redraw(self) -> None:
        self._build_waiting()
        self._draw_waiting()
        self._draw_calls()

    def _changed(self, event: Event) -> None:
        self._draw_waiting()
        self._draw_calls()  # a finish, hold, no-show ... ends "now calling" as much as a call starts it

    def window_text(self, window: int) -> str:
        return self.tr("Please go to window {window}").format(window=window)

    def _draw_calls(self) -> None:
        now = self.feed.model.now_calling
        recent = [call for call in self.feed.model.recent if call is not now]
        if now is None:
            self.now_number.setText("—")
            self.now_window.setText(self.tr("Please wait for your number") if recent else self.tr("No number called yet"))
        else:
            self.now_number.setText(now.number)
            self.now_window.setText(self.window_text(now.window))
        for index, (number, window) in enumerate(self.recent_rows):
            call = recent[index] if index < len(recent) else None
            number.setText(call.number if call else "")
            window.setText(self.tr("Window {window}").format(window=call.window) if call else "")

    def _build_waiting(self) -> None:
        for widget in self._waiting_widgets:
            widget.deleteLater()
        self._waiting_widgets.clear()
        self.waiting_rows.clear()
        for row, service in enumerate(self.feed.model.services.values(), start=1):
            letter = _label("serviceLetter", service.letter, Qt.AlignmentFlag.AlignCenter)
            name = _label("serviceName", service.name(self.language))
            count = _label("serviceCount", "", Qt.AlignmentFlag.AlignRight)
            for column, widget in enumerate((letter, name, count)):
                self.waiting_grid.addWidget(widget, row, column)
            self._waiting_widgets += [letter, name, count]
            self.waiting_rows[service.letter] = count
        self.waiting_grid.setColumnStretch(1, 1)
        self.waiting_grid.setRowStretch(len(self.waiting_rows) + 1, 1)

    def _draw_waiting(self) -> None:
        model = self.feed.model
        for letter, label in self.waiting_rows.items():
            service = model.services[letter]
            if service.active:
                label.setText(self.tr("{count} waiting").format(count=model.waiting(letter)))
            else:
                label.setText(self.tr("Closed"))
            if label.property("closed") != (not service.active):
                repolish(label, closed=not service.active)

    # --- highlight ----------------------------------------------------------------------------

    def _called(self, call: Call, live: bool) -> None:
        if live:
            self._flash_until = int(self.options.flash_seconds * 1000 / self.FLASH_MS)
            self._flash.start()
            self._toggle_flash()

    def _toggle_flash(self) -> None:
        self._flash_until -= 1
        self._flash_on = not self._flash_on if self._flash_until > 0 else False
        if self._flash_until <= 0:
            self._flash.stop()
        repolish(self.now_panel, flash=self._flash_on)
        for label in (self.now_caption, self.now_number, self.now_window):
            repolish(label)

    @property
    def flashing(self) -> bool:
        return self._flash.isActive()

    def show_voice_problem(self, problem: str) -> None:
        """Why calls are not spoken (the speech engine), for the staff to see; empty: hidden."""
        self.voice_problem.setText(problem)
        self.voice_problem.setVisible(bool(problem))

    def _online(self, online: bool) -> None:
        self.offline.setText(self.tr("Reconnecting to the queue server…"))
        self.offline.setVisible(not online)


def open_display(link: HubLink, settings: Settings, options: DisplayOptions | None = None) -> HallDisplay:
    """The hall display over ``link``, already following the hub; show it with ``showFullScreen()``."""
    options = options or DisplayOptions()
    feed = HallFeed(link, recent_size=options.recent_calls + 1, zone=settings.branch.zone)
    display = HallDisplay(feed, settings, options)
    feed.setParent(display)
    feed.start()
    return display
