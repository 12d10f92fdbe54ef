"""Every screen of the counter program at the two screen sizes of the hall's PCs (1366×768 and
1920×1080), made offscreen against a real hub over a freshly seeded demo branch: the login, each
tab of the manager's counter (call panel, fees, applications, inquiries, follow-ups, ...), the
kiosk with the hub down, the hall display, the window screen and the evaluator.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/counter_screenshots.py [folder]

Files are named ``<screen>-<width>x<height>.png``."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_TTS_ENGINE", "mock")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from counter_app.core.config import Settings  # noqa: E402
from counter_app.core.paths import DataPaths  # noqa: E402
from counter_app.gui.application import make_login  # noqa: E402
from counter_app.gui.login import login_at_hub  # noqa: E402
from counter_app.gui.hub_link import HubLink  # noqa: E402
from counter_app.gui.applications.lookup import StatusLookupPage  # noqa: E402
from counter_app.gui.qtapp import make_application  # noqa: E402
from counter_app.gui.quality import FollowUpList, InquiryLog  # noqa: E402
from counter_app.gui.roles import Hall  # noqa: E402
from counter_app.gui.tasks import TaskRunner  # noqa: E402
from counter_app.hub.admin import enrol_demo_devices  # noqa: E402
from counter_app.hub.client import HubClient  # noqa: E402
from counter_app.hub.server import start_hub_in_thread  # noqa: E402
from counter_app.persistence.database import unit_of_work  # noqa: E402
from counter_app.persistence.models import Staff  # noqa: E402
from counter_app.services.node import open_node_database  # noqa: E402
from counter_app.services.quality import QualityService  # noqa: E402
from counter_app.services.queue import QueueService  # noqa: E402
from counter_app.services.seed import DEMO_PASSWORD, seed_demo  # noqa: E402
from tests.gui.test_applications_gui import populate  # noqa: E402
from tools.hall_screenshots import settle  # noqa: E402

SIZES = (QSize(1366, 768), QSize(1920, 1080))


def rated(node, settings: Settings, staff: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Two poor ratings with their follow-ups and two open inquiries, for the manager's lists."""
    queue = QueueService(node.sessions, node.branch_code, node_id=node.node_id)
    quality = QualityService(node, settings)
    for window, staff_no, level, reasons in ((4, "1004", 1, ("attitude", "waiting")), (5, "1005", 2, ("efficiency",))):
        clerk = staff[staff_no]
        opened = queue.open_window(window, clerk)
        queue.issue_ticket(opened.window.services[0])
        queue.call_next(window, clerk)
        ticket = queue.finish(window, clerk).ticket
        assert ticket is not None
        request = quality.ratings.request_for_ticket(ticket.id, window, clerk, f"screen:W{window:02d}")
        quality.ratings.submit(request.id, level, reasons, f"screen:W{window:02d}")
        queue.close_window(window, clerk)
    quality.inquiries.log("complaint", "王先生", "138****0021", "水压低", "三楼以上水压低已一周", staff["1002"], 2)
    quality.inquiries.log("inquiry", "李女士", "", "阶梯水价", "家里 6 口人，能否申请增加阶梯基数", staff["1001"], 1)


def grab(app: QApplication, widget: QWidget, name: str, folder: Path) -> None:
    for size in SIZES:
        widget.resize(size)
        widget.show()
        settle(app, lambda: False, seconds=0.3)
        path = folder / f"{name}-{size.width()}x{size.height()}.png"
        widget.grab().save(str(path))
        print(path)


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    app = make_application("zh_CN")
    work = Path(tempfile.mkdtemp(prefix="counter-shots-"))
    settings = Settings(window=1)
    paths = DataPaths(work / "hall").ensure()
    node = open_node_database(paths, settings)
    seed_demo(node, settings, accounts=60, months=1)
    populate(node, paths)  # applications at every stage, as in the application tests
    with unit_of_work(node.sessions) as session:
        staff = {row.staff_no: row.id for row in session.execute(select(Staff.staff_no, Staff.id))}
    rated(node, settings, staff)
    tokens = enrol_demo_devices(node, settings.window)  # the demo's own devices, as `counter-app demo` makes them
    hub = start_hub_in_thread(node, settings)
    client = HubClient(hub.url, tokens["counter"])  # a manager's credential: opens and calls any window
    kiosk = HubClient(hub.url, tokens["kiosk"])
    for letter, count in (("A", 9), ("B", 4), ("C", 3), ("D", 2)):
        for _ in range(count):
            kiosk.issue_ticket(letter)
    kiosk.issue_ticket("A", "green", "elderly")
    kiosk.close()
    for window, staff_no in ((2, "1002"), (3, "1003")):
        client.login(staff_no, DEMO_PASSWORD, window)  # a staff session at that window, as its counter's login makes
        client.open_window(window, staff[staff_no])
        client.call_next(window, staff[staff_no])
    tasks = TaskRunner()
    links = {purpose: HubLink(hub.url, token, tasks) for purpose, token in tokens.items()}
    link = links["counter"]
    link.start_stream()
    hall = Hall(settings, paths, node, tasks, link, links=links)
    login = make_login(hall)
    login.show()
    login.adjustSize()  # a dialog at its own size, not stretched to the screen
    settle(app, lambda: False, seconds=0.3)
    login.grab().save(str(folder / "login.png"))
    login.hide()

    counter = hall.open_counter(login_at_hub(link.client)("8001", DEMO_PASSWORD, 1))  # as the login screen does
    settle(app, lambda: counter.call_panel.seat.mine, 5)
    client.login("8001", DEMO_PASSWORD, 1)
    client.call_next(1, staff["8001"])
    settle(app, lambda: counter.call_panel.ticket is not None, 5)
    for index in range(counter.tabs.count()):
        counter.tabs.setCurrentIndex(index)
        page = counter.tabs.widget(index)
        settle(app, lambda: False, seconds=1.0)
        if isinstance(page, StatusLookupPage):
            page.query_edit.setText("13912340002")
            page.search()
            settle(app, lambda p=page: p.results.rowCount() > 0, 5)
            page.results.selectRow(0)
            settle(app, lambda: False, seconds=1.0)
        table = getattr(page, "table", None)
        if isinstance(page, (InquiryLog, FollowUpList)) and table is not None:
            settle(app, lambda t=table: t.rowCount() > 0, 5)
            table.selectRow(0)
            settle(app, lambda: False, seconds=0.5)
        grab(app, counter, f"counter-{index}-{type(page).__name__.lower()}", folder)

    display = hall.open_display(full_screen=False)
    settle(app, lambda: display.feed.ready, 5)
    grab(app, display, "display", folder)
    os.environ["QT_TTS_ENGINE"] = "no-such-engine"  # a PC without the speech engine it was set up with
    mute = hall.open_display(full_screen=False)
    os.environ["QT_TTS_ENGINE"] = "mock"
    settle(app, lambda: mute.feed.ready, 5)
    grab(app, mute, "display-voice-off", folder)
    screen = hall.open_window_screen(1, full_screen=False)
    settle(app, lambda: screen.feed.ready, 5)
    grab(app, screen, "window-screen", folder)
    evaluator = next(w for w in hall.windows if type(w).__name__ == "Evaluator")
    grab(app, evaluator.window, "evaluator", folder)  # type: ignore[attr-defined]
    kiosk = hall.open_kiosk(full_screen=False)
    settle(app, lambda: bool(kiosk.buttons), 5)
    grab(app, kiosk, "kiosk", folder)

    down = HubLink("http://127.0.0.1:9", tokens["kiosk"], tasks)
    dead = Hall(settings, paths, node, tasks, down)
    offline = dead.open_kiosk(full_screen=False)
    grab(app, offline, "kiosk-hub-down", folder)

    for widget in (*hall.windows, offline):
        getattr(widget, "close")()
    tasks.wait()
    for each in (*links.values(), down):
        each.close()
    client.close()
    hub.stop()
    node.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="screens-")))
