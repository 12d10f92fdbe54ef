"""Honest ratings: a finished service at a window opens a short time window on that window's
evaluator; the first answer from that evaluator is recorded, or "not rated" when time runs out.

Nothing here lets a counter rate: answers must come from the evaluator device the request was
made for (``screen:...`` or ``pad:...``), once, in time. Ratings are never edited or deleted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ratings import (
    LEVEL_NAMES_ZH,
    check_device,
    check_level,
    check_reasons,
    followup_deadline,
    is_negative,
)
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import (
    Application,
    Payment,
    Rating,
    RatingFollowUp,
    Staff,
    Ticket,
    TicketFinishedHere,
    Window,
    WindowState,
)
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.audit import audit
from counter_app.services.quality.context import QualityContext
from counter_app.services.quality.finished import FinishedService, from_ticket
from counter_app.services.quality.views import RatingNotice, RatingRequestView, RatingResult, RatingView, StaffCard

WALK_IN_ONLY = "only a payment or an application taken without a ticket is rated as a walk-in service"


class RatingTimedOut(NotAllowed):
    """The answer came after the request's time ran out; the service was recorded as not rated."""


def _request_view(req: RatingRequest, window: int) -> RatingRequestView:
    return RatingRequestView(req.id, window, req.clerk_id, req.ticket_id, req.service_record, req.ticket_number,
                             req.device, req.requested_at, req.expires_at, req.state)


def rating_view(rating: Rating, window: int, clerk: Staff) -> RatingView:
    return RatingView(rating.id, window, rating.clerk_id, clerk.name, clerk.staff_no, rating.ticket_id,
                      rating.ticket_number, rating.service_record, rating.level, tuple(rating.reasons), rating.device,
                      rating.requested_at, rating.rated_at)


#: a request that ran out while the hub was not running waits this long after it starts for the
#: evaluator's word that it was answered at the counter (``services.quality.offline``)
OFFLINE_REPORT_GRACE = timedelta(minutes=2)


class RatingDesk:
    def __init__(self, ctx: QualityContext) -> None:
        self._ctx = ctx
        self._started = ctx.clock()

    @property
    def context(self) -> QualityContext:
        return self._ctx

    # --- asking ------------------------------------------------------------------------------

    def request_for_ticket(self, ticket_id: str, window: int, clerk_id: str, device: str) -> RatingRequestView:
        """Open the rating of a ticket this clerk has just finished at this window, as this
        database's ticket row records it (the hub shares this database: demo, hub-local)."""
        device = check_device(device)
        now = self._ctx.clock()
        with unit_of_work(self._ctx.sessions) as session:
            win = self._ctx.window(session, window)
            clerk = self._ctx.staff(session, clerk_id, "clerk_id")
            ticket = session.get(Ticket, ticket_id) if isinstance(ticket_id, str) else None
            if ticket is None:
                raise InvalidInput("ticket", "no such ticket", code="ticket_not_found")
            return self._request_finished(session, from_ticket(session, ticket), win, clerk, device, now)

    def request_at_hub(self, ticket_id: str, window: int, device: str) -> RatingRequestView:
        """The hub's own check, for the evaluator device of ``window`` (``hub.session_routes``):
        the rating of a ticket this database's queue finished at ``window``, for the clerk its
        own ticket row names, recent by its own ``done`` event. Nothing the caller says about
        the service is believed but which ticket it means."""
        device = check_device(device)
        now = self._ctx.clock()
        with unit_of_work(self._ctx.sessions) as session:
            win = self._ctx.window(session, window)
            ticket = session.get(Ticket, ticket_id) if isinstance(ticket_id, str) and ticket_id else None
            if ticket is None:
                raise InvalidInput("ticket", "the id of a ticket this hub issued", code="ticket_id_form")
            if not ticket.clerk_id:
                raise NotAllowed(f"{ticket.number} was not served by a clerk", code="rating_unserved", number=ticket.number)
            clerk = self._ctx.staff(session, ticket.clerk_id, "clerk_id")
            return self._request_finished(session, from_ticket(session, ticket), win, clerk, device, now)

    def request_for_finish(self, event: Mapping[str, Any], window: int, device: str, clerk_id: str | None = None,
                           call: Mapping[str, Any] | None = None) -> RatingRequestView:
        """Open the rating of the service a ``done`` event names, where this database holds the
        queue (``counter-app demo``, the hub's own database): the ticket's row and its log are
        the evidence, as for :meth:`request_for_ticket`; the event only says which ticket. A
        ticket this database does not hold is refused: its rating is asked for at the hub, by
        the window's enrolled evaluator (``RatingDesk.request_at_hub`` there), never on what an
        event says about it. ``clerk_id``: the clerk this evaluator knows at ``window``;
        ``None``: whom the window is open under in this database. ``call`` is not read."""
        device = check_device(device)
        now = self._ctx.clock()
        ticket_id = event.get("ticket_id") if isinstance(event, Mapping) else None
        with unit_of_work(self._ctx.sessions) as session:
            win = self._ctx.window(session, window)
            ticket = session.get(Ticket, ticket_id) if isinstance(ticket_id, str) and ticket_id else None
            if ticket is None:
                raise NotAllowed("this database does not hold that ticket: its rating is asked for at the hub, "
                                 "by the window's enrolled evaluator", code="rating_ticket_not_here")
            clerk = self._ctx.staff(session, clerk_id or self._clerk_at(session, win), "clerk_id")
            return self._request_finished(session, from_ticket(session, ticket), win, clerk, device, now)

    def _clerk_at(self, session: Session, win: Window) -> str:
        state = session.get(WindowState, win.id)
        if state is None or state.state == "closed" or not state.clerk_id:
            raise NotAllowed(f"no clerk is known at window {win.number}; no rating is asked for", code="rating_no_clerk", n=win.number)
        return state.clerk_id

    def _request_finished(self, session: Session, finished: FinishedService, win: Window, clerk: Staff, device: str,
                          now: datetime) -> RatingRequestView:
        """The one set of rules for a ticket's rating, from its row in this database."""
        number = finished.number
        if finished.state != "done":
            raise NotAllowed(f"{number} is not a finished service (it is {finished.state})", code="rating_not_finished", number=number, state=finished.state)
        if finished.window != win.number or finished.clerk_id != clerk.id:
            raise NotAllowed(f"{number} was not served by this clerk at window {win.number}", code="rating_other_clerk", number=number, n=win.number)
        if finished.finished_at is None or finished.by_next_call:
            raise NotAllowed(f"{number} was closed by the next call, not finished with the customer", code="rating_closed_by_call", number=number)
        self._check_fresh(finished.finished_at, now, number)
        self.check_unrated(session, Rating.ticket_id == finished.ticket_id,
                            RatingRequest.ticket_id == finished.ticket_id, number)
        req = RatingRequest(window_id=win.id, clerk_id=clerk.id, ticket_id=finished.ticket_id,
                            service_id=finished.service_id, ticket_number=number, called_at=finished.called_at,
                            finished_at=finished.finished_at)
        return self._open(session, req, win, device, now, source=finished.source)

    def request_for_walk_in(self, service_record: str, window: int, clerk_id: str, device: str) -> RatingRequestView:
        """Open the rating of a service without a ticket: a payment or an application this clerk
        has just recorded at this window (its record id is the service record; an application may
        be named by its number)."""
        device = check_device(device)
        now = self._ctx.clock()
        with unit_of_work(self._ctx.sessions) as session:
            win = self._ctx.window(session, window)
            clerk = self._ctx.staff(session, clerk_id, "clerk_id")
            record = self._walk_in_record(session, service_record)
            service_record = record.id
            if record.window_id != win.id or record.clerk_id != clerk.id:
                raise NotAllowed(f"that service was not recorded by this clerk at window {window}", code="rating_not_this_clerk", n=window)
            self._check_fresh(record.created_at, now, "that service")
            self.check_unrated(session, Rating.service_record == service_record,
                                RatingRequest.service_record == service_record, "that service")
            req = RatingRequest(window_id=win.id, clerk_id=clerk.id, service_record=service_record, ticket_number="",
                                finished_at=record.created_at)
            return self._open(session, req, win, device, now, source="walk_in")

    def request_for_finished_here(self, ticket_id: str, window: int, device: str) -> RatingRequestView:
        """Open the rating of the ticket the clerk finished at this window while the hub was down
        (``services.queue.finished_here``): this database's record of that finish is the evidence
        (window, clerk, when); the rating is this counter's, linked to the ticket, and the hub is
        told before its finish so it opens none of its own."""
        device = check_device(device)
        now = self._ctx.clock()
        with unit_of_work(self._ctx.sessions) as session:
            win = self._ctx.window(session, window)
            here = session.get(TicketFinishedHere, ticket_id) if isinstance(ticket_id, str) and ticket_id else None
            if here is None or here.window != win.number:
                raise InvalidInput("ticket", f"a ticket finished at window {window} while the hub was down",
                                   code="rating_not_finished_here", n=window)
            clerk = self._ctx.staff(session, here.clerk_id, "clerk_id")
            self._check_fresh(here.finished_at, now, here.number)
            self.check_unrated(session, Rating.ticket_id == ticket_id, RatingRequest.ticket_id == ticket_id, here.number)
            req = RatingRequest(window_id=win.id, clerk_id=clerk.id, ticket_id=ticket_id, ticket_number=here.number,
                                finished_at=here.finished_at)
            return self._open(session, req, win, device, now, source="finished_here")

    def _walk_in_record(self, session: Session, service_record: str) -> Payment | Application:
        record: Payment | Application | None = None
        if isinstance(service_record, str) and service_record:
            payment = session.get(Payment, service_record)
            if payment is not None:
                if payment.kind != "payment" or payment.ticket_id is not None:
                    raise NotAllowed(WALK_IN_ONLY, code="rating_walk_in_only")
                record = payment
            else:
                record = session.get(Application, service_record) or session.scalars(
                    select(Application).where(Application.number == service_record)).first()
                if record is not None and record.ticket_id is not None:
                    raise NotAllowed(WALK_IN_ONLY, code="rating_walk_in_only")
        if record is None:
            raise InvalidInput("service_record", "the id of a payment or application recorded at this window", code="service_record_form")
        return record

    def _check_fresh(self, finished_at: datetime, now: datetime, what: str) -> None:
        within = timedelta(minutes=self._ctx.policy.request_within_minutes)
        if now - finished_at > within:
            raise NotAllowed(f"{what} finished too long ago to ask for a rating", code="rating_too_late", what=what)
        if finished_at - now > within:  # a hub whose clock is far ahead: its "recent" is not ours
            raise NotAllowed(f"{what} finished at {finished_at.isoformat()}, ahead of this clock; no rating asked", code="rating_clock_behind", what=what)

    def check_unrated(self, session: Session, rating_match: Any, request_match: Any, what: str) -> None:
        if session.scalar(select(Rating.id).where(rating_match)) is not None:
            raise NotAllowed(f"{what} already has its rating; a service is rated once", code="rating_already", what=what)
        if session.scalar(select(RatingRequest.id).where(request_match, RatingRequest.state == "at_counter")):
            raise NotAllowed(f"{what} already has its rating; a service is rated once", code="rating_already", what=what)
        if session.scalar(select(RatingRequest.id).where(request_match, RatingRequest.state == "pending")):
            raise NotAllowed(f"the rating of {what} is already being asked for", code="rating_being_asked", what=what)

    def _open(self, session: Session, req: RatingRequest, win: Window, device: str, now: datetime,
              source: str) -> RatingRequestView:
        for earlier in session.scalars(select(RatingRequest).where(
                RatingRequest.window_id == win.id, RatingRequest.state == "pending")):
            self.close(session, earlier, None, (), now)  # that customer has gone: not rated
        req.device, req.requested_at, req.state = device, now, "pending"
        req.expires_at = now + timedelta(seconds=self._ctx.policy.timeout_seconds)
        session.add(req)
        session.flush()
        audit(session, self._ctx.node_id, "rating_requested", actor_id=req.clerk_id, window=win.number,
              entity="rating_request", entity_id=req.id, ticket=req.ticket_number, device=device, source=source)
        return _request_view(req, win.number)

    # --- answering (the evaluator only) -------------------------------------------------------

    def pending(self, window: int) -> RatingRequestView | None:
        """The request the evaluator of ``window`` should show now, if any (read only)."""
        now = self._ctx.clock()
        with self._ctx.read() as session:
            win = self._ctx.window(session, window)
            req = session.scalars(select(RatingRequest).where(
                RatingRequest.window_id == win.id, RatingRequest.state == "pending", RatingRequest.expires_at > now)
                .order_by(RatingRequest.requested_at.desc())).first()
            return _request_view(req, win.number) if req is not None else None

    def submit(self, request_id: str, level: int, reasons: Sequence[str], device: str) -> RatingResult:
        """The customer's answer from the evaluator. Refused unless the request is still open
        and the answer comes from the device it was made for; too late records not rated."""
        chosen = check_level(level)
        device = check_device(device)
        picked = check_reasons(chosen, reasons, self._ctx.policy)
        now = self._ctx.clock()
        with unit_of_work(self._ctx.sessions) as session:
            req = self._answerable(session, request_id, device)
            late = now > req.expires_at
            result = self.close(session, req, None if late else int(chosen), () if late else picked, now)
        if late:
            raise RatingTimedOut("the time to rate this service has run out; it was recorded as not rated", code="rating_timed_out")
        return result

    def decline(self, request_id: str, device: str) -> RatingResult:
        """The evaluator gave up (its countdown ended, the customer walked away): not rated."""
        device = check_device(device)
        with unit_of_work(self._ctx.sessions) as session:
            req = self._answerable(session, request_id, device)
            return self.close(session, req, None, (), self._ctx.clock())

    def expire_due(self) -> list[RatingNotice]:
        """Close every request whose time has run out as not rated (a sweep for any timer); one
        that ran out before this desk started only after ``OFFLINE_REPORT_GRACE``."""
        now = self._ctx.clock()
        overdue: tuple[Any, ...] = (RatingRequest.state == "pending", RatingRequest.expires_at <= now)
        if now < self._started + OFFLINE_REPORT_GRACE:  # ran out before this desk started: the counter may have it
            overdue = (*overdue, RatingRequest.expires_at >= self._started)
        with self._ctx.read() as session:
            if session.scalar(select(RatingRequest.id).where(*overdue).limit(1)) is None:
                return []  # the usual case: no write lock taken
        with unit_of_work(self._ctx.sessions) as session:
            return [self.close(session, req, None, (), now).notice
                    for req in session.scalars(select(RatingRequest).where(*overdue)).all()]

    def _answerable(self, session: Session, request_id: str, device: str) -> RatingRequest:
        req = session.get(RatingRequest, request_id) if isinstance(request_id, str) else None
        if req is None:
            raise InvalidInput("request", "no such rating request", code="rating_request_not_found")
        if req.state != "pending":
            raise NotAllowed("this service has already been rated" if req.state == "rated"
                             else "this service was recorded as not rated; a service is rated once",
                             code="rating_already_rated" if req.state == "rated" else "rating_recorded_unrated")
        if device != req.device:
            raise NotAllowed(f"this rating is accepted only from the evaluator {req.device}", code="rating_other_device", device=req.device)
        return req

    def close(self, session: Session, req: RatingRequest, level: int | None, reasons: Sequence[str],
              now: datetime, extra: Mapping[str, Any] | None = None) -> RatingResult:
        """Record the answer (or "not rated") of ``req`` as a rating and its event; ``extra``
        goes into the event's payload (``offline``: answered at a counter while the hub was down)."""
        win = session.get(Window, req.window_id)
        clerk = session.get(Staff, req.clerk_id)
        assert win is not None and clerk is not None
        rating = Rating(node_id=self._ctx.node_id, ticket_id=req.ticket_id, service_record=req.service_record,
                        window_id=req.window_id, clerk_id=req.clerk_id, service_id=req.service_id, level=level,
                        reasons=list(reasons), device=req.device, requested_at=req.requested_at,
                        rated_at=now if level is not None else None, ticket_number=req.ticket_number,
                        called_at=req.called_at)
        self._ctx.publish(session, rating, "rating.recorded", {
            "ticket_id": rating.ticket_id, "service_record": rating.service_record, "window": win.number,
            "clerk_id": rating.clerk_id, "service_id": rating.service_id, "level": level,
            "reasons": list(reasons), "device": rating.device, "ticket_number": rating.ticket_number,
            "requested_at": rating.requested_at.isoformat(), "rated_at": now.isoformat() if level is not None else None,
            "called_at": req.called_at.isoformat() if req.called_at else None, **(extra or {})})
        req.state, req.rating_id = ("rated" if level is not None else "not_rated"), rating.id
        followup_id = self._open_followup(session, rating, now) if is_negative(level) else None
        audit(session, self._ctx.node_id, "rating_recorded" if level is not None else "rating_not_rated",
              actor_label=req.device, window=win.number, entity="rating", entity_id=rating.id,
              ticket=req.ticket_number, level=LEVEL_NAMES_ZH.get(level or 0, "未评价"))
        notice = RatingNotice(req.id, win.number, req.ticket_number, level is not None, now)
        return RatingResult(notice, rating_view(rating, win.number, clerk), followup_id)

    def _open_followup(self, session: Session, rating: Rating, now: datetime) -> str:
        deadline = followup_deadline(self._ctx.today(now), self._ctx.policy, self._ctx.calendar(session))
        followup = RatingFollowUp(node_id=self._ctx.node_id, rating_id=rating.id, deadline=deadline, status="open",
                                  opened_at=now, resolution="")
        self._ctx.publish(session, followup, "rating_followup.opened", {
            "rating_id": rating.id, "deadline": deadline.isoformat(), "opened_at": now.isoformat()})
        return followup.id

    # --- what others may see ------------------------------------------------------------------

    def latest_notice(self, window: int) -> RatingNotice | None:
        """For the counter: whether the last asked-for rating at ``window`` arrived (no level)."""
        with self._ctx.read() as session:
            win = self._ctx.window(session, window)
            req = session.scalars(select(RatingRequest).where(
                RatingRequest.window_id == win.id, RatingRequest.state != "pending")
                .order_by(RatingRequest.requested_at.desc())).first()
            if req is None:
                return None
            rating = session.get(Rating, req.rating_id) if req.rating_id else None
            at = (rating.rated_at or req.expires_at) if rating else req.expires_at
            return RatingNotice(req.id, win.number, req.ticket_number, req.state == "rated", at)

    def staff_card(self, window: int, clerk_id: str | None = None) -> StaffCard | None:
        """Who the evaluator of ``window`` shows while idle: ``clerk_id``, or else the clerk the
        window is open under; ``None`` when nobody is (window closed)."""
        with self._ctx.read() as session:
            win = self._ctx.window(session, window)
            if clerk_id is None:
                state = session.get(WindowState, win.id)
                clerk_id = state.clerk_id if state is not None and state.state != "closed" else None
            staff = session.get(Staff, clerk_id) if clerk_id else None
            if staff is None:
                return None
            return StaffCard(win.number, staff.id, staff.name, staff.staff_no, staff.star_level, staff.photo)
