"""The customer-facing evaluator (评价器) on a screen turned to the customer.

Idle: the clerk serving here (photo or initials, name, staff number, star level) and the window
number. Asked to rate: 请您对本次服务进行评价 with five large buttons; 不满意 and 非常不满意 then
offer the configured reasons to tick before sending. Then thanks, and back to idle. The view
only lays out and forwards taps; :class:`EvaluatorController` acts."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.domain.ratings import Level, Reason, is_negative
from counter_app.gui.evaluator.controller import EvaluatorController
from counter_app.gui.hall_display import repolish
from counter_app.gui.hall_widgets import Avatar, ScaledScreen
from counter_app.services.quality import RatingRequestView, StaffCard


def _label(name: str, text: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(wrap)
    return label


def stars(count: int, of: int = 5) -> str:
    count = max(0, min(count, of))
    return "★" * count + "☆" * (of - count)


class EvaluatorWindow(ScaledScreen):
    DESIGN = QSize(1280, 800)
    AVATAR = 240
    THANKS_MS = 3000

    def __init__(self, controller: EvaluatorController, reasons: tuple[Reason, ...], language: str = "zh_CN",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluator")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.controller = controller
        self.setWindowTitle(self.tr("Service evaluation — window {window}").format(window=controller.window))
        self.window_title = _label("windowNumber", self.tr("Window {window}").format(window=controller.window))
        self.pages = QStackedWidget()
        self.idle_page = self._idle_page()
        self.ask_page = self._ask_page(reasons, language)
        self.thanks_page = self._thanks_page()
        for page in (self.idle_page, self.ask_page, self.thanks_page):
            self.pages.addWidget(page)
        root = QVBoxLayout(self)
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        root.addWidget(self.window_title)
        root.addWidget(self.pages, 1)
        self._back = QTimer(self, singleShot=True, interval=self.THANKS_MS)
        self._back.timeout.connect(self.show_idle)
        self.chosen: int | None = None
        self._ticket = ""
        self.scaled(self.scale)
        controller.staff_changed.connect(self.show_staff)
        controller.asking.connect(self.ask)
        controller.countdown.connect(self._count)
        controller.finished.connect(self._finished)
        self.show_staff(None)

    # --- pages ---------------------------------------------------------------------------------

    def _idle_page(self) -> QWidget:
        page = QWidget()
        self.avatar = Avatar(self.AVATAR)
        self.clerk_name = _label("clerkName")
        self.staff_no = _label("staffNo")
        self.star_line = _label("stars")
        self.star_caption = _label("starCaption", self.tr("Service star level"))
        self.welcome = _label("welcome", wrap=True)
        details = QVBoxLayout()
        details.addStretch(1)
        for label in (self.clerk_name, self.staff_no, self.star_caption, self.star_line):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            details.addWidget(label)
        details.addStretch(1)
        card = QHBoxLayout()
        card.addStretch(1)
        card.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignVCenter)
        card.addSpacing(48)
        card.addLayout(details)
        card.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(card, 3)
        layout.addWidget(self.welcome, 1)
        return page

    def _ask_page(self, reasons: tuple[Reason, ...], language: str) -> QWidget:
        page = QWidget()
        self.question = _label("question", self.tr("Please rate this service"))
        self.ticket_line = _label("ticketLine")
        names = {5: self.tr("Very satisfied"), 4: self.tr("Satisfied"), 3: self.tr("Acceptable"),
                 2: self.tr("Dissatisfied"), 1: self.tr("Very dissatisfied")}
        self.level_buttons: dict[int, QPushButton] = {}
        row = QHBoxLayout()
        row.setSpacing(18)
        for level in sorted(Level, reverse=True):
            button = QPushButton(f"{stars(level)}\n{names[level]}")
            button.setObjectName("levelButton")
            button.setProperty("level", int(level))
            button.setProperty("chosen", False)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _checked=False, lv=int(level): self.choose(lv))
            self.level_buttons[int(level)] = button
            row.addWidget(button)
        self.reason_panel = QFrame()
        self.reason_panel.setObjectName("reasonPanel")
        self.reason_hint = _label("reasonHint", self.tr("What was wrong? Tick any that apply, then send."))
        self.reason_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for i, reason in enumerate(reasons):
            button = QPushButton(reason.zh if language.startswith("zh") else reason.en)
            button.setObjectName("reasonButton")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setProperty("label", button.text())
            button.toggled.connect(lambda on, b=button: b.setText(("✓ " if on else "") + b.property("label")))
            self.reason_buttons[reason.code] = button
            grid.addWidget(button, i // 3, i % 3)
        self.send_button = QPushButton(self.tr("Send rating"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.send_button.clicked.connect(self.send)
        grid.addWidget(self.send_button, (len(reasons) + 2) // 3, 0, 1, 3)
        panel = QVBoxLayout(self.reason_panel)
        panel.addWidget(self.reason_hint)
        panel.addLayout(grid)
        self.reason_panel.hide()
        layout = QVBoxLayout(page)
        layout.addWidget(self.question)
        layout.addWidget(self.ticket_line)
        layout.addLayout(row, 3)
        layout.addWidget(self.reason_panel, 2)
        return page

    def _thanks_page(self) -> QWidget:
        page = QWidget()
        self.thanks = _label("thanks", self.tr("Thank you for your rating!"))
        self.goodbye = _label("goodbye", self.tr("Welcome back any time"))
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.thanks)
        layout.addWidget(self.goodbye)
        layout.addStretch(1)
        return page

    # --- what the controller says --------------------------------------------------------------

    def show_staff(self, card: StaffCard | None) -> None:
        self.avatar.setVisible(card is not None)
        self.star_caption.setVisible(card is not None)
        if card is None:
            self.clerk_name.setText(self.tr("Service paused"))
            self.staff_no.setText(self.tr("Please go to another window"))
            self.star_line.setText("")
            self.welcome.setText("")
            return
        self.avatar.show_clerk(card.name, card.photo)
        self.clerk_name.setText(card.name)
        self.staff_no.setText(self.tr("Staff no. {staff_no}").format(staff_no=card.staff_no))
        self.star_line.setText(stars(card.stars))
        self.welcome.setText(self.tr("Hello, welcome. I am glad to serve you."))

    def ask(self, request: RatingRequestView) -> None:
        self._back.stop()
        self.chosen = None
        self.send_button.setEnabled(True)
        for button in self.level_buttons.values():
            button.setEnabled(True)
            repolish(button, chosen=False)
        for button in self.reason_buttons.values():
            button.setChecked(False)
        self.reason_panel.hide()
        self._ticket = request.ticket_number
        self.pages.setCurrentWidget(self.ask_page)

    def _count(self, seconds: int) -> None:
        text = self.tr("{seconds} s left").format(seconds=max(seconds, 0))
        if self._ticket:
            text = self.tr("Ticket {number}").format(number=self._ticket) + "　·　" + text
        self.ticket_line.setText(text)

    def _finished(self, rated: bool, _ticket: str) -> None:
        if rated:
            self.pages.setCurrentWidget(self.thanks_page)
            self._back.start()
        else:
            self.show_idle()

    def show_idle(self) -> None:
        self._back.stop()
        self.pages.setCurrentWidget(self.idle_page)

    # --- the customer's taps -------------------------------------------------------------------

    def choose(self, level: int) -> None:
        if self.controller.state != "asking":
            return
        self.chosen = level
        for lv, button in self.level_buttons.items():
            repolish(button, chosen=lv == level)
        if is_negative(level) and self.reason_buttons:
            self.reason_panel.show()
            return
        self.send()

    def send(self) -> None:
        if self.chosen is None:
            return
        reasons = [code for code, b in self.reason_buttons.items() if b.isChecked()] if is_negative(self.chosen) else []
        if self.controller.submit(self.chosen, reasons):
            for button in (*self.level_buttons.values(), self.send_button):
                button.setEnabled(False)

    @property
    def page(self) -> str:
        return {self.idle_page: "idle", self.ask_page: "asking", self.thanks_page: "thanks"}[self.pages.currentWidget()]

    # --- looks ---------------------------------------------------------------------------------

    def scaled(self, scale: float) -> None:
        if hasattr(self, "avatar"):
            self.avatar.set_side(round(self.AVATAR * scale))

    def style_for(self, px: Callable[[float], int]) -> str:
        return f"""
        #evaluator {{ background: #f4f7fb; }}
        #evaluator QLabel {{ color: #17324d; font-size: {px(28)}px; }}
        #evaluator QLabel#windowNumber {{ font-size: {px(40)}px; font-weight: bold; color: #ffffff;
            background: #0b4f8a; padding: {px(10)}px; border-radius: {px(12)}px; }}
        #evaluator QLabel#clerkName {{ font-size: {px(72)}px; font-weight: bold; }}
        #evaluator QLabel#staffNo {{ font-size: {px(40)}px; color: #37566f; }}
        #evaluator QLabel#starCaption {{ font-size: {px(28)}px; color: #5b7186; padding-top: {px(16)}px; }}
        #evaluator QLabel#stars {{ font-size: {px(60)}px; color: #f2a900; }}
        #evaluator QLabel#welcome {{ font-size: {px(40)}px; color: #0b4f8a; }}
        #evaluator QLabel#question {{ font-size: {px(56)}px; font-weight: bold; }}
        #evaluator QLabel#ticketLine {{ font-size: {px(30)}px; color: #5b7186; }}
        #evaluator QLabel#reasonHint {{ font-size: {px(30)}px; }}
        #evaluator QLabel#thanks {{ font-size: {px(84)}px; font-weight: bold; color: #1b5e20; }}
        #evaluator QLabel#goodbye {{ font-size: {px(40)}px; color: #37566f; }}
        #evaluator QPushButton {{ min-height: {px(80)}px; border-radius: {px(20)}px; color: #ffffff;
            font-size: {px(34)}px; font-weight: bold; border: {px(4)}px solid transparent; padding: {px(6)}px; }}
        #evaluator QPushButton#levelButton {{ font-size: {px(36)}px; }}
        #evaluator QPushButton[level="5"] {{ background: #1b7f3b; }}
        #evaluator QPushButton[level="4"] {{ background: #43a047; }}
        #evaluator QPushButton[level="3"] {{ background: #1e88e5; }}
        #evaluator QPushButton[level="2"] {{ background: #f57c00; }}
        #evaluator QPushButton[level="1"] {{ background: #d32f2f; }}
        #evaluator QPushButton[chosen="true"] {{ border: {px(8)}px solid #17324d; }}
        #evaluator QPushButton:disabled {{ color: #e0e0e0; }}
        #reasonPanel {{ background: #ffffff; border: {px(2)}px solid #c5d3e0; border-radius: {px(20)}px; }}
        #evaluator QPushButton#reasonButton {{ background: #eef3f8; color: #17324d; border-color: #90a4ae;
            min-height: {px(72)}px; }}
        #evaluator QPushButton#reasonButton:checked {{ background: #fff3e0; border-color: #f57c00; }}
        #evaluator QPushButton#sendButton {{ background: #0b4f8a; min-height: {px(84)}px; }}
        """
