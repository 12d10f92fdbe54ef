"""The branch manager's console: the live hall board, statistics with export, charts, and the
monthly review; installed as pages of the counter window for the manager role."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from counter_app.core.config import Settings
from counter_app.gui.hub_link import HubLink
from counter_app.gui.manager.board import HallBoard
from counter_app.gui.manager.charts import ChartsPage
from counter_app.gui.manager.statistics import StatisticsPage
from counter_app.gui.tasks import TaskRunner
from counter_app.services.node import NodeDatabase
from counter_app.services.stats.monthly import statistics_for

__all__ = ["ChartsPage", "HallBoard", "StatisticsPage", "install_manager_pages"]


def install_manager_pages(window, db: NodeDatabase, settings: Settings, tasks: TaskRunner,  # type: ignore[no-untyped-def]
                          link: HubLink | None) -> None:
    """Board (when the hub is configured), statistics and charts, as tabs of ``window``."""
    stats = statistics_for(db.engine, settings, db.node_id)
    if link is not None:
        board = HallBoard(link, stats.policy)
        window.add_page(board, QCoreApplication.translate("Manager", "Hall board"))
        board.start()
    page = StatisticsPage(stats, tasks)
    charts = ChartsPage(stats, tasks)
    page.computed.connect(lambda report: charts.follow(report, page.last_filters))
    window.add_page(page, QCoreApplication.translate("Manager", "Statistics"))
    window.add_page(charts, QCoreApplication.translate("Manager", "Charts"))
