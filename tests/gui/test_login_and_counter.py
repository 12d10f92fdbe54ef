"""The login screen and the counter's main window, as a clerk uses them (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.gui.application import make_login
from counter_app.gui.counter_window import CounterWindow
from counter_app.gui.roles import Hall
from counter_app.gui.qtapp import install_translations
from counter_app.gui.tasks import TaskRunner
from counter_app.services.seed import DEMO_PASSWORD


@pytest.fixture
def front(qtbot, qapp, seeded_db):  # type: ignore[no-untyped-def]
    translators = install_translations(qapp, "zh_CN")
    tasks = TaskRunner()
    front = Hall(Settings(window=2), DataPaths(seeded_db.path.parent), seeded_db, tasks, link=None)
    front.login = make_login(front)
    qtbot.addWidget(front.login)
    front.login.show()
    yield front
    tasks.wait()
    for window in front.windows:
        getattr(window, "close")()
    for translator in translators:
        qapp.removeTranslator(translator)


def type_login(qtbot, front, staff_no: str, password: str) -> None:  # type: ignore[no-untyped-def]
    front.login.staff_no.clear()
    qtbot.keyClicks(front.login.staff_no, staff_no)
    qtbot.keyClicks(front.login.password, password)
    qtbot.keyClick(front.login.password, Qt.Key.Key_Return)


def test_wrong_password_says_so_in_chinese_and_opens_nothing(qtbot, front) -> None:  # type: ignore[no-untyped-def]
    type_login(qtbot, front, "1001", "not-it-1")
    qtbot.waitUntil(lambda: front.login.error.text() != "", timeout=5000)
    assert front.login.error.text() == "工号或密码错误。再错 4 次账户将被锁定（营业所主任可解锁）。"
    assert front.login.password.text() == ""
    assert not any(isinstance(w, CounterWindow) for w in front.windows)
    assert front.login.windowTitle() == "员工登录"


def test_lockout_message_names_the_time(qtbot, front) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        type_login(qtbot, front, "1002", "not-it-1")
        qtbot.waitUntil(lambda: front.login.button.isEnabled(), timeout=5000)
    assert "已锁定" in front.login.error.text() and "营业所主任可提前解锁" in front.login.error.text()


def test_an_unknown_staff_number_gets_no_count(qtbot, front, tmp_path) -> None:  # type: ignore[no-untyped-def]
    type_login(qtbot, front, "7777", "not-it-1")
    qtbot.waitUntil(lambda: front.login.error.text() != "", timeout=5000)
    assert front.login.error.text() == "工号或密码错误。"


def test_login_opens_the_counter_with_its_status_bar(qtbot, front) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(front.login.logged_in, timeout=5000):
        type_login(qtbot, front, "1001", DEMO_PASSWORD)
    counters = [w for w in front.windows if isinstance(w, CounterWindow)]
    assert len(counters) == 1
    counter = counters[0]
    qtbot.waitUntil(lambda: "待同步" in counter.sync_field.text(), timeout=5000)
    assert counter.hub_field.text() == "叫号服务器：未配置"  # no hub in this test; see test_call_panel
    assert counter.clerk_field.text() == "营业员：李娜 1001"
    assert counter.window_field.text() == "2号窗口"
    assert counter.printer_field.property("state") == "warn"  # no printer configured: receipts go to PDF
    qtbot.waitUntil(lambda: "缴费" in counter.home.services_line.text(), timeout=5000)
    assert counter.windowTitle() == "窗口工作台 — 2号窗口"


def test_empty_staff_number_points_at_the_field(qtbot, front) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(front.login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: front.login.error.text() != "", timeout=5000)
    assert front.login.error.text() == "请输入工号。"


def test_the_tries_left_warning_fits_the_login_window(qtbot, front, tmp_path) -> None:  # type: ignore[no-untyped-def]
    type_login(qtbot, front, "1003", "not-it-1")
    qtbot.waitUntil(lambda: front.login.error.text() != "", timeout=5000)
    label = front.login.error
    assert label.wordWrap() or label.sizeHint().width() <= label.width(), "the warning is cut off"
    front.login.grab().save(str(tmp_path / "login-warning.png"))
