"""The counter's status bar field for head-office sync: online or not, last success, pending, the
oldest unsent payment, quarantine, and a tooltip saying what to do (Chinese UI, offscreen)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from counter_app.domain.timeutil import utcnow
from counter_app.gui.counter_window import SyncStatusField
from counter_app.services.status import SyncBacklog

NOW = utcnow()


def _backlog(**kw) -> SyncBacklog:  # type: ignore[no-untyped-def]
    values = dict(pending=0, quarantined=0, oldest_pending_at=None, oldest_pending_payment_at=None, enrolled=True,
                  status="ok", last_success_at=NOW - timedelta(minutes=3), last_error="", receipts_locked=False)
    values.update(kw)
    return SyncBacklog(**values)


@pytest.mark.parametrize("backlog, state, text, tip", [
    (_backlog(), "ok", ["总部：在线", "待同步：0"], "全部已上传总部"),
    (_backlog(enrolled=False, status="never", last_success_at=None), "warn", ["总部：未注册"], "counter-app enrol"),
    (_backlog(status="offline", pending=12, oldest_pending_payment_at=NOW - timedelta(minutes=75),
              last_error="ConnectError: refused"), "warn",
     ["总部：离线", "待同步：12", "最早未传缴费：1小时15分"], "网络恢复后自动上传"),
    (_backlog(status="offline", pending=3, oldest_pending_payment_at=NOW - timedelta(hours=5)), "bad",
     ["最早未传缴费：5小时00分"], "长时间未上传"),
    (_backlog(quarantined=2), "bad", ["隔离：2"], "已隔离"),
    (_backlog(status="reenrol_required", pending=1), "bad", ["总部：离线"], "需要重新注册"),
    (_backlog(status="upgrade_required"), "bad", ["总部：离线"], "升级"),
    (_backlog(receipts_locked=True), "bad", ["总部：在线"], "收据编号已锁定"),
])
def test_the_field_says_how_sync_stands_and_what_to_do(qtbot, zh, backlog, state, text, tip) -> None:  # type: ignore[no-untyped-def]
    field = SyncStatusField(4 * 3600)
    qtbot.addWidget(field)
    field.show_backlog(backlog, NOW)
    assert field.property("state") == state
    for part in text:
        assert part in field.text()
    assert tip in field.toolTip() and "上次同步成功" in field.toolTip()


def test_screenshot_of_the_status_bar(qtbot, zh, hall_look, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow, QStatusBar

    window = QMainWindow()
    qtbot.addWidget(window)
    bar = QStatusBar()
    field = SyncStatusField(4 * 3600)
    bar.addPermanentWidget(field)
    window.setStatusBar(bar)
    window.resize(900, 80)
    field.show_backlog(_backlog(status="offline", pending=12, quarantined=1,
                                oldest_pending_payment_at=NOW - timedelta(minutes=75)), NOW)
    window.show()
    qtbot.waitExposed(window)
    target = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "sync-status-bar.png"
    assert window.grab().save(str(target))
    assert field.sizeHint().width() <= field.width() + 1  # the text is not cut off


def test_the_last_error_is_said_in_the_screen_s_words(qtbot, zh) -> None:  # type: ignore[no-untyped-def]
    from counter_app.services.sync import error_words

    field = SyncStatusField(4 * 3600)
    qtbot.addWidget(field)
    field.show_backlog(_backlog(status="offline", pending=2, last_error=error_words.unreachable()), NOW)
    assert "最近错误：无法连接总部（网络无应答）。" in field.toolTip() and "hq_unreachable" not in field.toolTip()
    refused = error_words.refused("push", 422, "invalid_input", "events[0].payload: a JSON object")
    field.show_backlog(_backlog(status="error", pending=2, last_error=refused), NOW)
    assert "总部拒收了上传的数据（head office refused the push (HTTP 422 invalid_input)" in field.toolTip()
    field.show_backlog(_backlog(status="offline", pending=2, last_error="ConnectError: refused"), NOW)
    assert "ConnectError: refused" in field.toolTip()  # a text stored before the codes: shown as it is
