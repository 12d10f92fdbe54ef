"""The queue's messages between hub, counters, kiosks and displays (pydantic v2). Times are
ISO 8601 with offset (UTC) on the wire and ``datetime`` once decoded."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class EventKind(StrEnum):
    """What an entry of the hub's event log says happened (the ``kind`` of :class:`Event`)."""

    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    CALLED_BACK = "called_back"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    HELD = "held"
    RECYCLED = "recycled"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    CLEARED = "cleared"
    DAY_RESET = "day_reset"
    WINDOW_OPENED = "window_opened"
    WINDOW_PAUSED = "window_paused"
    WINDOW_RESUMED = "window_resumed"
    WINDOW_CLOSED = "window_closed"


#: The events that call a ticket to a window (the hall display speaks them).
CALL_KINDS = frozenset({EventKind.CALLED, EventKind.RECALLED, EventKind.CALLED_BACK})
#: Window events and the state the window is in after them.
WINDOW_KINDS = {EventKind.WINDOW_OPENED: "open", EventKind.WINDOW_PAUSED: "paused",
                EventKind.WINDOW_RESUMED: "open", EventKind.WINDOW_CLOSED: "closed"}


class Message(BaseModel):
    """A message of the protocol: unknown fields from a newer hub are ignored, not an error."""

    model_config = ConfigDict(extra="ignore")


# --- requests ---------------------------------------------------------------------------------

class ClerkIn(Message):
    clerk_id: str | None = Field(None, min_length=1, max_length=36,
                                 description="optional: the clerk of the staff session (X-Staff-Session), who "
                                             "the command acts as; another id is refused")


class IssueIn(Message):
    service: str = Field(min_length=1, max_length=1, description="service letter, e.g. A")
    priority: Literal["normal", "green"] = "normal"
    priority_reason: str = Field("", max_length=40, description="why 绿色通道: elderly, disabled, vip ...")


class TicketClerkIn(ClerkIn):
    ticket: str = Field(min_length=1, max_length=36, description="today's number (A012) or the ticket id")


class RecycleIn(ClerkIn):
    ticket: str | None = Field(None, max_length=36, description="a no-show of today; empty: the called ticket")


class TransferIn(ClerkIn):
    to_service: str | None = Field(None, min_length=1, max_length=1)
    to_window: int | None = Field(None, ge=1, le=999)


class ForceCloseIn(ClerkIn):
    reason: str = Field(min_length=1, max_length=200, description="why the manager closes the window")


class ResetIn(Message):
    clerk_id: str | None = Field(None, min_length=1, max_length=36,
                                 description="optional: the manager of the staff session")


# --- answers and events -------------------------------------------------------------------------

class Ticket(Message):
    id: str
    number: str
    service: str
    queue_service: str
    priority: str
    state: str
    outcome: str | None
    window: int | None
    target_window: int | None
    clerk_id: str | None
    call_count: int
    recall_count: int
    business_date: date
    issued_at: datetime
    queued_at: datetime


class Event(Message):
    seq: int
    kind: EventKind
    at: datetime
    ticket_id: str | None
    number: str | None
    service: str | None
    window: int | None
    clerk_id: str | None
    state: str | None
    data: dict[str, Any]


class Window(Message):
    id: str
    number: int
    name: str
    state: Literal["closed", "open", "paused"]
    clerk_id: str | None
    current: Ticket | None
    services: list[str]
    clerk_name: str | None = None
    staff_no: str | None = None


class OpAnswer(Message):
    seq: int | None = Field(description="sequence of the last event appended; null when nothing changed")
    window: Window
    ticket: Ticket | None
    events: list[Event]


class IssueAnswer(Message):
    seq: int
    ticket: Ticket
    waiting_ahead: int
    estimated_wait_minutes: int
    events: list[Event]


class TicketAnswer(Message):
    seq: int
    ticket: Ticket
    events: list[Event]


class ResetAnswer(Message):
    seq: int
    business_date: date
    cleared: int


class Service(Message):
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


class State(Message):
    seq: int
    business_date: date
    branch_code: str
    branch_name: str
    services: list[Service]
    windows: list[Window]
    waiting: list[Ticket]
    held: list[Ticket]
    recent_calls: list[Event]


class EventsPage(Message):
    events: list[Event]
    last_seq: int = Field(description="the newest sequence in the log when this page was read")


class Health(Message):
    status: Literal["ok"]
    seq: int
    branch_code: str
    stream_clients: int
    committed_batches: int = Field(description="transactions committed since start (group commit)")
    committed_operations: int = Field(description="operations in them")


class ErrorBody(Message):
    """The one error shape: ``code`` and ``params`` say what (words by code in
    ``counter_app.core.messages``), ``message`` is English for logs, ``field`` names the bad input."""

    code: str
    message: str
    params: dict[str, Any] = Field(default_factory=dict)
    field: str | None = None
    rule: str | None = None
