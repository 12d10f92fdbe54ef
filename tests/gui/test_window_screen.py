"""The window screen against a real hub: clerk, current number and 暂停服务, restored at start and
moved by the hub's events."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from counter_app.core.config import Settings
from counter_app.gui.hall_widgets import initials
from counter_app.gui.tasks import TaskRunner
from counter_app.gui.window_screen import WindowScreen, open_window_screen
from tests.gui.hall_fixtures import hub  # noqa: F401


def show(qtbot, hub, window: int, **kwargs) -> WindowScreen:  # type: ignore[no-untyped-def]
    screen = open_window_screen(hub.link(), Settings(), window, **kwargs)
    qtbot.addWidget(screen)
    screen.resize(800, 480)
    screen.show()
    qtbot.waitUntil(lambda: screen.feed.ready and screen.feed.link.online, timeout=5000)
    return screen


def png() -> bytes:
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("#3366aa"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_initials_for_an_avatar_without_photo() -> None:
    assert initials("李娜") == "李娜"
    assert initials("欧阳明月") == "明月"
    assert initials("John Smith") == "JS"
    assert initials("") == "?"


def test_screen_restores_clerk_and_current_number(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(3)
    hub.issue("A", 2)
    hub.call(3)
    screen = show(qtbot, hub, 3)
    assert screen.number.text() == "A001"
    assert screen.state_line.text() == screen.tr("Please come to this window")
    assert screen.clerk_name.text() == "营业员3"
    assert "1003" in screen.staff_no.text()
    assert screen.avatar.isVisible() and not screen.avatar.has_photo
    assert screen.state == "open"


def test_screen_follows_calls_service_pause_and_close(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(4)
    hub.issue("A", 2)
    screen = show(qtbot, hub, 4)
    assert screen.number.text() == "—"
    clerk = hub.hall.clerk(4)
    hub.call(4)
    qtbot.waitUntil(lambda: screen.number.text() == "A001", timeout=5000)
    hub.client.start_service(4, clerk)
    qtbot.waitUntil(lambda: screen.state_line.text() == screen.tr("Being served"), timeout=5000)
    hub.client.pause_window(4, clerk)
    qtbot.waitUntil(lambda: screen.state == "paused", timeout=5000)
    assert screen.number.text() == screen.tr("Service paused")
    hub.client.resume_window(4, clerk)
    qtbot.waitUntil(lambda: screen.number.text() == "A001", timeout=5000)
    hub.client.finish(4, clerk)
    qtbot.waitUntil(lambda: screen.number.text() == "—", timeout=5000)
    hub.client.close_window(4, clerk)
    qtbot.waitUntil(lambda: screen.state == "closed", timeout=5000)
    assert screen.number.text() == screen.tr("Service paused")
    assert screen.clerk_name.text() == "" and not screen.avatar.isVisible()


def test_other_windows_do_not_move_this_screen(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(1, 2)
    hub.issue("A", 3)
    screen = show(qtbot, hub, 2)
    hub.call(1)
    hub.call(2)
    qtbot.waitUntil(lambda: screen.number.text() == "A002", timeout=5000)
    hub.call(1)
    qtbot.waitUntil(lambda: screen.feed.model.windows[1].current == "A003", timeout=5000)
    assert screen.number.text() == "A002"


def test_a_clerk_opening_the_window_appears_with_photo(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    asked: list[str] = []
    photo = png()
    screen = show(qtbot, hub, 5, photo_loader=lambda staff_id: asked.append(staff_id) or photo, tasks=tasks)
    assert screen.state == "closed"
    hub.open(5)
    qtbot.waitUntil(lambda: screen.clerk_name.text() == "营业员5", timeout=5000)
    qtbot.waitUntil(lambda: screen.avatar.has_photo, timeout=5000)
    qtbot.waitUntil(lambda: "1005" in screen.staff_no.text(), timeout=5000)  # read again after the opening
    assert asked == [hub.hall.clerk(5)]
    tasks.wait()


def test_a_restarted_screen_shows_what_happened_meanwhile(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(6)
    hub.issue("B", 3)
    first = show(qtbot, hub, 6)
    first.feed.link.close()
    first.close()
    hub.call(6)
    hub.call(6)
    hub.client.pause_window(6, hub.hall.clerk(6))
    second = show(qtbot, hub, 6)
    assert second.state == "paused"
    hub.client.resume_window(6, hub.hall.clerk(6))
    qtbot.waitUntil(lambda: second.number.text() == "B002", timeout=5000)
