"""Start the Qt front-end of a role: the login for staff roles, the hall's screens for the
others, and in the demo all of them on one machine."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from pathlib import Path
from typing import Mapping

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.hub_link import HubLink
from counter_app.gui.login import LoginDialog, change_at_hub, login_at_hub
from counter_app.gui.qtapp import install_crash_dialog, make_application, route_qt_messages
from counter_app.gui.roles import Hall
from counter_app.gui.tasks import TaskRunner
from counter_app.hub.client import HubClient, HubUnavailable
from counter_app.services.applications import ApplicationDesk, ApplicationReporter, ApplicationService
from counter_app.services.billing.hub_desk import BillDesk, BillReporter
from counter_app.services.stats.walk_in_desk import WalkInDesk, WalkInReporter
from counter_app.services.auth import AuthService
from counter_app.services.offline_login import OfflineLogin, hub_or_offline, hub_or_offline_change, offline_policy
from counter_app.services.node import NodeDatabase
from counter_app.services.seed import DEMO_PASSWORD, STAFF

log = logging.getLogger("counter_app.gui")
STAFF_ROLES = ("demo", "counter", "manager")


def make_login(hall: Hall) -> LoginDialog:
    settings = hall.settings
    counter = hall.link_for("counter")
    local = AuthService(hall.db)
    check = login_at_hub(counter.client) if counter is not None else local.login
    change = change_at_hub(counter.client) if counter is not None else local.change_password
    if counter is not None and settings.role == "counter":  # its own database: cached credentials when the hub is down
        offline = OfflineLogin(hall.db, offline_policy(settings), settings=settings)
        check = hub_or_offline(check, offline, HubUnavailable)
        change = hub_or_offline_change(change, offline, HubUnavailable)
    login = LoginDialog(check, hall.tasks, branch_name=f"{settings.branch.utility} · {settings.branch.name}",
                        window=settings.window, zone=settings.branch.zone, change=change)
    login.logged_in.connect(hall.open_counter)

    def again(note: str = "") -> None:
        login.staff_no.clear()
        login.password.clear()
        login.error.setText(note)
        login.staff_no.setFocus()
        login.show()

    hall.after_logout = again
    return login


def open_demo_screens(hall: Hall) -> list[QWidget]:
    """The customer side of the hall beside the login, as ordinary windows tiled on one desktop:
    the kiosk on the left, the hall display top right, the window screen below it."""
    area = QGuiApplication.primaryScreen().availableGeometry()
    left, top, width, height = area.x(), area.y(), area.width(), area.height()
    kiosk_width = max(480, width * 3 // 10)
    right = left + kiosk_width + 8
    kiosk = hall.open_kiosk(full_screen=False)
    kiosk.setGeometry(left, top, kiosk_width, height)
    display = hall.open_display(full_screen=False)
    display.setGeometry(right, top, width - kiosk_width - 8, height * 55 // 100)
    screen = hall.open_window_screen(hall.settings.window, full_screen=False)
    screen.setGeometry(right, top + height * 55 // 100 + 8, (width - kiosk_width) // 2, height * 45 // 100 - 8)
    return [kiosk, display, screen]


def _settle(app: QApplication, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.05)


def save_screenshots(hall: Hall, login: LoginDialog | None, screens: list[QWidget], folder: Path, app: QApplication) -> None:
    """Log in as the first demo clerk and save a picture of every open window (README, support)."""
    folder.mkdir(parents=True, exist_ok=True)
    link, kiosk = hall.link_for("counter"), hall.link_for("kiosk")
    if link is not None and kiosk is not None:  # a hall with customers in it: tickets taken, one called at window 2
        client = link.client
        clerk = login_at_hub(client)(STAFF[1][0], DEMO_PASSWORD, 2)
        for letter in "AACABCDAA":
            kiosk.client.issue_ticket(letter)
        kiosk.client.issue_ticket("A", priority="green", priority_reason="elderly")
        client.open_window(2, clerk.staff_id)
        client.call_next(2, clerk.staff_id)
    if login is not None:
        login.grab().save(str(folder / "login.png"))
        window = hall.settings.window
        session = (login_at_hub(link.client) if link is not None else AuthService(hall.db).login)(
            STAFF[0][0], DEMO_PASSWORD, window)
        login.hide()
        counter = hall.open_counter(session)
        if link is not None:
            link.client.open_window(window, session.staff_id)
            link.client.call_next(window, session.staff_id)
        _settle(app, 3)
        counter.grab().save(str(folder / "counter.png"))
    _settle(app, 1)
    for screen in screens:
        screen.grab().save(str(folder / f"{type(screen).__name__.lower()}.png"))
    log.info("screenshots saved in %s", folder)


def _quit_on_signals(app: QApplication) -> None:
    """Ctrl-C or a SIGTERM (``demo --split`` stopping its processes) quits the event loop the
    normal way, so the workers stop and the links close; a timer lets Python see the signal."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, lambda *_: app.quit())
    waker = QTimer(app)
    waker.timeout.connect(lambda: None)
    waker.start(250)


def run_gui(args: argparse.Namespace, settings: Settings, paths: DataPaths, db: NodeDatabase, started: float,
            hub_url: str | None = None, tokens: Mapping[str, str] | None = None) -> int:
    """``tokens``: the demo's own devices (purpose -> token: kiosk, display, screen, counter,
    evaluator), each with a link of its own; else this PC's one ``hub.token`` (and a counter
    PC's ``hub.evaluator_token`` for its evaluator)."""
    app = make_application(settings.language)
    route_qt_messages()
    install_crash_dialog(paths.log_file)
    tasks = TaskRunner(app)
    links: dict[str, HubLink] = {}
    if hub_url and tokens:
        links = {purpose: HubLink(hub_url, token, tasks) for purpose, token in tokens.items()}
    elif hub_url and settings.hub.evaluator_token:
        links["evaluator"] = HubLink(hub_url, settings.hub.evaluator_token, tasks)
    link = links.get("counter") or (HubLink(hub_url, settings.hub.token, tasks) if hub_url and not tokens else None)
    for each in {id(x): x for x in (link, *links.values()) if x is not None}.values():
        each.start_stream()
    hall = Hall(settings, paths, db, tasks, link, links=links)
    if args.role == "counter" and hub_url and settings.hub.token:  # its own database: the hub hears of each payment's bills
        hall.bill_reporter = BillReporter(BillDesk(db, HubClient(hub_url, settings.hub.token))).start()
        # and keeps the branch-wide copy of its applications, which every window's lookup reads
        hall.application_reporter = ApplicationReporter(ApplicationDesk(
            ApplicationService(db).ctx, HubClient(hub_url, settings.hub.token))).start()
    if args.role in ("counter", "manager") and hub_url and settings.hub.token:  # its walk-ins, for the manager's statistics
        hall.walk_in_reporter = WalkInReporter(WalkInDesk(db, HubClient(hub_url, settings.hub.token), settings.window)).start()
    role = args.role
    login = make_login(hall) if role in STAFF_ROLES else None
    screens: list[QWidget] = []
    if role == "demo":
        screens = open_demo_screens(hall)
    elif role == "kiosk":
        screens = [hall.open_kiosk()]
    elif role == "display":
        window = getattr(args, "window", None)
        screens = [hall.open_window_screen(window) if window else hall.open_display()]
    elif role == "evaluator":
        hall.open_evaluator_only()
    if login is not None:
        login.show()
        if role == "demo":  # beside the window screen, where the desktop is still free
            area = QGuiApplication.primaryScreen().availableGeometry()
            login.move(area.right() - login.width() - 24, area.bottom() - login.height() - 48)
        login.raise_()
    ready_ms = (time.perf_counter() - started) * 1000
    log.info("%s ready %.0f ms after start", role, ready_ms)
    if getattr(args, "exit_when_ready", False):
        print(f"ready_ms={ready_ms:.1f}", flush=True)
        QTimer.singleShot(0, app.quit)
    screenshot_dir = getattr(args, "screenshot", None)
    if screenshot_dir:
        QTimer.singleShot(300, lambda: (save_screenshots(hall, login, screens, screenshot_dir, app), app.quit()))
    _quit_on_signals(app)
    code = app.exec()
    tasks.wait()
    for reporter in (hall.bill_reporter, hall.application_reporter, hall.walk_in_reporter):
        if reporter is not None:
            reporter.stop()
    for each in {id(x): x for x in (link, *links.values()) if x is not None}.values():
        each.close()
    return code
