"""The sync's acknowledgements are small writes (issue 9, the cost at the window): an answered batch
moves its channel's mark (``outbox_ack``) instead of rewriting every event row under SQLite's one
write lock, and a backlog's answers are written at most every ``ack_every_s`` and at the end of a
cycle. What reads delivery state applies the mark: the status bar's counts, the hello's
acknowledged figures, a rewind after a head-office restore."""

from __future__ import annotations

import dataclasses
import time

import pytest
from sqlalchemy import select, text

from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import OutboxAck
from counter_app.services.status import sync_backlog
from counter_app.services.sync import outbox_store as store
from counter_app.services.sync.worker import SyncThread
from tests.integration.sync_fixtures import FAST, check_delivery, counter_for, engine_for, hq, node, outbox, pay  # noqa: F401


def _count_writes(db) -> None:  # type: ignore[no-untyped-def]
    """Count, in the file itself, every UPDATE of an outbox event row and of an acknowledgement mark."""
    with unit_of_work(db.sessions) as session:
        session.execute(text("CREATE TABLE test_writes (what TEXT)"))
        session.execute(text("CREATE TRIGGER test_event_updated AFTER UPDATE ON outbox_event "
                             "BEGIN INSERT INTO test_writes VALUES ('event'); END"))
        for verb in ("INSERT", "UPDATE"):
            session.execute(text(f"CREATE TRIGGER test_mark_{verb.lower()} AFTER {verb} ON outbox_ack "
                                 "BEGIN INSERT INTO test_writes VALUES ('mark'); END"))


def _writes(db) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        return dict(session.execute(text("SELECT what, count(*) FROM test_writes GROUP BY what")).all())


def test_a_drained_backlog_is_acknowledged_without_rewriting_event_rows(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    for _ in range(30):
        pay(c)
    _count_writes(node)
    engine = engine_for(node, dataclasses.replace(FAST, ack_every_s=3600.0))
    engine.max_events = 7  # many batches: their answers are written once, at the end of the cycle
    try:
        assert engine.drain().status == "ok"
    finally:
        engine.close()
    writes = _writes(node)
    assert writes.get("event", 0) == 0, writes  # no event row rewritten
    assert 1 <= writes.get("mark", 0) <= 3, writes  # one mark per channel that had events, in one write
    check_delivery(node, hq, drained=True)
    assert {r.state for r in outbox(node)} == {"acked"}
    backlog = sync_backlog(node)
    assert (backlog.pending, backlog.quarantined, backlog.oldest_pending_payment_at) == (0, 0, None)


def test_answers_are_written_every_ack_every_s_while_a_backlog_drains(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    for _ in range(12):
        pay(c)
    _count_writes(node)
    engine = engine_for(node, dataclasses.replace(FAST, ack_every_s=1e-9))  # every answer at once
    engine.max_events = 3
    try:
        assert engine.drain().status == "ok"
    finally:
        engine.close()
    assert _writes(node).get("mark", 0) >= 4  # each of the payments' four batches moved the mark
    check_delivery(node, hq, drained=True)


def test_a_quarantined_event_and_one_left_unanswered_are_kept_apart_from_the_mark(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    paid = [pay(c) for _ in range(4)]
    hq.poison.add(paid[1])
    engine = engine_for(node)
    try:
        assert engine.drain().status == "ok"
        states = {r.aggregate_id: r.state for r in outbox(node) if r.channel == "payments"}
        assert [states[p] for p in paid] == ["acked", "quarantined", "acked", "acked"]
        with unit_of_work(node.sessions) as session:
            mark = session.scalar(select(OutboxAck.through_seq).where(OutboxAck.channel == "payments"))
        assert mark == max(r.seq for r in outbox(node) if r.channel == "payments")
        # an answer that skips an event: the ones after it are acknowledged one by one, the skipped one waits
        later = [pay(c) for _ in range(3)]
        batch = store.next_batch(node.sessions, node.node_id, 1, "payments", 10, 10**6)
        assert batch is not None and len(batch.events) == 3
        answers = store.read_results(batch, [{"event_id": batch.events[i]["event_id"], "status": "applied"}
                                             for i in (0, 2)])
        assert answers.counts == {"acked": 2, "quarantined": 0, "unanswered": 1}
        store.write_answers(node.sessions, [answers], utcnow())
        states = {r.aggregate_id: r.state for r in outbox(node) if r.channel == "payments"}
        assert [states[p] for p in later] == ["acked", "pending", "acked"]
        assert sync_backlog(node).pending == 1
        assert engine.drain().status == "ok"
        check_delivery(node, hq, drained=True)
    finally:
        engine.close()



def _wait(condition, timeout: float = 15.0) -> float:  # type: ignore[no-untyped-def]
    began = time.monotonic()
    while time.monotonic() - began < timeout and not condition():
        time.sleep(0.02)
    return time.monotonic() - began


@pytest.mark.parametrize("in_process", [True, False], ids=["commit-callback", "outbox-poll"])
def test_a_payment_wakes_the_idle_worker_within_the_debounce(node, data_paths, hq, in_process) -> None:
    """SYNC.md c.6: the worker cycles ``debounce_s`` after a local commit, long before its timer
    (here an hour). A worker of this process is called by the commit; one of another process
    (``in_process=False``) sees the outbox's highest seq grow."""
    c = counter_for(node, data_paths)
    options = dataclasses.replace(FAST, interval_s=3600.0, debounce_s=2.0)
    worker = SyncThread(engine_for(node, options), outbox_poll_s=0.2, in_process=in_process).start()
    try:
        _wait(lambda: worker.cycles >= 1)
        assert worker.cycles == 1 and sync_backlog(node).pending == 0
        paid = pay(c)
        waited = _wait(lambda: paid in hq.state.payments, timeout=20.0)
        assert paid in hq.state.payments, "the payment waited for the hour's timer"
        assert 1.5 <= waited, waited  # debounced: not at once
        _wait(lambda: worker.cycles >= 2)
        assert worker.cycles == 2
        assert _wait(lambda: sync_backlog(node).pending == 0) < 15
    finally:
        worker.stop()
    check_delivery(node, hq, drained=True)


def test_commits_do_not_cut_a_backoff_short(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    options = dataclasses.replace(FAST, interval_s=3600.0, debounce_s=0.1, backoff_base_s=3600.0, backoff_cap_s=3600.0)
    hq.fault("status", 500, times=1)  # no Retry-After: full-jitter backoff
    engine = engine_for(node, options)
    engine.rng.uniform = lambda low, high: high  # type: ignore[method-assign]  # the whole hour
    worker = SyncThread(engine, outbox_poll_s=0.1).start()
    try:
        _wait(lambda: worker.cycles >= 1)
        pay(c)
        time.sleep(1.0)
        assert worker.cycles == 1  # head office said 500: no new request before the backoff ends
        worker.wake()  # an explicit wake still cycles at once
        _wait(lambda: worker.cycles >= 2)
        assert worker.cycles == 2
    finally:
        worker.stop()


def test_a_push_put_together_from_its_events_is_their_canonical_json() -> None:
    from counter_app.core.syncwire import canonical_json

    events = [{"event_id": "e1", "payload": {"b": "水费", "a": [1, 2]}}, {"event_id": "e2", "payload": {}}]
    backlog = {"pending": 3, "quarantined": 0, "oldest_unsent_payment_at": None}
    for report in (None, backlog):
        made = store.push_body("n1", 2, events, report, [canonical_json(e) for e in events])
        whole = {"node_id": "n1", "incarnation": 2, "events": events, **({"backlog": report} if report else {})}
        assert made == canonical_json(whole).encode("utf-8") == store.push_body("n1", 2, events, report)
