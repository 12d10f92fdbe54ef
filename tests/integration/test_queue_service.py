"""The queue service on a real SQLite file: numbering, call order, every window operation,
the event log and its outbox events, end-of-day reset, group commit under threads."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator

import pytest
from tests.integration.queue_fixtures import Hall, hall_database
from sqlalchemy import select, text, update

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import OutboxEvent, Service, Ticket
from counter_app.services.node import NodeDatabase
from counter_app.services.queue import QueueService, QueueSettings

START = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)  # 09:00 in Asia/Shanghai


class Clock:
    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        self.at += timedelta(milliseconds=1)
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[tuple[NodeDatabase, Hall]]:
    node, hall = hall_database(tmp_path)
    yield node, hall
    node.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make(hall: tuple[NodeDatabase, Hall], clock: Clock) -> Callable[..., QueueService]:
    node, _ = hall

    def build(**settings: object) -> QueueService:
        return QueueService(node.sessions, "B001", replace(QueueSettings(), **settings), node_id=node.node_id,
                            clock=clock)

    return build


@pytest.fixture
def q(make: Callable[..., QueueService]) -> QueueService:
    return make()


def opened(q: QueueService, hall: Hall, *windows: int) -> None:
    for window in windows:
        q.open_window(window, hall.clerk(window))


def test_numbers_per_service_with_people_ahead_and_estimate(q: QueueService, hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    first = q.issue_ticket("A")
    assert (first.ticket.number, first.waiting_ahead, first.estimated_wait_minutes) == ("A001", 0, 0)
    assert q.issue_ticket("B").ticket.number == "B001"
    third = q.issue_ticket("A")
    assert (third.ticket.number, third.waiting_ahead, third.estimated_wait_minutes) == ("A002", 1, 5)
    opened(q, h, 1, 2)
    assert q.issue_ticket("A").estimated_wait_minutes == 5  # 2 ahead, 5 min each, 2 windows open
    green = q.issue_ticket("A", "green", "elderly")
    assert (green.ticket.priority, green.waiting_ahead) == ("green", 0)
    assert q.waiting_counts() == {"A": 4, "B": 1, "C": 0, "D": 0}


def test_the_estimate_follows_the_open_windows_whoever_opens_them(make: Callable[..., QueueService],
                                                                  hall: tuple[NodeDatabase, Hall]) -> None:
    """The open windows a ticket's estimate shares the wait among are kept between operations
    (store.PoolCounts): an opening, a pause and a closing are counted, by this writer or another
    (another process on the same database)."""
    _, h = hall
    q, other = make(), make()
    for _ in range(4):
        q.issue_ticket("A")  # 4 ahead of the next, 5 min each
    assert q.issue_ticket("A").estimated_wait_minutes == 20  # no window open: as if one
    opened(q, h, 1, 2)
    assert q.issue_ticket("A").estimated_wait_minutes == 13  # 5 ahead, 2 windows: 12.5 up
    opened(other, h, 3)  # another writer
    assert q.issue_ticket("A").estimated_wait_minutes == 10  # 6 ahead, 3 windows
    q.pause_window(3, h.clerk(3))
    assert q.issue_ticket("A").estimated_wait_minutes == 18  # 7 ahead, 2 windows
    other.resume_window(3, h.clerk(3))
    other.close_window(1, h.clerk(1))
    assert q.issue_ticket("A").estimated_wait_minutes == 20  # 8 ahead, 2 windows


def test_cap_refuses_and_numbering_restarts_next_business_day(make: Callable[..., QueueService],
                                                              hall: tuple[NodeDatabase, Hall], clock: Clock) -> None:
    node, _ = hall
    with unit_of_work(node.sessions) as session:
        session.execute(update(Service).where(Service.letter == "C").values(daily_cap=2))
    q = make()
    assert [q.issue_ticket("C").ticket.number for _ in range(2)] == ["C001", "C002"]
    with pytest.raises(NotAllowed, match="daily limit of 2"):
        q.issue_ticket("C")
    clock.advance(days=1)
    ticket = q.issue_ticket("C").ticket
    assert (ticket.number, ticket.business_date.isoformat()) == ("C001", "2026-03-03")


def test_unknown_or_closed_service_and_bad_priority(q: QueueService, hall: tuple[NodeDatabase, Hall],
                                                    make: Callable[..., QueueService]) -> None:
    node, _ = hall
    with pytest.raises(InvalidInput) as caught:
        q.issue_ticket("Z")
    assert caught.value.field == "service"
    with pytest.raises(InvalidInput):
        q.issue_ticket("A", "vip")
    with unit_of_work(node.sessions) as session:
        session.execute(update(Service).where(Service.letter == "D").values(active=False))
    with pytest.raises(NotAllowed, match="not taking tickets"):
        make().issue_ticket("D")
    assert q.last_seq() == 0


def test_call_order_green_first_then_the_windows_services_in_order(q: QueueService,
                                                                  hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    c1 = q.issue_ticket("C").ticket.number  # window 1 serves A then C
    a1 = q.issue_ticket("A").ticket.number
    a2 = q.issue_ticket("A").ticket.number
    cg = q.issue_ticket("C", "green").ticket.number
    opened(q, h, 1)
    called = [q.call_next(1, h.clerk(1)).ticket.number for _ in range(4)]  # type: ignore[union-attr]
    assert called == [cg, a1, a2, c1]
    last = q.call_next(1, h.clerk(1))
    assert last.ticket is None and last.window.current is None  # the open one finished, nobody left


def test_arrival_order_across_services_when_configured(make: Callable[..., QueueService],
                                                       hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    q = make(service_first=False)
    c1 = q.issue_ticket("C").ticket.number
    a1 = q.issue_ticket("A").ticket.number
    opened(q, h, 1)
    assert [q.call_next(1, h.clerk(1)).ticket.number for _ in range(2)] == [c1, a1]  # type: ignore[union-attr]


def test_call_next_finishes_or_refuses_the_open_ticket(make: Callable[..., QueueService],
                                                       hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    q = make()
    for _ in range(3):
        q.issue_ticket("A")
    opened(q, h, 1)
    first = q.call_next(1, h.clerk(1)).ticket
    second = q.call_next(1, h.clerk(1))
    assert [e.kind for e in second.events] == ["done", "called"] and second.events[0].data["auto"] is True
    assert q.ticket(first.id).state == "done"  # type: ignore[union-attr]
    strict = make(call_next_with_open="refuse")
    with pytest.raises(NotAllowed, match="still open at window 1"):
        strict.call_next(1, h.clerk(1))
    strict.finish(1, h.clerk(1))
    assert strict.call_next(1, h.clerk(1)).ticket.number == "A003"  # type: ignore[union-attr]


def test_recall_cap_no_show_and_recycle(q: QueueService, hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    q.issue_ticket("A")
    q.issue_ticket("A")
    opened(q, h, 1)
    clerk = h.clerk(1)
    ticket = q.call_next(1, clerk).ticket
    for n in (1, 2, 3):
        result = q.recall(1, clerk)
        assert (result.ticket.recall_count, result.ticket.call_count) == (n, n + 1)  # type: ignore[union-attr]
    with pytest.raises(NotAllowed, match="recalled 3 times"):
        q.recall(1, clerk)
    gone = q.no_show(1, clerk)
    assert (gone.ticket.state, gone.ticket.outcome, gone.window.current) == ("no_show", "no_show", None)  # type: ignore[union-attr]
    back = q.recycle(1, clerk, ticket.number)  # type: ignore[union-attr]
    assert back.ticket.state == "waiting" and back.ticket.queued_at > ticket.queued_at  # type: ignore[union-attr]
    assert q.call_next(1, clerk).ticket.number == "A002"  # type: ignore[union-attr]  # A001 went to the back
    with pytest.raises(NotAllowed, match="not a no-show"):
        q.recycle(1, clerk, "A002")


def test_hold_and_call_back_same_day_only(q: QueueService, hall: tuple[NodeDatabase, Hall], clock: Clock) -> None:
    _, h = hall
    q.issue_ticket("A")
    q.issue_ticket("A")
    opened(q, h, 1, 2)
    held = q.call_next(1, h.clerk(1))
    q.start_service(1, h.clerk(1))
    result = q.hold(1, h.clerk(1))
    assert result.ticket.state == "held" and result.window.current is None  # type: ignore[union-attr]
    assert q.call_next(1, h.clerk(1)).ticket.number == "A002"  # type: ignore[union-attr]
    back = q.call_back(2, h.clerk(2), held.ticket.number)  # type: ignore[union-attr]
    assert (back.ticket.state, back.ticket.window, [e.kind for e in back.events]) == ("called", 2, ["called_back"])  # type: ignore[union-attr]
    q.hold(2, h.clerk(2))
    q.finish(1, h.clerk(1))
    clock.advance(hours=20)
    with pytest.raises(InvalidInput):  # yesterday's number is not today's
        q.call_back(1, h.clerk(1), held.ticket.number)  # type: ignore[union-attr]
    with pytest.raises(NotAllowed, match="only today's"):
        q.call_back(1, h.clerk(1), held.ticket.id)  # type: ignore[union-attr]


def test_transfer_keeps_arrival_time_and_number(q: QueueService, hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    first = q.issue_ticket("A").ticket
    q.issue_ticket("B")
    opened(q, h, 1, 5, 6, 8)
    q.call_next(1, h.clerk(1))
    moved = q.transfer(1, h.clerk(1), to_service="B").ticket
    assert (moved.number, moved.queue_service, moved.state, moved.queued_at) == (  # type: ignore[union-attr]
        "A001", "B", "transferred", first.queued_at)
    assert q.waiting_counts()["B"] == 2
    assert q.call_next(6, h.clerk(6)).ticket.number == "A001"  # type: ignore[union-attr]  # arrived before B001
    to_window = q.transfer(6, h.clerk(6), to_window=8).ticket
    assert to_window.target_window == 8  # type: ignore[union-attr]
    assert q.call_next(5, h.clerk(5)).ticket.number == "B001"  # type: ignore[union-attr]  # not window 5's
    assert q.call_next(8, h.clerk(8)).ticket.number == "A001"  # type: ignore[union-attr]
    with pytest.raises(InvalidInput) as caught:
        q.transfer(8, h.clerk(8), to_window=8)
    assert caught.value.field == "to_window"
    with pytest.raises(InvalidInput):
        q.transfer(8, h.clerk(8))


def test_call_specific_and_cancel(q: QueueService, hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    for _ in range(3):
        q.issue_ticket("A")
    opened(q, h, 1)
    assert q.call_specific(1, h.clerk(1), "A003").ticket.number == "A003"  # type: ignore[union-attr]
    cancelled = q.cancel("A003", h.clerk(1))
    assert cancelled.ticket.state == "cancelled"
    assert q.snapshot().windows[0].current is None
    with pytest.raises(NotAllowed):
        q.call_specific(1, h.clerk(1), "A003")
    with pytest.raises(InvalidInput):
        q.call_specific(1, h.clerk(1), "A099")


def test_windows_open_pause_resume_close_and_clerks(make: Callable[..., QueueService],
                                                    hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    q = make()
    with pytest.raises(NotAllowed, match="closed"):
        q.call_next(1, h.clerk(1))
    with pytest.raises(InvalidInput) as caught:
        q.open_window(1, "no-such-clerk")
    assert caught.value.field == "clerk_id"
    opened(q, h, 1)
    assert q.open_window(1, h.clerk(1)).events == ()  # opening again changes nothing
    with pytest.raises(NotAllowed, match="another clerk"):
        q.open_window(1, h.clerk(2))
    with pytest.raises(NotAllowed, match="another clerk"):
        q.call_next(1, h.clerk(2))
    q.issue_ticket("A")
    assert q.pause_window(1, h.clerk(1)).window.state == "paused"
    result = q.call_next(1, h.clerk(1))  # a call key resumes (JackQChen)
    assert [e.kind for e in result.events] == ["window_resumed", "called"]
    q.pause_window(1, h.clerk(1))
    with pytest.raises(NotAllowed, match="paused"):
        make(call_resumes_paused=False).call_next(1, h.clerk(1))
    assert q.resume_window(1, h.clerk(1)).window.state == "open"
    with pytest.raises(NotAllowed, match="A001 is still open"):
        q.close_window(1, h.clerk(1))
    q.finish(1, h.clerk(1))
    assert q.close_window(1, h.clerk(1)).window.state == "closed"
    opened(q, h, 1)  # another clerk may now take window 1 too
    with pytest.raises(InvalidInput):
        q.open_window(99, h.clerk(1))


def test_end_of_day_reset_clears_and_only_a_manager_may(q: QueueService, hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    for letter in "AABC":
        q.issue_ticket(letter)
    opened(q, h, 1)
    q.call_next(1, h.clerk(1))
    q.finish(1, h.clerk(1))
    q.call_next(1, h.clerk(1))
    with pytest.raises(NotAllowed, match="manager"):
        q.end_of_day_reset(h.clerk(1))
    result = q.end_of_day_reset(h.manager)
    assert result.cleared == 3 and result.events[-1].kind == "day_reset"
    snap = q.snapshot()
    assert snap.waiting == () and snap.windows[0].current is None and snap.windows[0].state == "open"
    states = sorted(q.ticket(n).state for n in ("A001", "A002", "B001", "C001"))
    assert states == ["cleared", "cleared", "cleared", "done"]
    assert q.ticket("A002").outcome == "cleared"


def test_timer_reset_at_the_configured_time_and_stale_days(make: Callable[..., QueueService],
                                                           hall: tuple[NodeDatabase, Hall], clock: Clock) -> None:
    q = make(reset_time=time(18, 0))
    q.issue_ticket("A")
    assert q.due_reset() is None  # 09:00 local
    clock.advance(hours=9, minutes=5)  # 18:05 local
    result = q.reset_if_due()
    assert result is not None and result.cleared == 1
    assert q.reset_if_due() is None  # once a day
    q.issue_ticket("A")  # after closing: A002 the same day
    clock.advance(hours=14)  # next morning: yesterday's leftovers go at once
    assert make(reset_time=time(18, 0)).due_reset() == (result.business_date, False)
    assert make(reset_enabled=False).due_reset() is None


def test_event_log_and_outbox_are_consistent(q: QueueService, hall: tuple[NodeDatabase, Hall]) -> None:
    node, h = hall
    q.issue_ticket("A")
    opened(q, h, 1)
    q.call_next(1, h.clerk(1))
    q.start_service(1, h.clerk(1))
    q.finish(1, h.clerk(1))
    events = q.events_since(0)
    assert [e.seq for e in events] == list(range(1, 6))
    assert [e.kind for e in events] == ["issued", "window_opened", "called", "serving", "done"]
    assert q.events_since(3)[0].seq == 4
    with unit_of_work(node.sessions) as session:
        dangling = session.execute(text(
            "SELECT count(*) FROM ticket_event e LEFT JOIN outbox_event o ON o.event_id = e.outbox_event_id "
            "WHERE o.event_id IS NULL")).scalar()
        assert dangling == 0
        outbox = session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)).all()
        assert [o.event_type for o in outbox] == ["queue.issue_ticket", "queue.open_window", "queue.call_next",
                                                  "queue.start", "queue.finish"]
        assert outbox[2].payload["operations"][0]["events"][0]["kind"] == "called"
        ticket = session.scalars(select(Ticket)).one()  # rows written by the hub read back through the ORM
        assert ticket.state == "done" and ticket.issued_at.tzinfo is not None and ticket.outbox_event_id == outbox[-1].event_id


def test_threads_group_commit_without_duplicates(q: QueueService, hall: tuple[NodeDatabase, Hall]) -> None:
    _, h = hall
    opened(q, h, *range(1, 9))
    for _ in range(80):
        q.issue_ticket("A")
    called: list[str] = []
    issued: list[str] = []
    start = threading.Barrier(16)

    def counter(window: int) -> None:
        start.wait()
        for _ in range(10):
            result = q.call_next(window, h.clerk(window))
            if result.ticket is not None:
                called.append(result.ticket.number)

    def kiosk() -> None:
        start.wait()
        for _ in range(10):
            issued.append(q.issue_ticket("ABCD"[len(issued) % 4]).ticket.number)

    threads = [threading.Thread(target=counter, args=(w,)) for w in range(1, 9)]
    threads += [threading.Thread(target=kiosk) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(called) == len(set(called)) and len(issued) == len(set(issued)) == 80
    seqs = [e.seq for e in q.events_since(0, limit=5000)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert q.committed_operations > q.committed_batches  # some operations did share a commit


def test_a_failing_operation_spoils_only_itself(q: QueueService, hall: tuple[NodeDatabase, Hall]) -> None:
    from counter_app.services.queue.runner import Job

    def broken(tx: object) -> None:
        raise RuntimeError("a bug in one operation")

    jobs = [Job(q.prepare(q.issue_ticket, "A")), Job(broken), Job(q.prepare(q.issue_ticket, "A"))]
    q.execute(jobs)
    assert all(job.done for job in jobs)
    assert isinstance(jobs[1].error, RuntimeError)
    assert [job.result.ticket.number for job in (jobs[0], jobs[2])] == ["A001", "A002"]
    assert [e.kind for e in q.events_since(0)] == ["issued", "issued"]
    refused = [Job(q.prepare(q.issue_ticket, "A")), Job(q.prepare(q.call_next, 1, hall[1].clerk(1)))]
    q.execute(refused)  # a refusal does not spoil the batch: the others commit with it
    assert isinstance(refused[1].error, NotAllowed) and refused[0].result.ticket.number == "A003"
    assert q.committed_batches == 3  # the two good ones alone after the rollback, then this batch
