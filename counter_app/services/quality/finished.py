"""A finished service the evaluator may ask about, whatever told us of it.

Where this database holds the queue (``counter-app demo``, a hub-local counter) the ticket's row
and its log are the evidence: :func:`from_ticket`. Where it does not (a counter with its own
database; the hub owns the tickets) the hub's ``done`` event is, as the device-authenticated event
stream carried it: :func:`from_hub_event`. Both give a :class:`FinishedService`, and
:class:`~counter_app.services.quality.ratings.RatingDesk` checks either by the same rules: a
finished service, at this window, by this clerk, finished with the customer (not closed by the
next call), recently, and not rated yet.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from counter_app.domain.errors import InvalidInput
from counter_app.domain.ids import is_record_id
from counter_app.persistence.models import Service, Ticket, TicketEvent, Window
from counter_app.protocol import EventKind

#: The queue events that call a ticket to a window; the last one is the service's call time.
CALL_KINDS = (EventKind.CALLED, EventKind.CALLED_BACK)  # a recall is the same call again


@dataclass(frozen=True)
class FinishedService:
    ticket_id: str
    number: str
    state: str  # the ticket's state: "done" for a finished service
    window: int | None  # where it was served
    clerk_id: str | None  # by whom
    finished_at: datetime | None  # None: never finished with the customer
    by_next_call: bool  # closed on the way by the clerk's next call, not finished with the customer
    service_id: str | None = None
    service_letter: str | None = None
    called_at: datetime | None = None
    source: str = "ticket"  # ticket (this database's row) | hub (the hub's event)

    def with_service_id(self, service_id: str | None) -> FinishedService:
        return replace(self, service_id=service_id)


def from_ticket(session: Session, ticket: Ticket) -> FinishedService:
    """The finished service as this database's ticket row and log record it."""
    window = session.get(Window, ticket.window_id) if ticket.window_id else None
    done = session.execute(
        select(TicketEvent.at, TicketEvent.data)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == EventKind.DONE)
        .order_by(TicketEvent.seq.desc()).limit(1)).first()
    called_at = session.scalar(select(func.max(TicketEvent.at)).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.kind.in_(CALL_KINDS)))
    service = session.get(Service, ticket.service_id)
    return FinishedService(
        ticket_id=ticket.id, number=ticket.number, state=ticket.state,
        window=window.number if window is not None else None, clerk_id=ticket.clerk_id,
        finished_at=done.at if done is not None else None, by_next_call=bool(done and (done.data or {}).get("auto")),
        service_id=ticket.service_id, service_letter=service.letter if service is not None else None,
        called_at=called_at, source="ticket")


def from_hub_event(event: Mapping[str, Any], call: Mapping[str, Any] | None = None) -> FinishedService:
    """The finished service as the hub's event tells it (``HubLink.event``, the fields of
    ``EventOut``). ``call``: the hub's last call event at that window, if it was of this ticket,
    for the call time. Fields in the wrong form are refused by name; whether the event is a
    finish at this window by this clerk is for the rating desk to judge."""
    if not isinstance(event, Mapping):
        raise InvalidInput("event", "the hub's event as a mapping", code="event_mapping")
    ticket_id = event.get("ticket_id")
    if not isinstance(ticket_id, str) or not is_record_id(ticket_id):
        raise InvalidInput("ticket_id", "the hub's id of a ticket (a UUIDv7)", code="ticket_id_form")
    number = event.get("number")
    if not isinstance(number, str) or not 1 <= len(number) <= 8:
        raise InvalidInput("number", "the ticket's number, 1 to 8 characters", code="ticket_number_length")
    window = event.get("window")
    if isinstance(window, bool) or not isinstance(window, int):
        raise InvalidInput("window", "a window number", code="window_number")
    clerk_id = event.get("clerk_id")
    if not isinstance(clerk_id, str) or not clerk_id:
        raise InvalidInput("clerk_id", "the id of the clerk who finished it", code="clerk_id_form")
    letter = event.get("service")
    if letter is not None and (not isinstance(letter, str) or len(letter) != 1):
        raise InvalidInput("service", "a service letter", code="service_letter")
    data = event.get("data") or {}
    if not isinstance(data, Mapping):
        raise InvalidInput("data", "the event's data as a mapping", code="event_data_mapping")
    kind, state = event.get("kind"), event.get("state")
    finished = kind == EventKind.DONE and state in (None, "done")
    return FinishedService(
        ticket_id=ticket_id, number=number, state="done" if finished else str(state or kind), window=window,
        clerk_id=clerk_id, finished_at=event_time(event.get("at"), "at") if finished else None,
        by_next_call=bool(data.get("auto")), service_letter=letter, called_at=_call_time(call, ticket_id, window),
        source="hub")


def _call_time(call: Mapping[str, Any] | None, ticket_id: str, window: int) -> datetime | None:
    if not isinstance(call, Mapping) or call.get("kind") not in CALL_KINDS:
        return None
    if call.get("ticket_id") != ticket_id or call.get("window") != window:
        return None
    try:
        return event_time(call.get("at"), "at")
    except InvalidInput:
        return None  # the call time is a detail for anomaly checks; a malformed one is left out


def event_time(value: object, name: str) -> datetime:
    """An instant from the hub's wire format: ISO 8601 text with an offset (or an aware datetime)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(name, "a time in ISO 8601 with its offset", code="iso_time") from None
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(name, "a time in ISO 8601 with its offset", code="iso_time")
    return value.astimezone(timezone.utc)
