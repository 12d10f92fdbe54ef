"""The rules of a rating taken at the counter while the hub is down (``services.quality.offline``),
on the hub's and the counter's own SQLite files: the same rules as at the hub (its device, in
time, once); the hub, told afterwards, closes its request without a rating of its own, once; and
a request that ran out while the hub was not running waits for that word before the hub's sweep
records it as not rated."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Rating
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.quality import OfflineRatings, QualityService, RatingTimedOut
from counter_app.services.quality.ratings import OFFLINE_REPORT_GRACE
from tests.integration.rating_split_fixtures import COUNTER, SCREEN, SplitHall
from tests.integration.test_rating_split import split  # noqa: F401  (the hub's and a counter's databases)


def _rows(db) -> tuple[list[tuple], list[tuple]]:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        return ([(r.ticket_id, r.level) for r in session.scalars(select(Rating))],
                [(r.id, r.state) for r in session.scalars(select(RatingRequest))])


def _asked(split: SplitHall):  # type: ignore[no-untyped-def]
    ticket = split.serve(1)
    hub = QualityService(split.hub_db, COUNTER, clock=split.clock)
    return ticket, hub, hub.ratings.request_at_hub(ticket.id, 1, SCREEN)


def test_an_answer_at_the_counter_follows_the_hubs_rules_and_counts_once(split: SplitHall) -> None:  # noqa: F811
    ticket, hub, request = _asked(split)
    offline = split.quality.offline
    with pytest.raises(NotAllowed, match="only from the evaluator"):
        offline.record(request, 5, (), "pad:W01")
    with pytest.raises(InvalidInput):
        offline.record(request, 9, (), SCREEN)
    result = offline.record(request, 2, (), SCREEN)
    assert result.notice.rated and result.rating.ticket_id == ticket.id and result.followup_id is not None
    with pytest.raises(NotAllowed, match="already been rated"):
        offline.record(request, 5, (), SCREEN)
    assert _rows(split.counter_db) == ([(ticket.id, 2)], [(request.id, "offline")])
    [answer] = offline.unreported(1)
    assert (answer.request_id, answer.rating_id, answer.rated, answer.device) == (request.id, result.rating.id, True, SCREEN)

    at_hub = OfflineRatings(hub.ratings)
    with pytest.raises(NotAllowed, match="only from the evaluator"):
        at_hub.answered_at_counter(request.id, "pad:W01", answer.rating_id)
    assert at_hub.answered_at_counter(request.id, SCREEN, answer.rating_id) == "at_counter"
    assert at_hub.answered_at_counter(request.id, SCREEN, answer.rating_id) == "at_counter"  # told twice: once
    offline.reported(request.id)
    assert offline.unreported(1) == []
    split.clock.advance(hours=1)
    assert hub.ratings.expire_due() == [] and hub.ratings.pending(1) is None
    assert _rows(split.hub_db) == ([], [(request.id, "at_counter")])  # no "not rated" beside the counter's rating
    assert _rows(split.counter_db) == ([(ticket.id, 2)], [(request.id, "rated")])


def test_an_answer_after_the_time_is_not_recorded_at_the_counter(split: SplitHall) -> None:  # noqa: F811
    _, _, request = _asked(split)
    split.clock.now = request.expires_at
    split.clock.advance(seconds=1)
    with pytest.raises(RatingTimedOut):
        split.quality.offline.record(request, 5, (), SCREEN)
    assert _rows(split.counter_db) == ([], [])


def test_the_hub_waits_for_the_counters_word_on_what_ran_out_while_it_was_down(split: SplitHall) -> None:  # noqa: F811
    ticket, _, request = _asked(split)
    split.clock.now = request.expires_at
    split.clock.advance(minutes=5)  # the hub was down meanwhile; it starts again now
    again = QualityService(split.hub_db, COUNTER, clock=split.clock).ratings
    assert again.expire_due() == []  # the evaluator may have it: not "not rated" yet
    split.clock.advance(seconds=OFFLINE_REPORT_GRACE.total_seconds() + 1)
    [closed] = again.expire_due()  # nobody said anything: not rated, as before
    assert closed.request_id == request.id and not closed.rated
    with pytest.raises(NotAllowed, match="already closed"):
        OfflineRatings(again).answered_at_counter(request.id, SCREEN, "late-word")
    assert _rows(split.hub_db) == ([(ticket.id, None)], [(request.id, "not_rated")])
