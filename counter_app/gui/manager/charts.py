"""The charts page (QtCharts): arrivals and average wait by hour of day, the daily volume over
the period, the wait-time distribution, and 满意率 per clerk by week. It draws whatever period
and filters the statistics page last counted."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from counter_app.gui.tasks import TaskRunner
from counter_app.services.stats import Statistics, StatsReport
from counter_app.services.stats.figures import Filters
from counter_app.services.stats.service import ChartData, chart_data

BLUE, GREEN, ORANGE = QColor("#1f5fa8"), QColor("#2e8b57"), QColor("#e67e22")
TREND_COLOURS = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d", "#d35400", "#2c3e50")


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _axis_y(chart: QChart, series: list, title: str, top: float, right: bool = False) -> QValueAxis:  # type: ignore[type-arg]
    axis = QValueAxis()
    axis.setTitleText(title)
    axis.setRange(0, max(1.0, top * 1.1))
    axis.applyNiceNumbers()
    axis.setLabelFormat("%.0f")
    chart.addAxis(axis, Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft)
    for s in series:
        s.attachAxis(axis)
    return axis


class ChartsPage(QWidget):
    def __init__(self, stats: Statistics, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stats, self.tasks = stats, tasks
        self.data: ChartData | None = None
        self.caption = QLabel(self.tr("Count statistics on the Statistics page to draw them here."))
        self.views = [QChartView() for _ in range(4)]
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.setContentsMargins(0, 0, 0, 0)
        # hours | distribution, then the daily volume and the trend across the width (a label per day)
        for view, (row, col, span) in zip(self.views, ((0, 0, 1), (1, 0, 2), (0, 1, 1), (2, 0, 2))):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(420, 240)
            grid.addWidget(view, row, col, 1, span)
        # three rows of readable charts are taller than a 1366×768 screen leaves: they scroll there
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(charts)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.scroll, 1)

    def follow(self, report: StatsReport, filters: Filters = Filters()) -> None:
        """Draw the period of a report just counted (same filters)."""
        start, end = report.start, report.end
        self.caption.setText(self.tr("{start} to {end}").format(start=start, end=end))
        self.tasks.run(lambda: chart_data(self.stats, start, end, filters), self.show_data, write=False)

    def show_data(self, data: ChartData) -> None:
        self.data = data
        for view, chart in zip(self.views, (self._hours(data), self._days(data), self._histogram(data),
                                            self._trend(data))):
            old = view.chart()
            view.setChart(chart)
            if old is not None:
                old.deleteLater()

    def _hours(self, data: ChartData) -> QChart:
        chart = _chart(self.tr("Arrivals and average wait by hour of day"))
        arrivals = QBarSet(self.tr("Arrivals"))
        arrivals.setColor(BLUE)
        arrivals.append([float(n) for _h, n, _w in data.hours])
        bars = QBarSeries()
        bars.append(arrivals)
        wait = QLineSeries()
        wait.setName(self.tr("Average wait (min)"))
        wait.setColor(ORANGE)
        for i, (_h, _n, minutes) in enumerate(data.hours):
            wait.append(QPointF(i, minutes or 0))
        chart.addSeries(bars)
        chart.addSeries(wait)
        axis = QBarCategoryAxis()
        axis.append([f"{h}" for h, _n, _w in data.hours] or [""])
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        bars.attachAxis(axis)
        wait.attachAxis(axis)
        _axis_y(chart, [bars], self.tr("People"), max((n for _h, n, _w in data.hours), default=1))
        _axis_y(chart, [wait], self.tr("Minutes"), max((w or 0 for _h, _n, w in data.hours), default=1), right=True)
        return chart

    def _days(self, data: ChartData) -> QChart:
        """Per day for up to a month and a half, per week (from the first day) beyond."""
        weekly = len(data.days) > 45
        chart = _chart(self.tr("Weekly volume") if weekly else self.tr("Daily volume"))
        points: list[tuple[str, int, int]] = []
        for i, (day, taken_n, served_n) in enumerate(data.days):
            if weekly and i % 7:
                label, t, s = points[-1]
                points[-1] = (label, t + taken_n, s + served_n)
            else:
                points.append((day.strftime("%m-%d") if weekly or len(data.days) > 31 else str(day.day), taken_n, served_n))
        taken, served = QBarSet(self.tr("Tickets taken")), QBarSet(self.tr("Served"))
        taken.setColor(BLUE)
        served.setColor(GREEN)
        taken.append([float(t) for _l, t, _s in points])
        served.append([float(s) for _l, _t, s in points])
        series = QBarSeries()
        series.append(taken)
        series.append(served)
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        axis.append([label for label, _t, _s in points] or [""])
        font = axis.labelsFont()
        font.setPointSizeF(font.pointSizeF() * 0.8)
        axis.setLabelsFont(font)
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        _axis_y(chart, [series], self.tr("Tickets"), max((t for _l, t, _s in points), default=1))
        return chart

    def _histogram(self, data: ChartData) -> QChart:
        chart = _chart(self.tr("Wait time distribution (minutes)"))
        people = QBarSet(self.tr("Customers"))
        people.setColor(BLUE)
        people.append([float(n) for n in data.histogram])
        series = QBarSeries()
        series.append(people)
        chart.addSeries(series)
        axis = QBarCategoryAxis()
        last = len(data.histogram) - 1
        axis.append([f"{i * 5}–{i * 5 + 5}" for i in range(last)] + [f"≥{last * 5}"])
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis)
        chart.legend().hide()
        _axis_y(chart, [series], self.tr("Customers"), max(data.histogram, default=1))
        return chart

    def _trend(self, data: ChartData) -> QChart:
        chart = _chart(self.tr("Satisfaction by clerk, per week (%)"))
        weeks = sorted({week for points in data.trend.values() for week, _r in points})
        axis = QBarCategoryAxis()
        axis.append([w.strftime("%m-%d") for w in weeks] or [""])
        chart.addAxis(axis, Qt.AlignmentFlag.AlignBottom)
        low = 100.0
        lines = []
        for i, (clerk, points) in enumerate(sorted(data.trend.items())):
            line = QLineSeries()
            line.setName(clerk.split(" ")[0])  # the name; the staff number is in the tables
            line.setColor(QColor(TREND_COLOURS[i % len(TREND_COLOURS)]))
            for week, rate in points:
                if rate is not None:
                    line.append(QPointF(weeks.index(week), rate))
                    low = min(low, rate)
            chart.addSeries(line)
            line.attachAxis(axis)
            lines.append(line)
        y = QValueAxis()
        y.setRange(max(0.0, (low // 10) * 10), 100)
        y.setTickCount(int((100 - max(0.0, (low // 10) * 10)) // 10) + 1 if low < 100 else 2)
        y.setLabelFormat("%.0f")
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        for line in lines:
            line.attachAxis(y)
        return chart
