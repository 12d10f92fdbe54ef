"""The ticket kiosk (取号机): a full-screen touch screen.

A customer taps a service (after 绿色通道 and a reason, if that applies), the hub issues the
number, the slip prints through the printer layer, and the screen says to take it. When the
printer cannot print, or the kiosk has none, the slip is shown on the screen instead. A service
that is closed or has given out its daily tickets is shown as such and, if the hub refuses all
the same (409/422), the screen says why in plain words. Every answer page goes back to the
services by itself after a few seconds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.gui.hall_feed import HallFeed
from counter_app.gui.hall_widgets import ClockLabel, ScaledScreen
from counter_app.gui.hub_link import HubLink
from counter_app.gui.kiosk_pages import GreenPage, ServiceButton, SlipView, big_button, label
from counter_app.gui.printing import Delivered, PrinterError, deliver_pdf
from counter_app.gui.tasks import TaskRunner
from counter_app.hub.client import HubClient, HubUnavailable
from counter_app.protocol import WINDOW_KINDS, EventKind, IssueAnswer
from counter_app.services.documents.ticket_slip import DEFAULT_HINT, DEFAULT_NOTICE, TicketSlipData, render_ticket_slip, slip_lines

log = logging.getLogger(__name__)

#: events after which the kiosk reads the hall again, for fresh wait estimates (debounced)
ESTIMATE_EVENTS = frozenset({EventKind.ISSUED, EventKind.CALLED, EventKind.CALLED_BACK, EventKind.RECYCLED,
                             EventKind.TRANSFERRED, EventKind.CANCELLED, EventKind.CLEARED, EventKind.DAY_RESET,
                             *WINDOW_KINDS})


@dataclass(frozen=True)
class KioskOptions:
    notice: str = DEFAULT_NOTICE  # printed on every slip
    hint: str = DEFAULT_HINT
    return_seconds: int = 8  # an answer page goes back to the services after this long
    printer_name: str | None = None  # None: settings.printer.name


class Kiosk(ScaledScreen):
    DESIGN = QSize(1080, 1920)
    LANDSCAPE = QSize(1700, 1360)  # same type as portrait, fitted to a 5:4 screen

    def __init__(self, feed: HallFeed, settings: Settings, paths: DataPaths, tasks: TaskRunner,
                 options: KioskOptions | None = None, *, make_printer: Callable[[], QPrinter] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.make_printer = make_printer  # a QPrinter to use instead of the named one (tests: a PDF file)
        self.setObjectName("kiosk")
        self.setWindowTitle(self.tr("Take a ticket"))
        self.feed, self.settings, self.paths, self.tasks = feed, settings, paths, tasks
        self.options = options or KioskOptions()
        self.printer_name = settings.printer.name if self.options.printer_name is None else self.options.printer_name
        self.green_reason = ""
        self.buttons: dict[str, ServiceButton] = {}
        self.last_slip: Path | None = None
        self.delivered: Delivered | None = None

        self.title = label("title", f"{settings.branch.utility}\n{settings.branch.name}")
        self.clock = ClockLabel(settings.branch.zone, seconds=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.home = QWidget()
        self.prompt = label("prompt", self.tr("Please choose a service"))
        self.banner = label("banner")
        self.grid = QGridLayout()
        self.green_button = big_button("greenButton", self.tr("Green channel: seniors, disabled, pregnant, military"))
        self.green_button.clicked.connect(self.show_green_page)
        self.cancel_green = big_button("cancelGreen", self.tr("Cancel green channel"))
        self.cancel_green.clicked.connect(lambda: self.set_green(""))
        home = QVBoxLayout(self.home)
        home.addWidget(self.prompt)
        home.addWidget(self.banner)
        home.addLayout(self.grid, 1)
        green_row = QHBoxLayout()
        green_row.addWidget(self.green_button, 3)
        green_row.addWidget(self.cancel_green, 1)
        home.addLayout(green_row)
        self.green_page = GreenPage()
        self.green_page.chosen.connect(self.set_green)
        self.green_page.back.connect(lambda: self.set_green(""))
        self.answer = QWidget()
        self.answer_title = label("answerTitle")
        self.answer_text = label("answerText")
        self.slip = SlipView()
        self.countdown = label("countdown")
        self.done_button = big_button("done", self.tr("Done"))
        self.done_button.clicked.connect(self.go_home)
        answer = QVBoxLayout(self.answer)
        answer.addWidget(self.answer_title)
        answer.addWidget(self.answer_text)
        answer.addStretch(1)
        answer.addWidget(self.slip, 0, Qt.AlignmentFlag.AlignHCenter)
        answer.addStretch(1)
        answer.addWidget(self.countdown)
        answer.addWidget(self.done_button)
        for page in (self.home, self.green_page, self.answer):
            self.pages.addWidget(page)
        root = QVBoxLayout(self)
        root.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        header = QHBoxLayout()
        header.addWidget(self.title, 3)
        header.addWidget(self.clock, 1)
        root.addLayout(header)
        root.addWidget(self.pages, 1)

        self._left = 0
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._count_down)
        self._columns = 0
        self._idle = QTimer(self, singleShot=True, interval=self.options.return_seconds * 3000)
        self._idle.timeout.connect(self.go_home)  # a customer who walks away leaves no green channel behind
        feed.restored.connect(self._build)
        feed.changed.connect(self._moved)
        feed.link.online_changed.connect(self._moved)
        self.set_green("")

    # --- look ------------------------------------------------------------------------------

    def design_for(self, size: QSize) -> QSize:
        return self.LANDSCAPE if size.width() > size.height() else self.DESIGN

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.buttons:
            self._build()

    def style_for(self, px: Callable[[float], int]) -> str:
        return f"""
        #kiosk {{ background: #eef3f8; }}
        #kiosk QLabel {{ color: #102a43; font-size: {px(36)}px; }}
        #kiosk QLabel#title {{ font-size: {px(46)}px; font-weight: bold; color: #0b4f8a; }}
        #kiosk QLabel#clock {{ font-size: {px(32)}px; color: #486581; }}
        #kiosk QLabel#prompt, #kiosk QLabel#pageTitle, #kiosk QLabel#answerTitle
            {{ font-size: {px(66)}px; font-weight: bold; color: #102a43; padding: {px(16)}px; }}
        #kiosk QLabel#answerTitle[tone="bad"] {{ color: #b00020; }}
        #kiosk QLabel#banner {{ font-size: {px(38)}px; border-radius: {px(14)}px; padding: {px(14)}px; }}
        #kiosk QLabel#banner[tone="green"] {{ background: #2e7d32; color: white; }}
        #kiosk QLabel#banner[tone="bad"] {{ background: #b00020; color: white; }}
        #kiosk QLabel#banner[full="true"] {{ font-size: {px(60)}px; font-weight: bold; padding: {px(48)}px; }}
        #kiosk QPushButton {{ background: white; color: #102a43; border: {px(3)}px solid #bcccdc;
            border-radius: {px(26)}px; font-size: {px(44)}px; padding: {px(12)}px; min-height: {px(90)}px; }}
        #kiosk QPushButton:pressed {{ background: #d9e8f6; }}
        #kiosk QPushButton#service {{ border: {px(4)}px solid #1565c0; }}
        #kiosk[green="true"] QPushButton#service {{ border: {px(6)}px solid #2e7d32; background: #f1f8e9; }}
        #kiosk QPushButton#service:disabled {{ border-color: #cfd8dc; background: #f5f5f5; }}
        #kiosk QPushButton#service QLabel:disabled {{ color: #78909c; }}
        #kiosk QLabel#badge {{ font-size: {px(84)}px; font-weight: bold; color: white; background: #1565c0;
            border-radius: {px(20)}px; min-width: {px(130)}px; max-width: {px(130)}px; min-height: {px(130)}px;
            max-height: {px(130)}px; }}
        #kiosk[green="true"] QLabel#badge {{ background: #2e7d32; }}
        #kiosk QLabel#badge:disabled {{ background: #b0bec5; color: white; }}
        #kiosk QLabel#serviceName {{ font-size: {px(64)}px; font-weight: bold; }}
        #kiosk QLabel#queueLine {{ font-size: {px(38)}px; color: #334e68; }}
        #kiosk QPushButton#greenButton, #kiosk QPushButton#reason {{ background: #2e7d32; color: white;
            border-color: #1b5e20; font-size: {px(42)}px; }}
        #kiosk QPushButton#done, #kiosk QPushButton#back, #kiosk QPushButton#cancelGreen {{ font-size: {px(42)}px; }}
        #kiosk QLabel#pageText, #kiosk QLabel#answerText {{ font-size: {px(40)}px; color: #334e68; padding: {px(10)}px; }}
        #kiosk QLabel#countdown {{ font-size: {px(32)}px; color: #627d98; }}
        #slip {{ background: white; border: {px(2)}px dashed #9fb3c8; min-width: {px(720)}px; padding: {px(24)}px; }}
        #slip QLabel {{ font-size: {px(38)}px; color: #102a43; }}
        #slip QLabel#slip_title {{ font-size: {px(44)}px; font-weight: bold; }}
        #slip QLabel#slip_number {{ font-size: {px(210)}px; font-weight: bold; }}
        #slip QLabel#slip_badge {{ font-size: {px(38)}px; font-weight: bold; color: #2e7d32; border: {px(3)}px solid #2e7d32; }}
        #slip QLabel#slip_notice {{ font-size: {px(42)}px; font-weight: bold; color: #b00020; }}
        #slip QLabel#slip_small {{ font-size: {px(30)}px; color: #486581; }}
        """

    def _wanted_columns(self) -> int:
        landscape = self.width() > self.height()
        return 2 if landscape or len(self.feed.model.services) > 5 else 1

    def _build(self) -> None:
        if list(self.buttons) == list(self.feed.model.services) and self._columns == self._wanted_columns():
            self.refresh()
            return
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons.clear()
        self._columns = self._wanted_columns()
        for index, letter in enumerate(self.feed.model.services):
            button = ServiceButton(letter)
            button.clicked.connect(lambda _checked=False, chosen=letter: self.take(chosen))
            self.grid.addWidget(button, index // self._columns, index % self._columns)
            self.buttons[letter] = button
        self.refresh()

    def _moved(self, _what: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        model, online = self.feed.model, self.feed.ready and self.feed.link.online
        for letter, button in self.buttons.items():
            button.show_service(model.services[letter], model.waiting(letter), self.settings.language, online)
        self.prompt.setText(self.tr("Please choose a service") if online else self.tr("Tickets cannot be issued right now"))
        down = not online and not self.buttons  # never reached the hub: the message is the whole screen
        if not online:
            text = self.tr("The queue system is not reachable. Please wait a moment or ask the staff.")
            if down:
                text += "\n\n" + self.tr("Staff: check that the queue server ({url}) is running and this kiosk's "
                                          "network cable is plugged in.").format(url=self.feed.link.client.url)
            self._banner(text, "bad")
        elif self.green_reason:
            self._banner(self.tr("Green channel: now choose your service."), "green")
        else:
            self._banner("", "")
        # offline: the message takes the screen; nothing is offered that a tap could not do
        self.banner.setSizePolicy(QSizePolicy.Policy.Preferred,
                                  QSizePolicy.Policy.Expanding if down else QSizePolicy.Policy.Preferred)
        self.banner.setWordWrap(True)
        if self.banner.property("full") != down:
            self.banner.setProperty("full", down)
            self.banner.style().polish(self.banner)
        self.green_button.setEnabled(online)
        self.green_button.setVisible(online and not self.green_reason)

    def _banner(self, text: str, tone: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        if self.banner.property("tone") != tone:
            self.banner.setProperty("tone", tone)
            self.banner.style().polish(self.banner)

    def show_green_page(self) -> None:
        self.pages.setCurrentWidget(self.green_page)
        self._idle.start()

    def set_green(self, reason: str) -> None:
        self.green_reason = reason
        if reason:
            self._idle.start()
        else:
            self._idle.stop()
        self.setProperty("green", bool(reason))
        self.setStyleSheet(self.styleSheet())  # the buttons' colours follow the property
        self.cancel_green.setVisible(bool(reason))
        self.green_button.setVisible(not reason)
        self.pages.setCurrentWidget(self.home)
        self.refresh()

    def go_home(self) -> None:
        self._tick.stop()
        self.set_green("")

    # --- taking a ticket -----------------------------------------------------------------------

    def take(self, letter: str) -> None:
        self._idle.stop()
        priority = "green" if self.green_reason else "normal"
        self._answer(self.tr("Taking your ticket…"), "", "ok", seconds=0)
        self.feed.link.command(HubClient.issue_ticket, letter, priority, self.green_reason,
                               on_done=lambda result: self._issued(letter, result),
                               on_error=lambda error: self._refused(letter, error))

    def _refused(self, letter: str, error: Exception) -> None:
        service = self.feed.model.services.get(letter)
        name = service.name(self.settings.language) if service else letter
        if isinstance(error, NotAllowed) and error.code in ("service_daily_limit", "ticket_numbers_used_up"):
            text = self.tr("All of today's tickets for {service} have been taken. Please ask at the information desk.")
        elif isinstance(error, NotAllowed):
            text = self.tr("{service} is not taking tickets at the moment. Please ask at the information desk.")
        elif isinstance(error, (HubUnavailable, InvalidInput)):
            text = self.tr("The queue system cannot issue tickets right now. Please try again in a moment or ask the staff.")
        else:
            log.error("ticket for %s not issued", letter, exc_info=error)
            text = self.tr("The ticket could not be issued. Please ask the staff.")
        log.info("kiosk: no ticket for %s: %s", letter, error)
        self._answer(self.tr("No ticket issued"), text.format(service=name), "bad")
        self.feed.resync()

    def _issued(self, letter: str, result: IssueAnswer) -> None:
        ticket = result.ticket
        service = self.feed.model.services.get(letter)
        issued = ticket.issued_at.astimezone(self.settings.branch.zone)
        data = TicketSlipData(
            utility_name=self.settings.branch.utility, branch_name=self.feed.model.branch_name or self.settings.branch.name,
            service_name=service.name_zh if service else letter, service_letter=letter, number=ticket.number,
            green=ticket.priority == "green", waiting_ahead=result.waiting_ahead,
            estimated_wait_minutes=result.estimated_wait_minutes, issued_at_local=issued.strftime("%Y-%m-%d %H:%M:%S"),
            notice=self.options.notice, hint=self.options.hint)
        self.slip.show_lines(slip_lines(data))
        folder = self.paths.receipts / "tickets"
        pdf = folder / f"{issued:%Y%m%d}-{ticket.number}.pdf"
        printer, make_printer = self.printer_name, self.make_printer

        def make_and_print() -> Delivered:
            folder.mkdir(parents=True, exist_ok=True)
            render_ticket_slip(data, pdf)
            delivered = deliver_pdf(pdf, printer, folder, title=ticket.number,
                                    printer=make_printer() if make_printer else None)
            if delivered.printer:
                pdf.unlink(missing_ok=True)  # on paper now; the log has the ticket
            return delivered

        self.last_slip = pdf
        self.tasks.run(make_and_print, self._printed, self._not_printed, write=False)

    def _printed(self, delivered: Delivered) -> None:
        self.delivered = delivered
        if delivered.printer:
            self._answer(self.tr("Please take your ticket"), self.tr("Wait in the seating area and watch the screen."), "ok")
        else:
            self._answer(self.tr("Please remember your number"),
                         self.tr("This kiosk does not print tickets. Your ticket is shown below."), "ok", slip=True)

    def _not_printed(self, error: Exception) -> None:
        self.delivered = None
        if not isinstance(error, PrinterError):
            log.error("ticket slip not printed", exc_info=error)
        else:
            log.warning("ticket slip not printed: %s", error)
        self._answer(self.tr("Please remember your number"),
                     self.tr("The printer cannot print right now. Your ticket is shown below; "
                             "your number is valid without the paper."), "bad", slip=True)

    # --- answer page -------------------------------------------------------------------------

    def _answer(self, title: str, text: str, tone: str, *, slip: bool = False, seconds: int | None = None) -> None:
        self.answer_title.setText(title)
        self.answer_title.setProperty("tone", tone)
        self.answer_title.style().polish(self.answer_title)
        self.answer_text.setText(text)
        self.answer_text.setVisible(bool(text))
        self.slip.setVisible(slip)
        self.pages.setCurrentWidget(self.answer)
        self._left = self.options.return_seconds * (2 if slip else 1) if seconds is None else seconds
        self.done_button.setVisible(self._left > 0)
        self.countdown.setVisible(self._left > 0)
        self._show_countdown()
        if self._left > 0:
            self._tick.start()
        else:
            self._tick.stop()

    def _show_countdown(self) -> None:
        self.countdown.setText(self.tr("Back to the start in {seconds} s").format(seconds=self._left))

    def _count_down(self) -> None:
        self._left -= 1
        self._show_countdown()
        if self._left <= 0:
            self.go_home()

    @property
    def page(self) -> str:
        return {self.home: "home", self.green_page: "green", self.answer: "answer"}[self.pages.currentWidget()]


def open_kiosk(link: HubLink, settings: Settings, paths: DataPaths, tasks: TaskRunner,
               options: KioskOptions | None = None, *, make_printer: Callable[[], QPrinter] | None = None) -> Kiosk:
    """The kiosk over ``link``, already following the hub; show it with ``showFullScreen()``.
    Slips print on ``settings.printer.name`` (empty: shown on screen, PDF kept under
    ``paths.receipts/tickets``); ``make_printer`` overrides it with a QPrinter of its own."""
    feed = HallFeed(link, zone=settings.branch.zone, resync_on=ESTIMATE_EVENTS)
    kiosk = Kiosk(feed, settings, paths, tasks, options, make_printer=make_printer)
    feed.setParent(kiosk)
    feed.start()
    return kiosk
