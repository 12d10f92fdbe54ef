"""A counter with its own database fed by head office's reference data (real PostgreSQL, HTTP on
loopback): offline logins bounded by head office's offline_valid_until, a revocation refused after
the next pull (G17 at a counter), and a pull of head office's checkpoint keeps the counter's own
unsynced payments exactly once (the balance overlay)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import NotAllowed
from counter_app.domain.staff_rules import LoginRefused
from counter_app.domain.timeutil import utcnow
from counter_app.hq.refdata import api
from counter_app.persistence.models import Bill, CustomerAccount
from counter_app.services.billing.payments import PaymentService
from counter_app.services.node import open_node_database
from counter_app.services.offline_login import OfflineLogin
from counter_app.services.sync.refdata import pull_all
from tests.hq.refdata_fixtures import TARIFF, account, bill, password_hash, publish_branch
from tests.hq.refdata_wire import node_call


@pytest.fixture
def counter_db(data_paths):  # type: ignore[no-untyped-def]
    db = open_node_database(data_paths, replace(Settings(), role="counter", window=1))
    yield db
    db.dispose()


def _state(db, account_no: str) -> tuple[int, int, str]:  # type: ignore[no-untyped-def]
    with db.sessions() as session:
        balance, paid, status = session.execute(
            select(CustomerAccount.balance_fen, Bill.paid_fen, Bill.status).join(Bill, Bill.account_id == CustomerAccount.id)
            .where(CustomerAccount.account_no == account_no)).one()
    return balance, paid, status


def test_a_counter_on_head_office_data(hq_db, client, make_node, counter_db) -> None:  # type: ignore[no-untyped-def]
    engine, now = hq_db.engine, utcnow()
    publish_branch(engine)
    until = (now + timedelta(days=3)).isoformat()
    for staff_no in ("1001", "1002"):
        api.upsert_staff(engine, staff_no=staff_no, name="李娜", role="clerk", password_hash=password_hash("pw-" + staff_no),
                         branches=["B001"], offline_valid_until=until, by="test")
    api.publish_tariff_version(engine, code="RES", name="居民", user_type="residential", valid_from="2026-01-01",
                               definition=TARIFF, by="test")
    api.upsert_accounts_and_bills(engine, "B001", accounts=[account("1000000001"), account("1000000002")],
                                  meters=[{"meter_no": f"M100000000{i}", "account_no": f"100000000{i}"} for i in (1, 2)],
                                  bills=[bill("1000000001"), bill("1000000002")], by="test")
    call = node_call(client, make_node("B001", "counter", 1))
    assert pull_all(counter_db.sessions, call, "B001").ok

    clerk = OfflineLogin(counter_db).login("1001", "pw-1001", 1)  # head office's hash, cached here
    later = OfflineLogin(counter_db, clock=lambda: now + timedelta(days=4))
    with pytest.raises(NotAllowed) as expired:  # head office's offline validity, not the policy's 7 days
        later.login("1001", "pw-1001", 1)
    assert expired.value.code == "offline_login_expired"

    # a payment at this counter, then head office's checkpoint of that account comes down again
    with counter_db.sessions() as session:
        account_id = session.scalar(select(CustomerAccount.id).where(CustomerAccount.account_no == "1000000001"))
    payments = PaymentService(counter_db, Settings())
    payments.take_payment(clerk, account_id, [MethodPart("cash", 5000, tendered_fen=5000)])  # 4567 + 433 prepaid
    assert _state(counter_db, "1000000001") == (433, 4567, "paid")
    api.upsert_accounts_and_bills(engine, "B001", accounts=[account("1000000001", phone="13800000000")],
                                  bills=[bill("1000000001", due_date="2026-11-30")], by="test")
    assert pull_all(counter_db.sessions, call, "B001").ok
    assert _state(counter_db, "1000000001") == (433, 4567, "paid")  # not lost by head office's checkpoint
    assert pull_all(counter_db.sessions, call, "B001").ok
    assert _state(counter_db, "1000000001") == (433, 4567, "paid")  # nor counted twice
    assert _state(counter_db, "1000000002") == (0, 0, "open")

    api.set_staff_disabled(engine, "1002", True, by="test")  # G17: refused after the next pull
    assert OfflineLogin(counter_db).login("1002", "pw-1002", 1).staff_no == "1002"
    assert pull_all(counter_db.sessions, call, "B001").ok
    with pytest.raises(LoginRefused) as refused:
        OfflineLogin(counter_db).login("1002", "pw-1002", 1)
    assert refused.value.reason == "disabled"


class _OtherVersion:
    """The real transport of a node of another protocol version (N+1 or N-1)."""

    def __init__(self, url: str, version: str) -> None:
        from counter_app.services.sync.transport import HttpxTransport

        self._real, self._version = HttpxTransport(url), version

    def post(self, path: str, body: bytes, headers: dict[str, str]):  # type: ignore[no-untyped-def]
        from counter_app.core.syncwire import H_PROTOCOL

        return self._real.post(path, body, {**headers, H_PROTOCOL: self._version})

    def reset(self) -> None:
        self._real.reset()

    def close(self) -> None:
        self._real.close()


@pytest.mark.parametrize("version", ["0", "2"])
def test_g18_a_counter_of_another_protocol_version_is_told_to_upgrade_and_works_on(
        hq_db, hq, seeded_db, data_paths, version) -> None:  # type: ignore[no-untyped-def]
    from counter_app.hq.enrolment import issue_code
    from counter_app.persistence.models import OutboxEvent, SyncCursor
    from counter_app.services.auth import AuthService
    from counter_app.services.seed import DEMO_PASSWORD
    from counter_app.services.sync.enrolment import enrol
    from counter_app.services.sync.worker import SyncEngine

    handle, _ = hq
    publish_branch(hq_db.engine)
    api.upsert_staff(hq_db.engine, staff_no="1001", name="李娜", role="clerk", password_hash=password_hash("hq-pass"),
                     branches=["B001"], by="test")
    enrol(seeded_db.sessions, data_paths.root, handle.url, issue_code(hq_db.engine, "B001", "counter", 1, 7).code)
    seeded_db.dispose()  # the counter starts again as the enrolled node
    seeded_db = open_node_database(data_paths, replace(Settings(), role="counter", window=1))
    clerk = AuthService(seeded_db).login("1001", DEMO_PASSWORD, 1)
    with seeded_db.sessions() as session:
        account_id = session.scalar(select(CustomerAccount.id).order_by(CustomerAccount.account_no))
    payments = PaymentService(seeded_db, Settings())
    payments.take_payment(clerk, account_id, [MethodPart("cash", 1000, tendered_fen=1000)], bill_ids=[])
    sync = SyncEngine(seeded_db.sessions, data_paths.root, transport_factory=lambda url: _OtherVersion(url, version))
    try:
        assert sync.step().status == "upgrade_required"
    finally:
        sync.close()
    payments.take_payment(clerk, account_id, [MethodPart("cash", 1000, tendered_fen=1000)], bill_ids=[])  # works on
    assert AuthService(seeded_db).login("1001", DEMO_PASSWORD, 1).staff_no == "1001"  # head office's data not applied
    with seeded_db.sessions() as session:
        assert session.scalar(select(SyncCursor.stream)) is None
        states = session.scalars(select(OutboxEvent.state).where(OutboxEvent.channel == "payments")).all()
    assert states == ["pending", "pending"]  # kept for when it is upgraded
    upgraded = SyncEngine(seeded_db.sessions, data_paths.root)
    try:
        assert upgraded.drain().status == "ok"  # upgraded: all of it goes
    finally:
        upgraded.close()
        seeded_db.dispose()
