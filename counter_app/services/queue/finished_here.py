"""Tickets a clerk finished at the window while the hub could not be told (issue 10 item 4),
kept in the counter's own database until the hub has been told (``ticket_finished_here``), so a
restart of the counter before the hub is back forgets nothing: the call panel tells the hub once
when it is back, and the evaluator asks nobody then to rate that ticket at the hub."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.errors import InvalidInput
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import TicketFinishedHere


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
