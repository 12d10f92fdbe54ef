"""The hub's wire protocol, in one Qt-free and FastAPI-free place: what each request carries,
what each answer and event holds (pydantic models), the kinds of event (:class:`EventKind`)
and the one error shape (:class:`ErrorBody`). The hub validates requests and declares answers
with these models, the client decodes answers into them (:mod:`counter_app.hub.client`), the
screens read them; ``tests/integration/test_hub_protocol.py`` checks every route's real answer
against its model."""

from __future__ import annotations

from counter_app.protocol.queue import (
    CALL_KINDS,
    WINDOW_KINDS,
    ClerkIn,
    ForceCloseIn,
    ErrorBody,
    Event,
    EventKind,
    EventsPage,
    Health,
    IssueAnswer,
    IssueIn,
    OpAnswer,
    RecycleIn,
    ResetAnswer,
    ResetIn,
    Service,
    State,
    Ticket,
    TicketAnswer,
    TicketClerkIn,
    TransferIn,
    Window,
)

__all__ = [
    "CALL_KINDS", "WINDOW_KINDS", "ClerkIn", "ErrorBody", "ForceCloseIn", "Event", "EventKind", "EventsPage", "Health", "IssueAnswer",
    "IssueIn", "OpAnswer", "RecycleIn", "ResetAnswer", "ResetIn", "Service", "State", "Ticket", "TicketAnswer",
    "TicketClerkIn", "TransferIn", "Window",
]
