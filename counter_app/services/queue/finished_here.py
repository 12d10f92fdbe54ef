"""Tickets a clerk finished at the window while the hub could not be told (issue 10 item 4),
kept in the counter's own database until the hub has been told (``ticket_finished_here``), so a
restart of the counter before the hub is back forgets nothing: the call panel tells the hub once
when it is back, and the evaluator asks nobody then to rate that ticket at the hub."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.errors import InvalidInput
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import TicketFinishedHere
from counter_app.persistence.models.quality import RatingRequest


class HubFinish(Protocol):
    """What telling the hub needs (``HubClient`` has it)."""

    def ticket_rated_here(self, window: int, ticket_id: str, request_id: str) -> dict[str, Any]: ...

    def finish(self, window: int, clerk_id: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FinishedHereRow:
    ticket_id: str
    number: str
    window: int
    finished_at: datetime


class FinishedHere:
    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime] = utcnow) -> None:
        self._sessions, self._clock = sessions, clock

    def record(self, ticket_id: str, number: str, window: int, clerk_id: str) -> FinishedHereRow:
        """The finish, committed before the panel shows the window free (the same ticket again
        changes nothing)."""
        if not isinstance(ticket_id, str) or not ticket_id:
            raise InvalidInput("ticket", "the id of the ticket at the window", code="ticket_id_form")
        with unit_of_work(self._sessions) as session:
            row = session.get(TicketFinishedHere, ticket_id)
            if row is None:
                row = TicketFinishedHere(ticket_id=ticket_id, number=number, window=window, clerk_id=clerk_id,
                                         finished_at=self._clock(), told_at=None)
                session.add(row)
            return FinishedHereRow(row.ticket_id, row.number, row.window, row.finished_at)

    def untold(self, window: int) -> list[FinishedHereRow]:
        """This window's finishes the hub has not been told yet, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(select(TicketFinishedHere).where(
                TicketFinishedHere.window == window, TicketFinishedHere.told_at.is_(None))
                .order_by(TicketFinishedHere.finished_at)).all()
            return [FinishedHereRow(r.ticket_id, r.number, r.window, r.finished_at) for r in rows]

    def told(self, ticket_id: str) -> None:
        """The hub has it (finished by this word, or moved on before it came)."""
        with unit_of_work(self._sessions) as session:
            row = session.get(TicketFinishedHere, ticket_id)
            if row is not None and row.told_at is None:
                row.told_at = self._clock()

    def rated_here(self, ticket_id: str) -> str | None:
        """The id of the rating request this counter opened for the ticket (its customer asked
        at the window), if any."""
        with self._sessions() as session:
            return session.scalar(select(RatingRequest.id).where(RatingRequest.ticket_id == ticket_id)
                                  .order_by(RatingRequest.requested_at).limit(1))

    def tell(self, hub: HubFinish, window: int, clerk_id: str, ticket_id: str) -> dict[str, Any]:
        """Tell the hub, back, that ``ticket_id`` is finished (its answer to the finish): first
        that its customer was asked to rate it here, so the hub's ``done`` asks nobody again."""
        request_id = self.rated_here(ticket_id)
        if request_id is not None:
            hub.ticket_rated_here(window, ticket_id, request_id)
        return hub.finish(window, clerk_id)
