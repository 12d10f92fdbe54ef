"""The head-office console (pytest-qt, offscreen) against a real head office on loopback (real
uvicorn, real PostgreSQL): log in, the branches-and-nodes tree, an enrolment code with its QR code
that a node then enrols with, a quarantined event rejected with a reason, an ended session."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from counter_app.gui.hq_console import HQConsole
from counter_app.gui.tasks import TaskRunner
from counter_app.hq.models import InboundEvent
from counter_app.hq.operators import add_operator, set_disabled
from counter_app.hq.refdata import api
from tests.gui.conftest import hall_look, zh  # noqa: F401
from counter_app.services.seed import NON_RESIDENTIAL
from tests.hq.refdata_fixtures import TARIFF, password_hash, publish_branch
from tests.hq.wire import enrol

PASSWORD = "s3cret-pass"


@pytest.fixture
def console(qtbot, hq, hq_db, zh, hall_look) -> Iterator[HQConsole]:  # type: ignore[no-untyped-def]  # noqa: F811
    add_operator(hq_db.engine, "zhang.wei", PASSWORD)
    tasks = TaskRunner()
    made = HQConsole(tasks, hq[0].url)
    qtbot.addWidget(made.login)
    made.login.show()
    yield made
    if made.window is not None:
        made.window.nodes.stop()
        made.window.close()
    tasks.wait()


def log_in(qtbot, console: HQConsole, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    console.login.name.setText("zhang.wei")
    console.login.password.setText(password)
    console.login.button.click()


def opened(qtbot, console: HQConsole):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: console.window is not None, timeout=10000)
    window = console.window
    qtbot.addWidget(window)
    return window


def disable_staff(qtbot, window, row: int, of: int):  # type: ignore[no-untyped-def]
    """On the staff tab, disable the staff member of ``row`` (of ``of`` listed) at every branch."""
    window.reference.tabs.setCurrentWidget(window.reference.staff_page)
    staff = window.reference.staff
    qtbot.waitUntil(lambda: staff.table.rowCount() == of, timeout=10000)
    staff.table.selectRow(row)
    with qtbot.waitSignal(staff.changed, timeout=10000):
        staff.disable_button.click()
    qtbot.waitUntil(lambda: staff.table.item(row, 4).text() == "已停用", timeout=10000)
    return staff


def test_login_then_nodes_code_and_quarantine(qtbot, console: HQConsole, make_node, client, hq_db) -> None:  # type: ignore[no-untyped-def]
    node = make_node("B017", "counter", 1, hostname="window-1-pc")
    broken = node.payment(5)
    broken["payload"]["payment"]["amount_fen"] = 7  # edited after hashing: quarantined at head office
    node.push(client, [broken, node.payment(600)])
    log_in(qtbot, console, "wrong-one")
    qtbot.waitUntil(lambda: console.login.error.text() != "", timeout=10000)
    assert "操作员名或密码错误" in console.login.error.text() and "4" in console.login.error.text()
    assert console.window is None
    log_in(qtbot, console)
    window = opened(qtbot, console)
    nodes = window.nodes
    qtbot.waitUntil(lambda: nodes.tree.topLevelItemCount() == 1, timeout=10000)
    branch = nodes.tree.topLevelItem(0)
    assert branch.text(0) == "B017" and branch.text(8) == "1" and branch.childCount() == 1
    child = branch.child(0)
    assert child.text(0) == "T01 #1" and child.text(3) == "window-1-pc" and child.text(8) == "1"
    assert "隔离" in child.text(9) and "秒前" in child.text(4)
    assert "1 个隔离事件" in nodes.summary.text() or "1" in nodes.summary.text()

    codes = window.codes
    window.tabs.setCurrentWidget(codes)
    codes.branch.setText("b017")  # typed in small letters: the page makes them capitals
    codes.role.setCurrentIndex(codes.role.findData("counter"))
    codes.window.setValue(3)
    with qtbot.waitSignal(codes.issued, timeout=10000) as issued:
        codes.issue_button.click()
    code = issued.args[0]["code"]
    assert codes.code.text() == code and not codes.qr.pixmap().isNull() and "B017 T03" in codes.details.text()
    assert enrol(client, code, "window-3-pc")["terminal_code"] == "T03"  # the code shown enrols the node
    codes.branch.setText("17")
    codes.issue_button.click()
    qtbot.waitUntil(lambda: codes.error.text() != "", timeout=10000)
    assert codes.error.text().startswith("营业厅") and "B017" in codes.error.text()

    page = window.quarantine
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=10000)
    assert page.table.item(0, 1).text() == "B017 T01" and page.table.item(0, 4).toolTip() == "payload_hash_mismatch"
    assert page.table.item(0, 4).text() == "写入后内容被改动"
    page.table.selectRow(0)
    page.reject_button.click()  # no reason given
    qtbot.waitUntil(lambda: "请说明原因" in page.message.text() and page.reject_button.isEnabled(), timeout=10000)
    page.reason.setText("amount edited at the branch")
    with qtbot.waitSignal(page.resolved, timeout=10000):
        page.reject_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0, timeout=10000)
    with hq_db.engine.connect() as connection:
        row = connection.execute(select(InboundEvent.apply_status, InboundEvent.resolved_by, InboundEvent.resolution)
                                 .where(InboundEvent.event_id == broken["event_id"])).one()
    assert tuple(row) == ("rejected", "zhang.wei", "rejected: amount edited at the branch")
    qtbot.waitUntil(lambda: window.audit.table.rowCount() >= 3 and window.audit.table.item(0, 2).text() == "event_rejected",
                    timeout=10000)

    window.tabs.setCurrentWidget(nodes)  # the code's node has enrolled meanwhile: revoke it (a stolen PC)
    qtbot.waitUntil(lambda: nodes.tree.topLevelItemCount() == 1 and nodes.tree.topLevelItem(0).childCount() == 2,
                    timeout=10000)
    nodes._ask_reason = lambda parent, title, label: ("PC stolen", "T03" in label)
    nodes.tree.setCurrentItem(nodes.tree.topLevelItem(0).child(1))
    with qtbot.waitSignal(nodes.revoked, timeout=10000):
        nodes.revoke_button.click()
    qtbot.waitUntil(lambda: nodes.tree.topLevelItem(0).child(1).text(2) == "已吊销", timeout=10000)
    nodes.tree.setCurrentItem(nodes.tree.topLevelItem(0).child(1))
    assert nodes.selected_node()["status"] == "revoked" and not nodes.revoke_button.isEnabled()
    nodes.tree.setCurrentItem(nodes.tree.topLevelItem(0).child(0))
    assert nodes.revoke_button.isEnabled()


def test_an_ended_session_brings_the_login_back(qtbot, console: HQConsole, hq_db) -> None:  # type: ignore[no-untyped-def]
    log_in(qtbot, console)
    window = opened(qtbot, console)
    qtbot.waitUntil(lambda: window.nodes.summary.text().startswith("0"), timeout=10000)
    set_disabled(hq_db.engine, "zhang.wei", True)  # ends the operator's sessions at head office
    window.nodes.refresh()
    qtbot.waitUntil(lambda: console.window is None and console.login.isVisible(), timeout=10000)
    assert "重新登录" in console.login.error.text()
    QApplication.processEvents()


def test_a_tariff_gets_a_new_version_and_a_clerk_is_disabled(qtbot, console: HQConsole, hq_db) -> None:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    publish_branch(engine, "B001")
    api.publish_tariff_version(engine, code="RES", name="居民用水", user_type="residential", valid_from="2026-01-01",
                               definition=TARIFF, by="setup")
    api.upsert_staff(engine, staff_no="1001", name="王芳", role="clerk", password_hash=password_hash("pw123456"),
                     branches=["B001"], by="setup")
    log_in(qtbot, console)
    window = opened(qtbot, console)
    window.tabs.setCurrentWidget(window.reference)
    editor = window.reference.tariffs
    qtbot.waitUntil(lambda: editor.list.rowCount() == 1 and editor.prices.rowCount() == 5, timeout=10000)
    assert [editor.prices.item(r, 1).text() for r in range(5)] == ["1.42", "2.13", "4.26", "1.42", "0.20"]
    assert editor.prices.item(0, 0).text() == "第 1 阶梯（180 m³ 以内）"
    editor.valid_from.setDate(QDate(2027, 1, 1))
    editor.prices.item(0, 1).setText("1.5O")  # a letter O for a zero
    editor.publish_button.click()
    assert "1.5O" in editor.message.text() and len(api.list_current(engine, "tariff_version")) == 1
    editor.prices.item(0, 1).setText("1.50")
    editor.prices.item(3, 1).setText("1.60")
    with qtbot.waitSignal(editor.published, timeout=10000):
        editor.publish_button.click()
    qtbot.waitUntil(lambda: editor.versions.rowCount() == 2, timeout=10000)
    assert editor.versions.item(0, 0).text() == "2027-01-01" and editor.versions.item(1, 0).text() == "2026-01-01"
    new = api.current(engine, "tariff_version", "RES|2027-01-01")
    assert [t["price_fen"] for t in new["definition"]["tiers"]] == [150, 213, 426]
    assert new["definition"]["components"][1]["price_fen"] == 160
    assert api.current(engine, "tariff_version", "RES|2026-01-01")["definition"] == TARIFF

    staff = disable_staff(qtbot, window, 0, of=1)
    assert api.current(engine, "staff", "1001")["disabled"] is True and staff.enable_button.isEnabled()
    qtbot.waitUntil(lambda: window.audit.table.rowCount() >= 3 and window.audit.table.item(0, 2).text() == "staff_disabled",
                    timeout=10000)

    holidays = window.reference.holidays
    window.reference.tabs.setCurrentWidget(holidays)
    holidays.year.setValue(2027)
    with qtbot.waitSignal(holidays.loaded, timeout=10000):
        holidays.load_button.click()
    holidays.text.setPlainText("2027-10-01 休 国庆节\n2027-10-09 上班\n")
    holidays.publish_button.click()
    assert holidays.message.text() == "日历：第 2 行：应为 holiday / workday / 休 / 班。"
    holidays.text.setPlainText("2027-10-01 休 国庆节\n2027-10-09 班 调休\n")
    with qtbot.waitSignal(holidays.published, timeout=10000):
        holidays.publish_button.click()
    assert [(d["day"], d["kind"]) for d in api.list_current(engine, "holiday")] == [("2027-10-01", "holiday"),
                                                                                 ("2027-10-09", "workday")]


# ---- screenshots for the README ----------------------------------------------------------------------


def test_screenshots(qtbot, console: HQConsole, make_node, client, hq_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Login, branches and nodes, an enrolment code, the quarantine, reference data (COUNTER_APP_SCREENSHOTS=
    docs/screenshots writes them for the README)."""
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    publish_branch(hq_db.engine, "B001")
    for code, name, kind, definition in (("RES", "居民用水", "residential", TARIFF),
                                         ("NONRES", "非居民用水", "non_residential", NON_RESIDENTIAL)):
        api.publish_tariff_version(hq_db.engine, code=code, name=name, user_type=kind, valid_from="2026-01-01",
                                   definition=definition, by="setup")
    for number, name in (("1001", "王芳"), ("1002", "李娜"), ("2001", "张伟")):
        api.upsert_staff(hq_db.engine, staff_no=number, name=name, role="manager" if number == "2001" else "clerk",
                         password_hash=password_hash("pw123456"), branches=["B001"], by="setup")
    for branch, terminals in (("B001", (("hub", None), ("counter", 1), ("counter", 2))), ("B017", (("counter", 3),))):
        for role, window in terminals:
            node = make_node(branch, role, window, hostname=f"{branch.lower()}-{role}-{window or 1}")
            if branch == "B001":
                events = [node.payment(1200 + i) for i in range(3)]
                if role == "hub":  # a receipt number window 1 uses too: an incident, both payments kept
                    events.append(node.payment(999, receipt_no="B001-T01A-2026-0000002"))
                if window == 2:
                    payment = node.payment(800)
                    events.append(node.payment(-800, kind="void", reverses_id=payment["payload"]["payment"]["id"]))
                    broken = node.payment(5)
                    broken["payload"]["payment"]["amount_fen"] = 7
                    events.append(broken)
                node.push(client, events)
    login = console.login
    login.name.setText("zhang.wei")
    login.password.setText(PASSWORD)
    login.resize(560, 380)
    qtbot.wait(100)
    assert login.grab().save(str(folder / "hq-console-login.png"))
    login.button.click()
    window = opened(qtbot, console)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.nodes.tree.topLevelItemCount() == 2, timeout=10000)
    qtbot.wait(200)
    assert window.grab().save(str(folder / "hq-console-nodes.png"))
    codes = window.codes
    window.tabs.setCurrentWidget(codes)
    codes.branch.setText("B017")
    codes.window.setValue(4)
    with qtbot.waitSignal(codes.issued, timeout=10000):
        codes.issue_button.click()
    qtbot.wait(200)
    assert window.grab().save(str(folder / "hq-console-codes.png"))
    window.tabs.setCurrentWidget(window.quarantine)
    qtbot.waitUntil(lambda: window.quarantine.table.rowCount() == 2, timeout=10000)
    assert window.quarantine.incidents.rowCount() == 1
    assert window.quarantine.incidents.item(0, 2).text() == "两笔收费使用同一收据号"
    window.quarantine.reason.setText("营业厅已核对纸质收据")
    qtbot.wait(200)
    assert window.grab().save(str(folder / "hq-console-quarantine.png"))
    window.tabs.setCurrentWidget(window.reference)
    editor = window.reference.tariffs
    qtbot.waitUntil(lambda: editor.list.rowCount() == 2 and editor.prices.rowCount() > 0, timeout=10000)
    editor.list.selectRow(1)
    qtbot.waitUntil(lambda: editor.prices.rowCount() == 5, timeout=10000)
    editor.valid_from.setDate(QDate(2027, 1, 1))
    editor.prices.item(0, 1).setText("1.50")
    with qtbot.waitSignal(editor.published, timeout=10000):
        editor.publish_button.click()
    qtbot.waitUntil(lambda: editor.versions.rowCount() == 2, timeout=10000)
    editor.valid_from.setDate(QDate(2028, 1, 1))
    editor.prices.item(0, 1).setText("1.58")
    qtbot.wait(200)
    assert window.grab().save(str(folder / "hq-console-tariffs.png"))
    disable_staff(qtbot, window, 1, of=3)
    qtbot.wait(200)
    assert window.grab().save(str(folder / "hq-console-staff.png"))
