"""The console's staff list resets a password (pytest-qt, offscreen, in Chinese, a real head office
on loopback): a new first password, shown once to hand over, hashed (argon2id) at head office and
published marked "must change", which the list says."""

from __future__ import annotations

import re

from counter_app.domain.staff_rules import verify_password
from counter_app.gui.hq_console import HQConsole
from counter_app.hq.refdata import api
from tests.gui.conftest import hall_look, zh  # noqa: F401
from tests.hq.refdata_fixtures import password_hash, publish_branch
from tests.hq.test_hq_console_gui import console, log_in, opened  # noqa: F401


def test_a_password_reset_at_head_office(qtbot, console: HQConsole, hq_db) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    engine = hq_db.engine
    publish_branch(engine, "B001")
    api.upsert_staff(engine, staff_no="1001", name="王芳", role="clerk", password_hash=password_hash("pw123456"),
                     branches=["B001"], by="setup")
    log_in(qtbot, console)
    window = opened(qtbot, console)
    window.tabs.setCurrentWidget(window.reference)
    staff = window.reference.staff_page
    window.reference.tabs.setCurrentWidget(staff)
    people = staff.list
    qtbot.waitUntil(lambda: people.table.rowCount() == 1, timeout=10000)
    assert not people.reset_button.isEnabled()  # nobody chosen
    people.table.selectRow(0)
    with qtbot.waitSignal(people.changed, timeout=10000):
        people.reset_button.click()
    shown = re.search(r"密码已改为 (\S+)", people.message.text())
    assert shown is not None, people.message.text()
    held = api.current(engine, "staff", "1001", "B001")
    assert held["must_change_password"] is True and verify_password(held["password_hash"], shown.group(1))
    qtbot.waitUntil(lambda: "下次登录时设置新密码" in people.table.item(0, 4).text(), timeout=10000)
