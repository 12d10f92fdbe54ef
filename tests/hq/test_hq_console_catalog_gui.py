"""The console's services, windows, local policy and new-staff screens (pytest-qt, offscreen, in
Chinese) against a real head office on loopback (real uvicorn, real PostgreSQL): bad input is
refused on the screen naming the field and nothing reaches head office; good input is published.
Screenshots of each screen for the README (COUNTER_APP_SCREENSHOTS=docs/screenshots)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt

from counter_app.domain.staff_rules import verify_password
from counter_app.gui.hq_console import HQConsole
from counter_app.hq.refdata import api
from tests.gui.conftest import hall_look, zh  # noqa: F401
from tests.hq.refdata_fixtures import password_hash, publish_branch
from tests.hq.test_hq_console_gui import console, log_in, opened  # noqa: F401


def shot(window, folder: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    assert window.grab().save(str(folder / f"hq-console-{name}.png"))


def tick(widget, codes: set[str]) -> None:  # type: ignore[no-untyped-def]
    for i in range(widget.count()):
        item = widget.item(i)
        item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in codes else Qt.CheckState.Unchecked)


def test_services_windows_policy_and_a_new_staff_member(qtbot, console: HQConsole, hq_db, tmp_path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    engine = hq_db.engine
    for branch in ("B001", "B017"):
        publish_branch(engine, branch)
    api.upsert_service(engine, "B001", code="invoice", letter="C", name_zh="发票打印", name_en="Invoices", by="setup")
    api.upsert_staff(engine, staff_no="1001", name="王芳", role="clerk", password_hash=password_hash("pw123456"),
                     branches=["B001"], by="setup")
    log_in(qtbot, console)
    window = opened(qtbot, console)
    window.resize(1280, 800)
    window.tabs.setCurrentWidget(window.reference)
    reference = window.reference

    services = reference.services
    reference.tabs.setCurrentWidget(services)
    qtbot.waitUntil(lambda: services.table.rowCount() == 2, timeout=10000)
    assert services.branch.currentText() == "B001 营业厅 B001"
    services.table.clearSelection()
    for box, text in ((services.code, "water_apply"), (services.letter, "a"), (services.name_zh, "用水报装"),
                      (services.name_en, "New connections")):
        box.setText(text)
    services.add_button.click()  # the letter of "payment": refused on the screen, nothing sent
    assert services.message.text().startswith("票号字母：") and "payment" in services.message.text()
    assert len(api.list_current(engine, "service", "B001")) == 2
    services.letter.setText("B")
    services.name_zh.setText("  ")
    services.add_button.click()  # head office refuses it, naming the field in the screen's words
    qtbot.waitUntil(lambda: services.message.text() == "中文名称：须为 1 至 50 个字符", timeout=10000)
    assert len(api.list_current(engine, "service", "B001")) == 2 and services.add_button.isEnabled()
    services.name_zh.setText("用水报装")
    services.minutes.setValue(15)
    with qtbot.waitSignal(services.saved, timeout=10000):
        services.add_button.click()
    qtbot.waitUntil(lambda: services.table.rowCount() == 3, timeout=10000)
    assert api.current(engine, "service", "water_apply", "B001")["standard_minutes"] == 15
    services.table.selectRow([services.table.item(r, 0).text() for r in range(3)].index("invoice"))
    with qtbot.waitSignal(services.saved, timeout=10000):
        services.retire_button.click()
    qtbot.waitUntil(lambda: "已停用" in services.message.text() and services.restore_button.isEnabled(), timeout=10000)
    assert api.current(engine, "service", "invoice", "B001")["active"] is False  # retired, kept
    shot(window, folder, "services")

    windows = reference.windows
    reference.tabs.setCurrentWidget(windows)
    qtbot.waitUntil(lambda: windows.table.rowCount() == 1 and windows.serves.count() > 0, timeout=10000)
    assert windows.table.item(0, 2).text() == "缴费 (payment)"
    windows.table.clearSelection()
    windows.number.setValue(2)
    windows.name.setText("2号窗口")
    tick(windows.serves, set())
    windows.save_button.click()
    assert windows.message.text() == "办理业务：开放的窗口至少要办理一项业务。"
    tick(windows.serves, {"water_apply", "payment"})
    codes = [windows.serves.item(i).data(Qt.ItemDataRole.UserRole) for i in range(windows.serves.count())]
    assert codes == ["payment", "water_apply"]  # retired "invoice" is not offered
    windows.serves.setCurrentRow(1)
    windows.up_button.click()  # water_apply called first
    with qtbot.waitSignal(windows.saved, timeout=10000):
        windows.save_button.click()
    qtbot.waitUntil(lambda: windows.table.rowCount() == 2, timeout=10000)
    assert windows.table.item(1, 2).text() == "用水报装 (water_apply)、缴费 (payment)"
    assert [w["number"] for w in api.list_current(engine, "window", "B001")] == [1, 2]
    windows.table.selectRow(1)
    shot(window, folder, "windows")

    policy = reference.policy
    reference.tabs.setCurrentWidget(policy)
    qtbot.waitUntil(lambda: policy.branch.count() == 3, timeout=10000)
    assert policy.branch.currentText() == "全部营业厅" and policy.name.currentData() == "offline"
    policy.text.setPlainText("login_days = 400\n")
    policy.publish_button.click()
    assert policy.message.text().startswith("取值：offline.login_days") and api.list_current(engine, "policy") == []
    policy.text.setPlainText("login_days = 14\n")
    with qtbot.waitSignal(policy.published, timeout=10000):
        policy.publish_button.click()
    assert [p["bucket"] for p in api.list_current(engine, "policy")] == ["B001", "B017"]
    policy.branch.setCurrentIndex(policy.branch.findData("B001"))
    qtbot.waitUntil(lambda: policy.list.rowCount() == 1 and policy.history.rowCount() == 1, timeout=10000)
    policy.text.setPlainText("login_days = 3\n")
    with qtbot.waitSignal(policy.published, timeout=10000):
        policy.publish_button.click()
    qtbot.waitUntil(lambda: policy.history.rowCount() == 2 and policy.history.item(0, 2).text() == "login_days = 3",
                    timeout=10000)
    assert policy.history.item(1, 2).text() == "login_days = 14" and policy.history.item(0, 1).text() == "zhang.wei"
    shot(window, folder, "policy")

    staff = reference.staff_page
    reference.tabs.setCurrentWidget(staff)
    form = staff.new
    qtbot.waitUntil(lambda: staff.list.table.rowCount() == 1 and form.branches.count() == 2, timeout=10000)
    form.staff_no.setText("1001")
    form.name.setText("赵敏")
    tick(form.branches, {"B001"})
    form.generate_button.click()
    first = form.password.text()
    assert len(first) == 10
    form.create_button.click()
    qtbot.waitUntil(lambda: "工号 1001 已存在" in form.message.text(), timeout=10000)
    assert api.current(engine, "staff", "1001")["name"] == "王芳"
    form.staff_no.setText("1003")
    tick(form.branches, set())
    form.create_button.click()
    qtbot.waitUntil(lambda: form.message.text() == "营业厅：至少选择一个营业厅", timeout=10000)
    tick(form.branches, {"B001"})
    form.limited.setChecked(True)
    with qtbot.waitSignal(form.created, timeout=10000):
        form.create_button.click()
    qtbot.waitUntil(lambda: staff.list.table.rowCount() == 2, timeout=10000)
    created = api.current(engine, "staff", "1003")
    assert verify_password(created["password_hash"], first) and created["offline_valid_until"] is not None
    assert form.password.text() == "" and "1003" in form.message.text()
    qtbot.waitUntil(lambda: window.audit.table.rowCount() >= 5 and window.audit.table.item(0, 2).text() == "staff_created",
                    timeout=10000)
    form.staff_no.setText("1004")
    form.name.setText("钱进")
    form.generate_button.click()
    shot(window, folder, "staff-new")
