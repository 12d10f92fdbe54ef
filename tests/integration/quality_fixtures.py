"""A hall to rate in: the seeded demo branch, its queue and quality services on one clock that
the tests move, and a helper that serves a ticket through the real queue to its end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Staff
from counter_app.services.node import NodeDatabase
from counter_app.services.quality import QualityService
from counter_app.services.queue import QueueService, TicketView

#: Friday 27 November 2026, 10:00 in Shanghai: no public holiday for weeks either side.
START = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
SCREEN = "screen:W01"


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class RatingHall:
    db: NodeDatabase
    queue: QueueService
    quality: QualityService
    clock: Clock
    staff: dict[str, str]  # staff number -> id

    def clerk(self, window: int) -> str:
        """The clerk who works window ``window`` here: 1001 at 1, 1002 at 2 ..."""
        return self.staff[f"10{window:02d}"]

    @property
    def manager(self) -> str:
        return self.staff["8001"]

    def serve(self, window: int = 1, *, finish: bool = True, seconds: float = 90) -> TicketView:
        """Open the window if needed, take a ticket for its first service, call, serve for
        ``seconds`` and (unless told not to) finish it. Returns the ticket after the last step."""
        clerk = self.clerk(window)
        opened = self.queue.open_window(window, clerk)
        self.queue.issue_ticket(opened.window.services[0])
        called = self.queue.call_next(window, clerk)
        assert called.ticket is not None
        self.queue.start_service(window, clerk)
        self.clock.advance(seconds=seconds)
        if not finish:
            return called.ticket
        done = self.queue.finish(window, clerk)
        assert done.ticket is not None and done.ticket.state == "done"
        return done.ticket


def rating_hall(db: NodeDatabase, settings: Settings | None = None, clock: Clock | None = None) -> RatingHall:
    clock = clock or Clock()
    settings = settings or Settings()
    with unit_of_work(db.sessions) as session:
        staff = dict(session.execute(select(Staff.staff_no, Staff.id)).all())
    queue = QueueService(db.sessions, db.branch_code, node_id=db.node_id, clock=clock)
    return RatingHall(db, queue, QualityService(db, settings, clock=clock), clock, staff)
