"""The counter's home page (首页): who is at which window, and the clerk's day at a glance.

Figures of the day (payments, the cash the drawer should hold, voids and refunds, receipts never
printed, the daily settlement), applications accepted, and the window's applications that need
someone: late, nearly due, or waiting for documents. Read in the background whenever the page is
shown and every few seconds while it is (``services.clerk_day``); nothing is worked out here."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from counter_app.domain.money import format_fen
from counter_app.gui.applications.messages import pick
from counter_app.gui.tasks import TaskRunner
from counter_app.services.auth import StaffSession
from counter_app.services.clerk_day import ClerkDay
from counter_app.services.status import WindowInfo

REASON_COLOURS = {"late": "#c62828", "due_soon": "#b26a00", "documents": "#455a64"}


class _Tile(QFrame):
    """One figure: a big value over its caption; ``warn`` colours it when it needs attention."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("dayTile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(84)
        layout = QVBoxLayout(self)
        self.value = QLabel("…")
        self.value.setObjectName("dayValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("dayCaption")
        self.caption.setWordWrap(True)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def show_value(self, text: str, warn: bool = False) -> None:
        self.value.setText(text)
        self.value.setStyleSheet("color: #c62828;" if warn else "")


class HomePage(QWidget):
    def __init__(self, session: StaffSession, tasks: TaskRunner | None = None,
                 load_day: Callable[[], ClerkDay] | None = None) -> None:
        super().__init__()
        self._tasks, self._load_day, self._loading = tasks, load_day, False
        self.day: ClerkDay | None = None
        layout = QVBoxLayout(self)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.greeting = QLabel(self.tr("Hello, {name} ({staff_no})").format(name=session.name, staff_no=session.staff_no))
        self.greeting.setObjectName("title")
        self.window_line = QLabel()
        self.services_line = QLabel()
        for label in (self.greeting, self.window_line, self.services_line):
            label.setWordWrap(True)
            layout.addWidget(label)
        self.day_title = QLabel(self.tr("Today"))
        self.day_title.setObjectName("section")
        tiles = QGridLayout()
        self.tiles = {
            "payments": _Tile(self.tr("payments taken")),
            "cash": _Tile(self.tr("cash the drawer should hold")),
            "voids": _Tile(self.tr("voids / refunds")),
            "unprinted": _Tile(self.tr("today's receipts never printed (Ctrl+U on the fee page)")),
            "settled": _Tile(self.tr("daily settlement (日结)")),
            "accepted": _Tile(self.tr("applications accepted")),
        }
        for index, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, index // 3, index % 3)
        self.follow_title = QLabel(self.tr("Applications of this window that need someone"))
        self.follow_title.setObjectName("section")
        self.follow = QTableWidget(0, 5)
        self.follow.setHorizontalHeaderLabels([self.tr("Application"), self.tr("Applicant"), self.tr("Stage"),
                                               self.tr("Due"), self.tr("State")])
        self.follow.verticalHeader().setVisible(False)
        self.follow.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.follow.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.follow.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.follow.horizontalHeader().setStretchLastSection(True)
        self.more = QLabel()
        self.more.setWordWrap(True)
        if load_day is not None:
            layout.addSpacing(8)
            layout.addWidget(self.day_title)
            layout.addLayout(tiles)
            layout.addSpacing(8)
            layout.addWidget(self.follow_title)
            layout.addWidget(self.follow, 1)
            layout.addWidget(self.more)

    def show_window(self, info: WindowInfo | None) -> None:
        if info is None:
            self.window_line.setText(self.tr("This PC is not set up for a window of this branch."))
            return
        self.window_line.setText(self.tr("Window {n}").format(n=info.number))
        names = "、".join(f"{letter} {zh}" for letter, zh, _en in info.services)
        self.services_line.setText(self.tr("Services at this window: {names}").format(names=names or self.tr("none")))

    # ---- the day -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read the day again (in the background), unless a read is under way or nothing reads it."""
        if self._load_day is None or self._tasks is None or self._loading:
            return
        self._loading = True
        self._tasks.run(self._load_day, self._show_day, self._not_read, write=False)

    def _not_read(self, error: Exception) -> None:
        self._loading = False
        self.more.setText(self.tr("Today's figures could not be read: {error}").format(error=str(error)[:200]))

    def _show_day(self, day: ClerkDay) -> None:
        self._loading, self.day = False, day
        takings = day.takings
        self.day_title.setText(self.tr("Today, {date}").format(date=day.today.isoformat()))
        self.tiles["payments"].show_value(self.tr("{n} · {amount}").format(
            n=takings.payments.count, amount=format_fen(takings.payments.amount_fen)))
        self.tiles["cash"].show_value(format_fen(takings.expected_cash_fen))
        self.tiles["voids"].show_value(f"{takings.voids.count} / {takings.refunds.count}")
        self.tiles["unprinted"].show_value(str(day.unprinted), warn=day.unprinted > 0)
        self.tiles["settled"].show_value(
            self.tr("done; now counted for {date}").format(date=takings.business_date.isoformat())
            if day.settled_today else self.tr("not yet"))
        self.tiles["accepted"].show_value(str(day.accepted_today))
        self._show_applications(day)

    def _show_applications(self, day: ClerkDay) -> None:
        words = {"late": self.tr("late"), "due_soon": self.tr("due soon"), "documents": self.tr("documents owed")}
        self.follow.setRowCount(len(day.follow_up))
        for row, follow in enumerate(day.follow_up):
            item = follow.item
            due = self.tr("clock stopped") if follow.reason == "documents" else item.due.isoformat() if item.due else "—"
            cells = [item.number, item.applicant_name, pick(item.stage_zh, item.stage_en), due, words[follow.reason]]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if column == 4:
                    cell.setForeground(QColor(REASON_COLOURS[follow.reason]))
                self.follow.setItem(row, column, cell)
        hidden = day.follow_up_total - len(day.follow_up)
        if not day.follow_up:
            self.more.setText(self.tr("None: nothing of this window is late, nearly due or waiting for documents."))
        elif hidden > 0:
            self.more.setText(self.tr("{n} more: see Application status or the back office.").format(n=hidden))
        else:
            self.more.clear()
