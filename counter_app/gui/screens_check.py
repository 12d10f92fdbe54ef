"""Open every role's screens once, offscreen, against a real hub on loopback (used by selfcheck).

A scratch data folder gets a small demo branch; a hub serves it from a thread; then the login,
a clerk's counter window with every page, the manager console, the kiosk, the hall display with
its voice, a window screen and the evaluator are opened, drawn and closed. A screen that cannot be
built (a module or plugin missing from the bundle) raises, naming the screen.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Callable

from PySide6.QtWidgets import QApplication, QWidget

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.staff_rules import Role
from counter_app.gui.application import make_login
from counter_app.gui.hub_link import HubLink
from counter_app.gui.qtapp import make_application
from counter_app.gui.roles import Hall
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import AuthService
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.seed import DEMO_PASSWORD, STAFF, seed_demo

CLERK_NO = next(no for no, _name, role in STAFF if role == Role.CLERK)
MANAGER_NO = next(no for no, _name, role in STAFF if role == Role.MANAGER)


def _settle(app: QApplication, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _drawn(name: str, widget: object) -> str:
    if not isinstance(widget, QWidget):
        raise RuntimeError(f"{name}: no window was opened")
    picture = widget.grab()
    if picture.width() < 100 or picture.height() < 100:
        raise RuntimeError(f"{name}: drawn only {picture.width()}x{picture.height()}")
    return f"{name} {picture.width()}x{picture.height()}"


def open_every_screen(folder: Path, start_hub: Callable[[NodeDatabase, Settings], tuple[Any, dict[str, str]]]) -> list[str]:
    """Open each role's screens with data in ``folder`` (made empty by the caller); one line per screen.
    ``start_hub(db, settings)``: a real hub over that data and its devices' tokens by purpose
    (given by the caller: the GUI does not import the hub's server)."""
    settings = Settings(role="demo", window=1)
    paths = DataPaths(folder).ensure()
    db = open_node_database(paths, settings)
    seed_demo(db, settings, accounts=20, months=2)
    hub, tokens = start_hub(db, settings)
    app = make_application(settings.language)
    tasks = TaskRunner(app)
    links = {purpose: HubLink(hub.url, token, tasks) for purpose, token in tokens.items()}
    link = links["counter"]
    opened: list[str] = []
    windows: list[QWidget] = []
    kept: list[object] = []
    try:
        for each in links.values():
            each.start_stream()
        hall = Hall(settings, paths, db, tasks, link, links=links)
        kept = hall.windows
        login = make_login(hall)
        login.show()
        windows.append(login)
        opened.append(_drawn("login", login))
        auth = AuthService(db)
        for staff_no, name in ((CLERK_NO, "counter"), (MANAGER_NO, "manager")):
            session = auth.login(staff_no, DEMO_PASSWORD, settings.window)
            window = hall.open_counter(session)
            windows.append(window)
            pages = window.findChildren(QWidget)
            opened.append(_drawn(f"{name} ({len(pages)} widgets)", window))
        screens = {"kiosk": hall.open_kiosk(full_screen=False), "display": hall.open_display(full_screen=False),
                   "window screen": hall.open_window_screen(settings.window, full_screen=False)}
        windows.extend(screens.values())
        _settle(app, 0.5)
        opened += [_drawn(name, widget) for name, widget in screens.items()]
        evaluator = hall.open_evaluator_only()
        opened.append(_drawn("evaluator", getattr(evaluator, "window", None)))
    finally:
        for window in windows:
            window.close()
        for thing in kept:
            close = getattr(thing, "close", None)
            if callable(close):
                close()
        _settle(app, 0.2)
        tasks.wait()
        for each in links.values():
            each.close()
        hub.stop()
        db.dispose()
    return opened
