"""What each role opens: the pages a logged-in staff member gets, and the hall's own screens."""

from __future__ import annotations

import pytest

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.hub_link import HubLink
from counter_app.gui.qtapp import install_translations
from counter_app.gui.roles import Hall
from counter_app.gui.tasks import TaskRunner
from counter_app.hub.server import start_hub_in_thread
from counter_app.gui.login import login_at_hub
from counter_app.hub.admin import enrol_demo_devices
from counter_app.services.auth import AuthService
from counter_app.services.seed import DEMO_PASSWORD


@pytest.fixture
def hall(qapp, seeded_db):  # type: ignore[no-untyped-def]
    """The demo's hall: each screen with its own device credential, as ``counter-app demo`` has."""
    settings = Settings(window=3)
    tokens = enrol_demo_devices(seeded_db, settings.window)
    hub = start_hub_in_thread(seeded_db, settings)
    tasks = TaskRunner()
    links = {purpose: HubLink(hub.url, token, tasks) for purpose, token in tokens.items()}
    link = links["counter"]
    for each in links.values():
        each.start_stream()
    translators = install_translations(qapp, "zh_CN")
    hall = Hall(settings, DataPaths(seeded_db.path.parent), seeded_db, tasks, link, links=links)
    yield hall
    for thing in hall.windows:
        close = getattr(thing, "close", None)
        if close:
            close()
    tasks.wait()
    for each in links.values():
        each.close()
    hub.stop()
    for translator in translators:
        qapp.removeTranslator(translator)


def tabs(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_a_clerk_gets_the_counter_pages_and_an_evaluator(qtbot, hall) -> None:  # type: ignore[no-untyped-def]
    session = AuthService(hall.db).login("1003", DEMO_PASSWORD, 3)
    window = hall.open_counter(session)
    assert tabs(window)[:3] == ["叫号", "首页", "收费"]
    assert "报装受理" in tabs(window) and "咨询投诉（首问）" in tabs(window)
    assert "差评跟进" not in tabs(window)
    assert window.call_panel is not None
    assert any(type(thing).__name__ == "Evaluator" for thing in hall.windows)
    from PySide6.QtWidgets import QLabel

    assert window.statusBar().findChild(QLabel, "evaluatorStatus") is not None


def test_a_manager_also_follows_up_ratings(qtbot, hall) -> None:  # type: ignore[no-untyped-def]
    window = hall.open_counter(AuthService(hall.db).login("8001", DEMO_PASSWORD, 3))
    assert "差评跟进" in tabs(window)
    assert {"大厅实况", "统计", "图表"} <= set(tabs(window))
    from counter_app.gui.manager import HallBoard

    board = window.findChild(HallBoard)
    qtbot.waitUntil(lambda: board.feed.ready, timeout=5000)
    assert board.windows.rowCount() == 8


def test_back_office_has_no_call_panel_or_till(qtbot, hall) -> None:  # type: ignore[no-untyped-def]
    window = hall.open_counter(AuthService(hall.db).login("2001", DEMO_PASSWORD, None))
    assert window.call_panel is None
    assert "收费" not in tabs(window) and "叫号" not in tabs(window)
    assert "报装后台" in tabs(window)


def test_the_hall_screens_open_without_login(qtbot, hall) -> None:  # type: ignore[no-untyped-def]
    kiosk = hall.open_kiosk(full_screen=False)
    display = hall.open_display(full_screen=False, voice=False)
    screen = hall.open_window_screen(3, full_screen=False)
    for widget in (kiosk, display, screen):
        qtbot.waitExposed(widget)
    clerk = login_at_hub(hall.link.client)("1003", DEMO_PASSWORD, 3)
    hall.link_for("kiosk").client.issue_ticket("A")
    hall.link.client.open_window(3, clerk.staff_id)
    hall.link.client.call_next(3, clerk.staff_id)
    for widget in (kiosk, display, screen):  # each follows the hub's event stream on its own
        qtbot.waitUntil(lambda w=widget: getattr(w.feed.model.windows.get(3), "current", None) == "A001", timeout=5000)
