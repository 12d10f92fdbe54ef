"""What each role opens. A logged-in staff member gets the counter window with the pages their
role allows; the hall's own screens (kiosk, display, window screen, evaluator) need no login."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
from counter_app.domain.ratings import RatingPolicy
from counter_app.gui.hall_display import DisplayOptions, open_display
from counter_app.gui.hub_link import HubLink
from counter_app.gui.kiosk import KioskOptions, open_kiosk
from counter_app.gui.manager import install_manager_pages
from counter_app.gui.quality import FollowUpList, InquiryLog
from counter_app.gui.tasks import TaskRunner
from counter_app.gui.voice import Announcer, VoiceOptions
from counter_app.gui.window_screen import open_window_screen
from counter_app.services.auth import StaffSession
from counter_app.services.node import NodeDatabase
from counter_app.services.quality import QualityService


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

    def __post_init__(self) -> None:
        """The front-ends' policy tables, checked now so a bad one stops the start (ConfigError)."""
        s = self.settings
        self.voice = options_from_table(VoiceOptions, s, "voice")
        self.kiosk = options_from_table(KioskOptions, s, "kiosk")
        self.display = options_from_table(DisplayOptions, s, "display")
        policy = options_from_table(RatingPolicy, s, "quality")
        if "timeout_seconds" not in s.table("quality"):
            policy = replace(policy, timeout_seconds=s.evaluator.timeout_seconds)
        self.rating_policy = policy

    def keep(self, thing: object) -> object:
        self.windows.append(thing)
        return thing

    # --- staff -----------------------------------------------------------------------------------

    def open_counter(self, session: StaffSession) -> CounterWindow:
        probe = self.link.probe if self.link else None
        window = CounterWindow(self.db, session, self.tasks, printer_name=self.settings.printer.name, hub_probe=probe)
        at_counter = "counter" in session.opens and session.window is not None
        if self.link is not None and at_counter:
            window.set_call_panel(CallPanel(self.link, session, session.window or 0))
        install_fee_page(window, self.db, session, self.tasks, self.settings, self.paths)
        install_application_pages(window, self.db, session, self.tasks, printer_name=self.settings.printer.name)
        quality = QualityService(self.db, self.settings, self.rating_policy)
        zone = self.settings.branch.zone
        window.add_page(InquiryLog(quality, self.tasks, session.staff_id, zone, window=session.window), QCoreApplication.translate("Roles", "Inquiries (首问)"))
        if session.role in (Role.MANAGER, Role.ADMIN):
            window.add_page(FollowUpList(quality, self.tasks, session.staff_id, zone, self.settings.language),
                            QCoreApplication.translate("Roles", "Rating follow-ups"))
            install_manager_pages(window, self.db, self.settings, self.tasks, self.link)
        if at_counter:
            evaluator = open_evaluator(self.db, self.settings, self.tasks, window=session.window, clerk_id=session.staff_id,
                                       hub_events=self.link.event if self.link else None, screen=second_screen(),
                                       quality=quality)
            if evaluator is not None:
                evaluator.attach_status_bar(window.statusBar())
                self.keep(evaluator)
        window.resize(1280, 800)
        window.show()
        self.keep(window)
        return window

    # --- the hall's screens ------------------------------------------------------------------

    def _need_link(self) -> HubLink:
        if self.link is None:
            raise RuntimeError("this screen needs the hub: set hub.url in the configuration")
        return self.link

    def open_kiosk(self, full_screen: bool = True) -> QWidget:
        kiosk = open_kiosk(self._need_link(), self.settings, self.paths, self.tasks, self.kiosk)
        kiosk.showFullScreen() if full_screen else kiosk.show()
        return self.keep(kiosk)  # type: ignore[return-value]

    def open_display(self, full_screen: bool = True, voice: bool = True) -> QWidget:
        link = self._need_link()
        display = open_display(link, self.settings, self.display)
        display.showFullScreen() if full_screen else display.show()
        if voice:
            announcer = Announcer(self.voice, parent=display)
            announcer.listen(link)
        return self.keep(display)  # type: ignore[return-value]

    def open_window_screen(self, window: int, full_screen: bool = True) -> QWidget:
        screen = open_window_screen(self._need_link(), self.settings, window, tasks=self.tasks)
        screen.showFullScreen() if full_screen else screen.show()
        return self.keep(screen)  # type: ignore[return-value]

    def open_evaluator_only(self) -> object | None:
        evaluator = open_evaluator(self.db, self.settings, self.tasks, hub_events=self.link.event if self.link else None,
                                   quality=QualityService(self.db, self.settings, self.rating_policy))
        return self.keep(evaluator) if evaluator is not None else None
