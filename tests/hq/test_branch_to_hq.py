"""A real branch node and the real head office, end to end: a one-time code from head office,
the branch's own enrolment client, payments and a void taken through the real fee service on a
real SQLite file, drained by the real sync engine over real HTTP to head office on a real
PostgreSQL. Each fact is stored once; acknowledged means stored; a second drain sends nothing;
the same events pushed again are duplicates."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.hq.enrolment import issue_code
from counter_app.hq.models import HQPayment, InboundEvent
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import OutboxAck, OutboxEvent
from counter_app.services.sync import outbox_store as store
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.status import sync_backlog
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.worker import SyncEngine
from tests.integration.billing_fixtures import account_with_bills, clerk, counter, manager


def _outbox(db: NodeDatabase) -> dict[str, str]:
    with unit_of_work(db.sessions) as session:
        return store.delivery_states(session)


def test_a_branch_s_payments_reach_head_office_exactly_once(hq: tuple[Any, httpx.Client], hq_db: Any,
                                                             seeded_db: NodeDatabase, data_paths: DataPaths) -> None:
    handle, _ = hq
    code = issue_code(hq_db.engine, "B001", "hub", None, 7)
    credential = enrol(seeded_db.sessions, data_paths.root, handle.url, code.code)
    assert (credential.branch_code, credential.terminal_code, credential.incarnation) == ("B001", "H01", 1)
    seeded_db.dispose()  # as the CLI does: the node is reopened under its enrolled identity
    db = open_node_database(data_paths, Settings())
    try:
        c = counter(db, data_paths)
        who = clerk(c)
        receipts = []
        for _ in range(3):
            view = account_with_bills(c)
            due = view.owed_fen
            paid = c.payments.take_payment(who, view.account_id, [MethodPart("cash", due, tendered_fen=due)],
                                           bill_ids=[b.bill_id for b in view.bills], expected_due_fen=due)
            receipts.append(paid)
        void = c.payments.void_payment(receipts[0].payment_id, who, manager(c, who), "金额录错")
        assert all(no.startswith("B001-H01A-") for no in (r.receipt_no for r in (*receipts, void)))

        engine = SyncEngine(db.sessions, data_paths.root)
        try:
            result = engine.drain()
            assert result.status == "ok" and not result.retryable, result
            sent = _outbox(db)
            assert sent and set(sent.values()) == {"acked"}, sent
            with hq_db.engine.connect() as connection:
                stored = dict(connection.execute(select(InboundEvent.event_id, InboundEvent.apply_status)).all())
                payments = connection.execute(select(HQPayment.receipt_no)).scalars().all()
            assert set(stored) == set(sent) and set(stored.values()) == {"applied"}  # acknowledged = stored, once
            assert sorted(payments) == sorted(r.receipt_no for r in (*receipts, void))

            again = engine.drain()  # nothing new: nothing sent, nothing stored twice
            assert again.status == "ok"
            with unit_of_work(db.sessions) as session:  # the same events once more, as after a lost answer
                session.execute(OutboxEvent.__table__.update().values(state="pending", acked_at=None))
                session.execute(OutboxAck.__table__.update().values(through_seq=0))
            assert engine.drain().status == "ok" and set(_outbox(db).values()) == {"acked"}
            with hq_db.engine.connect() as connection:
                assert connection.execute(select(func.count()).select_from(InboundEvent)).scalar_one() == len(sent)
                assert connection.execute(select(func.count()).select_from(HQPayment)).scalar_one() == 4
        finally:
            engine.close()
        backlog = sync_backlog(db)
        assert (backlog.pending, backlog.quarantined) == (0, 0)
    finally:
        db.dispose()
