"""Start the Qt front-end of a role: login first, then the windows that role opens."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.call_panel import CallPanel
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.hub_link import HubLink
from counter_app.gui.login import LoginDialog
from counter_app.gui.qtapp import install_crash_dialog, make_application, route_qt_messages
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import AuthService, StaffSession
from counter_app.services.node import NodeDatabase
from counter_app.services.seed import DEMO_PASSWORD, STAFF

log = logging.getLogger("counter_app.gui")


class Front:
    """The windows of one running role, kept alive together."""

    def __init__(self, settings: Settings, db: NodeDatabase, tasks: TaskRunner, link: HubLink | None) -> None:
        self.settings, self.db, self.tasks, self.link = settings, db, tasks, link
        self.auth = AuthService(db)
        self.windows: list[QWidget] = []
        self.login = LoginDialog(self.auth, tasks, branch_name=f"{settings.branch.utility} · {settings.branch.name}",
                                 window=settings.window, zone=settings.branch.zone)
        self.login.logged_in.connect(self.open_counter)

    def open_counter(self, session: StaffSession) -> CounterWindow:
        probe = self.link.probe if self.link else None
        window = CounterWindow(self.db, session, self.tasks, printer_name=self.settings.printer.name, hub_probe=probe)
        if self.link is not None and session.window:
            window.set_call_panel(CallPanel(self.link, session, session.window))
        window.resize(1280, 800)
        window.show()
        self.windows.append(window)
        return window


def _save_screenshots(front: Front, folder: Path, app: QApplication) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    front.login.grab().save(str(folder / "login.png"))
    clerk_no = STAFF[0][0]
    session = front.auth.login(clerk_no, DEMO_PASSWORD, front.settings.window)
    front.login.hide()
    counter = front.open_counter(session)
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)
    counter.grab().save(str(folder / "counter.png"))
    log.info("screenshots saved in %s", folder)


def run_gui(args: argparse.Namespace, settings: Settings, paths: DataPaths, db: NodeDatabase, started: float,
            hub_url: str | None = None) -> int:
    app = make_application(settings.language)
    route_qt_messages()
    install_crash_dialog(paths.log_file)
    tasks = TaskRunner(app)
    link = HubLink(hub_url, settings.hub.token, tasks) if hub_url else None
    if link is not None:
        link.start_stream()
    front = Front(settings, db, tasks, link)
    front.login.show()
    ready_ms = (time.perf_counter() - started) * 1000
    log.info("login screen shown %.0f ms after start", ready_ms)
    if getattr(args, "exit_when_ready", False):
        print(f"ready_ms={ready_ms:.1f}", flush=True)
        QTimer.singleShot(0, app.quit)
    screenshot_dir = getattr(args, "screenshot", None)
    if screenshot_dir:
        QTimer.singleShot(300, lambda: (_save_screenshots(front, screenshot_dir, app), app.quit()))
    code = app.exec()
    tasks.wait()
    if link is not None:
        link.close()
    return code
