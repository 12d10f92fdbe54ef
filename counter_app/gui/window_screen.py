"""The small screen above one window (窗口屏): the window's number, the clerk serving there
(photo, or initials when there is none; name and staff number), the number called to it, and
暂停服务 while the window is paused or closed. Restored from the hub's state, then moved by its
events like the hall display."""

from __future__ import annotations

import logging
from typing import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget

from counter_app.core.config import Settings
from counter_app.gui.hall_display import repolish
from counter_app.gui.hall_feed import HallFeed, WindowInfo
from counter_app.gui.hall_widgets import Avatar, ClockLabel, ScaledScreen
from counter_app.gui.hub_link import HubLink
from counter_app.gui.tasks import TaskRunner
from counter_app.protocol import Event, EventKind

log = logging.getLogger(__name__)

PhotoLoader = Callable[[str], "bytes | None"]  # staff id -> photo (JPEG/PNG), run off the GUI thread


def _label(name: str, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return label


class WindowScreen(ScaledScreen):
    DESIGN = QSize(800, 480)
    AVATAR = 170

    def __init__(self, feed: HallFeed, settings: Settings, window: int, *, photo_loader: PhotoLoader | None = None,
                 tasks: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("windowScreen")
        self.feed, self.window, self.language = feed, window, settings.language
        self._photos, self._tasks = photo_loader, tasks
        self._photo_for: str | None = None
        self.setWindowTitle(self.tr("Window {window}").format(window=window))
        self.title = _label("windowTitle", Qt.AlignmentFlag.AlignLeft)
        self.title.setText(self.tr("Window {window}").format(window=window))
        self.services = _label("services", Qt.AlignmentFlag.AlignLeft)
        self.clock = ClockLabel(settings.branch.zone, seconds=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.avatar = Avatar(self.AVATAR)
        self.clerk_name = _label("clerkName")
        self.staff_no = _label("staffNo")
        self.caption = _label("caption")
        self.number = _label("number")
        self.number.setWordWrap(True)
        self.state_line = _label("stateLine")
        for label in (self.caption, self.number, self.state_line):  # the board's width is the layout's, not the text's
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.board = QFrame()
        self.board.setObjectName("board")

        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.services)
        header.addLayout(titles, 3)
        header.addWidget(self.clock, 1)
        clerk = QVBoxLayout()
        clerk.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignHCenter)
        clerk.addWidget(self.clerk_name)
        clerk.addWidget(self.staff_no)
        clerk.addStretch(1)
        board = QVBoxLayout(self.board)
        board.addWidget(self.caption)
        board.addWidget(self.number, 1)
        board.addWidget(self.state_line)
        body = QHBoxLayout()
        body.addLayout(clerk, 2)
        body.addWidget(self.board, 5)
        root = QVBoxLayout(self)
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        root.addLayout(header)
        root.addLayout(body, 1)
        self.show_window(None)
        self.scaled(self.scale)

        feed.restored.connect(self.redraw)
        feed.changed.connect(self._changed)

    def style_for(self, px: Callable[[float], int]) -> str:
        return f"""
        #windowScreen {{ background: #061423; }}
        #windowScreen QLabel {{ color: #f5f7fa; font-size: {px(24)}px; }}
        #windowScreen QLabel#windowTitle {{ font-size: {px(54)}px; font-weight: bold; color: #ffd54f; }}
        #windowScreen QLabel#services {{ font-size: {px(22)}px; color: #b0bec5; }}
        #windowScreen QLabel#clock {{ font-size: {px(26)}px; color: #cfd8dc; }}
        #windowScreen QLabel#clerkName {{ font-size: {px(36)}px; font-weight: bold; }}
        #windowScreen QLabel#staffNo {{ font-size: {px(24)}px; color: #b0bec5; }}
        #board {{ background: #0d2a4a; border: {px(4)}px solid #ffb300; border-radius: {px(18)}px; }}
        #board[state="paused"], #board[state="closed"] {{ background: #b71c1c; border-color: #ffcdd2; }}
        #windowScreen QLabel#caption {{ font-size: {px(30)}px; color: #ffd54f; }}
        #windowScreen QLabel#number {{ font-size: {px(150)}px; font-weight: bold; color: #ffeb3b; }}
        #windowScreen #board[state="paused"] QLabel#number, #windowScreen #board[state="closed"] QLabel#number
            {{ font-size: {px(80)}px; color: #ffffff; }}
        #windowScreen QLabel#stateLine {{ font-size: {px(30)}px; }}
        """

    def scaled(self, scale: float) -> None:
        if hasattr(self, "avatar"):
            self.avatar.set_side(round(self.AVATAR * scale))

    def redraw(self) -> None:
        self.show_window(self.feed.model.windows.get(self.window))

    def _changed(self, event: Event) -> None:
        if event.window == self.window or event.kind is EventKind.DAY_RESET:
            self.redraw()

    def show_window(self, info: WindowInfo | None) -> None:
        if info is not None:
            names = [self.feed.model.services[s].name(self.language) for s in info.services if s in self.feed.model.services]
            self.services.setText(self.tr("Services: {names}").format(names="、".join(names)))
        if info is None:
            self.services.setText("")
            state = "closed"
        else:
            state = info.state
        self._show_clerk(info if state != "closed" else None)
        if state in ("paused", "closed"):
            self.caption.setText("")
            self.number.setText(self.tr("Service paused"))
            self.state_line.setText(self.tr("Please wait a moment") if state == "paused"
                                    else self.tr("Please go to another window"))
        elif info is not None and info.current:
            self.caption.setText(self.tr("Now serving"))
            self.number.setText(info.current)
            self.state_line.setText(self.tr("Please come to this window") if info.current_state == "called"
                                    else self.tr("Being served"))
        else:
            self.caption.setText(self.tr("Now serving"))
            self.number.setText("—")
            self.state_line.setText(self.tr("Waiting for the next number"))
        if self.board.property("state") != state:
            repolish(self.board, state=state)
            for label in (self.caption, self.number, self.state_line):
                repolish(label)

    @property
    def state(self) -> str:
        return str(self.board.property("state"))

    def _show_clerk(self, info: WindowInfo | None) -> None:
        name = info.clerk_name if info is not None and info.clerk_name else ""
        self.clerk_name.setText(name)
        self.staff_no.setText(self.tr("Staff no. {staff_no}").format(staff_no=info.staff_no)
                              if info is not None and info.staff_no else "")
        self.avatar.setVisible(bool(name))
        clerk_id = info.clerk_id if info is not None else None
        if clerk_id == self._photo_for:
            return
        self._photo_for = clerk_id
        self.avatar.show_clerk(name)
        if clerk_id and self._photos is not None and self._tasks is not None:
            loader = self._photos
            self._tasks.run(lambda: loader(clerk_id), lambda photo: self._photo_loaded(clerk_id, name, photo),
                            lambda error: log.warning("photo of clerk %s not loaded: %s", clerk_id, error), write=False)

    def _photo_loaded(self, clerk_id: str, name: str, photo: bytes | None) -> None:
        if clerk_id == self._photo_for and photo:
            self.avatar.show_clerk(name, photo)


def open_window_screen(link: HubLink, settings: Settings, window: int, *, photo_loader: PhotoLoader | None = None,
                       tasks: TaskRunner | None = None) -> WindowScreen:
    """The screen of window ``window`` over ``link``, already following the hub; show it with
    ``showFullScreen()``. ``photo_loader(staff_id)`` gives the clerk's photo (run on ``tasks``);
    without it the screen shows the clerk's initials."""
    feed = HallFeed(link, zone=settings.branch.zone, resync_on=frozenset({"window_opened"}))
    screen = WindowScreen(feed, settings, window, photo_loader=photo_loader, tasks=tasks)
    feed.setParent(screen)
    feed.start()
    return screen
