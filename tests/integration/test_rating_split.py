"""Ratings where the counter has its own database: the hub owns the tickets, so the hub decides
what is rated (``RatingDesk.request_at_hub``, reached over HTTP by the window's enrolled
evaluator; see test_hub_revocation_ratings). A counter's own rating desk rates nothing from an
event alone: the review of issue 9 had a made-up ``done`` event with an unknown ticket id rated,
and an event with a rewritten time pass the freshness check."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import new_id
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Rating
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.quality import QualityService
from tests.integration.quality_fixtures import START
from tests.integration.rating_split_fixtures import COUNTER, SCREEN, SplitHall, split_hall, tickets_in


@pytest.fixture
def split(tmp_path: Path) -> Iterator[SplitHall]:
    hall = split_hall(tmp_path, START)
    yield hall
    hall.close()


def stored(db) -> tuple[list[Rating], list[RatingRequest]]:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        return list(session.scalars(select(Rating))), list(session.scalars(select(RatingRequest)))


def test_a_counter_without_the_ticket_rates_nothing_whatever_the_event_says(split: SplitHall) -> None:
    ticket = split.serve(1)
    done = split.done(ticket.id)
    assert tickets_in(split.counter_db) == 0
    ratings = split.quality.ratings
    for event in (done, {**done, "ticket_id": new_id()}, {**done, "at": (START + timedelta(hours=3)).isoformat()}):
        with pytest.raises(NotAllowed, match="asked for at the hub"):
            ratings.request_for_finish(event, 1, SCREEN, split.clerk(1))
    assert stored(split.counter_db) == ([], [])


def hub_desk(split: SplitHall):  # type: ignore[no-untyped-def]
    return QualityService(split.hub_db, COUNTER, clock=split.clock).ratings


def test_the_hub_rates_a_ticket_from_its_own_row_and_its_own_finish_time(split: SplitHall) -> None:
    ticket = split.serve(1)
    desk = hub_desk(split)
    with pytest.raises(InvalidInput, match="ticket"):
        desk.request_at_hub(new_id(), 1, SCREEN)  # a ticket the hub never issued
    with pytest.raises(NotAllowed, match="not served by this clerk at window 1"):
        desk.request_at_hub(split.serve(2).id, 1, SCREEN)  # finished at another window
    split.clock.advance(seconds=6)
    request = desk.request_at_hub(ticket.id, 1, SCREEN)
    assert (request.ticket_id, request.clerk_id) == (ticket.id, split.clerk(1))  # the clerk the hub's row names
    result = desk.submit(request.id, 5, (), SCREEN)
    assert result.notice.rated and result.rating.ticket_id == ticket.id
    with pytest.raises(NotAllowed, match="rated once"):
        desk.request_at_hub(ticket.id, 1, SCREEN)


def test_freshness_is_the_hubs_own_finish_time(split: SplitHall) -> None:
    ticket = split.serve(1)
    split.clock.advance(minutes=11)
    with pytest.raises(NotAllowed, match="too long ago"):
        hub_desk(split).request_at_hub(ticket.id, 1, SCREEN)  # nothing the caller sends can make it recent
    assert stored(split.hub_db) == ([], [])


def test_a_ticket_still_being_served_is_not_rated(split: SplitHall) -> None:
    split.serve(1)
    split.queue.issue_ticket("A")
    called = split.queue.call_next(1, split.clerk(1)).ticket
    assert called is not None
    split.queue.start_service(1, split.clerk(1))
    with pytest.raises(NotAllowed, match="not a finished service"):
        hub_desk(split).request_at_hub(called.id, 1, SCREEN)


def test_where_the_database_holds_the_ticket_its_row_decides_not_the_event(split: SplitHall) -> None:
    """On the hub's own database (demo, hub-local) an event that disagrees with the row opens
    nothing: the row says the ticket is still being served."""
    ticket = split.serve(1)
    done = split.done(ticket.id)
    split.queue.issue_ticket("A")
    called = split.queue.call_next(1, split.clerk(1)).ticket
    assert called is not None
    split.queue.start_service(1, split.clerk(1))
    serving = split.events(called.id, "serving")[-1]
    on_hub = hub_desk(split)
    with pytest.raises(NotAllowed, match="not a finished service"):
        on_hub.request_for_finish({**serving, "kind": "done", "state": "done"}, 1, SCREEN, split.clerk(1))
    request = on_hub.request_for_finish(done, 1, SCREEN, split.clerk(1))
    assert request.ticket_id == ticket.id
