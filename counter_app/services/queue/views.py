"""What the queue service returns: plain, frozen data, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class TicketView:
    id: str
    number: str
    service: str  # letter of the issuing service
    queue_service: str  # letter of the pool it is in (differs after a transfer)
    priority: str
    state: str
    outcome: str | None
    window: int | None  # window number while called / serving / held
    target_window: int | None  # window it was transferred to, while waiting for it
    clerk_id: str | None
    call_count: int
    recall_count: int
    business_date: date
    issued_at: datetime
    queued_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "service": self.service, "queue_service": self.queue_service,
                "priority": self.priority, "state": self.state, "outcome": self.outcome, "window": self.window,
                "target_window": self.target_window, "clerk_id": self.clerk_id, "call_count": self.call_count,
                "recall_count": self.recall_count, "business_date": self.business_date.isoformat(),
                "issued_at": self.issued_at.isoformat(), "queued_at": self.queued_at.isoformat()}


@dataclass(frozen=True)
class QueueEvent:
    """One entry of the hub's event log; ``seq`` grows by one with every entry."""

    seq: int
    kind: str
    at: datetime
    ticket_id: str | None
    number: str | None
    service: str | None
    window: int | None
    clerk_id: str | None
    state: str | None  # the ticket's state after the event, or the window's for window events
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "at": self.at.isoformat(), "ticket_id": self.ticket_id,
                "number": self.number, "service": self.service, "window": self.window, "clerk_id": self.clerk_id,
                "state": self.state, "data": self.data}


@dataclass(frozen=True)
class WindowView:
    id: str
    number: int
    name: str
    state: str  # closed | open | paused
    clerk_id: str | None
    current: TicketView | None
    services: tuple[str, ...]  # letters, in the order the window calls them
    clerk_name: str | None = None
    staff_no: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "number": self.number, "name": self.name, "state": self.state,
                "clerk_id": self.clerk_id, "current": None if self.current is None else self.current.to_json(),
                "services": list(self.services), "clerk_name": self.clerk_name, "staff_no": self.staff_no}


@dataclass(frozen=True)
class OpResult:
    """The outcome of a window operation: the window and ticket after it, and the events it
    appended (empty when the operation changed nothing, e.g. pausing a paused window)."""

    window: WindowView
    ticket: TicketView | None
    events: tuple[QueueEvent, ...]

    @property
    def seq(self) -> int | None:
        return self.events[-1].seq if self.events else None


@dataclass(frozen=True)
class IssueResult:
    ticket: TicketView
    waiting_ahead: int
    estimated_wait_minutes: int
    events: tuple[QueueEvent, ...]

    @property
    def seq(self) -> int:
        return self.events[-1].seq


@dataclass(frozen=True)
class TicketResult:
    ticket: TicketView
    events: tuple[QueueEvent, ...]

    @property
    def seq(self) -> int:
        return self.events[-1].seq


@dataclass(frozen=True)
class ServiceView:
    id: str
    letter: str
    code: str
    name_zh: str
    name_en: str
    active: bool
    daily_cap: int
    waiting: int
    green_waiting: int
    issued_today: int
    open_windows: int
    estimated_wait_minutes: int


@dataclass(frozen=True)
class ResetResult:
    business_date: date
    cleared: int
    events: tuple[QueueEvent, ...]

    @property
    def seq(self) -> int:
        return self.events[-1].seq


@dataclass(frozen=True)
class Snapshot:
    """The whole current state, consistent with the event log up to ``seq``."""

    seq: int
    business_date: date
    branch_code: str
    branch_name: str
    services: tuple[ServiceView, ...]
    windows: tuple[WindowView, ...]
    waiting: tuple[TicketView, ...]  # in the pool, oldest arrival first
    held: tuple[TicketView, ...]
    recent_calls: tuple[QueueEvent, ...]  # newest first
