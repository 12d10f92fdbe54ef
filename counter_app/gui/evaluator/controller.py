"""What the evaluator of one window does, whatever shows it (the customer screen or a serial
pad): find the rating asked for at its window, count down, pass the customer's one answer to
the quality service, and fall back to "not rated" when time runs out.

All database work runs on the task runner; results come back as signals."""

from __future__ import annotations

import logging
import math
from datetime import datetime
from typing import Any, Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from counter_app.domain.errors import UserError
from counter_app.domain.timeutil import utcnow
from counter_app.gui.tasks import TaskRunner
from counter_app.protocol import Event
from counter_app.services.quality import CALL_KINDS, RatingDesk, RatingRequestView, RatingResult

log = logging.getLogger(__name__)


class EvaluatorController(QObject):
    staff_changed = Signal(object)  # StaffCard | None
    asking = Signal(object)  # RatingRequestView
    countdown = Signal(int)  # whole seconds left to rate
    finished = Signal(bool, str)  # rated or not, and the ticket number
    recorded_offline = Signal(bool, str)  # the same, taken at this counter while the hub was down

    POLL_MS = 700
    STAFF_MS = 5000
    TICK_MS = 250
    SWEEP_MS = 30_000

    def __init__(self, ratings: RatingDesk, tasks: TaskRunner, window: int, device: str, *,
                 clerk_id: str | None = None, clock: Callable[[], datetime] = utcnow,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ratings, self.tasks, self.window, self.device = ratings, tasks, window, device
        self.clerk_id = clerk_id
        self.window_clerk: str | None = None  # who opened the window, as the hub's events say
        self._last_call: dict[str, Any] | None = None  # the hub's last call at this window
        self.current: RatingRequestView | None = None
        self.sending = False
        self.clock = clock
        self._ended: set[str] = set()
        self._last_left = -1
        self.polls_failing = 0  # polls failed in a row (the hub down)
        self._not_to_ask: set[str] = set()  # tickets finished at the counter while the hub was down
        self._timers: list[QTimer] = []
        for interval, slot in ((self.POLL_MS, self.poll), (self.STAFF_MS, self.refresh_staff),
                               (self.TICK_MS, self._tick), (self.SWEEP_MS, self._sweep)):
            timer = QTimer(self, interval=interval)
            timer.timeout.connect(slot)
            self._timers.append(timer)

    @property
    def state(self) -> str:
        """idle, asking, or sending (an answer on its way to the database)."""
        return "sending" if self.sending else ("asking" if self.current is not None else "idle")

    def start(self) -> None:
        for timer in self._timers:
            timer.start()
        self.refresh_staff()
        self.poll()

    def stop(self) -> None:
        for timer in self._timers:
            timer.stop()

    def set_clerk(self, clerk_id: str | None) -> None:
        """Show this clerk while idle (the one logged in at the counter); ``None``: whoever the
        window is open under (as the hub's events say, else this database)."""
        self.clerk_id = clerk_id
        self.refresh_staff()

    # --- finding the request -----------------------------------------------------------------

    def on_hub_event(self, event: Event | dict[str, Any]) -> None:
        """Follow the hub's events of this window: who works it (window events), the last call,
        and the clerk's finish, which asks for the rating of that service. The hub's event is
        enough where this database holds no tickets (a counter with its own database); the
        quality service checks it by the same rules as a ticket row."""
        if isinstance(event, Event):  # from the HubLink; the quality service checks the hub's JSON
            event = event.model_dump(mode="json")
        if not isinstance(event, dict) or event.get("window") != self.window:
            return
        kind = event.get("kind")
        if isinstance(kind, str) and kind.startswith("window_"):
            self._follow_window(kind, event.get("clerk_id"))
            return
        if kind in CALL_KINDS:
            self._last_call = event
            return
        if kind != "done" or (event.get("data") or {}).get("auto"):
            return
        if not event.get("ticket_id") or not event.get("clerk_id"):
            return
        if event["ticket_id"] in self._not_to_ask:  # finished at the counter while the hub was down
            self._not_to_ask.discard(event["ticket_id"])
            return
        ratings, window, device = self.ratings, self.window, self.device
        clerk, call = self.clerk_id or self.window_clerk, self._last_call
        self.tasks.run(lambda: ratings.request_for_finish(event, window, device, clerk, call),
                       lambda _request: self.poll(),
                       lambda error: self._not_asked(event, error))

    def finished_here(self, ticket_id: str) -> None:
        """The clerk finished this ticket while the hub was down: its customer, still at the
        window, is asked to rate it here (the counter's rating, linked to the ticket); the hub's
        ``done`` of it, when it is back, asks nobody again."""
        if ticket_id in self._not_to_ask:
            return  # a restart of the counter says it again: asked already
        self._not_to_ask.add(ticket_id)
        ratings, window, device = self.ratings, self.window, self.device
        self.tasks.run(lambda: ratings.request_for_finished_here(ticket_id, window, device),
                       lambda _request: self.poll(), lambda error: self._not_asked({"number": ticket_id}, error))

    def ask_walk_in(self, service_record: str) -> None:
        """The clerk has just recorded a service without a ticket at this window (a payment, an
        application; every one while the hub is down): ask the customer to rate it. The quality
        service decides whether it is one (a payment of a called ticket is rated at its finish)."""
        clerk = self.clerk_id or self.window_clerk
        if not clerk:
            return
        ratings, window, device = self.ratings, self.window, self.device
        self.tasks.run(lambda: ratings.request_for_walk_in(service_record, window, clerk, device),
                       lambda _request: self.poll(),
                       lambda error: self._not_asked({"number": service_record}, error))

    def _follow_window(self, kind: str, clerk_id: object) -> None:
        clerk = clerk_id if kind != "window_closed" and isinstance(clerk_id, str) and clerk_id else None
        if clerk != self.window_clerk:
            self.window_clerk = clerk
            if self.clerk_id is None:
                self.refresh_staff()

    def _not_asked(self, event: dict[str, Any], error: Exception) -> None:
        if isinstance(error, UserError):  # not this clerk's, too old, already rated ...
            log.info("no rating asked for %s: %s", event.get("number"), error)
        else:
            log.warning("no rating asked for %s: %s", event.get("number"), error)

    def poll(self) -> None:
        if self.sending:
            return
        ratings, window = self.ratings, self.window
        self.tasks.run(lambda: ratings.pending(window), self._pending, self._poll_failed, write=False)

    def _poll_failed(self, error: Exception) -> None:
        """Said once while the polls keep failing (the hub down for a morning is ~30,000 polls)."""
        self.polls_failing += 1
        if self.polls_failing == 1:
            log.warning("evaluator of window %d: polling failed: %s (said once until it works again)", self.window, error)
        else:
            log.debug("evaluator of window %d: polling failed again (%d): %s", self.window, self.polls_failing, error)

    def _pending(self, request: RatingRequestView | None) -> None:
        if self.polls_failing:
            log.info("evaluator of window %d: polling works again after %d failures", self.window, self.polls_failing)
            self.polls_failing = 0
        if request is None or self.sending or request.id in self._ended:
            return
        if self.current is None or request.id != self.current.id:
            self.current = request
            self._last_left = -1
            self.asking.emit(request)
            self._tick()

    def refresh_staff(self) -> None:
        ratings, window, clerk = self.ratings, self.window, self.clerk_id or self.window_clerk
        self.tasks.run(lambda: ratings.staff_card(window, clerk), self.staff_changed.emit,
                       self._log_error("reading the clerk"), write=False)

    # --- answering ---------------------------------------------------------------------------

    def submit(self, level: int, reasons: Sequence[str] = ()) -> bool:
        """The customer's answer; only the first one for a request counts."""
        request = self.current
        if request is None or self.sending:
            return False
        self.sending = True
        ratings, device, chosen = self.ratings, self.device, tuple(reasons)
        self.tasks.run(lambda: ratings.submit(request.id, level, chosen, device),
                       lambda result: self._ended_with(request, result),
                       lambda error: self._refused(request, error))
        return True

    def _tick(self) -> None:
        request = self.current
        if request is None or self.sending:
            return
        left = request.seconds_left(self.clock())
        whole = math.ceil(left)
        if whole != self._last_left:
            self._last_left = whole
            self.countdown.emit(whole)
        if left <= 0:
            self.sending = True
            ratings, device = self.ratings, self.device
            self.tasks.run(lambda: ratings.decline(request.id, device),
                           lambda result: self._ended_with(request, result),
                           lambda error: self._refused(request, error))

    def _ended_with(self, request: RatingRequestView, result: RatingResult) -> None:
        self._end(request, result.notice.rated)
        if getattr(result, "offline", False):  # the customer saw the usual thanks; the clerk may know
            self.recorded_offline.emit(result.notice.rated, request.ticket_number)

    def _refused(self, request: RatingRequestView, error: Exception) -> None:
        if isinstance(error, UserError):  # too late (RatingTimedOut), already rated ...
            log.info("rating of %s ended without a level: %s", request.ticket_number or request.id, error)
        else:
            log.error("rating of %s failed", request.ticket_number or request.id, exc_info=error)
        self._end(request, False)

    def _end(self, request: RatingRequestView, rated: bool) -> None:
        self._ended.add(request.id)
        self.sending = False
        if self.current is not None and self.current.id == request.id:
            self.current = None
        self.finished.emit(rated, request.ticket_number)

    def _sweep(self) -> None:
        if self.current is None:
            ratings = self.ratings
            self.tasks.run(ratings.expire_due, None, self._log_error("closing old requests"))

    def _log_error(self, what: str) -> Callable[[Exception], None]:
        return lambda error: log.warning("evaluator of window %d: %s failed: %s", self.window, what, error)
