"""Helpers for the sync client's tests: a seeded node enrolled with the fake head office, an
engine with short timings, payments, and the checks every sync test ends with."""

from __future__ import annotations

import random

import pytest
from typing import Any

from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import OutboxEvent
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.sync import outbox_store as store
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.worker import SyncEngine, SyncOptions
from tests.integration.billing_fixtures import Counter, account_with_bills, clerk, counter, manager
from tests.integration.sync_fake_hq import FakeHq

FAST = SyncOptions(interval_s=0.5, stall_factor=3.0, connect_timeout_s=2.0, read_timeout_s=10.0,
                   backoff_base_s=0.01, backoff_cap_s=0.05)


@pytest.fixture
def hq():
    """A fake head office on loopback (import this fixture with :func:`node`)."""
    with FakeHq() as server:
        yield server


@pytest.fixture
def node(seeded_db, data_paths, hq):
    """The seeded demo node enrolled with :func:`hq`, reopened as the next start would."""
    db = enrol_node(seeded_db, data_paths, hq)
    yield db
    db.dispose()


def enrol_node(db: NodeDatabase, paths: DataPaths, hq: FakeHq, code: str = "code-1", **where: Any) -> NodeDatabase:
    """Enrol the node and reopen its database, as the next start of the program would."""
    enrol(db.sessions, paths.root, hq.url, hq.add_code(code, **where))
    db.dispose()
    return open_node_database(paths, Settings())


def engine_for(db: NodeDatabase, options: SyncOptions = FAST, seed: int = 1, **kw: Any) -> SyncEngine:
    """An engine with short timings and a seeded random generator (``clock``, ``transport_factory`` may be given)."""
    return SyncEngine(db.sessions, db.data_dir, options=options, rng=random.Random(seed), poll_s=0.01, **kw)


def pay(c: Counter, amount_fen: int = 100) -> str:
    """A prepayment (no bill), so any number of them can be taken; returns the payment id."""
    account = account_with_bills(c)
    return c.payments.take_payment(clerk(c), account.account_id, [MethodPart("cash", amount_fen)], bill_ids=[]).payment_id


def void(c: Counter, payment_id: str) -> str:
    who = clerk(c)
    return c.payments.void_payment(payment_id, who, manager(c, who), "金额录错").payment_id


def outbox(db: NodeDatabase) -> list[OutboxEvent]:
    """The outbox in order, detached, each row's ``state`` saying whether it is delivered
    (its channel's acknowledgement mark applied: ``outbox_store.delivery_states``)."""
    with unit_of_work(db.sessions) as session:
        rows = list(session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq)))
        states = store.delivery_states(session)
    for row in rows:  # detached: nothing is written back
        row.state = states[row.event_id]
    return rows


def check_delivery(db: NodeDatabase, hq: FakeHq, *, drained: bool, lost_by_hq: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """acked ⊆ head office (but for what a head-office restore lost, until the next hello);
    no payment twice at head office; every void after its payment; when ``drained``: every
    committed event is at head office (none pending locally)."""
    rows = outbox(db)
    stored = hq.stored_ids()
    done = {r.event_id for r in rows if r.state in ("acked", "quarantined")}
    assert done - lost_by_hq <= stored, "acknowledged locally but absent at head office"
    receipts = [p["receipt_no"] for p in hq.state.payments.values()]
    assert len(receipts) == len(set(receipts)), "a receipt number twice at head office"
    assert hq.state.incidents == [], "head office saw a receipt collision, an edited event or a broken chain"
    for event in hq.state.events.values():
        if event["event_type"] == "payment.voided":
            assert event["result"]["status"] == "applied", event["result"]
    if drained:
        assert [r.event_id for r in rows if r.state == "pending"] == []
        assert {r.event_id for r in rows} <= stored


def counter_for(db: NodeDatabase, paths: DataPaths) -> Counter:
    return counter(db, paths, Settings())
