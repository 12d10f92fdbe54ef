"""A rating given while the hub is down (issue 10 item 4, G14), with real processes: head office
on the real PostgreSQL, the hub as ``counter-app hub`` on its own SQLite file, a counter on its own.
The hub finishes a ticket at window 1 and opens its rating; the hub is killed (-9) before the
customer taps; the evaluator (the counter's ``HubRatings`` with the evaluator's own credential)
records the answer in the counter's own database as an event, and the customer gets the normal
thanks. The hub comes back: the evaluator tells it the request was answered at the counter, so the
hub records no "not rated" of its own. The counter's ``sync --once`` carries the rating to head
office: one rating of that ticket at head office, one in the counter's statistics, none at the hub."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from counter_app.core.config import load_settings
from counter_app.core.paths import DataPaths
from counter_app.domain.errors import NotAllowed
from counter_app.domain.timeutil import utcnow
from counter_app.gui.evaluator.hub_ratings import HubRatings
from counter_app.hq.enrolment import issue_code
from counter_app.hq.models import InboundEvent
from counter_app.hub.client import HubClient
from counter_app.persistence.models import Rating
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.devices import DeviceRegistry
from counter_app.services.node import open_node_database
from counter_app.services.quality import QualityService
from counter_app.services.seed import DEMO_PASSWORD
from counter_app.split_hall import SplitHall
from tests.integration.quality_fixtures import Clock
from tests.hq.test_split_hall import drain, head_office_and_hall

SCREEN = "screen:W01"


def _hub_rows(hall: SplitHall, ticket_id: str) -> tuple[list[tuple], list[tuple]]:
    engine = create_engine(f"sqlite:///{hall.folder('hub') / 'counter_app.sqlite3'}")
    try:
        with engine.connect() as connection:
            ratings = connection.execute(select(Rating.id, Rating.level).where(Rating.ticket_id == ticket_id)).all()
            requests = connection.execute(select(RatingRequest.id, RatingRequest.state)
                                          .where(RatingRequest.ticket_id == ticket_id)).all()
    finally:
        engine.dispose()
    return [tuple(r) for r in ratings], [tuple(r) for r in requests]


def _evaluator_token(hall: SplitHall) -> str:
    hub = open_node_database(DataPaths(hall.folder("hub")), load_settings(hall.config("hub")))
    try:
        return DeviceRegistry(hub).add("evaluator", 1, "split-evaluator-W01", by="test").token
    finally:
        hub.dispose()


def finish_at_window_1(hall: SplitHall) -> dict:
    """Clerk 1001 logs in at the hub for window 1 (the counter's credential), opens it and calls,
    serves and finishes a ticket the kiosk takes: that ticket as the hub answered it."""
    state = json.loads((hall.root / "split.json").read_text(encoding="utf-8"))
    with HubClient(hall.hub_url, state["counter1"]) as counter, HubClient(hall.hub_url, state["kiosk"]) as kiosk:
        clerk = counter.login("1001", DEMO_PASSWORD, 1)["staff_id"]
        counter.open_window(1, clerk)
        ticket = kiosk.issue_ticket("A")["ticket"]
        counter.call_next(1, clerk)
        counter.start_service(1, clerk)
        counter.finish(1, clerk)
    return ticket


def test_a_rating_given_while_the_hub_is_down_is_counted_once(hq_url: str, hq_db, tmp_path: Path,
                                                              pg_folder: Path) -> None:
    hq, hall, _ = head_office_and_hall(hq_url, pg_folder, tmp_path, windows=(1,), accounts=6)
    counter_db = None
    try:
        hall.setup(lambda role, window: issue_code(hq_db.engine, "B001", role, window, 7).code)
        evaluator_token = _evaluator_token(hall)
        hall.start_hub()
        ticket = finish_at_window_1(hall)
        counter_db = open_node_database(DataPaths(hall.folder("counter1")), load_settings(hall.config("counter1")))
        quality = QualityService(counter_db, load_settings(hall.config("counter1")))
        evaluator = HubRatings(HubClient(hall.hub_url, evaluator_token, timeout=2.0), quality)
        evaluator_client = evaluator.client
        asked = evaluator.request_for_finish({"ticket_id": ticket["id"]}, 1, SCREEN)
        assert asked is not None and evaluator.pending(1) is not None

        hall.kill("hub")  # the customer taps while the hub is down
        answer = evaluator.submit(asked.id, 5, (), SCREEN)
        assert answer.notice.rated and answer.offline  # the customer's thanks; the clerk sees "offline"
        with pytest.raises(NotAllowed):
            evaluator.submit(asked.id, 1, (), SCREEN)  # one answer per service, offline too

        hall.start_hub()
        evaluator.pending(1)  # the evaluator's next poll tells the hub first
        assert _hub_rows(hall, ticket["id"]) == ([], [(asked.id, "at_counter")])
        assert drain(hall, "counter1", "hub") == [0, 0]
        with hq_db.engine.connect() as connection:
            at_hq = connection.execute(select(InboundEvent.node_id, InboundEvent.payload)
                                       .where(InboundEvent.event_type == "rating.recorded")).all()
        mine = [(node, payload["level"]) for node, payload in at_hq if payload["ticket_id"] == ticket["id"]]
        assert mine == [(counter_db.node_id, 5)]
        day = quality.context.today()
        assert [(r.ticket_id, r.level) for r in quality.stats.ratings(day, day)] == [(ticket["id"], 5)]
        evaluator_client.close()
    finally:
        hall.stop_all()
        hq.terminate()
        hq.wait(15)
        hq.stdout.close()
    hub = open_node_database(DataPaths(hall.folder("hub")), load_settings(hall.config("hub")))
    try:  # long after the request ran out, the hub's sweep closes nothing of it as "not rated"
        clock = Clock(utcnow())
        later = QualityService(hub, load_settings(hall.config("hub")), clock=clock)
        clock.advance(hours=1)
        later.ratings.expire_due()
        assert later.stats.ratings(day, day) == []
    finally:
        hub.dispose()
        if counter_db is not None:
            counter_db.dispose()
