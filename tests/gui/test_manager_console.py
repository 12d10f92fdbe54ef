"""The manager's console: the hall board follows a real hub's events (no polling), the
statistics page counts and sorts, exports XLSX and writes the monthly review, charts draw."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from counter_app.gui.manager import ChartsPage, HallBoard, StatisticsPage
from counter_app.gui.tasks import TaskRunner
from counter_app.services.stats import Statistics, StatsPolicy
from tests.gui.hall_fixtures import hub  # noqa: F401
from tests.integration.queue_fixtures import TOKEN  # the manager console's device credential
from tests.integration.stats_fixtures import DAY, play_day

ZONE = ZoneInfo("Asia/Shanghai")


def board_rows(board: HallBoard) -> dict[str, list[str]]:
    table = board.windows
    return {table.item(r, 0).text(): [table.item(r, c).text() for c in range(1, table.columnCount())]
            for r in range(table.rowCount())}


def test_board_follows_the_hub_within_one_event(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(1, 3)
    hub.issue("A", 3)
    hub.call(1)
    board = HallBoard(hub.link(TOKEN), StatsPolicy())
    qtbot.addWidget(board)
    board.resize(1200, 600)
    board.show()
    board.start()
    qtbot.waitUntil(lambda: board.feed.ready and board.feed.link.online, timeout=5000)
    qtbot.waitUntil(lambda: 1 in board.feed.at_window_since, timeout=5000)  # the call's time, from the recent log
    rows = board_rows(board)
    assert rows["1号窗口"][2] == "A001" and rows["1号窗口"][3] == "0"
    seq = board.feed.model.seq
    with qtbot.waitSignal(board.feed.changed, timeout=5000):
        hub.call(3)
    assert board.feed.model.seq == seq + 1  # one event, and the board shows it
    assert board_rows(board)["3号窗口"][2] == "A002"
    assert board.services.item(0, 1).text() == "1"  # A: one left waiting


def test_board_alerts_for_long_waits_pauses_and_unserved_services(qtbot, hub) -> None:  # type: ignore[no-untyped-def]
    hub.open(1)
    hub.issue("A", 1)
    hub.issue("B", 2)  # window 1 serves A and C only
    hub.client.pause_window(1, hub.hall.clerk(1))
    later = datetime.now(timezone.utc) + timedelta(minutes=20)
    board = HallBoard(hub.link(TOKEN), StatsPolicy(pause_limit_minutes=10, service_targets=("A=15",)), clock=lambda: later)
    qtbot.addWidget(board)
    board.start()
    qtbot.waitUntil(lambda: board.feed.ready and 1 in board.feed.paused_since, timeout=5000)
    board.redraw()
    kinds = {(a.kind, a.subject) for a in board.current_alerts}
    assert {("unserved", "A"), ("unserved", "B"), ("wait", "A"), ("wait", "B"), ("pause", "1")} <= kinds
    assert board.alerts.count() == len(board.current_alerts)


@pytest.fixture
def played(tmp_path: Path):  # type: ignore[no-untyped-def]
    day = play_day(tmp_path / "day")
    yield day
    day.db.dispose()


def test_statistics_page_counts_sorts_and_exports(qtbot, played, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    stats = Statistics(played.db.engine, ZONE, clock=played.clock)
    saved = tmp_path / "stats.xlsx"
    page = StatisticsPage(stats, tasks, save_dialog=lambda *a: str(saved))
    qtbot.addWidget(page)
    page.period.setCurrentIndex(0)  # day
    page.start.setDate(DAY)
    with qtbot.waitSignal(page.computed, timeout=10000):
        page.run_button.click()
    model = page.models["queue"]
    names = [model.item(r, 0).text() for r in range(model.rowCount())]
    assert names[:3] == ["营业员1 1001", "营业员4 1004", "营业员5 1005"]
    page.views["queue"].sortByColumn(3, page.views["queue"].horizontalHeader().sortIndicatorOrder().DescendingOrder)
    assert model.item(0, 3).text() == "2"  # served, numbers sorted as numbers
    page.export_button.click()
    qtbot.waitUntil(lambda: saved.exists() and ("Saved" in page.message.text() or "已保存" in page.message.text()),
                    timeout=10000)
    book = load_workbook(saved)
    assert book.sheetnames == ["排队", "收费", "评价", "报装与首问", "无号服务"]
    page.clerk_filter.setText("9999")
    page.run_button.click()
    qtbot.waitUntil(lambda: "clerk" in page.message.text(), timeout=10000)
    tasks.wait()


def test_charts_draw_the_period(qtbot, played) -> None:  # type: ignore[no-untyped-def]
    tasks = TaskRunner()
    stats = Statistics(played.db.engine, ZONE, clock=played.clock)
    charts = ChartsPage(stats, tasks)
    qtbot.addWidget(charts)
    report = stats.report(DAY, DAY, "total")
    charts.follow(report)
    qtbot.waitUntil(lambda: charts.data is not None, timeout=10000)
    assert charts.data.histogram[0] == 1 and sum(charts.data.histogram) == 4  # 180 s in 0–5 min; 4 waits
    assert [h for h, _n, _w in charts.data.hours] == [9, 10]
    assert all(view.chart().series() for view in charts.views)
    tasks.wait()
