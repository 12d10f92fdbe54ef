"""The manager's statistics show walk-in services (无号服务: served without a ticket, mostly while
the hub was down) in their own tab, per clerk, with their ratings, and never in a waiting time;
its screenshot for the README (COUNTER_APP_SCREENSHOTS=docs/screenshots writes it)."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from counter_app.domain.ids import new_id
from counter_app.gui.manager import StatisticsPage
from counter_app.gui.tasks import TaskRunner
from counter_app.persistence.models import Branch, Window
from counter_app.protocol.walk_ins import WalkInsIn
from counter_app.services.stats import Statistics
from counter_app.services.stats.walk_ins import record
from tests.gui.test_manager_console import ZONE, played  # noqa: F401
from tests.integration.stats_fixtures import DAY


def _walk_ins(db, clerk: str, window: int, levels: list[int | None], applications: int = 0) -> WalkInsIn:  # type: ignore[no-untyped-def]
    with db.sessions() as session:
        window_id = session.scalar(select(Window.id).where(Window.number == window))
        branch_id = session.scalar(select(Branch.id))
    at = datetime(2026, 3, 2, 2, 30, tzinfo=timezone.utc)
    rows = [{"id": new_id(), "kind": "payment" if i >= applications else "application", "branch_id": branch_id,
             "window_id": window_id, "clerk_id": clerk, "business_date": DAY, "at": at,
             "rating_id": None if level == 0 else new_id(), "rating_level": level or None}
            for i, level in enumerate(levels)]
    return WalkInsIn(node_id=new_id(), window=window, services=rows)


def test_walk_ins_have_their_own_tab_with_ratings_and_no_waits(qtbot, zh, hall_look, played, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    c1, c4 = played.hall.clerk(1), played.hall.clerk(4)
    record(played.db.engine, _walk_ins(played.db, c1, 1, [5, 5, 4, 0, 0, 0, 5], applications=1))  # 0: not asked
    record(played.db.engine, _walk_ins(played.db, c4, 4, [5, 5, 5, 5, 3, 1, None, 0, 0, 0, 0, 0]))  # None: asked, not rated
    tasks = TaskRunner()
    page = StatisticsPage(Statistics(played.db.engine, ZONE, clock=played.clock), tasks)
    qtbot.addWidget(page)
    page.resize(1400, 360)
    page.show()
    page.period.setCurrentIndex(0)
    page.start.setDate(DAY)
    with qtbot.waitSignal(page.computed, timeout=10000):
        page.run_button.click()
    page.tabs.setCurrentIndex(4)
    assert page.tabs.tabText(4) == "无号服务"
    model = page.models["walkin"]
    rows = {model.item(r, 0).text(): [model.item(r, c).text() for c in range(1, model.columnCount())]
            for r in range(model.rowCount())}
    assert rows["营业员1 1001"][:5] == ["7", "6", "1", "4", "4"]  # served, of which fees, applications; asked, rated
    assert rows["营业员4 1004"][:5] == ["12", "12", "0", "7", "6"]
    headers = [model.horizontalHeaderItem(c).text() for c in range(model.columnCount())]
    assert not any("等候" in h for h in headers)  # no ticket: no wait known
    queue = page.report.queue  # the queue's figures are the tickets' alone
    assert sum(r.served for k, r in queue.items()) == 4
    qtbot.wait(200)
    folder = Path(os.environ.get("COUNTER_APP_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert page.grab().save(str(folder / "manager-statistics-walk-ins.png"))
    tasks.wait()


def test_the_monthly_review_ranks_a_clerk_who_served_only_walk_ins(played) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A clerk who served 40 customers while the hub was down is not idle in the review: ranked,
    with 40 walk-ins, stars by a rule on them, and no waiting time of his."""
    from counter_app.services.stats import StatsPolicy
    from counter_app.services.stats.review import monthly_review

    c2 = played.hall.clerk(2)
    record(played.db.engine, _walk_ins(played.db, c2, 2, [5] * 10 + [0] * 30))
    policy = StatsPolicy(star_rules=("4 walk_ins>=40 satisfaction>=99", "2 served>=2"))
    review = monthly_review(Statistics(played.db.engine, ZONE, policy, clock=played.clock), "2026-03")
    kpis = {k.metric: k for k in review.kpis}
    assert kpis["walk_ins"].value == 40 and kpis["served"].value == 4  # their own figure beside the tickets'
    mine = next(r for r in review.ranking if r.clerk_id == c2)
    assert (mine.figures["walk_ins"], mine.figures["served"], mine.stars) == (40, 0, 4)
    assert mine.figures["avg_wait_min"] is None
