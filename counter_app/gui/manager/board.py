"""The live hall board (manager): every window with its state, clerk, current ticket and how
long it has been at the window; the waiting per service with the longest wait; alerts in colour.

It follows the hub's event stream through a :class:`BoardFeed` (a :class:`HallFeed` that also
remembers when things started); a one-second clock only redraws the durations and re-checks the
alerts locally, it never asks the hub."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QTableWidgetItem, QVBoxLayout, QWidget

from counter_app.gui.hall_feed import HallFeed
from counter_app.gui.hub_link import HubLink
from counter_app.hub.client import HubClient
from counter_app.protocol import CALL_KINDS, Event, EventKind, EventsPage, State
from counter_app.gui.widgets import list_table
from counter_app.services.stats.board import BoardAlert, BoardWindow, board_alerts, minutes_between
from counter_app.services.stats.policy import StatsPolicy

log = logging.getLogger(__name__)
LOOKBACK_EVENTS = 3000
STATE_COLOURS = {"open": "#2e8b57", "paused": "#d68910", "closed": "#7f8c8d"}
ALERT_COLOURS = {"bad": "#c0392b", "warn": "#d68910"}


class BoardFeed(HallFeed):
    """A hall feed that also knows since when each waiting ticket waits, each window's current
    ticket has been called or served, and each paused window is paused. ``backfilled`` fires
    once those times have been read from the recent log after a state read."""

    backfilled = Signal()

    def __init__(self, link: HubLink, **kwargs: Any) -> None:
        super().__init__(link, **kwargs)
        self.queued_at: dict[str, datetime] = {}
        self.at_window_since: dict[int, datetime] = {}
        self.paused_since: dict[int, datetime] = {}
        self._restored_seq = 0
        self.changed.connect(self._follow)

    def _restore(self, state: State) -> None:
        self.queued_at = {t.id: t.queued_at for t in state.waiting}
        self.at_window_since, self.paused_since = {}, {}
        self._restored_seq = seq = state.seq
        super()._restore(state)
        if seq:  # when did the current tickets start and the pauses begin: the recent log says
            self.link.read(HubClient.events, max(0, seq - LOOKBACK_EVENTS), LOOKBACK_EVENTS, on_done=self._backfill,
                           on_error=self._backfill_failed)

    def _backfill_failed(self, error: Exception) -> None:
        log.info("recent events not read (%s): durations start with the next events", error)

    def _backfill(self, page: EventsPage) -> None:
        """A bound method, so a board closed meanwhile is not called (see TaskRunner)."""
        upto = self._restored_seq
        for event in page.events:
            if event.seq <= upto:
                self._times(event, backfill=True)
        self.backfilled.emit()

    def _follow(self, event: Event) -> None:
        self._times(event, backfill=False)

    def _times(self, event: Event, backfill: bool) -> None:
        kind, window, ticket_id, at = event.kind, event.window, event.ticket_id, event.at
        if kind is EventKind.ISSUED and ticket_id:
            if backfill:
                self.queued_at.setdefault(ticket_id, at)  # the state's arrival time wins (recycled to the back)
            else:
                self.queued_at[ticket_id] = at
        elif kind is EventKind.RECYCLED and ticket_id and not backfill:
            self.queued_at.setdefault(ticket_id, at)
        if ticket_id and ticket_id not in self.model.pool:
            self.queued_at.pop(ticket_id, None)
        if window is None:
            return
        info = self.model.windows.get(window)
        if kind in CALL_KINDS or kind is EventKind.SERVING:
            if info is not None and info.current == event.number:
                self.at_window_since[window] = at
        elif info is not None and info.current is None:
            self.at_window_since.pop(window, None)
        if kind is EventKind.WINDOW_PAUSED:
            self.paused_since[window] = at
        elif kind in (EventKind.WINDOW_RESUMED, EventKind.WINDOW_OPENED, EventKind.WINDOW_CLOSED):
            self.paused_since.pop(window, None)


class HallBoard(QWidget):
    def __init__(self, link: HubLink, policy: StatsPolicy, clock: Callable[[], datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.policy = policy
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.feed = BoardFeed(link, parent=self)
        self.feed.restored.connect(self.redraw)
        self.feed.changed.connect(lambda _event: self.redraw())
        self.feed.backfilled.connect(self.redraw)
        self.status = QLabel(self.tr("Connecting to the hub…"))
        self.status.setObjectName("title")
        self.windows = list_table([self.tr("Window"), self.tr("State"), self.tr("Clerk"), self.tr("Ticket"),
                                   self.tr("For (min)")])
        self.services = list_table([self.tr("Service"), self.tr("Waiting"), self.tr("Longest wait (min)"),
                                    self.tr("Target (min)")])
        self.alerts = QListWidget()
        self.alerts.setObjectName("boardAlerts")
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Windows")))
        left.addWidget(self.windows)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Waiting per service")))
        right.addWidget(self.services, 2)
        right.addWidget(QLabel(self.tr("Alerts")))
        right.addWidget(self.alerts, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(body)
        self.current_alerts: list[BoardAlert] = []
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self.redraw)

    def start(self) -> None:
        self.feed.start()
        self._tick.start()

    def state_words(self) -> dict[str, str]:
        return {"open": self.tr("open"), "paused": self.tr("paused"), "closed": self.tr("closed"),
                "called": self.tr("called"), "serving": self.tr("serving")}

    def redraw(self) -> None:
        if not self.feed.ready:
            return
        model, now, words = self.feed.model, self.clock(), self.state_words()
        self.status.setText(self.tr("{branch} — {date}: {waiting} waiting, {open} windows open").format(
            branch=model.branch_name, date=model.business_date, waiting=len(model.pool),
            open=sum(1 for w in model.windows.values() if w.state == "open")))
        self.windows.setRowCount(len(model.windows))
        for row, (number, w) in enumerate(sorted(model.windows.items())):
            state = "serving" if w.current_state == "serving" else w.state
            label = words.get(state, state) if w.state != "open" or not w.current else words.get(w.current_state or "", "")
            since = self.feed.at_window_since.get(number) if w.current else self.feed.paused_since.get(number)
            minutes = minutes_between(since, now)
            cells = (f"{number}号窗口 {w.name if w.name != f'{number}号窗口' else ''}".strip(),
                     label if w.state == "open" and w.current else words.get(w.state, w.state),
                     w.clerk_name or "—", w.current or "—", "—" if minutes is None else str(minutes))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setForeground(QBrush(QColor(STATE_COLOURS.get(w.state, "#000000"))))
                self.windows.setItem(row, col, item)
        oldest: dict[str, datetime | None] = {}
        for ticket_id, letter in model.pool.items():
            since = self.feed.queued_at.get(ticket_id)
            if since is not None and (oldest.get(letter) is None or since < oldest[letter]):  # type: ignore[operator]
                oldest[letter] = since
        counts = model.waiting_counts()
        self.services.setRowCount(len(model.services))
        for row, (letter, service) in enumerate(model.services.items()):
            longest = minutes_between(oldest.get(letter), now)
            target = self.policy.target_wait_s(letter) // 60
            cells = (f"{letter} {service.name_zh}", str(counts.get(letter, 0)), "—" if longest is None else str(longest),
                     str(target))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2 and longest is not None and longest > target:
                    item.setForeground(QBrush(QColor(ALERT_COLOURS["bad"])))
                self.services.setItem(row, col, item)
        board_windows = {n: BoardWindow(n, w.state, w.services, self.feed.paused_since.get(n))
                         for n, w in model.windows.items()}
        names = {letter: s.name_zh for letter, s in model.services.items()}
        self.current_alerts = board_alerts(now, counts, oldest, board_windows, self.policy, names)
        self.alerts.clear()
        for alert in self.current_alerts:
            item = QListWidgetItem(alert.text)
            item.setForeground(QBrush(QColor(ALERT_COLOURS[alert.severity])))
            self.alerts.addItem(item)
        if not self.current_alerts:
            self.alerts.addItem(QListWidgetItem(self.tr("No alerts")))

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._tick.stop()
        super().closeEvent(event)
