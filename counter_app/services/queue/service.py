"""The hub's queue operations. Each appends timed events to the log inside a transaction
(BEGIN IMMEDIATE, possibly shared with simultaneous operations: see ``runner``), with the
outbox event carrying them, and listeners hear about it after commit.

Window operations name the window by number and carry the clerk who has it open; ticket
references are today's numbers (``A012``) or ticket ids.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain import queue_rules as rules
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.protocol import EventKind
from counter_app.domain.ids import new_id
from counter_app.domain.timeutil import utcnow
from counter_app.services.queue.reads import QueueReads
from counter_app.services.queue.reset import MANAGER_ROLES, DayReset
from counter_app.services.queue.reference import ReferenceCache
from counter_app.services.queue.runner import QueueRunner
from counter_app.services.queue.settings import QueueSettings
from counter_app.services.queue.store import QueueTx
from counter_app.services.queue.views import IssueResult, OpResult, TicketResult


class QueueService(DayReset, QueueRunner, QueueReads):
    """The queue of one branch, over the hub's database."""

    def __init__(self, sessions: sessionmaker[Session], branch_code: str, settings: QueueSettings | None = None,
                 *, node_id: str | None = None, clock: Callable[[], datetime] = utcnow,
                 policy_on: Callable[[date], QueueSettings] | None = None) -> None:
        """``policy_on``: the ``[queue]`` table in force on a business day (head office's dated
        values, ``services.branch_policy``): taken again by :meth:`follow_policy` when the day
        changes; without it ``settings`` hold for the service's life."""
        ref = ReferenceCache(branch_code, clock=clock)
        settings = settings or QueueSettings()
        QueueRunner.__init__(self, sessions, ref, settings, clock, node_id)
        QueueReads.__init__(self, sessions, ref, settings, clock)
        self._last_scheduled_reset: date | None = None
        self._reset_day_known = False
        self._policy_on = policy_on
        self._policy_day: date | None = None

    def follow_policy(self) -> bool:
        """The ``[queue]`` table of today when the business day has changed since it was last
        taken (the hub's timer calls this every few seconds, offline too); True when taken again."""
        if self._policy_on is None:
            return False
        today = self.today()
        if today == self._policy_day:
            return False
        self._settings, self._policy_day = self._policy_on(today), today
        return True

    # --- tickets -----------------------------------------------------------------------------

    def issue_ticket(self, service: str, priority: str = "normal", priority_reason: str = "") -> IssueResult:
        """Take a ticket (取号): the next number of the service today, the people ahead and an
        estimated wait. Refused when the service is closed or at its daily limit."""
        rules.check_priority(priority)

        def work(tx: QueueTx) -> IssueResult:
            svc = tx.service(service)
            if not svc.active:
                raise NotAllowed(f"service {svc.letter} ({svc.name_zh}) is not taking tickets now", code="service_closed", service=svc.letter)
            last = tx.last_ticket_seq(svc.id)
            seq, number = rules.next_number(svc.letter, last, svc.daily_cap, self._settings.number_policy)
            ahead = tx.count_ahead(svc.id, rules.priorities_ahead_of(priority))
            open_windows = tx.count_open_windows([w.id for w in tx.ref.windows.values() if svc.id in w.services])
            estimate = rules.estimate_wait_minutes(ahead, svc.standard_minutes, open_windows)
            ticket = tx.new_ticket({
                "id": new_id(), "node_id": tx.node_id, "branch_id": tx.ref.id, "service_id": svc.id,
                "queue_service_id": svc.id, "business_date": tx.today, "seq": seq, "number": number,
                "priority": priority, "state": "waiting", "outcome": None, "window_id": None, "clerk_id": None,
                "call_count": 0, "recall_count": 0, "issued_at": tx.now, "queued_at": tx.now,
                "target_window_id": None,
            })
            tx.event(EventKind.ISSUED, ticket=ticket, priority=priority, priority_reason=priority_reason,
                     waiting_ahead=ahead, estimated_wait_minutes=estimate)
            events = tx.write("issue_ticket", "ticket", ticket["id"])
            view = tx.ticket_view(ticket)
            assert view is not None
            return IssueResult(view, ahead, estimate, events)

        return self._run(work)

    def cancel(self, ticket: str, clerk_id: str) -> TicketResult:
        """Cancel a ticket (the customer left, a misprint); frees its window if it was called."""

        def work(tx: QueueTx) -> TicketResult:
            self._staff(tx, clerk_id)
            row = tx.resolve(ticket)
            window = tx.ref.windows.get(row["window_id"]) if row["window_id"] else None
            self._move(tx, row, "cancel")
            if window is not None:
                self._release(tx.window_state(window), row)
            tx.event(EventKind.CANCELLED, ticket=row, window=window, clerk_id=clerk_id)
            events = tx.write("cancel", "ticket", row["id"])
            view = tx.ticket_view(row)
            assert view is not None
            return TicketResult(view, events)

        return self._run(work)

    # --- windows -----------------------------------------------------------------------------

    def open_window(self, window: int, clerk_id: str) -> OpResult:
        def work(tx: QueueTx) -> OpResult:
            ref = tx.window(window)
            staff = self._staff(tx, clerk_id)
            if not ref.active:
                raise NotAllowed(f"window {window} is not in service", code="window_out_of_service", n=window)
            state = tx.window_state(ref)
            if state["state"] != "closed":
                if state["clerk_id"] == clerk_id:
                    return self._result(tx, ref, None, "open_window")
                raise NotAllowed(f"window {window} is open under another clerk; that clerk must close it first", code="window_taken", n=window)
            state.update(state="open", clerk_id=clerk_id)
            tx.event(EventKind.WINDOW_OPENED, window=ref, clerk_id=clerk_id, state="open", clerk_name=staff.name)
            return self._result(tx, ref, None, "open_window")

        return self._run(work)

    def _window_change(self, window: int, clerk_id: str, op: str, before: str, after: str, kind: EventKind) -> OpResult:
        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            if state["state"] == before:
                state["state"] = after
                tx.event(kind, window=ref, clerk_id=clerk_id, state=after)
            elif state["state"] != after:
                raise NotAllowed(f"window {window} is {state['state']}", code="window_state", n=window, state=state['state'])
            return self._result(tx, ref, None, op)

        return self._run(work)

    def pause_window(self, window: int, clerk_id: str) -> OpResult:
        """暂停服务; a ticket already called stays with the window."""
        return self._window_change(window, clerk_id, "pause_window", "open", "paused", EventKind.WINDOW_PAUSED)

    def resume_window(self, window: int, clerk_id: str) -> OpResult:
        return self._window_change(window, clerk_id, "resume_window", "paused", "open", EventKind.WINDOW_RESUMED)

    def close_window(self, window: int, clerk_id: str) -> OpResult:
        """Close the window; refused while it still has a ticket called or in service."""

        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            open_ticket = tx.current(state)
            if open_ticket is not None:
                raise NotAllowed(f"{open_ticket['number']} is still open at window {window}; finish, hold or transfer it first", code="ticket_still_open", number=open_ticket['number'], n=window)
            state.update(state="closed", clerk_id=None)
            tx.event(EventKind.WINDOW_CLOSED, window=ref, clerk_id=clerk_id, state="closed")
            return self._result(tx, ref, None, "close_window")

        return self._run(work)

    def force_close_window(self, window: int, manager_id: str, reason: str) -> OpResult:
        """A manager closes a window someone else left open (a clerk gone home, a PC that died),
        saying why. A ticket still open there is held for that window, to be called back."""
        reason = rules.check_close_reason(reason)

        def work(tx: QueueTx) -> OpResult:
            staff = self._staff(tx, manager_id)
            if staff.role not in MANAGER_ROLES:
                raise NotAllowed("only a manager may force-close a window", code="manager_only")
            ref = tx.window(window)
            state = tx.window_state(ref)
            if state["state"] == "closed":
                return self._result(tx, ref, None, "force_close_window")
            previous = state["clerk_id"]
            open_ticket = tx.current(state)
            if open_ticket is not None:
                self._move(tx, open_ticket, "hold")
                self._release(state, open_ticket)
                tx.event("held", ticket=open_ticket, window=ref, clerk_id=manager_id, forced=True)
            state.update(state="closed", clerk_id=None)
            tx.event("window_closed", window=ref, clerk_id=manager_id, state="closed", forced=True, reason=reason,
                     previous_clerk_id=previous, by=staff.name)
            return self._result(tx, ref, None, "force_close_window")

        return self._run(work)

    # --- calling -----------------------------------------------------------------------------

    def call_next(self, window: int, clerk_id: str) -> OpResult:
        """Call the next ticket for this window (绿色通道 first, then its services in order,
        then arrival). ``ticket`` is ``None`` in the result when nobody is waiting."""

        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            self._ready_to_call(tx, ref, state, clerk_id)
            chosen = rules.pick_next(tx.candidates(ref), ref.id, ref.services, self._settings.service_first)
            if chosen is None:
                return self._result(tx, ref, None, "call_next")
            ticket = tx.ticket(chosen.ticket_id)
            assert ticket is not None
            self._call(tx, ticket, ref, state, clerk_id, "call", EventKind.CALLED)
            return self._result(tx, ref, ticket, "call_next")

        return self._run(work)

    def call_specific(self, window: int, clerk_id: str, ticket: str) -> OpResult:
        """Call one waiting ticket out of order (picked from the waiting list)."""

        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            row = tx.resolve(ticket)
            rules.next_state(row["state"], "call", row["number"])
            self._ready_to_call(tx, ref, state, clerk_id)
            self._call(tx, row, ref, state, clerk_id, "call", EventKind.CALLED, specific=True)
            return self._result(tx, ref, row, "call_specific")

        return self._run(work)

    def call_back(self, window: int, clerk_id: str, ticket: str) -> OpResult:
        """回呼: call a held ticket again, the same business day only."""

        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            row = tx.resolve(ticket)
            rules.next_state(row["state"], "call_back", row["number"])
            rules.check_same_day(row["business_date"], tx.today, row["number"])
            self._ready_to_call(tx, ref, state, clerk_id)
            self._call(tx, row, ref, state, clerk_id, "call_back", EventKind.CALLED_BACK)
            return self._result(tx, ref, row, "call_back")

        return self._run(work)

    def recall(self, window: int, clerk_id: str) -> OpResult:
        """重呼 the called ticket, up to the configured number of recalls."""

        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            row = self._current(tx, ref, state)
            self._move(tx, row, "recall")
            row["recall_count"] = rules.check_recall(row["recall_count"], self._settings.recall_cap, row["number"])
            row["call_count"] += 1
            tx.event(EventKind.RECALLED, ticket=row, window=ref, clerk_id=clerk_id, call_count=row["call_count"],
                     recall_count=row["recall_count"])
            return self._result(tx, ref, row, "recall")

        return self._run(work)

    def _current_move(self, window: int, clerk_id: str, action: str, kind: EventKind, release: bool,
                      **data: Any) -> OpResult:
        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            row = self._current(tx, ref, state)
            self._move(tx, row, action)
            if release:
                self._release(state, row)
            tx.event(kind, ticket=row, window=ref, clerk_id=clerk_id, **data)
            return self._result(tx, ref, row, action)

        return self._run(work)

    def start_service(self, window: int, clerk_id: str) -> OpResult:
        """The customer arrived at the window: service starts."""
        return self._current_move(window, clerk_id, "start", EventKind.SERVING, release=False)

    def finish(self, window: int, clerk_id: str) -> OpResult:
        return self._current_move(window, clerk_id, "finish", EventKind.DONE, release=True)

    def no_show(self, window: int, clerk_id: str) -> OpResult:
        """过号: the called customer did not come."""
        return self._current_move(window, clerk_id, "no_show", EventKind.NO_SHOW, release=True)

    def hold(self, window: int, clerk_id: str) -> OpResult:
        """挂起: park the customer (missing documents ...) to call back later today; the window
        is free to call the next ticket."""
        return self._current_move(window, clerk_id, "hold", EventKind.HELD, release=True)

    def recycle(self, window: int, clerk_id: str, ticket: str | None = None) -> OpResult:
        """Put the called ticket (or, by reference, a no-show of today) back in the pool."""

        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            row = self._current(tx, ref, state) if ticket is None else tx.resolve(ticket)
            if ticket is not None:
                if row["state"] != "no_show":
                    raise NotAllowed(f"{row['number']} is not a no-show; only no-shows are put back by number", code="recycle_not_no_show", number=row['number'])
                rules.check_same_day(row["business_date"], tx.today, row["number"])
            self._move(tx, row, "recycle")
            self._release(state, row)
            row.update(window_id=None, clerk_id=None, recall_count=0)
            if self._settings.recycle_to_back:
                row["queued_at"] = tx.now
            tx.event(EventKind.RECYCLED, ticket=row, window=ref, clerk_id=clerk_id)
            return self._result(tx, ref, row, "recycle")

        return self._run(work)

    def transfer(self, window: int, clerk_id: str, to_service: str | None = None,
                 to_window: int | None = None) -> OpResult:
        """转移: back to the pool of another service, or for one other window, keeping the
        original arrival time."""
        if (to_service is None) == (to_window is None):
            raise InvalidInput("to_service" if to_service is not None else "to_window",
                               "give either a service letter or a window number to transfer to", code="transfer_target")

        def work(tx: QueueTx) -> OpResult:
            ref, state = self._clerk_window(tx, window, clerk_id)
            row = self._current(tx, ref, state)
            data: dict[str, Any] = {"from_window": ref.number}
            if to_service is not None:
                svc = tx.service(to_service, "to_service")
                if not svc.active:
                    raise NotAllowed(f"service {svc.letter} is not taking tickets now", code="service_closed", service=svc.letter)
                row.update(queue_service_id=svc.id, target_window_id=None)
                data["to_service"] = svc.letter
            else:
                target = tx.window(int(to_window), "to_window")  # type: ignore[arg-type]
                if target.id == ref.id:
                    raise InvalidInput("to_window", "another window than this one", code="transfer_same_window")
                if not target.active:
                    raise NotAllowed(f"window {target.number} is not in service", code="window_out_of_service", n=target.number)
                row["target_window_id"] = target.id
                data["to_window"] = target.number
            self._move(tx, row, "transfer")
            self._release(state, row)
            row.update(window_id=None, clerk_id=None, recall_count=0)
            tx.event(EventKind.TRANSFERRED, ticket=row, window=ref, clerk_id=clerk_id, **data)
            return self._result(tx, ref, row, "transfer")

        return self._run(work)
