"""The console's "in force from" field (pytest-qt, offscreen, in Chinese) against a real head office
on loopback: a day already past is refused on the screen naming the field, with nothing sent; a
service retired and a policy table published from a later day reach head office as dated entries
and are listed as changes ahead. Screenshots for the README (COUNTER_APP_SCREENSHOTS=docs/screenshots)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate

from counter_app.gui.hq_console import HQConsole
from counter_app.hq.refdata import api
from tests.gui.conftest import hall_look, zh  # noqa: F401
from tests.hq.refdata_fixtures import publish_branch
from tests.hq.test_hq_console_catalog_gui import shot
from tests.hq.test_hq_console_gui import console, log_in, opened  # noqa: F401


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def test_changes_from_a_later_day(qtbot, console: HQConsole, hq_db, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    engine = hq_db.engine
    publish_branch(engine, "B001")
    api.upsert_service(engine, "B001", code="invoice", letter="C", name_zh="发票打印", name_en="Invoices", by="setup")
    log_in(qtbot, console)
    window = opened(qtbot, console)
    window.resize(1280, 800)
    window.tabs.setCurrentWidget(window.reference)
    reference = window.reference
    later = date.today() + timedelta(days=20)

    services = reference.services
    reference.tabs.setCurrentWidget(services)
    qtbot.waitUntil(lambda: services.table.rowCount() == 2, timeout=10000)
    assert services.from_day.day() == date.today()  # today by default
    services.table.selectRow([services.table.item(r, 0).text() for r in range(2)].index("invoice"))
    services.from_day.setDate(qdate(date.today() - timedelta(days=1)))
    services.retire_button.click()
    assert "生效日期" in services.message.text() and "已过去" in services.message.text()
    assert api.current(engine, "service", "invoice", "B001").get("dated") is None  # nothing sent
    services.from_day.setDate(qdate(later))
    with qtbot.waitSignal(services.saved, timeout=10000):
        services.retire_button.click()
    qtbot.waitUntil(lambda: f"自 {later.isoformat()} 起停用" in services.message.text(), timeout=10000)
    invoice = api.current(engine, "service", "invoice", "B001")
    assert invoice["active"] is True and invoice["dated"] == [{"from": later.isoformat(), "active": False}]
    row = [services.table.item(r, 0).text() for r in range(2)].index("invoice")
    qtbot.waitUntil(lambda: f"自 {later.isoformat()} 起：停用" in services.table.item(row, 6).text(), timeout=10000)
    services.table.selectRow(row)
    shot(window, folder, "services-dated")

    policy = reference.policy
    reference.tabs.setCurrentWidget(policy)
    qtbot.waitUntil(lambda: policy.branch.count() == 2, timeout=10000)
    policy.branch.setCurrentIndex(policy.branch.findData("B001"))
    policy.text.setPlainText("login_days = 7\n")
    policy.from_day.setDate(qdate(later))
    with qtbot.waitSignal(policy.published, timeout=10000):
        policy.publish_button.click()
    assert api.current(engine, "policy", "offline", "B001")["values"] == {
        "dated": [{"from": later.isoformat(), "login_days": 7}]}
    qtbot.waitUntil(lambda: policy.list.rowCount() == 1 and later.isoformat() in policy.list.item(0, 1).text(),
                    timeout=10000)
    assert later.isoformat() in policy.message.text()
    policy.from_day.reset()
    policy.text.setPlainText("login_days = 14\n")
    with qtbot.waitSignal(policy.published, timeout=10000):
        policy.publish_button.click()  # today: the entry of the later day is kept
    assert api.current(engine, "policy", "offline", "B001")["values"] == {
        "login_days": 14, "dated": [{"from": later.isoformat(), "login_days": 7}]}
    qtbot.waitUntil(lambda: policy.text.toPlainText() == "login_days = 14\n" and policy.history.rowCount() == 2,
                    timeout=10000)
    shot(window, folder, "policy-dated")
