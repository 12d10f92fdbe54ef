"""What the queue operations share: checking the clerk and the window, moving a ticket by
the rules, and calling a ticket to a window."""

from __future__ import annotations

from typing import Any, Callable

from counter_app.domain import queue_rules as rules
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.protocol import EventKind
from counter_app.services.queue.reference import WindowRef
from counter_app.services.queue.settings import QueueSettings
from counter_app.services.queue.store import QueueTx, StaffRow
from counter_app.services.queue.views import OpResult


class QueueOperations:
    _settings: QueueSettings
    _run: Callable[..., Any]

    def _staff(self, tx: QueueTx, clerk_id: str) -> StaffRow:
        if not isinstance(clerk_id, str) or not clerk_id:
            raise InvalidInput("clerk_id", "the id of the logged-in staff member", code="clerk_id_form")
        staff = tx.staff(clerk_id)
        if staff is None or staff.branch_id != tx.ref.id:
            raise InvalidInput("clerk_id", "no such staff member at this branch", code="staff_not_found")
        if staff.disabled:
            raise NotAllowed("this staff account is disabled", code="staff_disabled")
        return staff

    def _clerk_window(self, tx: QueueTx, number: int, clerk_id: str) -> tuple[WindowRef, dict[str, Any]]:
        window = tx.window(number)
        state = tx.window_state(window)
        if state["state"] == "closed":
            raise NotAllowed(f"window {number} is closed; open it first", code="window_closed", n=number)
        if state["clerk_id"] != clerk_id:
            raise NotAllowed(f"window {number} is open under another clerk", code="window_taken", n=number)
        return window, state

    def _current(self, tx: QueueTx, window: WindowRef, state: dict[str, Any]) -> dict[str, Any]:
        ticket = tx.current(state)
        if ticket is None:
            raise NotAllowed(f"window {window.number} has no ticket called", code="window_nothing_called", n=window.number)
        return ticket

    def _result(self, tx: QueueTx, window: WindowRef, ticket: dict[str, Any] | None, op: str) -> OpResult:
        aggregate = ("ticket", ticket["id"]) if ticket is not None else ("window", window.id)
        events = tx.write(op, *aggregate)
        return OpResult(tx.window_view(window), tx.ticket_view(ticket), events)

    def _move(self, tx: QueueTx, ticket: dict[str, Any], action: str) -> str:
        state = rules.next_state(ticket["state"], action, ticket["number"])
        ticket["state"] = state
        ticket["outcome"] = rules.outcome_of(state)
        return state

    def _release(self, state: dict[str, Any], ticket: dict[str, Any]) -> None:
        if state["current_ticket_id"] == ticket["id"]:
            state["current_ticket_id"] = None

    def _close_open(self, tx: QueueTx, window: WindowRef, state: dict[str, Any], clerk_id: str) -> None:
        """Before a new call: finish the open ticket, or refuse, as the branch configured."""
        open_ticket = tx.current(state)
        if open_ticket is None:
            return
        if self._settings.call_next_with_open == "refuse":
            raise NotAllowed(f"{open_ticket['number']} is still open at window {window.number}; finish it first", code="ticket_still_open", number=open_ticket['number'], n=window.number)
        self._move(tx, open_ticket, "finish")
        self._release(state, open_ticket)
        tx.event(EventKind.DONE, ticket=open_ticket, window=window, clerk_id=clerk_id, auto=True)

    def _ready_to_call(self, tx: QueueTx, window: WindowRef, state: dict[str, Any], clerk_id: str) -> None:
        if state["state"] == "paused":
            if not self._settings.call_resumes_paused:
                raise NotAllowed(f"window {window.number} is paused; resume it first", code="window_paused", n=window.number)
            state["state"] = "open"
            tx.event(EventKind.WINDOW_RESUMED, window=window, clerk_id=clerk_id, state="open")
        self._close_open(tx, window, state, clerk_id)

    def _call(self, tx: QueueTx, ticket: dict[str, Any], window: WindowRef, state: dict[str, Any], clerk_id: str,
              action: str, kind: EventKind, **data: Any) -> None:
        self._move(tx, ticket, action)
        ticket.update(window_id=window.id, clerk_id=clerk_id, call_count=ticket["call_count"] + 1, recall_count=0,
                      target_window_id=None)
        state["current_ticket_id"] = ticket["id"]
        tx.event(kind, ticket=ticket, window=window, clerk_id=clerk_id, call_count=ticket["call_count"], **data)
