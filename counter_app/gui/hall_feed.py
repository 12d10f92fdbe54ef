"""What the customer-facing screens know of the hall, kept current from the hub.

:class:`HallModel` is plain data: restored from ``GET /v1/state`` and moved on by each event of
the log, so a screen never polls. :class:`HallFeed` does the restoring and following over a
:class:`~counter_app.gui.hub_link.HubLink`: it reads the state, then follows the stream from
that state's ``seq``; events that arrive before the state are held back and applied after it,
and a gap in the sequence (which the hub never sends) makes it read the state again. The
stream itself replays from the last sequence after any disconnect, so a screen that loses the
network, or a hub that restarts, costs no call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.domain.queue_rules import AT_WINDOW_STATES, QUEUED_STATES
from counter_app.gui.hub_link import HubLink
from counter_app.hub.client import HubClient
from counter_app.protocol import CALL_KINDS, WINDOW_KINDS, Event, EventKind, State

log = logging.getLogger(__name__)



@dataclass
class ServiceInfo:
    letter: str
    name_zh: str
    name_en: str
    active: bool
    daily_cap: int
    issued_today: int
    estimated_wait_minutes: int

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_zh

    @property
    def full(self) -> bool:
        return self.issued_today >= self.daily_cap


@dataclass
class WindowInfo:
    number: int
    name: str
    state: str  # closed | open | paused
    services: tuple[str, ...]
    clerk_id: str | None = None
    clerk_name: str | None = None
    staff_no: str | None = None
    current: str | None = None  # the number called to it or in service there
    current_state: str | None = None


@dataclass(frozen=True)
class Call:
    seq: int
    kind: str
    number: str
    window: int
    at: datetime
    ticket_id: str | None


def call_of(event: Event) -> Call | None:
    """The call an event announces, or ``None`` when it is not a call."""
    if event.kind not in CALL_KINDS or not event.number or event.window is None:
        return None
    return Call(event.seq, event.kind, event.number, event.window, event.at, event.ticket_id)


@dataclass
class HallModel:
    seq: int = 0
    business_date: date | None = None
    branch_name: str = ""
    services: dict[str, ServiceInfo] = field(default_factory=dict)  # by letter, in the hall's order
    windows: dict[int, WindowInfo] = field(default_factory=dict)
    pool: dict[str, str] = field(default_factory=dict)  # waiting ticket id -> letter of its pool
    recent: list[Call] = field(default_factory=list)  # newest first, one entry per ticket
    recent_size: int = 10
    zone: ZoneInfo | None = None  # given: calls of earlier business days are not shown as recent

    def restore(self, state: State) -> None:
        self.seq = state.seq
        self.business_date = state.business_date
        self.branch_name = state.branch_name
        self.services = {s.letter: ServiceInfo(s.letter, s.name_zh, s.name_en, s.active, s.daily_cap, s.issued_today,
                                               s.estimated_wait_minutes)
                         for s in state.services}
        self.windows = {}
        for w in state.windows:
            self.windows[w.number] = WindowInfo(w.number, w.name, w.state, tuple(w.services), w.clerk_id, w.clerk_name,
                                                w.staff_no, w.current.number if w.current else None,
                                                w.current.state if w.current else None)
        self.pool = {t.id: t.queue_service for t in state.waiting}
        self.recent = []
        for event in reversed(state.recent_calls):  # oldest first, as if they arrived now
            if self.zone is None or event.at.astimezone(self.zone).date() == self.business_date:
                self._remember(event)

    def _remember(self, event: Event) -> Call | None:
        call = call_of(event)
        if call is not None:
            self.recent = [call, *(c for c in self.recent if c.ticket_id != call.ticket_id or c.ticket_id is None)]
            del self.recent[self.recent_size:]
        return call

    def apply(self, event: Event) -> None:
        """Move the model on by one event of the log (``seq`` one past the model's)."""
        self.seq = event.seq
        kind, ticket_id, number, state = event.kind, event.ticket_id, event.number, event.state
        if ticket_id:
            if state in QUEUED_STATES and event.service:
                self.pool[ticket_id] = event.service
            else:
                self.pool.pop(ticket_id, None)
        if kind is EventKind.ISSUED and event.service in self.services:
            self.services[event.service].issued_today += 1
        window = self.windows.get(event.window or 0)
        if kind is EventKind.DAY_RESET:
            self._day_reset(event)
        elif kind in WINDOW_KINDS and window is not None:
            window.state = WINDOW_KINDS[kind]
            if kind is EventKind.WINDOW_OPENED:
                window.clerk_id, window.clerk_name = event.clerk_id, event.data.get("clerk_name")
                window.staff_no = None
            elif kind is EventKind.WINDOW_CLOSED:
                window.clerk_id = window.clerk_name = window.staff_no = None
                window.current = window.current_state = None
        elif window is not None and number:
            if state in AT_WINDOW_STATES:
                window.current, window.current_state = number, state
            elif window.current == number:
                window.current = window.current_state = None
        self._remember(event)

    def _day_reset(self, event: Event) -> None:
        """Its tickets went with their own ``cleared`` events; a reset of today (not a sweep of
        tickets left from earlier days) also restarts the numbering and the list of calls."""
        day = event.data.get("business_date")
        if day and self.business_date and date.fromisoformat(day) < self.business_date:
            return
        self.recent.clear()
        for service in self.services.values():
            service.issued_today = 0

    def waiting(self, letter: str) -> int:
        return sum(1 for pooled in self.pool.values() if pooled == letter)

    def waiting_counts(self) -> dict[str, int]:
        return {letter: self.waiting(letter) for letter in self.services}

    @property
    def last_call(self) -> Call | None:
        return self.recent[0] if self.recent else None

    @property
    def now_calling(self) -> Call | None:
        """The newest call whose customer is still being called to its window. Once that
        ticket is served, finished, held or moved on, it is no longer "now calling"."""
        for call in self.recent:
            window = self.windows.get(call.window)
            if window is not None and window.current == call.number and window.current_state == "called":
                return call
        return None


class HallFeed(QObject):
    """Keeps a :class:`HallModel` current. ``restored`` fires after each state read (the whole
    screen redraws), ``changed(event)`` after each event applied, ``called(call, live)`` for
    each call as it happens (``live``: not a replay older than ``fresh_seconds``)."""

    restored = Signal()
    changed = Signal(object)  # the Event applied
    called = Signal(object, bool)
    RETRY_MS = 2000

    def __init__(self, link: HubLink, *, recent_size: int = 10, zone: ZoneInfo | None = None,
                 resync_on: frozenset[str] = frozenset(), resync_delay_ms: int = 1500, fresh_seconds: float = 120.0,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.link = link
        self.model = HallModel(recent_size=recent_size, zone=zone)
        self.ready = False
        self.fresh_seconds = fresh_seconds
        self._reading = False
        self._held: list[Event] = []
        self._resync_on = resync_on
        self._resync = QTimer(self, singleShot=True, interval=resync_delay_ms)
        self._resync.timeout.connect(self.resync)
        link.event.connect(self._on_event)

    def start(self) -> None:
        """Read the state now (and again every few seconds until the hub answers)."""
        self.resync()

    def resync(self) -> None:
        if self._reading:
            return
        self._reading = True
        self.link.read(HubClient.state, on_done=self._restore, on_error=self._failed)

    def _failed(self, error: Exception) -> None:
        self._reading = False
        log.info("hall state not read (%s); trying again", error)
        QTimer.singleShot(self.RETRY_MS, self, self.resync)

    def _restore(self, state: State) -> None:
        self._reading = False
        if self.ready and state.seq < self.model.seq:
            log.warning("the hub's log went back from %d to %d: following it from there", self.model.seq, state.seq)
        self.model.restore(state)
        self.ready = True
        self.restored.emit()
        held, self._held = self._held, []
        for event in held:
            self._on_event(event)
        self.link.start_stream(after=self.model.seq)

    def _on_event(self, event: Event) -> None:
        if not self.ready or self._reading:
            self._held.append(event)
            return
        if event.seq <= self.model.seq:
            return
        if event.seq != self.model.seq + 1:
            log.warning("event %d after %d: reading the hall state again", event.seq, self.model.seq)
            self._held.append(event)
            self.resync()
            return
        self.model.apply(event)
        self.changed.emit(event)
        call = call_of(event)
        if call is not None:
            age = (datetime.now(call.at.tzinfo) - call.at).total_seconds()
            self.called.emit(call, age <= self.fresh_seconds)
        if event.kind in self._resync_on and not self._resync.isActive():
            self._resync.start()  # at most one read per delay, however busy the hall
