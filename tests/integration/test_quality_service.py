"""Ratings bound to real finished services, follow-ups of negative ratings, the inquiry log and
satisfaction counts, on a real seeded SQLite database driven through the real queue."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import select

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import new_id
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import (
    AuditLog,
    Branch,
    CustomerAccount,
    Holiday,
    OutboxEvent,
    Payment,
    Rating,
    RatingFollowUp,
    Window,
)
from counter_app.persistence.outbox import record_event
from counter_app.services.quality import FollowUpIncomplete, RatingTimedOut
from tests.integration.quality_fixtures import SCREEN, START, RatingHall, rating_hall


@pytest.fixture
def hall(seeded_db) -> RatingHall:  # type: ignore[no-untyped-def]
    return rating_hall(seeded_db)


def stored(hall: RatingHall, **match: object) -> list[Rating]:
    with unit_of_work(hall.db.sessions) as session:
        return list(session.scalars(select(Rating).filter_by(**match)))


def rate(hall: RatingHall, level: int, window: int = 1, reasons: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    ticket = hall.serve(window)
    request = hall.quality.ratings.request_for_ticket(ticket.id, window, hall.clerk(window), f"screen:W{window:02d}")
    hall.clock.advance(seconds=5)
    return ticket, hall.quality.ratings.submit(request.id, level, reasons, f"screen:W{window:02d}")


# --- honest ratings ---------------------------------------------------------------------------


def test_a_finished_service_is_rated_once_and_stored_with_all_its_facts(hall: RatingHall) -> None:
    ticket = hall.serve(1)
    request = hall.quality.ratings.request_for_ticket(ticket.id, 1, hall.clerk(1), SCREEN)
    assert hall.quality.ratings.pending(1) == request
    assert request.expires_at - request.requested_at == timedelta(seconds=30)
    hall.clock.advance(seconds=8)
    result = hall.quality.ratings.submit(request.id, 4, (), SCREEN)
    assert result.notice.rated and result.notice.ticket_number == ticket.number
    assert result.followup_id is None
    [rating] = stored(hall, ticket_id=ticket.id)
    with unit_of_work(hall.db.sessions) as session:
        window_id = session.scalar(select(Window.id).where(Window.number == 1))
        event = session.scalars(select(OutboxEvent).where(OutboxEvent.event_id == rating.outbox_event_id)).first()
        actions = set(session.scalars(select(AuditLog.action).where(AuditLog.entity_id.in_((rating.id, request.id)))))
    assert (rating.level, rating.reasons, rating.device) == (4, [], SCREEN)
    assert (rating.window_id, rating.clerk_id, rating.ticket_number) == (window_id, hall.clerk(1), ticket.number)
    assert rating.service_id is not None and rating.service_record is None
    assert rating.requested_at == START + timedelta(seconds=90)
    assert rating.rated_at == rating.requested_at + timedelta(seconds=8)
    assert rating.called_at == START  # the call, for the "rated seconds after the call" check
    assert event is not None and event.event_type == "rating.recorded" and event.payload["level"] == 4
    assert actions == {"rating_requested", "rating_recorded"}
    assert hall.quality.ratings.pending(1) is None

    with pytest.raises(NotAllowed, match="already been rated"):
        hall.quality.ratings.submit(request.id, 5, (), SCREEN)
    with pytest.raises(NotAllowed, match="rated once"):
        hall.quality.ratings.request_for_ticket(ticket.id, 1, hall.clerk(1), SCREEN)
    assert len(stored(hall, ticket_id=ticket.id)) == 1


def test_the_database_refuses_to_change_or_delete_a_stored_rating(hall: RatingHall) -> None:
    _ticket, result = rate(hall, 2)
    with hall.db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        for sql in ("UPDATE rating SET level = 5", "UPDATE rating SET reasons = '[]', rated_at = NULL",
                    "DELETE FROM rating"):
            with pytest.raises(sqlite3.IntegrityError, match="never"):
                raw.execute(sql)
        raw.execute("UPDATE rating SET level = level")  # re-applying the same facts (replication) is no change
    assert stored(hall, id=result.rating.id)[0].level == 2


def test_no_rating_without_a_service_finished_by_that_clerk_at_that_window(hall: RatingHall) -> None:
    ratings = hall.quality.ratings
    serving = hall.serve(1, finish=False)
    with pytest.raises(NotAllowed, match="not a finished service"):
        ratings.request_for_ticket(serving.id, 1, hall.clerk(1), SCREEN)
    done = hall.queue.finish(1, hall.clerk(1)).ticket
    assert done is not None
    with pytest.raises(NotAllowed, match="not served by this clerk at window 2"):
        ratings.request_for_ticket(done.id, 2, hall.clerk(1), SCREEN)
    with pytest.raises(NotAllowed, match="not served by this clerk"):
        ratings.request_for_ticket(done.id, 1, hall.clerk(2), SCREEN)
    with pytest.raises(InvalidInput, match="ticket"):
        ratings.request_for_ticket("no-such-ticket", 1, hall.clerk(1), SCREEN)
    with pytest.raises(InvalidInput, match="service_record"):
        ratings.request_for_walk_in("no-such-record", 1, hall.clerk(1), SCREEN)
    with pytest.raises(InvalidInput, match="window"):
        ratings.request_for_ticket(done.id, 99, hall.clerk(1), SCREEN)
    hall.clock.advance(minutes=11)
    with pytest.raises(NotAllowed, match="too long ago"):
        ratings.request_for_ticket(done.id, 1, hall.clerk(1), SCREEN)
    assert stored(hall) == []


def test_a_ticket_closed_by_the_next_call_is_not_offered_for_rating(hall: RatingHall) -> None:
    left = hall.serve(1, finish=False)
    hall.queue.issue_ticket("A")
    hall.queue.call_next(1, hall.clerk(1))  # finishes the open ticket on the way
    with pytest.raises(NotAllowed, match="closed by the next call"):
        hall.quality.ratings.request_for_ticket(left.id, 1, hall.clerk(1), SCREEN)


def test_only_the_evaluator_asked_may_answer_never_a_counter(hall: RatingHall) -> None:
    ticket = hall.serve(1)
    ratings = hall.quality.ratings
    with pytest.raises(InvalidInput, match="device"):
        ratings.request_for_ticket(ticket.id, 1, hall.clerk(1), "counter:T01")
    request = ratings.request_for_ticket(ticket.id, 1, hall.clerk(1), SCREEN)
    with pytest.raises(InvalidInput, match="never from a counter"):
        ratings.submit(request.id, 5, (), "counter:T01")
    with pytest.raises(NotAllowed, match="only from the evaluator screen:W01"):
        ratings.submit(request.id, 5, (), "pad:/dev/ttyUSB0")
    with pytest.raises(InvalidInput, match="level"):
        ratings.submit(request.id, 6, (), SCREEN)
    with pytest.raises(InvalidInput, match="reasons"):
        ratings.submit(request.id, 5, ("attitude",), SCREEN)
    with pytest.raises(InvalidInput, match="configured reasons"):
        ratings.submit(request.id, 1, ("rude",), SCREEN)
    assert stored(hall) == []
    assert ratings.submit(request.id, 1, ("waiting", "attitude"), SCREEN).rating.reasons == ("attitude", "waiting")


def test_time_out_stores_not_rated_never_a_level(hall: RatingHall) -> None:
    ratings = hall.quality.ratings
    first = hall.serve(1)
    request = ratings.request_for_ticket(first.id, 1, hall.clerk(1), SCREEN)
    hall.clock.advance(seconds=31)
    assert ratings.pending(1) is None
    with pytest.raises(RatingTimedOut):
        ratings.submit(request.id, 5, (), SCREEN)
    [rating] = stored(hall, ticket_id=first.id)
    assert (rating.level, rating.rated_at, rating.reasons) == (None, None, [])
    with pytest.raises(NotAllowed, match="not rated"):
        ratings.submit(request.id, 5, (), SCREEN)

    second = hall.serve(1)
    ratings.request_for_ticket(second.id, 1, hall.clerk(1), SCREEN)
    hall.clock.advance(seconds=30.5)
    notices = ratings.expire_due()
    assert [(n.ticket_number, n.rated) for n in notices] == [(second.number, False)]
    assert stored(hall, ticket_id=second.id)[0].level is None
    notice = ratings.latest_notice(1)
    assert notice is not None and (notice.ticket_number, notice.rated) == (second.number, False)


def test_the_next_finished_service_ends_an_unanswered_request_as_not_rated(hall: RatingHall) -> None:
    ratings = hall.quality.ratings
    first = hall.serve(1, seconds=5)
    ratings.request_for_ticket(first.id, 1, hall.clerk(1), SCREEN)
    second = hall.serve(1, seconds=5)
    request = ratings.request_for_ticket(second.id, 1, hall.clerk(1), SCREEN)
    assert ratings.pending(1) == request
    assert stored(hall, ticket_id=first.id)[0].level is None


def test_evaluator_may_give_up_early_and_that_is_not_rated(hall: RatingHall) -> None:
    ticket = hall.serve(1)
    request = hall.quality.ratings.request_for_ticket(ticket.id, 1, hall.clerk(1), SCREEN)
    result = hall.quality.ratings.decline(request.id, SCREEN)
    assert not result.notice.rated and result.rating.level is None


def test_walk_in_payment_without_ticket_can_be_rated(hall: RatingHall) -> None:
    with unit_of_work(hall.db.sessions) as session:
        window_id = session.scalar(select(Window.id).where(Window.number == 1))
        account_id = session.scalar(select(CustomerAccount.id).limit(1))
        branch_id = session.scalar(select(Branch.id))
        payment_id = new_id()
        event = record_event(session, channel="payments", event_type="test.payment", aggregate_type="payment",
                             aggregate_id=payment_id, payload={})
        session.add(Payment(id=payment_id, node_id=hall.db.node_id, account_id=account_id, branch_id=branch_id,
                            window_id=window_id, clerk_id=hall.clerk(1), business_date=date(2026, 11, 27),
                            amount_fen=3650, created_at=hall.clock.now, outbox_event_id=event.event_id))
    ratings = hall.quality.ratings
    with pytest.raises(NotAllowed, match="not recorded by this clerk"):
        ratings.request_for_walk_in(payment_id, 2, hall.clerk(2), SCREEN)
    request = ratings.request_for_walk_in(payment_id, 1, hall.clerk(1), SCREEN)
    assert request.ticket_id is None and request.service_record == payment_id
    ratings.submit(request.id, 5, (), SCREEN)
    with pytest.raises(NotAllowed, match="rated once"):
        ratings.request_for_walk_in(payment_id, 1, hall.clerk(1), SCREEN)
    assert stored(hall, service_record=payment_id)[0].level == 5


def test_idle_card_shows_the_clerk_the_window_is_open_under(hall: RatingHall) -> None:
    assert hall.quality.ratings.staff_card(3) is None
    hall.queue.open_window(3, hall.clerk(3))
    card = hall.quality.ratings.staff_card(3)
    assert card is not None and (card.window, card.staff_no, card.name) == (3, "1003", "张伟")
    assert 3 <= card.stars <= 5


# --- follow-ups -------------------------------------------------------------------------------


def test_negative_rating_opens_a_follow_up_due_in_working_days(hall: RatingHall) -> None:
    with unit_of_work(hall.db.sessions) as session:
        if session.get(Holiday, date(2026, 12, 1)) is None:
            session.add(Holiday(day=date(2026, 12, 1), kind="holiday", name="test"))
    _ticket, result = rate(hall, 2, reasons=("attitude",))
    assert result.followup_id is not None
    followup = hall.quality.followups.get(result.followup_id)
    # Friday 27 Nov + 5 working days, skipping the weekend and the holiday on Tuesday 1 Dec
    assert followup.deadline == date(2026, 12, 7)
    assert (followup.status, followup.overdue, followup.missing) == ("open", False, ("verification", "action", "callback"))
    assert followup.rating.level == 2 and followup.rating.reasons == ("attitude",)
    _ticket, basic = rate(hall, 3)
    assert basic.followup_id is None


def test_follow_up_closes_only_with_verification_action_and_call_back(hall: RatingHall) -> None:
    _ticket, result = rate(hall, 1)
    followups, manager = hall.quality.followups, hall.manager
    fid = result.followup_id
    assert fid is not None
    with pytest.raises(FollowUpIncomplete) as refused:
        followups.close(fid, "已处理", "fixed", manager)
    assert refused.value.missing == ("verification", "action", "callback")
    with pytest.raises(NotAllowed, match="only a manager"):
        followups.record(fid, "verification", "查看录像", hall.clerk(1))
    with pytest.raises(InvalidInput, match="verification"):
        followups.record(fid, "verification", "   ", manager)
    followups.record(fid, "verification", "查看录像，情况属实", manager)
    followups.record(fid, "action", "对营业员进行服务规范培训", manager)
    with pytest.raises(FollowUpIncomplete) as refused:
        followups.close(fid, "已处理", "fixed", manager)
    assert refused.value.missing == ("callback",)
    followups.record(fid, "callback", "电话回访，客户表示满意", manager)
    with pytest.raises(InvalidInput, match="resolution"):
        followups.close(fid, "已处理", "forgotten", manager)
    closed = followups.close(fid, "整改到位，客户满意", "fixed", manager)
    assert (closed.status, closed.resolution, closed.missing) == ("closed", "fixed", ())
    assert [s.step for s in closed.steps] == ["verification", "action", "callback", "outcome"]
    assert closed.steps[0].staff_name == "孙建国"
    with pytest.raises(NotAllowed, match="closed"):
        followups.record(fid, "callback", "再次回访", manager)
    assert followups.listing("open") == []
    assert [f.id for f in followups.listing("all")] == [fid]


def test_open_and_overdue_follow_ups_are_listed_for_the_manager(hall: RatingHall) -> None:
    _t, first = rate(hall, 1)
    hall.clock.advance(days=3)  # Monday 30 Nov
    _t, second = rate(hall, 2, window=2)
    followups = hall.quality.followups
    assert [f.id for f in followups.listing("open")] == [first.followup_id, second.followup_id]
    assert followups.listing("overdue") == []
    hall.clock.now = hall.clock.now.replace(day=4, month=12, hour=15)  # Friday 4 Dec: first's deadline
    assert followups.listing("overdue") == []
    hall.clock.advance(days=1)  # Saturday 5 Dec
    overdue = followups.listing("overdue")
    assert [f.id for f in overdue] == [first.followup_id] and overdue[0].overdue
    assert not followups.get(second.followup_id or "").overdue
    with unit_of_work(hall.db.sessions) as session:
        assert session.scalar(select(RatingFollowUp.deadline).where(RatingFollowUp.id == first.followup_id)) == date(2026, 12, 4)


# --- inquiries and complaints -----------------------------------------------------------------


def test_inquiry_owned_handed_over_answered_and_linked(hall: RatingHall) -> None:
    inquiries = hall.quality.inquiries
    item = inquiries.log("complaint", "王先生", "13800000000", "水压低", "三楼水压低已一周", hall.clerk(1), window=1)
    assert (item.owner_name, item.received_by_name, item.window, item.status) == ("李娜", "李娜", 1, "open")
    assert item.answer_due == date(2026, 12, 2)  # three working days after Friday
    with pytest.raises(InvalidInput, match="customer"):
        inquiries.log("inquiry", " ", "", "水价", "问水价", hall.clerk(1))
    with pytest.raises(NotAllowed, match="owner"):
        inquiries.answer(item.id, hall.clerk(2), "已答复")
    with pytest.raises(InvalidInput, match="note"):
        inquiries.hand_over(item.id, hall.clerk(1), hall.clerk(2), "")
    hall.clock.advance(hours=2)
    moved = inquiries.hand_over(item.id, hall.clerk(1), hall.clerk(2), "涉及管网，转王芳跟进")
    assert (moved.owner_name, moved.received_by_name) == ("王芳", "李娜")
    assert [i.id for i in inquiries.open_items(hall.clerk(2))] == [item.id]
    assert inquiries.open_items(hall.clerk(1)) == []
    [listed] = inquiries.open_items()
    assert listed.age == timedelta(hours=2)
    _t, result = rate(hall, 1)
    linked = inquiries.link_followup(item.id, result.followup_id or "", hall.manager)
    assert linked.followup_id == result.followup_id
    hall.clock.advance(days=5)  # Wednesday 2 Dec, the day it is due
    assert not inquiries.open_items()[0].overdue
    hall.clock.advance(days=1)
    assert inquiries.open_items()[0].overdue
    answered = inquiries.answer(item.id, hall.clerk(2), "已安排管网所检修，次日恢复")
    assert answered.status == "answered" and answered.closed_at is not None
    assert [e.kind for e in answered.events] == ["logged", "handover", "link", "answer"]
    assert answered.events[1].note == "涉及管网，转王芳跟进" and answered.events[1].to_name == "王芳"
    assert inquiries.open_items() == []
    with pytest.raises(NotAllowed, match="already answered"):
        inquiries.answer(item.id, hall.clerk(2), "again")


def test_only_complaints_link_to_follow_ups(hall: RatingHall) -> None:
    item = hall.quality.inquiries.log("inquiry", "李女士", "", "水价", "阶梯水价怎么算", hall.clerk(1))
    with pytest.raises(NotAllowed, match="only a complaint"):
        hall.quality.inquiries.link_followup(item.id, "x", hall.manager)


# --- satisfaction ---------------------------------------------------------------------------


def test_satisfaction_per_clerk_and_window_with_not_rated_apart(hall: RatingHall) -> None:
    for level in (5, 4, 3, 1):
        rate(hall, level)
    ticket = hall.serve(1)
    hall.quality.ratings.request_for_ticket(ticket.id, 1, hall.clerk(1), SCREEN)
    hall.clock.advance(seconds=40)
    hall.quality.ratings.expire_due()
    rate(hall, 5, window=2)
    day = date(2026, 11, 27)
    by_clerk = {row.label: row.satisfaction for row in hall.quality.stats.satisfaction(day, day, "clerk")}
    li = by_clerk["李娜 1001"]
    assert li.counts.by_level == (1, 0, 1, 1, 1) and li.counts.not_rated == 1
    assert (li.rate, li.not_rated_share, li.negative_share) == (Fraction(1, 2), Fraction(1, 5), Fraction(1, 4))
    assert by_clerk["王芳 1002"].rate == 1
    by_window = hall.quality.stats.satisfaction(day, day, "window")
    assert [(row.key, row.satisfaction.counts.total) for row in by_window] == [("1", 5), ("2", 1)]
    [branch] = hall.quality.stats.satisfaction(day, day, "branch")
    assert branch.satisfaction.rate == Fraction(3, 5)
    assert hall.quality.stats.satisfaction(day + timedelta(days=1), day + timedelta(days=1)) == []
    negatives = hall.quality.stats.ratings(day, day, negative_only=True)
    assert [r.level for r in negatives] == [1]
