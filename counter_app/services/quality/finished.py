"""A finished service the evaluator may ask about, as the database that holds the queue records
it (the hub's, or the demo's): the ticket's row and its log (:func:`from_ticket`). Nothing a
client says about a service is evidence. :class:`~counter_app.services.quality.ratings.RatingDesk`
checks it: a finished service, at this window, by this clerk, finished with the customer (not
closed by the next call), recently, and not rated yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
    source: str = "ticket"  # where the facts came from: this database's ticket row


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
