"""Screenshots of the customer-facing screens (kiosk, hall display, window screen) and of a ticket
slip, made offscreen against a real hub over a freshly seeded demo branch, mid-morning: several
windows open, tickets waiting, calls made, one window paused.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/hall_screenshots.py [docs/screenshots]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from counter_app.core.config import Settings  # noqa: E402
from counter_app.core.paths import DataPaths  # noqa: E402
from counter_app.gui.hall_display import open_display  # noqa: E402
from counter_app.gui.hub_link import HubLink  # noqa: E402
from counter_app.gui.kiosk import open_kiosk  # noqa: E402
from counter_app.gui.printing import on_white  # noqa: E402
from counter_app.gui.qtapp import make_application  # noqa: E402
from counter_app.gui.tasks import TaskRunner  # noqa: E402
from counter_app.gui.window_screen import open_window_screen  # noqa: E402
from counter_app.hub.client import HubClient  # noqa: E402
from counter_app.hub.server import start_hub_in_thread  # noqa: E402
from counter_app.persistence.database import unit_of_work  # noqa: E402
from counter_app.persistence.models import Staff  # noqa: E402
from counter_app.services.node import open_node_database  # noqa: E402
from counter_app.services.devices import DeviceRegistry  # noqa: E402
from counter_app.services.seed import DEMO_PASSWORD, seed_demo  # noqa: E402


def settle(app: QApplication, until: Callable[[], bool], seconds: float = 8.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


def morning(client: HubClient, kiosk: HubClient, clerks: dict[str, str]) -> None:
    """Windows 1-7 open (7 then paused), a queue in every service, a dozen calls made. ``client``:
    a manager console's credential, each clerk logged in at the hub for a window; ``kiosk``: the
    ticket kiosk's."""
    staff_at = {1: "1001", 2: "1002", 3: "1003", 4: "1004", 5: "1005", 6: "1006", 7: "1007"}
    for window, staff_no in staff_at.items():
        client.login(staff_no, DEMO_PASSWORD, window)
        client.open_window(window, clerks[staff_no])
    for letter, count in (("A", 26), ("B", 7), ("C", 11), ("D", 5)):
        for _ in range(count):
            kiosk.issue_ticket(letter)
    kiosk.issue_ticket("A", "green", "elderly")
    for window in (1, 2, 4, 5, 6, 7, 3, 1, 2, 4, 6, 1, 3):
        client.call_next(window, clerks[staff_at[window]])
    client.start_service(3, clerks["1003"])
    client.pause_window(7, clerks["1007"])
    client.call_next(2, clerks["1002"])


def grab(widget: QWidget, size: QSize, path: Path) -> None:
    widget.resize(size)
    widget.show()
    QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def slip_png(pdf: Path, path: Path) -> None:
    document = QPdfDocument()
    document.load(str(pdf))
    points = document.pagePointSize(0)
    on_white(document.render(0, QSize(round(points.width() * 3), round(points.height() * 3)))).save(str(path))
    document.close()
    print(path)


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    app = make_application("zh_CN")
    settings = Settings()
    work = Path(tempfile.mkdtemp(prefix="hall-shots-"))
    paths = DataPaths(work / "hub").ensure()
    node = open_node_database(paths, settings)
    seed_demo(node, settings, accounts=60, months=1)
    tokens = {role: DeviceRegistry(node).add(role, by="screenshots").token for role in ("manager", "kiosk")}
    hub = start_hub_in_thread(node, settings)
    client = HubClient(hub.url, tokens["manager"])
    kiosk_client = HubClient(hub.url, tokens["kiosk"])
    with unit_of_work(node.sessions) as session:
        clerks = {row.staff_no: row.id for row in session.execute(select(Staff.staff_no, Staff.id))}
    morning(client, kiosk_client, clerks)
    tasks = TaskRunner()
    links: list[HubLink] = []

    def link() -> HubLink:
        links.append(HubLink(hub.url, tokens["kiosk"], tasks))  # the kiosk's credential reads the hall too
        return links[-1]

    display = open_display(link(), settings)
    settle(app, lambda: display.feed.ready and display.feed.link.online)
    client.call_next(5, clerks["1005"])  # the call on screen is a fresh one
    settle(app, lambda: display.now_number.text() != "—" and display.flashing, 3)
    settle(app, lambda: not display.flashing, 10)
    grab(display, QSize(1920, 1080), folder / "display.png")

    screen = open_window_screen(link(), settings, 3)
    settle(app, lambda: screen.feed.ready and screen.number.text() != "—")
    grab(screen, QSize(800, 480), folder / "window-screen.png")
    paused = open_window_screen(link(), settings, 7)
    settle(app, lambda: paused.feed.ready and paused.state == "paused")
    grab(paused, QSize(800, 480), folder / "window-screen-paused.png")

    kiosk = open_kiosk(link(), settings, DataPaths(work / "kiosk").ensure(), tasks)
    settle(app, lambda: kiosk.feed.ready and bool(kiosk.buttons) and kiosk.buttons["A"].isEnabled())
    grab(kiosk, QSize(1080, 1920), folder / "kiosk.png")
    kiosk.buttons["B"].click()
    settle(app, lambda: kiosk.delivered is not None)
    grab(kiosk, QSize(1080, 1920), folder / "kiosk-slip-on-screen.png")
    assert kiosk.last_slip is not None
    slip_png(kiosk.last_slip, folder / "ticket-slip.png")

    for widget in (display, screen, paused, kiosk):
        widget.close()
    for hub_link in links:
        hub_link.close()
    tasks.wait()
    client.close()
    kiosk_client.close()
    hub.stop()
    node.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "screenshots")
