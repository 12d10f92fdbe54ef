"""Random days at the hall: kiosks issue, counters open, call, recall, serve, hold, call back,
transfer, recycle, cancel and pause, in any order. After every step the queue must hold
together, and every call must pick the ticket the call-order rule says."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from counter_app.domain import queue_rules as rules
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.services.queue import QueueService, QueueSettings
from counter_app.services.queue.views import Snapshot
from tests.integration.queue_fixtures import hall_database

windows = st.integers(min_value=1, max_value=8)
picks = st.integers(min_value=0, max_value=10_000)


class QueueDay(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="queue-machine-"))
        self.node, self.hall = hall_database(self.folder)
        self.now = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
        self.q = QueueService(self.node.sessions, "B001", QueueSettings(recall_cap=2), node_id=self.node.node_id,
                              clock=self.tick)
        self.issued: list[str] = []
        self.refused = 0

    def tick(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now

    def teardown(self) -> None:
        self.node.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    def attempt(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        before = self.q.last_seq()
        try:
            return operation(*args, **kwargs)
        except (NotAllowed, InvalidInput):
            assert self.q.last_seq() == before, "a refused operation changed the log"
            self.refused += 1
            return None

    def clerk(self, window: int) -> str:
        return self.hall.clerk(window)

    @initialize(letters=st.lists(st.sampled_from("ABCD"), min_size=3, max_size=8), opened=st.sets(windows, min_size=2))
    def morning(self, letters: list[str], opened: set[int]) -> None:
        """Doors open: some windows staffed, the first customers in."""
        for window in sorted(opened):
            self.q.open_window(window, self.clerk(window))
        for letter in letters:
            self.issue(letter, False)

    # --- kiosk ------------------------------------------------------------------------------

    @rule(service=st.sampled_from("ABCD"), green=st.booleans())
    def issue(self, service: str, green: bool) -> None:
        priority = "green" if green else "normal"
        result = self.attempt(self.q.issue_ticket, service, priority)
        assert result is not None and result.ticket.number.startswith(service)
        # the people ahead as the pool holds them (the hub keeps these counts from its own writes)
        ahead = rules.priorities_ahead_of(priority)
        connection = self.node.engine.raw_connection()
        try:
            in_pool = connection.driver_connection.execute(
                "SELECT count(*) FROM ticket WHERE state IN ('waiting', 'transferred') AND target_window_id IS NULL "
                f"AND queue_service_id = ? AND priority IN ({', '.join('?' * len(ahead))})",
                (self.hall.services[result.ticket.queue_service], *ahead)).fetchone()[0]
        finally:
            connection.close()
        assert result.waiting_ahead == in_pool - 1, (result.waiting_ahead, in_pool)
        self.issued.append(result.ticket.number)

    # --- windows ----------------------------------------------------------------------------

    @rule(window=windows)
    def open(self, window: int) -> None:
        self.attempt(self.q.open_window, window, self.clerk(window))

    @rule(window=windows)
    def pause(self, window: int) -> None:
        self.attempt(self.q.pause_window, window, self.clerk(window))

    @rule(window=windows)
    def resume(self, window: int) -> None:
        self.attempt(self.q.resume_window, window, self.clerk(window))

    @rule(window=windows)
    def close(self, window: int) -> None:
        self.attempt(self.q.close_window, window, self.clerk(window))

    @rule(window=windows)
    def call_next(self, window: int) -> None:
        snapshot = self.q.snapshot()
        expected = expected_call(snapshot, window)
        result = self.attempt(self.q.call_next, window, self.clerk(window))
        if result is not None:
            got = result.ticket.id if result.ticket else None
            assert got == (expected.ticket_id if expected else None), "call order broken"

    @rule(window=windows)
    def recall(self, window: int) -> None:
        self.attempt(self.q.recall, window, self.clerk(window))

    @rule(window=windows)
    def start(self, window: int) -> None:
        self.attempt(self.q.start_service, window, self.clerk(window))

    @rule(window=windows)
    def finish(self, window: int) -> None:
        self.attempt(self.q.finish, window, self.clerk(window))

    @rule(window=windows)
    def no_show(self, window: int) -> None:
        self.attempt(self.q.no_show, window, self.clerk(window))

    @rule(window=windows)
    def hold(self, window: int) -> None:
        self.attempt(self.q.hold, window, self.clerk(window))

    @rule(window=windows, to_service=st.sampled_from("ABCD"))
    def transfer_to_service(self, window: int, to_service: str) -> None:
        self.attempt(self.q.transfer, window, self.clerk(window), to_service=to_service)

    @rule(window=windows, to_window=windows)
    def transfer_to_window(self, window: int, to_window: int) -> None:
        self.attempt(self.q.transfer, window, self.clerk(window), to_window=to_window)

    @precondition(lambda self: self.issued)
    @rule(window=windows, pick=picks)
    def call_back(self, window: int, pick: int) -> None:
        self.attempt(self.q.call_back, window, self.clerk(window), self.issued[pick % len(self.issued)])

    @precondition(lambda self: self.issued)
    @rule(window=windows, pick=picks)
    def call_specific(self, window: int, pick: int) -> None:
        self.attempt(self.q.call_specific, window, self.clerk(window), self.issued[pick % len(self.issued)])

    @precondition(lambda self: self.issued)
    @rule(window=windows, pick=picks)
    def recycle_no_show(self, window: int, pick: int) -> None:
        self.attempt(self.q.recycle, window, self.clerk(window), self.issued[pick % len(self.issued)])

    @rule(window=windows)
    def recycle_current(self, window: int) -> None:
        self.attempt(self.q.recycle, window, self.clerk(window))

    @precondition(lambda self: self.issued)
    @rule(window=windows, pick=picks)
    def cancel(self, window: int, pick: int) -> None:
        self.attempt(self.q.cancel, self.issued[pick % len(self.issued)], self.clerk(window))

    # --- what must always hold ------------------------------------------------------------

    @invariant()
    def the_queue_holds_together(self) -> None:
        snapshot = self.q.snapshot()
        log = self.q.events_since(0, limit=100_000)
        assert [e.seq for e in log] == list(range(1, len(log) + 1)) and snapshot.seq == len(log)
        connection = self.node.engine.raw_connection()
        try:
            tickets = {row[0]: row for row in connection.driver_connection.execute(
                "SELECT id, number, state, outcome, window_id, service_id, business_date FROM ticket")}
        finally:
            connection.close()

        # each ticket in exactly one state, outcomes only when final
        for _, number, state, outcome, *_ in tickets.values():
            assert state in rules.STATES and outcome == rules.outcome_of(state), number

        # numbers unique per service and day
        keys = Counter((row[5], row[6], row[1]) for row in tickets.values())
        assert max(keys.values(), default=1) == 1

        # no ticket at two windows; every called/served ticket is some window's current one
        current = [w.current.id for w in snapshot.windows if w.current is not None]
        assert len(current) == len(set(current))
        at_windows = {tid for tid, row in tickets.items() if row[2] in rules.AT_WINDOW_STATES}
        assert at_windows == set(current)
        for window in snapshot.windows:
            if window.current is not None:
                assert window.current.window == window.number and window.state != "closed"

        # the log tells the same story as the rows
        last = {e.ticket_id: e for e in log if e.ticket_id is not None}
        assert set(last) == set(tickets)
        for tid, event in last.items():
            assert event.state == tickets[tid][2], tickets[tid][1]
        waiting = Counter(e.service for e in last.values() if e.state in rules.QUEUED_STATES)
        assert self.q.waiting_counts() == {letter: waiting.get(letter, 0) for letter in "ABCD"}
        assert sorted(t.number for t in snapshot.waiting) == sorted(
            e.number for e in last.values() if e.state in rules.QUEUED_STATES)


def expected_call(snapshot: Snapshot, number: int) -> rules.Candidate | None:
    """What the call-order rule picks for window ``number`` from the snapshot's pool."""
    window = next(w for w in snapshot.windows if w.number == number)
    pool = [rules.Candidate(t.id, t.priority, t.queue_service, None if t.target_window is None else str(t.target_window),
                            t.queued_at, rules.parse_number(t.number)[1]) for t in snapshot.waiting]
    return rules.pick_next(pool, str(number), list(window.services))


QueueDay.TestCase.settings = settings(max_examples=20, stateful_step_count=35, deadline=None,
                                      suppress_health_check=[HealthCheck.too_slow])
test_queue_day = QueueDay.TestCase
