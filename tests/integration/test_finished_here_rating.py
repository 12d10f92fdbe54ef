"""The customer at the window when the hub went down (issue 10 item 4): the clerk finishes the
ticket there; the window's evaluator asks that customer to rate it at the window (the counter's
rating, linked to the ticket, in the counter's own SQLite); when the hub is back the counter tells
it so before the finish, and the hub opens no rating of that ticket: each finished service is
rated at most once. The hub on real HTTP on 127.0.0.1, real SQLite files."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from counter_app.domain.errors import NotAllowed
from counter_app.hub.client import HubClient
from counter_app.persistence.models import OutboxEvent, Rating
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.quality import QualityService
from counter_app.services.queue.finished_here import FinishedHere
from counter_app.services.seed import DEMO_PASSWORD
from tests.integration.hub_devices import enrol
from tests.integration.split_fixtures import counter_settings
from tests.integration.test_counter_split import hall  # noqa: F401

SCREEN = "screen:W01"


def test_the_customer_at_the_window_rates_it_there_and_the_hub_opens_no_second_rating(hall, settings) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hub_db, (one, _two), state, restart = hall
    with HubClient(state["hub"].url, enrol(hub_db, "kiosk", hub_url=state["hub"].url)) as kiosk:
        clerk = one.client.login("1001", DEMO_PASSWORD, 1)["staff_id"]
        one.client.open_window(1, clerk)
        ticket = kiosk.issue_ticket("A")["ticket"]
        one.client.call_next(1, clerk)
        one.client.start_service(1, clerk)
    state["hub"].stop()  # the customer of the ticket is at the window

    finished = FinishedHere(one.db.sessions)
    finished.record(ticket["id"], ticket["number"], 1, clerk)  # the clerk's F4 at the window
    quality = QualityService(one.db, counter_settings(1))
    asked = quality.ratings.request_for_finished_here(ticket["id"], 1, SCREEN)
    assert (asked.ticket_id, asked.ticket_number, asked.clerk_id) == (ticket["id"], ticket["number"], clerk)
    quality.ratings.submit(asked.id, 4, (), SCREEN)
    with pytest.raises(NotAllowed) as again:
        quality.ratings.request_for_finished_here(ticket["id"], 1, SCREEN)
    assert again.value.code == "rating_already"

    restart()  # noon: the counter tells the hub, the rating first, then the finish
    answer = finished.tell(one.client, 1, clerk, ticket["id"])
    assert answer["window"]["current"] is None
    assert one.client.ticket_rated_here(1, ticket["id"], asked.id)["state"] == "at_counter"  # said again: no change
    at_hub = QualityService(hub_db, settings)
    with pytest.raises(NotAllowed) as second:  # the hub's own check, as for any evaluator of the window
        at_hub.ratings.request_at_hub(ticket["id"], 1, SCREEN)
    assert second.value.code == "rating_already"
    with hub_db.sessions() as session:
        assert session.scalars(select(Rating.id).where(Rating.ticket_id == ticket["id"])).all() == []
        assert session.execute(select(RatingRequest.id, RatingRequest.state)
                               .where(RatingRequest.ticket_id == ticket["id"])).all() == [(asked.id, "at_counter")]
    with one.db.sessions() as session:
        rating = session.scalars(select(Rating).where(Rating.ticket_id == ticket["id"])).one()
        assert (rating.level, rating.ticket_number) == (4, ticket["number"])
        events = session.scalars(select(OutboxEvent.aggregate_id).where(OutboxEvent.event_type == "rating.recorded")).all()
        assert events == [rating.id]  # to head office once, through the counter's own sync
    assert one.client.ticket(ticket["number"])["state"] == "done"
