"""What each role opens. A logged-in staff member gets the counter window with the pages their
role allows; the hall's own screens (kiosk, display, window screen, evaluator) need no login."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from counter_app.core.config import Settings, options_from_table
from counter_app.core.paths import DataPaths
from counter_app.domain.staff_rules import Role
from counter_app.gui.applications import install_application_pages
from counter_app.gui.call_panel import CallPanel
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.evaluator import open_evaluator
from counter_app.gui.fees import install_fee_page
from counter_app.gui.hall_display import DisplayOptions, open_display
from counter_app.gui.hub_link import HubLink
from counter_app.gui.kiosk import KioskOptions, open_kiosk
from counter_app.gui.manager import install_manager_pages
from counter_app.services.queue.finished_here import FinishedHere
from counter_app.gui.quality import FollowUpList, InquiryLog
from counter_app.gui.tasks import TaskRunner
from counter_app.gui.voice import Announcer, VoiceOptions
from counter_app.gui.window_screen import open_window_screen
from counter_app.hub.client import HubClient
from counter_app.services.auth import StaffSession
from counter_app.services.applications import ApplicationReporter, ApplicationService
from counter_app.services.billing.hub_desk import BillReporter
from counter_app.services.stats.walk_in_desk import WalkInReporter
from counter_app.services.branch_policy import read_policy_at_start, read_policy_today
from counter_app.services.node import NodeDatabase
from counter_app.services.quality import QualityService, rating_policy
from counter_app.services.sync.worker import SyncOptions

log = logging.getLogger(__name__)


def second_screen() -> QScreen | None:
    """The customer-facing screen of a counter PC, when one is plugged in."""
    screens = QGuiApplication.screens()
    return screens[1] if len(screens) > 1 else None


@dataclass
class Hall:
    """Everything one running program holds: its services, its hub link and its open windows."""

    settings: Settings
    paths: DataPaths
    db: NodeDatabase
    tasks: TaskRunner
    link: HubLink | None
    windows: list[object] = field(default_factory=list)
    after_logout: Callable[[str], None] | None = None  # the login again, for the next clerk (with a word for the last)
    announcer: Announcer | None = None  # the hall display's voice, when this program runs one
    links: dict[str, HubLink] = field(default_factory=dict)  # by purpose, each with its own device credential
    bill_reporter: BillReporter | None = None  # a counter with its own database: bills reported to the hub
    application_reporter: ApplicationReporter | None = None  # ... and its applications, for every window's lookup
    walk_in_reporter: WalkInReporter | None = None  # ... and its walk-in services (the manager's statistics)

    def __post_init__(self) -> None:
        """The front-ends' policy tables, checked now so a bad one stops the start (ConfigError)."""
        s, sessions = self.settings, self.db.sessions  # as in force today: head office's over the file's

        def table(kind: type, name: str) -> Any:
            return read_policy_at_start(lambda t: options_from_table(kind, t, name), s, sessions)

        self.voice = table(VoiceOptions, "voice")
        self.kiosk = table(KioskOptions, "kiosk")
        self.display = table(DisplayOptions, "display")
        self.rating_policy = read_policy_at_start(rating_policy, s, sessions)
        self.sync_options = table(SyncOptions, "sync")

    def link_for(self, purpose: str) -> HubLink | None:
        """The link of the device doing ``purpose`` (kiosk, display, screen, counter, evaluator):
        the demo holds one per purpose; an installation has its one device's link (an evaluator
        only with its own credential, never the counter's)."""
        if purpose in self.links:
            return self.links[purpose]
        return None if purpose == "evaluator" and self.settings.role != "evaluator" else self.link

    def keep(self, thing: object) -> object:
        self.windows.append(thing)
        return thing

    # --- staff -----------------------------------------------------------------------------------

    def open_counter(self, session: StaffSession) -> CounterWindow:
        link = self.link_for("counter")
        probe = link.probe if link else None
        window = CounterWindow(self.db, session, self.tasks, printer_name=self.settings.printer.name, hub_probe=probe,
                               sync_alarm_s=self.sync_options.alarm_oldest_payment_s)
        at_counter = "counter" in session.opens and session.window is not None
        panel: CallPanel | None = None
        if link is not None and at_counter:
            panel = CallPanel(link, session, session.window or 0, FinishedHere(self.db.sessions))
            window.set_call_panel(panel)
            panel.take_window()  # the window screen and the evaluator show whoever logged in
        fees = install_fee_page(window, self.db, session, self.tasks, self.settings, self.paths, reporter=self.bill_reporter)
        service = ApplicationService(self.db)
        if self.application_reporter is not None:
            service.report_to(self.application_reporter)
        applications = install_application_pages(window, self.db, session, self.tasks, printer_name=self.settings.printer.name,
                                                 service=service)
        # [quality] as in force today: head office's dated values over the TOML's
        quality = QualityService(self.db, self.settings, read_policy_today(rating_policy, self.settings, self.db.sessions))
        zone = self.settings.branch.zone
        window.add_page(InquiryLog(quality, self.tasks, session.staff_id, zone, window=session.window), QCoreApplication.translate("Roles", "Inquiries (首问)"))
        if session.role in (Role.MANAGER, Role.ADMIN):
            window.add_page(FollowUpList(quality, self.tasks, session.staff_id, zone, self.settings.language),
                            QCoreApplication.translate("Roles", "Rating follow-ups"))
            install_manager_pages(window, self.db, self.settings, self.tasks, link)
        evaluator = None
        rater = self.link_for("evaluator")
        if at_counter and (rater is not None or link is None):
            evaluator = open_evaluator(self.db, self.settings, self.tasks, window=session.window, clerk_id=session.staff_id,
                                       hub_events=rater.event if rater else None, screen=second_screen(),
                                       quality=quality, hub=rater.client if rater else None)
            if evaluator is not None:
                evaluator.attach_status_bar(window.statusBar())
                self.keep(evaluator)
                # a payment or an application without a ticket (every one while the hub is down) is rated as a walk-in
                if fees is not None:
                    fees.paid.connect(lambda result, e=evaluator: e.controller.ask_walk_in(result.payment_id))
                if applications.intake is not None:
                    applications.intake.accepted.connect(lambda number, _slip, e=evaluator: e.controller.ask_walk_in(number))
                if panel is not None:  # the evaluator shows who holds the window, as the window screen does
                    panel.finished_here.connect(evaluator.controller.finished_here)  # and asks nothing of those
                    panel.seat_changed.connect(lambda seat, e=evaluator: e.controller.set_clerk(
                        session.staff_id if seat.mine else None))
        if self.announcer is not None:
            window.follow_voice(self.announcer.problem, self.announcer.problem_changed)
        if link is not None and panel is None:  # no window to hand back: the staff session at the hub ends
            window.logged_out.connect(lambda: link.command(HubClient.logout, session.window, on_error=lambda error: log.warning(
                "staff session of %s not ended at the hub: %s", session.staff_no, error)))
        window.logged_out.connect(lambda: self._logged_out(window, evaluator))
        window.resize(1280, 800)
        window.show()
        self.keep(window)
        return window

    def _logged_out(self, window: CounterWindow, evaluator: object | None) -> None:
        for thing in (window, evaluator):
            if thing is not None and thing in self.windows:
                self.windows.remove(thing)
        if evaluator is not None:
            getattr(evaluator, "close")()
        window.deleteLater()  # its call panel stops following the hub with it
        if self.after_logout is not None:
            self.after_logout(window.leave_note)

    # --- the hall's screens ------------------------------------------------------------------

    def _need_link(self, purpose: str) -> HubLink:
        link = self.link_for(purpose)
        if link is None:
            raise RuntimeError("this screen needs the hub: set hub.url and hub.token in the configuration")
        return link

    def open_kiosk(self, full_screen: bool = True) -> QWidget:
        kiosk = open_kiosk(self._need_link("kiosk"), self.settings, self.paths, self.tasks, self.kiosk)
        kiosk.showFullScreen() if full_screen else kiosk.show()
        return self.keep(kiosk)  # type: ignore[return-value]

    def open_display(self, full_screen: bool = True, voice: bool = True) -> QWidget:
        link = self._need_link("display")
        display = open_display(link, self.settings, self.display)
        display.showFullScreen() if full_screen else display.show()
        if voice:
            announcer = Announcer(self.voice, parent=display)
            announcer.listen(link)
            display.show_voice_problem(announcer.problem)
            announcer.problem_changed.connect(display.show_voice_problem)
            self.announcer = announcer
        return self.keep(display)  # type: ignore[return-value]

    def open_window_screen(self, window: int, full_screen: bool = True) -> QWidget:
        screen = open_window_screen(self._need_link("screen"), self.settings, window, tasks=self.tasks)
        screen.showFullScreen() if full_screen else screen.show()
        return self.keep(screen)  # type: ignore[return-value]

    def open_evaluator_only(self) -> object | None:
        rater = self.link_for("evaluator")
        evaluator = open_evaluator(self.db, self.settings, self.tasks, hub_events=rater.event if rater else None,
                                   quality=QualityService(self.db, self.settings, self.rating_policy),
                                   hub=rater.client if rater else None)
        return self.keep(evaluator) if evaluator is not None else None
