"""Ratings at a counter with its own database: the hub owns the tickets, the counter holds none,
and the evaluator learns of a finished service from the hub's "done" event. The same honesty
rules hold as where the ticket row is at hand: a finish at this window by this clerk, recent,
finished with the customer, rated once, not rated when time runs out."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import AuditLog, OutboxEvent, Rating, Ticket
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.quality import QualityService, RatingTimedOut
from counter_app.services.quality.finished import from_hub_event, from_ticket
from tests.integration.quality_fixtures import START
from tests.integration.rating_split_fixtures import COUNTER, SCREEN, SplitHall, split_hall, tickets_in


@pytest.fixture
def split(tmp_path: Path) -> Iterator[SplitHall]:
    hall = split_hall(tmp_path, START)
    yield hall
    hall.close()


def ratings_in(split: SplitHall) -> list[Rating]:
    with unit_of_work(split.counter_db.sessions) as session:
        return list(session.scalars(select(Rating)))


def requests_in(split: SplitHall) -> list[RatingRequest]:
    with unit_of_work(split.counter_db.sessions) as session:
        return list(session.scalars(select(RatingRequest)))


def test_a_finish_the_hub_reports_is_rated_on_a_counter_without_tickets(split: SplitHall) -> None:
    ticket = split.serve(1)
    done, call = split.done(ticket.id), split.call(ticket.id)
    assert tickets_in(split.counter_db) == 0 and tickets_in(split.hub_db) == 1
    ratings = split.quality.ratings
    request = ratings.request_for_finish(done, 1, SCREEN, split.clerk(1), call)
    assert (request.ticket_id, request.ticket_number, request.clerk_id) == (ticket.id, ticket.number, split.clerk(1))
    assert ratings.pending(1) == request
    split.clock.advance(seconds=6)
    result = ratings.submit(request.id, 4, (), SCREEN)
    assert result.notice.rated and result.rating.ticket_id == ticket.id
    [rating] = ratings_in(split)
    assert (rating.ticket_id, rating.ticket_number, rating.level, rating.device) == (ticket.id, "A001", 4, SCREEN)
    assert (rating.window_id, rating.clerk_id) == (split.hall.windows[1], split.clerk(1))
    assert rating.service_id == split.hall.services["A"]  # the hub's letter, in this database's reference data
    assert rating.called_at == START and rating.requested_at == START + timedelta(seconds=90)
    assert rating.rated_at == rating.requested_at + timedelta(seconds=6)
    [stored_request] = requests_in(split)
    assert stored_request.finished_at == START + timedelta(seconds=90)  # the hub's finish time
    with unit_of_work(split.counter_db.sessions) as session:
        event = session.scalars(select(OutboxEvent).where(OutboxEvent.event_id == rating.outbox_event_id)).one()
        asked = session.scalars(select(AuditLog).where(AuditLog.action == "rating_requested")).one()
    assert event.event_type == "rating.recorded" and event.payload["ticket_id"] == ticket.id
    assert event.node_id == split.counter_db.node_id != split.hub_db.node_id  # written where it was taken
    assert asked.detail["source"] == "hub"
    with unit_of_work(split.hub_db.sessions) as session:
        assert session.scalars(select(Rating)).all() == []  # upstream only by replication


def test_the_same_service_is_rated_once(split: SplitHall) -> None:
    ticket = split.serve(1)
    done = split.done(ticket.id)
    ratings = split.quality.ratings
    request = ratings.request_for_finish(done, 1, SCREEN, split.clerk(1))
    with pytest.raises(NotAllowed, match="already being asked for"):
        ratings.request_for_finish(done, 1, SCREEN, split.clerk(1))  # the stream replayed after a reconnect
    ratings.submit(request.id, 5, (), SCREEN)
    with pytest.raises(NotAllowed, match="rated once"):
        ratings.request_for_finish(done, 1, SCREEN, split.clerk(1))
    with pytest.raises(NotAllowed, match="already been rated"):
        ratings.submit(request.id, 1, ("attitude",), SCREEN)
    assert [r.level for r in ratings_in(split)] == [5]
    with split.counter_db.engine.connect() as connection:  # and the database itself keeps one per ticket id
        raw = connection.connection.driver_connection
        columns = [row[1] for row in raw.execute("PRAGMA table_info(rating)")]
        copied = ", ".join("'another-id'" if c == "id" else c for c in columns)
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: rating.ticket_id"):
            raw.execute(f"INSERT INTO rating ({', '.join(columns)}) SELECT {copied} FROM rating")
        raw.rollback()


def test_only_a_finish_by_this_clerk_at_this_window_opens_a_rating(split: SplitHall) -> None:
    ratings = split.quality.ratings
    at_two = split.serve(2)
    with pytest.raises(NotAllowed, match="not served by this clerk at window 1"):
        ratings.request_for_finish(split.done(at_two.id), 1, SCREEN, split.clerk(1))
    ticket = split.serve(1)
    done = split.done(ticket.id)
    with pytest.raises(NotAllowed, match="not served by this clerk at window 1"):
        ratings.request_for_finish(done, 1, SCREEN, split.clerk(2))  # another clerk is logged in here
    with pytest.raises(NotAllowed, match="not a finished service"):
        ratings.request_for_finish(split.call(ticket.id), 1, SCREEN, split.clerk(1))
    with pytest.raises(NotAllowed, match="not a finished service"):
        ratings.request_for_finish({**done, "state": "serving"}, 1, SCREEN, split.clerk(1))
    with pytest.raises(NotAllowed, match="closed by the next call"):
        ratings.request_for_finish({**done, "data": {"auto": True}}, 1, SCREEN, split.clerk(1))
    with pytest.raises(NotAllowed, match="no clerk is known at window 1"):
        ratings.request_for_finish(done, 1, SCREEN)  # nobody opened window 1 in this database
    with pytest.raises(InvalidInput, match="never from a counter"):
        ratings.request_for_finish(done, 1, "counter:T01", split.clerk(1))
    for field, bad in (("ticket_id", "no-such-ticket"), ("ticket_id", None), ("number", ""), ("at", "yesterday"),
                       ("at", "2026-11-27T02:01:30"), ("window", "1"), ("clerk_id", ""), ("service", "AB")):
        with pytest.raises(InvalidInput, match=field):
            ratings.request_for_finish({**done, field: bad}, 1, SCREEN, split.clerk(1))
    split.clock.advance(minutes=11)
    with pytest.raises(NotAllowed, match="too long ago"):
        ratings.request_for_finish(done, 1, SCREEN, split.clerk(1))
    ahead = (START + timedelta(hours=2)).isoformat()
    with pytest.raises(NotAllowed, match="ahead of this clock"):
        ratings.request_for_finish({**done, "at": ahead}, 1, SCREEN, split.clerk(1))
    assert requests_in(split) == [] and ratings_in(split) == []


def test_no_answer_in_time_is_stored_as_not_rated(split: SplitHall) -> None:
    ratings = split.quality.ratings
    first = split.serve(1)
    request = ratings.request_for_finish(split.done(first.id), 1, SCREEN, split.clerk(1))
    split.clock.advance(seconds=31)
    with pytest.raises(RatingTimedOut):
        ratings.submit(request.id, 5, (), SCREEN)
    second = split.serve(1)
    ratings.request_for_finish(split.done(second.id), 1, SCREEN, split.clerk(1))
    split.clock.advance(seconds=30)
    assert [n.ticket_number for n in ratings.expire_due()] == [second.number]
    assert {(r.ticket_id, r.level, r.rated_at) for r in ratings_in(split)} == {(first.id, None, None),
                                                                                (second.id, None, None)}
    assert {r.state for r in requests_in(split)} == {"not_rated"}


def test_the_ticket_row_and_the_hubs_event_describe_the_same_finished_service(split: SplitHall) -> None:
    """Where the database holds the queue (the hub's own, or demo) the row is read; the event
    read elsewhere gives the same facts, so one set of rules judges both."""
    ticket = split.serve(1)
    with unit_of_work(split.hub_db.sessions) as session:
        row = from_ticket(session, session.get(Ticket, ticket.id))
    heard = from_hub_event(split.done(ticket.id), split.call(ticket.id))
    facts = ("ticket_id", "number", "state", "window", "clerk_id", "finished_at", "by_next_call", "service_letter",
             "called_at")
    assert [getattr(row, f) for f in facts] == [getattr(heard, f) for f in facts]
    assert (row.source, heard.source) == ("ticket", "hub")


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
    on_hub = QualityService(split.hub_db, COUNTER, clock=split.clock).ratings
    with pytest.raises(NotAllowed, match="not a finished service"):
        on_hub.request_for_finish({**serving, "kind": "done", "state": "done"}, 1, SCREEN, split.clerk(1))
    request = on_hub.request_for_finish(done, 1, SCREEN, split.clerk(1))
    assert request.ticket_id == ticket.id
