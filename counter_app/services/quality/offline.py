"""Ratings while the hub is down (issue 10 item 4, SYNC.md G14).

The hub opens the rating of a ticket its queue finished (``RatingDesk.request_at_hub``); the
evaluator of the window shows it. When the customer taps and the hub cannot be reached, the
answer is a fact of the counter: it is recorded in the counter's own database (a ``rating`` row
and its ``rating.recorded`` outbox event, once: the request's id is the hub's), and it reaches
head office through the counter's own sync, like the counter's payments (DESIGN.md: a counter
writes ratings to its own SQLite first). The hub never records that service again: when it is
back, the evaluator tells it the request was answered at the counter, and the hub closes its
request as ``at_counter`` without a rating of its own (no "not rated" beside the counter's
rating, at head office or in the hub's statistics). A request that ran out while the hub was not
running is left to the counter's word for a grace period after the hub starts
(``RatingDesk.expire_due``) before it is recorded as not rated.

An answer given after the request's time is refused here as at the hub, and nothing is stored:
the hub records that service as not rated when it is back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import select

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ratings import check_device, check_level, check_reasons
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Rating, Staff, Ticket, Window
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.audit import audit
from counter_app.services.quality.ratings import RatingDesk, RatingTimedOut
from counter_app.services.quality.views import RatingRequestView, RatingResult

#: at the counter: answered here while the hub was down; the hub not told yet
OFFLINE = "offline"
#: at the hub: answered at the counter (the rating is the counter's fact, not the hub's)
AT_COUNTER = "at_counter"


@dataclass(frozen=True)
class OfflineAnswer:
    """An answer taken at the counter that the hub has not been told of."""

    request_id: str
    rating_id: str
    rated: bool
    at: datetime
    device: str


class OfflineRatings:
    def __init__(self, desk: RatingDesk) -> None:
        self._desk = desk
        self._ctx = desk.context

    def now(self) -> datetime:
        return self._ctx.clock()

    # --- at the counter ------------------------------------------------------------------------

    def record(self, request: RatingRequestView, level: int, reasons: Sequence[str], device: str) -> RatingResult:
        """The customer's answer to the hub's ``request``, recorded in this database because the
        hub cannot be reached; the same rules as at the hub (the device the request was made
        for, in time, once)."""
        chosen = check_level(level)
        device = check_device(device)
        picked = check_reasons(chosen, reasons, self._ctx.policy)
        if device != request.device:
            raise NotAllowed(f"this rating is accepted only from the evaluator {request.device}",
                             code="rating_other_device", device=request.device)
        now = self._ctx.clock()
        if now > request.expires_at:
            raise RatingTimedOut("the time to rate this service has run out; it was recorded as not rated",
                                 code="rating_timed_out")
        with unit_of_work(self._ctx.sessions) as session:
            if session.get(RatingRequest, request.id) is not None:
                raise NotAllowed("this service has already been rated", code="rating_already_rated")
            what = request.ticket_number or "that service"
            if request.ticket_id:
                self._desk.check_unrated(session, Rating.ticket_id == request.ticket_id,
                                         RatingRequest.ticket_id == request.ticket_id, what)
            else:
                self._desk.check_unrated(session, Rating.service_record == request.service_record,
                                         RatingRequest.service_record == request.service_record, what)
            win = self._ctx.window(session, request.window)
            if session.get(Staff, request.clerk_id) is None:
                raise InvalidInput("clerk_id", "no such staff member", code="staff_not_found")
            req = RatingRequest(id=request.id, window_id=win.id, clerk_id=request.clerk_id, ticket_id=request.ticket_id,
                                service_record=request.service_record, ticket_number=request.ticket_number,
                                device=request.device, requested_at=request.requested_at,
                                expires_at=request.expires_at, state="pending")
            session.add(req)
            session.flush()
            result = self._desk.close(session, req, int(chosen), picked, now,
                                      extra={"offline": True, "hub_request_id": request.id})
            req.state = OFFLINE
            return result

    def unreported(self, window: int) -> list[OfflineAnswer]:
        """The answers of ``window`` recorded here that the hub has not been told of (read only)."""
        with self._ctx.read() as session:
            rows = session.execute(
                select(RatingRequest.id, Rating.id, Rating.level, Rating.rated_at, Rating.requested_at, Rating.device)
                .join(Rating, Rating.id == RatingRequest.rating_id).join(Window, Window.id == RatingRequest.window_id)
                .where(RatingRequest.state == OFFLINE, Window.number == window)).all()
        return [OfflineAnswer(request_id, rating_id, level is not None, rated_at or asked, device)
                for request_id, rating_id, level, rated_at, asked, device in rows]

    def reported(self, request_id: str) -> None:
        """The hub has the word (or has closed the request otherwise): not told again."""
        with unit_of_work(self._ctx.sessions) as session:
            req = session.get(RatingRequest, request_id)
            if req is not None and req.state == OFFLINE:
                req.state = "rated"

    # --- at the hub ----------------------------------------------------------------------------

    def answered_at_counter(self, request_id: str, device: str, rating_id: str) -> str:
        """The evaluator of the request's window answered it at its counter while this hub was
        down: close the request without a rating here (the counter's rating is the fact, and
        reaches head office through the counter's sync). Idempotent; a request this hub has
        already closed is refused with its state."""
        device = check_device(device)
        if not isinstance(rating_id, str) or not 1 <= len(rating_id) <= 36:
            raise InvalidInput("rating_id", "the id of the rating recorded at the counter", code="rating_id_form")
        with unit_of_work(self._ctx.sessions) as session:
            req = session.get(RatingRequest, request_id) if isinstance(request_id, str) else None
            if req is None:
                raise InvalidInput("request", "no such rating request", code="rating_request_not_found")
            if device != req.device:
                raise NotAllowed(f"this rating is accepted only from the evaluator {req.device}",
                                 code="rating_other_device", device=req.device)
            if req.state == AT_COUNTER:
                return AT_COUNTER
            if req.state != "pending":
                raise NotAllowed(f"the hub has already closed this request ({req.state})", code="rating_closed_at_hub",
                                 state=req.state)
            req.state = AT_COUNTER
            win = session.get(Window, req.window_id)
            audit(session, self._ctx.node_id, "rating_at_counter", actor_label=device,
                  window=win.number if win is not None else None, entity="rating", entity_id=rating_id,
                  ticket=req.ticket_number)
            return AT_COUNTER

    def ticket_rated_at_counter(self, ticket_id: str, window: int, request_id: str) -> str:
        """At the hub: the counter of ``window`` asked the customer of this ticket to rate it at
        the window while this hub was down (the ticket it finished there): keep that word as a
        request closed ``at_counter``, so this hub opens no rating of that ticket. Idempotent;
        a ticket this hub has rated or is asking for already is left as it is (its state)."""
        if not isinstance(request_id, str) or not 1 <= len(request_id) <= 36:
            raise InvalidInput("request_id", "the id of the rating request opened at the counter", code="rating_id_form")
        now = self._ctx.clock()
        with unit_of_work(self._ctx.sessions) as session:
            ticket = session.get(Ticket, ticket_id) if isinstance(ticket_id, str) and ticket_id else None
            if ticket is None:
                raise InvalidInput("ticket", "the id of a ticket this hub issued", code="ticket_id_form")
            win = self._ctx.window(session, window)
            if ticket.window_id != win.id or not ticket.clerk_id:
                raise NotAllowed(f"{ticket.number} was not served at window {window}", code="rating_other_clerk",
                                 number=ticket.number, n=window)
            known = session.scalars(select(RatingRequest).where(RatingRequest.ticket_id == ticket_id)).first()
            if known is not None:
                return known.state
            if session.scalar(select(Rating.id).where(Rating.ticket_id == ticket_id)) is not None:
                return "rated"
            session.add(RatingRequest(id=request_id, window_id=win.id, clerk_id=ticket.clerk_id, ticket_id=ticket_id,
                                      service_id=ticket.service_id, ticket_number=ticket.number,
                                      device=f"counter:W{window:02d}", requested_at=now, expires_at=now,
                                      state=AT_COUNTER))
            audit(session, self._ctx.node_id, "rating_at_counter", actor_label=f"counter:W{window:02d}", window=window,
                  entity="rating_request", entity_id=request_id, ticket=ticket.number)
            return AT_COUNTER
