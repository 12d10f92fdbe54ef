"""Counters on their own databases (issue 10 items 3 and 4): the hub hears of each payment's
bills and refuses a bill paid at another window; with the hub down payments go on against the
counter's own bills and a real double payment becomes an incident; the window's balance overlays
head office's checkpoint with the node's unsynced payments; cached logins within their offline
validity; G17 with the local staff table; G18 for the bills protocol."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import NotAllowed
from counter_app.domain.staff_rules import LoginRefused
from counter_app.domain.timeutil import utcnow
from counter_app.hub.client import HubUpgradeRequired
from counter_app.hub.server import start_hub_in_thread
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, BillReport, CustomerAccount, OutboxEvent, Staff, SyncState
from counter_app.services.billing.overlay import apply_checkpoint, unsynced_effects, window_balance
from counter_app.core.config import load_settings
from counter_app.services.offline_login import OfflineLogin, OfflinePolicy, offline_policy
from counter_app.services.seed import DEMO_PASSWORD
from tests.integration.hub_devices import enrol
from tests.integration.split_fixtures import SplitCounter, open_counter


def _open_bill(db) -> tuple[str, str, int]:  # type: ignore[no-untyped-def]
    with db.sessions() as session:
        bill = session.scalars(select(Bill).where(Bill.status == "open").order_by(Bill.account_id, Bill.period)).first()
        return bill.account_id, bill.id, bill.amount_fen - bill.paid_fen


def _pay(counter: SplitCounter, account_id: str, bill_id: str, owed: int):  # type: ignore[no-untyped-def]
    return counter.payments.take_payment(counter.clerk(), account_id, [MethodPart("cash", owed, tendered_fen=owed)],
                                         bill_ids=[bill_id])


@pytest.fixture
def hall(seeded_db, settings, tmp_path):  # type: ignore[no-untyped-def]
    tokens = {w: enrol(seeded_db, "counter", w) for w in (1, 2)}
    hub = start_hub_in_thread(seeded_db, settings)
    counters = [open_counter(tmp_path / f"counter{w}", w, seeded_db.path, hub.url, tokens[w]) for w in (1, 2)]
    state = {"hub": hub}

    def restart() -> None:
        state["hub"] = start_hub_in_thread(seeded_db, settings, port=hub.port)

    yield seeded_db, counters, state, restart
    state["hub"].stop()
    for c in counters:
        c.close()


def test_a_bill_paid_at_one_window_is_refused_at_the_other_once_the_hub_has_seen_it(hall) -> None:  # type: ignore[no-untyped-def]
    _, (one, two), _, _ = hall
    account_id, bill_id, owed = _open_bill(one.db)
    paid = _pay(one, account_id, bill_id, owed)
    assert paid.receipt_no.split("-")[1].startswith("T01")  # its own terminal's receipt series
    assert one.desk.report_pending().sent == 1
    assert one.client.report_bills_paid(_report_of(one, paid.payment_id))["recorded"] is False  # idempotent
    with pytest.raises(NotAllowed) as refused:
        _pay(two, account_id, bill_id, owed)
    assert refused.value.code == "bill_paid_at_window" and refused.value.params["window"] == 1
    with two.db.sessions() as session:  # nothing taken at window 2
        assert session.scalar(select(OutboxEvent.seq).where(OutboxEvent.channel == "payments")) is None


def _report_of(counter: SplitCounter, payment_id: str) -> dict:  # type: ignore[type-arg]
    with counter.db.sessions() as session:
        return session.get(BillReport, payment_id).payload


def test_hub_down_payments_go_on_and_a_double_payment_becomes_an_incident(hall) -> None:  # type: ignore[no-untyped-def]
    _, (one, two), state, restart = hall
    account_id, bill_id, owed = _open_bill(one.db)
    state["hub"].stop()
    first, second = _pay(one, account_id, bill_id, owed), _pay(two, account_id, bill_id, owed)
    assert one.desk.report_pending().left == 1 and one.desk.online is False
    restart()
    assert one.desk.report_pending().conflicts == 0
    late = two.desk.report_pending()
    assert (late.sent, late.left, late.conflicts) == (1, 0, 1)
    incidents = one.client.bill_incidents()
    assert [(i["payment_id"], i["other_payment_id"], i["window"], i["other_window"]) for i in incidents] == [
        (second.payment_id, first.payment_id, 2, 1)]
    with two.db.sessions() as session:
        row = session.get(BillReport, second.payment_id)
        assert row.taken_offline and row.result.startswith("DOUBLE PAYMENT")


def test_a_void_gives_the_bill_back_at_the_hub(hall) -> None:  # type: ignore[no-untyped-def]
    _, (one, two), _, _ = hall
    account_id, bill_id, owed = _open_bill(one.db)
    paid = _pay(one, account_id, bill_id, owed)
    clerk = one.clerk()
    manager = one.clerk("8001")
    one.payments.void_payment(paid.payment_id, clerk, manager, "金额录错")
    assert one.desk.report_pending().sent == 2
    assert _pay(two, account_id, bill_id, owed).kind == "payment"


def test_a_counter_of_another_bills_protocol_gets_upgrade_required_and_works_on(hall) -> None:  # type: ignore[no-untyped-def]
    _, (one, _two), _, _ = hall
    one.client.bills_protocol = 2
    with pytest.raises(HubUpgradeRequired):
        one.client.check_bills(["x"], "T01")
    account_id, bill_id, owed = _open_bill(one.db)
    assert _pay(one, account_id, bill_id, owed).kind == "payment"
    assert one.desk.online is False and one.desk.report_pending().left == 1
    one.client.bills_protocol = 1  # upgraded: the report goes
    assert one.desk.report_pending().left == 0


def test_balance_at_the_window_is_the_checkpoint_plus_unsynced_payments_never_twice(seeded_db) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.billing_fixtures import account_without_bills, clerk, counter

    c = counter(seeded_db, None)  # type: ignore[arg-type]
    account = account_without_bills(c)
    c.payments.take_payment(clerk(c), account.account_id, [MethodPart("cash", 5000, tendered_fen=5000)], bill_ids=[])
    with unit_of_work(seeded_db.sessions) as session:
        seq = session.scalar(select(OutboxEvent.channel_seq).where(OutboxEvent.channel == "payments"))
        effects = unsynced_effects(session, seeded_db.node_id, account.account_id, 0)
        assert window_balance(0, effects) == 5000
        apply_checkpoint(session, seeded_db.node_id, account.account_id, 0, {}, reflected_through=seq - 1)  # HQ before it
        assert session.get(CustomerAccount, account.account_id).balance_fen == 5000
        apply_checkpoint(session, seeded_db.node_id, account.account_id, 5000, {}, reflected_through=seq)  # HQ absorbed it
        assert session.get(CustomerAccount, account.account_id).balance_fen == 5000  # not 10000
    account_id, bill_id, owed = _open_bill(seeded_db)
    c.payments.take_payment(clerk(c), account_id, [MethodPart("cash", owed, tendered_fen=owed)], bill_ids=[bill_id])
    with unit_of_work(seeded_db.sessions) as session:
        apply_checkpoint(session, seeded_db.node_id, account_id, 0, {bill_id: 0}, reflected_through=seq)
        bill = session.get(Bill, bill_id)
        assert (bill.paid_fen, bill.status) == (bill.amount_fen, "paid")


def _heard_from_head_office(db, when) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        session.add(SyncState(peer="hq", status="ok", last_success_at=when, acked_through={}, last_error=""))


def test_cached_logins_last_as_long_as_their_offline_validity(seeded_db) -> None:  # type: ignore[no-untyped-def]
    now = utcnow()
    with pytest.raises(NotAllowed) as never:
        OfflineLogin(seeded_db).login("1001", DEMO_PASSWORD, 1)
    assert never.value.code == "offline_login_never"
    _heard_from_head_office(seeded_db, now - timedelta(days=13))
    fourteen = OfflinePolicy(login_days=14)
    assert OfflineLogin(seeded_db, fourteen).login("1001", DEMO_PASSWORD, 1).staff_no == "1001"
    later = OfflineLogin(seeded_db, fourteen, clock=lambda: now + timedelta(days=2))
    with pytest.raises(NotAllowed) as expired:
        later.login("1001", DEMO_PASSWORD, 1)
    assert expired.value.code == "offline_login_expired"
    with pytest.raises(NotAllowed):
        OfflineLogin(seeded_db, OfflinePolicy(login_days=7)).login("1001", DEMO_PASSWORD, 1)


def test_by_default_cached_logins_last_through_a_14_day_head_office_outage(seeded_db) -> None:  # type: ignore[no-untyped-def]
    """Issue 10 item 4: staff log in through 14 days without head office, with no [offline] table."""
    now = utcnow()
    _heard_from_head_office(seeded_db, now - timedelta(days=14) + timedelta(minutes=5))
    assert offline_policy(load_settings(None)).login_days == OfflinePolicy().login_days == 14
    assert OfflineLogin(seeded_db, settings=load_settings(None)).login("1001", DEMO_PASSWORD, 1).staff_no == "1001"
    with pytest.raises(NotAllowed) as expired:
        OfflineLogin(seeded_db, clock=lambda: now + timedelta(minutes=10)).login("1001", DEMO_PASSWORD, 1)
    assert expired.value.code == "offline_login_expired"


def test_g17_a_staff_member_disabled_by_the_last_sync_cannot_log_in_offline(seeded_db) -> None:  # type: ignore[no-untyped-def]
    _heard_from_head_office(seeded_db, utcnow())
    offline = OfflineLogin(seeded_db)
    assert offline.login("1002", DEMO_PASSWORD, 2).staff_no == "1002"
    with unit_of_work(seeded_db.sessions) as session:  # what the staff stream applies
        session.execute(update(Staff).where(Staff.staff_no == "1002").values(disabled=True))
    with pytest.raises(LoginRefused) as refused:
        offline.login("1002", DEMO_PASSWORD, 2)
    assert refused.value.reason == "disabled"


def test_a_counter_logs_in_on_cached_credentials_while_the_hub_is_down(hall) -> None:  # type: ignore[no-untyped-def]
    from counter_app.gui.login import login_at_hub
    from counter_app.hub.client import HubUnavailable
    from counter_app.services.offline_login import hub_or_offline

    _, (one, _two), state, _ = hall
    _heard_from_head_office(one.db, utcnow() - timedelta(days=1))
    check = hub_or_offline(login_at_hub(one.client), OfflineLogin(one.db), HubUnavailable)
    with pytest.raises(LoginRefused):  # the hub answers: its refusal stands, no offline second try
        check("1001", "wrong-password", 1)
    state["hub"].stop()
    clerk = check("1001", DEMO_PASSWORD, 1)  # the hub is down: this PC's own staff table
    account_id, bill_id, owed = _open_bill(one.db)
    paid = one.payments.take_payment(clerk, account_id, [MethodPart("cash", owed, tendered_fen=owed)], bill_ids=[bill_id])
    assert paid.kind == "payment" and one.desk.online is False
