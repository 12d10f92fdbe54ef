"""The hub's answers as the protocol (:mod:`counter_app.protocol`) describes them: the queue
service's views turned into the JSON of :class:`~counter_app.protocol.OpAnswer` and its kin,
encoded once (:func:`counter_app.hub.wire.encode`). ``tests/integration/test_hub_protocol.py``
checks each route's real answer against its model."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from counter_app.hub.wire import encode
from counter_app.services.queue import IssueResult, OpResult, QueueEvent, ResetResult, Snapshot, TicketResult


def json_response(data: Any, status_code: int = 200) -> Response:
    """The answer as JSON, encoded once here. The routes declare their protocol models (for
    the OpenAPI document and clients); their dicts are built to match them."""
    return Response(encode(data), status_code=status_code, media_type="application/json")


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
