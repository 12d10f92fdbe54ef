"""The sync worker against a head office on loopback (real HTTP), with faults injected: no loss,
no duplicates, acknowledged ⊆ head office, a void after its payment, poison isolated, refusals
classified, a restored head office re-fed, a hang caught by the watchdog, a drain with no click."""

from __future__ import annotations

import random
import time

import pytest

from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import NodeIdentity, SyncState
from counter_app.services.status import sync_backlog
from counter_app.services.sync.files import credential_path
from counter_app.services.sync.worker import SyncOptions, SyncThread, backoff_delay
from tests.integration.sync_fixtures import (FAST, check_delivery, counter_for, engine_for, enrol_node, hq, node,  # noqa: F401
                                             outbox, pay, void)


def test_a_backlog_drains_in_channel_order_exactly_once(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    ids = [pay(c, 100 + i) for i in range(5)]
    void(c, ids[0])
    engine = engine_for(node)
    try:
        result = engine.drain()
    finally:
        engine.close()
    assert (result.status, result.retryable, result.acked) == ("ok", False, len(outbox(node)))
    check_delivery(node, hq, drained=True)
    order = ["payments", "applications", "ops"]
    arrived = [order.index(e["channel"]) for e in hq.state.events.values()]
    assert arrived == sorted(arrived) and arrived.count(0) == 6  # payments first, in their order
    payments = [e for e in hq.state.events.values() if e["channel"] == "payments"]
    assert [e["channel_seq"] for e in payments] == list(range(1, 7))
    assert sync_backlog(node).online and sync_backlog(node).pending == 0


@pytest.mark.parametrize("fault", [("drop_request", None), ("drop_response", None), ("duplicate", None),
                                   ("delay", 0.3), ("status", 503), ("status", 500), ("status", 429)])
def test_every_fault_ends_in_exactly_once(node, data_paths, hq, fault) -> None:
    c = counter_for(node, data_paths)
    paid = [pay(c) for _ in range(3)]
    void(c, paid[1])
    hq.fault(*fault, times=3)
    engine = engine_for(node)
    try:
        for _ in range(10):
            result = engine.step()
            check_delivery(node, hq, drained=False)  # at every moment: acked ⊆ head office
            if result.status == "ok":
                break
        assert result.status == "ok"
    finally:
        engine.close()
    check_delivery(node, hq, drained=True)
    assert len(hq.state.payments) == 4 and len(hq.state.events) == len(outbox(node))


def test_a_poison_event_is_quarantined_and_the_rest_go_through(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    paid = [pay(c) for _ in range(5)]
    hq.poison.add(paid[2])
    engine = engine_for(node)
    try:
        assert engine.drain().status == "ok"
    finally:
        engine.close()
    states = {r.aggregate_id: (r.state, r.result) for r in outbox(node) if r.channel == "payments"}
    assert states[paid[2]] == ("quarantined", "invalid_input")
    assert all(states[p][0] == "acked" for p in paid if p != paid[2])  # by the mark: no per-row result
    backlog = sync_backlog(node)
    assert (backlog.quarantined, backlog.pending) == (1, 0)


@pytest.mark.parametrize("status, expected, retryable", [(403, "reenrol_required", False),
                                                         (426, "upgrade_required", False),
                                                         (401, "auth_failed", True), (422, "error", True),
                                                         (429, "offline", True), (503, "offline", True)])
def test_refusals_are_classified_and_nothing_is_acknowledged(node, data_paths, hq, status, expected, retryable) -> None:
    c = counter_for(node, data_paths)
    pay(c)
    hq.fault("status", status)
    engine = engine_for(node)
    try:
        result = engine.step()
        assert (result.status, result.retryable) == (expected, retryable)
        assert result.retry_after == (0.0 if status in (429, 503) else None)  # Retry-After honoured
        assert [r.state for r in outbox(node)] == ["pending"] * len(outbox(node))
        with unit_of_work(node.sessions) as session:
            state = session.get(SyncState, "hq")
            assert state is not None and state.status == expected and str(status) in state.last_error
        pay(c)  # the counter keeps working and queueing
        assert engine.step().status == "ok"  # the fault was one answer: next cycle drains
    finally:
        engine.close()
    check_delivery(node, hq, drained=True)


def test_a_revoked_node_stops_until_re_enrolled_and_keeps_queueing(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    pay(c)
    hq.state.nodes[node.node_id].status = "revoked"
    engine = engine_for(node)
    try:
        result = engine.step()
        assert (result.status, result.retryable) == ("reenrol_required", False)
        assert "re-enrolment required" in result.error
        pay(c)
        assert sync_backlog(node).pending == 2
    finally:
        engine.close()
    again = enrol_node(node, data_paths, hq, code="code-2")  # IT re-enrols: a new node, the old one its predecessor
    try:
        pay(counter_for(again, data_paths))
        engine = engine_for(again)
        try:
            assert engine.drain().status == "ok"  # the old node's events go up with the new credential
        finally:
            engine.close()
        check_delivery(again, hq, drained=True)
        assert {e["node_id"] for e in hq.state.events.values()} == {node.node_id, again.node_id}
    finally:
        again.dispose()


def test_a_batch_too_large_is_halved(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    for _ in range(6):
        pay(c)
    hq.fault("status", 413, path="/v1/sync/push")
    engine = engine_for(node)
    try:
        assert engine.drain().status == "ok"
        assert engine.max_events == 3  # halved from the batch of 6 that was refused
        for _ in range(5):
            pay(c)
            assert engine.drain().status == "ok"
        assert engine.max_events == 6  # doubled back after 5 good pushes
    finally:
        engine.close()
    check_delivery(node, hq, drained=True)


def test_a_restored_head_office_is_sent_what_it_lost(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    pay(c)
    engine = engine_for(node)
    try:
        assert engine.drain().status == "ok"
        backup = hq.backup()
        for _ in range(3):
            pay(c)
        assert engine.drain().status == "ok"
        hq.restore(backup)  # head office lost the last three payments
        assert len(hq.state.payments) == 1
        assert engine.drain().status == "ok"
    finally:
        engine.close()
    check_delivery(node, hq, drained=True)
    assert len(hq.state.payments) == 4


def test_a_restored_branch_database_found_at_hello_locks_receipts(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    for _ in range(3):
        pay(c)
    engine = engine_for(node)
    try:
        assert engine.drain().status == "ok"
        # head office holds more of this node's events than the database: it was restored
        hq.state.chains[(node.node_id, "payments", 99)] = "x"
        for seq in range(4, 99):
            hq.state.chains[(node.node_id, "payments", seq)] = "x"
        engine.step()
    finally:
        engine.close()
    with unit_of_work(node.sessions) as session:
        assert session.query(NodeIdentity).one().receipts_locked


def test_the_watchdog_tears_down_a_request_that_is_never_answered(node, data_paths, hq) -> None:
    pay(counter_for(node, data_paths))
    options = SyncOptions(interval_s=0.2, stall_factor=3, connect_timeout_s=2, read_timeout_s=30,
                          backoff_base_s=0.01, backoff_cap_s=0.05)
    hq.fault("hang", 20)
    engine = engine_for(node, options)
    begun = time.monotonic()
    try:
        result = engine.step()
        took = time.monotonic() - begun
        assert result.status == "stalled" and engine.watchdog.fired == 1
        assert 0.5 < took < 5, took  # the 0.6 s limit, not the 30 s read timeout
        assert engine.step().status == "ok"  # a fresh client, and the link works again
    finally:
        hq.release.set()
        engine.close()
    check_delivery(node, hq, drained=True)


def test_the_thread_drains_without_any_user_action(node, data_paths, hq) -> None:
    c = counter_for(node, data_paths)
    for _ in range(3):
        pay(c)
    hq.fault("status", 503, times=4)
    hq.fault("drop_response")
    worker = SyncThread(engine_for(node, FAST)).start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and sync_backlog(node).pending:
            time.sleep(0.05)
        pay(c)  # a later payment goes up on the timer, no click
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and sync_backlog(node).pending:
            time.sleep(0.05)
    finally:
        worker.stop()
    check_delivery(node, hq, drained=True)


def test_backoff_is_full_jitter_capped_and_a_401_rereads_the_credential(node, data_paths, hq) -> None:
    rng = random.Random(7)
    for attempt in range(12):
        delays = [backoff_delay(attempt, rng) for _ in range(200)]
        assert 0 <= min(delays) and max(delays) <= min(300, 2 * 2 ** attempt)
        assert max(delays) > 0.5 * min(300, 2 * 2 ** attempt)  # spread over the whole range
    pay(counter_for(node, data_paths))
    good = credential_path(data_paths.root).read_text()
    credential_path(data_paths.root).write_text(good.replace('"secret": "', '"secret": "AAAA'))
    engine = engine_for(node)
    try:
        assert engine.step().status == "auth_failed"
        credential_path(data_paths.root).write_text(good)  # IT puts the right credential back
        assert engine.step().status == "ok"
    finally:
        engine.close()


class _SteppingClock:
    """A clock that moves one second each time it is read: time passes only as the code looks."""

    def __init__(self) -> None:
        self.t = 1000.0

    def now(self):  # type: ignore[no-untyped-def]
        from counter_app.domain.timeutil import utcnow

        return utcnow()

    def monotonic(self) -> float:
        self.t += 1.0
        return self.t


class _HalfOpenTransport:
    """Connected, never answers, until the watchdog resets it."""

    def __init__(self) -> None:
        import threading

        self.torn_down = threading.Event()
        self.posts = 0

    def post(self, path, body, headers):  # type: ignore[no-untyped-def]
        from counter_app.services.sync.transport import TransportError

        self.posts += 1
        self.torn_down.wait(30)
        raise TransportError("connection closed by reset")

    def reset(self) -> None:
        self.torn_down.set()

    def close(self) -> None:
        self.torn_down.set()


def test_the_watchdog_with_an_injected_transport_and_clock(node) -> None:
    transport = _HalfOpenTransport()
    options = SyncOptions(interval_s=10, stall_factor=3)  # 30 "seconds" of the stepping clock
    engine = engine_for(node, options, clock=_SteppingClock(), transport_factory=lambda url: transport)
    try:
        result = engine.step()
    finally:
        engine.close()
    assert result.status == "stalled" and engine.watchdog.fired == 1
    assert transport.torn_down.is_set() and transport.posts == 1
    with unit_of_work(node.sessions) as session:
        assert session.get(SyncState, "hq").status == "stalled"
