"""End of day (清号): open tickets close with the outcome ``cleared``, at the configured time
(once a day), for earlier days whenever the hub finds them, or when a manager says so."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from counter_app.domain import queue_rules as rules
from counter_app.domain.errors import NotAllowed
from counter_app.domain.timeutil import business_day, to_local
from counter_app.protocol import EventKind
from counter_app.services.queue.helpers import QueueOperations
from counter_app.services.queue.store import QueueTx
from counter_app.services.queue.views import ResetResult

MANAGER_ROLES = ("manager", "admin")


class DayReset(QueueOperations):
    _clock: Callable[[], datetime]
    _last_scheduled_reset: date | None
    _reset_day_known: bool
    branch_zone: Callable[[], ZoneInfo]
    last_scheduled_reset: Callable[[], date | None]
    has_open_before: Callable[[date], bool]

    def end_of_day_reset(self, clerk_id: str | None = None, *, through: date | None = None,
                         scheduled: bool = False) -> ResetResult:
        """清号: close every open ticket of business days up to ``through`` (default today) with
        the outcome ``cleared`` and free the windows. Numbers restart with the next business
        day. A person doing it by hand must be a manager."""

        def work(tx: QueueTx) -> ResetResult:
            by = None
            if clerk_id is not None:
                staff = self._staff(tx, clerk_id)
                if staff.role not in MANAGER_ROLES:
                    raise NotAllowed("only a manager may reset the queue", code="manager_only")
                by = staff.name
            day = through or tx.today
            rows = tx.open_ticket_ids(day)
            for ticket_id in rows:
                row = tx.ticket(ticket_id)
                assert row is not None
                window = tx.ref.windows.get(row["window_id"]) if row["window_id"] else None
                self._move(tx, row, "clear")
                if window is not None:
                    self._release(tx.window_state(window), row)
                tx.event(EventKind.CLEARED, ticket=row, window=window, clerk_id=clerk_id)
            tx.event(EventKind.DAY_RESET, clerk_id=clerk_id, business_date=day.isoformat(), cleared=len(rows),
                     scheduled=scheduled, by=by)
            events = tx.write("end_of_day_reset", "branch", tx.ref.id)
            if scheduled:
                self._last_scheduled_reset = day
            return ResetResult(day, len(rows), events)

        return self._run(work)

    def due_reset(self) -> tuple[date, bool] | None:
        """What the hub's timer should clear now: ``(through, scheduled)``, or ``None``. Open
        tickets of earlier days go at once; today's at the configured time, once a day.
        Nothing when resets are switched off."""
        if not self._settings.reset_enabled:
            return None
        now = self._clock()
        zone = self.branch_zone()
        today = business_day(now, zone)
        if not self._reset_day_known:
            self._last_scheduled_reset = self.last_scheduled_reset()
            self._reset_day_known = True
        if rules.reset_due(to_local(now, zone), today, self._settings.reset_time, self._last_scheduled_reset):
            return today, True
        if self.has_open_before(today):
            return today - timedelta(days=1), False
        return None

    def reset_if_due(self) -> ResetResult | None:
        due = self.due_reset()
        return None if due is None else self.end_of_day_reset(through=due[0], scheduled=due[1])
