"""The hub's wire format (pydantic v2): what the REST commands take and return, as the
OpenAPI document shows it. Times are ISO 8601 with offset (UTC)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from starlette.responses import Response

from counter_app.services.queue import IssueResult, OpResult, QueueEvent, ResetResult, Snapshot, TicketResult


class ClerkIn(BaseModel):
    clerk_id: str | None = Field(None, min_length=1, max_length=36,
                                 description="optional: the clerk of the staff session (X-Staff-Session), who "
                                             "the command acts as; another id is refused")


class IssueIn(BaseModel):
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


class ResetIn(BaseModel):
    clerk_id: str | None = Field(None, min_length=1, max_length=36,
                                 description="optional: the manager of the staff session")


class TicketOut(BaseModel):
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


class EventOut(BaseModel):
    seq: int
    kind: str
    at: datetime
    ticket_id: str | None
    number: str | None
    service: str | None
    window: int | None
    clerk_id: str | None
    state: str | None
    data: dict[str, Any]


class WindowOut(BaseModel):
    id: str
    number: int
    name: str
    state: Literal["closed", "open", "paused"]
    clerk_id: str | None
    current: TicketOut | None
    services: list[str]
    clerk_name: str | None = None
    staff_no: str | None = None


class OpOut(BaseModel):
    seq: int | None = Field(description="sequence of the last event appended; null when nothing changed")
    window: WindowOut
    ticket: TicketOut | None
    events: list[EventOut]


class IssueOut(BaseModel):
    seq: int
    ticket: TicketOut
    waiting_ahead: int
    estimated_wait_minutes: int
    events: list[EventOut]


class TicketOpOut(BaseModel):
    seq: int
    ticket: TicketOut
    events: list[EventOut]


class ResetOut(BaseModel):
    seq: int
    business_date: date
    cleared: int


class ServiceOut(BaseModel):
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


class StateOut(BaseModel):
    seq: int
    business_date: date
    branch_code: str
    branch_name: str
    services: list[ServiceOut]
    windows: list[WindowOut]
    waiting: list[TicketOut]
    held: list[TicketOut]
    recent_calls: list[EventOut]


class EventsOut(BaseModel):
    events: list[EventOut]
    last_seq: int = Field(description="the newest sequence in the log when this page was read")


class HealthOut(BaseModel):
    status: Literal["ok"]
    seq: int
    branch_code: str
    stream_clients: int
    committed_batches: int = Field(description="transactions committed since start (group commit)")
    committed_operations: int = Field(description="operations in them")


class ErrorOut(BaseModel):
    message: str
    field: str | None = None
    rule: str | None = None


def _iso(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(data: Any, status_code: int = 200) -> Response:
    """The answer as JSON, encoded once here. The routes still declare their response
    models (for the OpenAPI document and clients); their dicts are built to match them."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_iso).encode("utf-8")
    return Response(body, status_code=status_code, media_type="application/json")


def plain(value: Any) -> Any:
    """A view as JSON-ready builtins (views hold only scalars, views, tuples and dicts);
    much cheaper than :func:`dataclasses.asdict`, which deep-copies every value."""
    to_json = getattr(value, "to_json", None)
    if to_json is not None:
        return to_json()
    if hasattr(value, "__dataclass_fields__"):
        return {name: plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    return value


def op_out(result: OpResult) -> dict[str, Any]:
    return {"seq": result.seq, "window": plain(result.window),
            "ticket": None if result.ticket is None else plain(result.ticket),
            "events": [event.to_json() for event in result.events]}


def issue_out(result: IssueResult) -> dict[str, Any]:
    return {"seq": result.seq, "ticket": plain(result.ticket), "waiting_ahead": result.waiting_ahead,
            "estimated_wait_minutes": result.estimated_wait_minutes,
            "events": [event.to_json() for event in result.events]}


def ticket_op_out(result: TicketResult) -> dict[str, Any]:
    return {"seq": result.seq, "ticket": plain(result.ticket), "events": [e.to_json() for e in result.events]}


def reset_out(result: ResetResult) -> dict[str, Any]:
    return {"seq": result.seq, "business_date": result.business_date, "cleared": result.cleared}


def state_out(snapshot: Snapshot) -> dict[str, Any]:
    out = plain(snapshot)
    out["recent_calls"] = [event.to_json() for event in snapshot.recent_calls]
    return out


def events_out(events: list[QueueEvent], last_seq: int) -> dict[str, Any]:
    return {"events": [event.to_json() for event in events], "last_seq": last_seq}
