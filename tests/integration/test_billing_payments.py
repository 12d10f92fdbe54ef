"""Taking payments on a real seeded SQLite branch: one transaction with its receipt number and
outbox event, bad input refused with nothing changed, the two-windows race, gap-free numbers."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.money import parse_yuan
from counter_app.domain.receipt_numbers import parse_receipt_number
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import make_engine, make_session_factory, unit_of_work
from counter_app.persistence.models import (
    REPLICATED_MODELS,
    AuditLog,
    Bill,
    CustomerAccount,
    NodeIdentity,
    OutboxEvent,
    Payment,
    PaymentAllocation,
    PaymentPart,
    Receipt,
)
from counter_app.services.billing.payments import PaymentService
from counter_app.services.node import NodeDatabase
from tests.integration.billing_fixtures import account_with_bills, account_without_bills, clerk, counter, fingerprint


def test_a_payment_commits_everything_with_one_outbox_event(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c)
    due = view.owed_fen
    result = c.payments.take_payment(who, view.account_id, [MethodPart("cash", due, tendered_fen=due + 5000)],
                                     bill_ids=[b.bill_id for b in view.bills], expected_due_fen=due)
    assert (result.total_fen, result.change_fen, result.balance_after_fen) == (due, 5000, view.balance_fen)
    number = parse_receipt_number(result.receipt_no)
    assert (number.branch_code, number.terminal_code, number.incarnation, number.seq) == ("B001", "H00", 1, 1)
    with unit_of_work(seeded_db.sessions) as session:
        payment = session.get(Payment, result.payment_id)
        assert payment is not None and payment.kind == "payment" and payment.amount_fen == due
        assert payment.clerk_id == who.staff_id and payment.window_id is not None
        allocations = session.scalars(select(PaymentAllocation).where(PaymentAllocation.payment_id == payment.id)).all()
        assert sum(a.principal_fen + a.late_fee_fen for a in allocations) == due
        assert all(session.get(Bill, b.bill_id).status == "paid" for b in view.bills)
        events = session.scalars(select(OutboxEvent).where(OutboxEvent.channel == "payments")).all()
        assert len(events) == 1 and events[0].event_id == result.outbox_event_id
        payload = events[0].payload
        assert payload["receipt"]["receipt_no"] == result.receipt_no
        assert len(payload["allocations"]) == len(view.bills) and payload["parts"][0]["method"] == "cash"
        for model in REPLICATED_MODELS:  # every row the payment wrote carries the event
            rows = session.scalars(select(model).where(model.outbox_event_id == result.outbox_event_id)).all()
            expected = {Payment: 1, PaymentPart: 1, Receipt: 1, PaymentAllocation: len(view.bills)}.get(model, 0)
            assert len(rows) == expected, model.__name__
        audit = session.scalars(select(AuditLog).where(AuditLog.action == "payment")).one()
        assert audit.entity_id == payment.id and audit.detail["receipt_no"] == result.receipt_no
    after = c.accounts.account_view(view.account_id)
    assert after.bills == () and after.last_payments[0].receipt_no == result.receipt_no


def test_split_prepayment_then_paying_from_the_balance(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c, 2)
    oldest, newer = view.bills[0], view.bills[1]
    first = c.payments.take_payment(who, view.account_id, [
        MethodPart("card", oldest.owed_fen, reference="POS-778812"),
        MethodPart("cash", 10_000, tendered_fen=10_000)], bill_ids=[oldest.bill_id])
    assert first.to_balance_fen == 10_000 and first.balance_after_fen == view.balance_fen + 10_000
    quote = c.payments.quote(view.account_id, [newer.bill_id], use_balance=True)
    assert quote.from_balance_fen == min(quote.due_fen, first.balance_after_fen)
    parts = [MethodPart("qr", quote.to_pay_fen, reference="WX4200001")] if quote.to_pay_fen else []
    second = c.payments.take_payment(who, view.account_id, parts, bill_ids=[newer.bill_id], use_balance=True)
    assert second.from_balance_fen == quote.from_balance_fen
    assert second.balance_after_fen == first.balance_after_fen - quote.from_balance_fen
    assert c.accounts.account_view(view.account_id).balance_fen == second.balance_after_fen


def test_a_pure_prepayment_pays_no_bill(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    view = account_with_bills(c)
    result = c.payments.take_payment(clerk(c), view.account_id, [MethodPart("cash", 20_000)], bill_ids=[])
    assert result.allocations == () and result.to_balance_fen == 20_000
    assert c.accounts.account_view(view.account_id).bills == view.bills


def _bad_inputs():  # (name, action(c, who, view) -> raises, error type, field)
    def cash(amount, tendered=None):
        return [MethodPart("cash", amount, tendered_fen=tendered)]

    return [
        ("malformed account number", lambda c, w, v: c.accounts.lookup_account_no("10000001"), InvalidInput, "account_no"),
        ("letters in the account number", lambda c, w, v: c.accounts.search("10000A0001", kind="account_no"), InvalidInput, "account_no"),
        ("unknown account number", lambda c, w, v: c.accounts.lookup_account_no("9999999999"), InvalidInput, "account_no"),
        ("unknown account id", lambda c, w, v: c.payments.take_payment(w, "no-such-account", cash(100)), InvalidInput, "account_no"),
        ("three decimals", lambda c, w, v: parse_yuan("12.345"), InvalidInput, "amount"),
        ("zero amount", lambda c, w, v: c.payments.take_payment(w, v.account_id, cash(0)), InvalidInput, "amount"),
        ("negative amount", lambda c, w, v: c.payments.take_payment(w, v.account_id, cash(-500)), InvalidInput, "amount"),
        ("negative typed amount", lambda c, w, v: parse_yuan("-5.00"), InvalidInput, "amount"),
        ("tendered less than due", lambda c, w, v: c.payments.take_payment(
            w, v.account_id, cash(v.owed_fen, v.owed_fen - 1), bill_ids=[b.bill_id for b in v.bills]), InvalidInput, "tendered"),
        ("card without reference", lambda c, w, v: c.payments.take_payment(
            w, v.account_id, [MethodPart("card", v.owed_fen)]), InvalidInput, "reference"),
        ("nothing to pay with", lambda c, w, v: c.payments.take_payment(w, v.account_id, []), InvalidInput, "amount"),
        ("a bill of another account", lambda c, w, v: c.payments.take_payment(
            w, account_without_bills(c).account_id, cash(100), bill_ids=[v.bills[0].bill_id]), InvalidInput, "bills"),
        ("amount due changed", lambda c, w, v: c.payments.take_payment(
            w, v.account_id, cash(v.owed_fen), expected_due_fen=v.owed_fen + 1), NotAllowed, None),
    ]


@pytest.mark.parametrize("name, action, error, field", _bad_inputs(), ids=[case[0] for case in _bad_inputs()])
def test_bad_input_is_refused_and_changes_nothing(seeded_db, data_paths, name, action, error, field) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c)
    before = fingerprint(seeded_db)
    with pytest.raises(error) as raised:
        action(c, who, view)
    if field is not None:
        assert raised.value.field == field
    assert str(raised.value)
    assert fingerprint(seeded_db) == before


def test_a_bill_paid_at_another_window_a_second_ago_is_refused(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    window_1, window_2 = clerk(c, "1001", 1), clerk(c, "1002", 2)
    view = account_with_bills(c)  # both windows show the same bills
    bills = [b.bill_id for b in view.bills]
    c.payments.take_payment(window_1, view.account_id, [MethodPart("cash", view.owed_fen)], bill_ids=bills)
    before = fingerprint(seeded_db)
    with pytest.raises(NotAllowed, match="just been paid"):
        c.payments.take_payment(window_2, view.account_id, [MethodPart("cash", view.owed_fen)], bill_ids=bills,
                                expected_due_fen=view.owed_fen)
    assert fingerprint(seeded_db) == before


def test_two_windows_race_for_the_same_bill(seeded_db, data_paths, settings) -> None:
    c = counter(seeded_db, data_paths)
    staff = [clerk(c, "1001", 1), clerk(c, "1002", 2)]
    view = account_with_bills(c)
    bill = view.bills[0]
    start = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def window(index: int) -> None:  # each window with its own connection pool to the same file
        engine = make_engine(seeded_db.path)
        db = NodeDatabase(seeded_db.path, engine, make_session_factory(engine), seeded_db.node_id,
                          seeded_db.branch_code, seeded_db.terminal_code)
        service = PaymentService(db, settings)
        start.wait()
        try:
            outcomes[index] = service.take_payment(staff[index], view.account_id, [MethodPart("cash", bill.owed_fen)],
                                                   bill_ids=[bill.bill_id], expected_due_fen=bill.owed_fen)
        except NotAllowed as refused:
            outcomes[index] = refused
        finally:
            engine.dispose()

    threads = [threading.Thread(target=window, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(type(o).__name__ for o in outcomes) == ["NotAllowed", "PaymentResult"]
    with unit_of_work(seeded_db.sessions) as session:
        assert session.get(Bill, bill.bill_id).paid_fen == session.get(Bill, bill.bill_id).amount_fen
        paid = session.scalars(select(PaymentAllocation).where(PaymentAllocation.bill_id == bill.bill_id)).all()
        assert len(paid) == 1
        assert len(session.scalars(select(Receipt)).all()) == 1


def test_receipt_numbers_are_gap_free_and_unique(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    manager = c.auth.verify_manager("8001", "demo1234", for_action="void", requested_by=who)
    view = account_without_bills(c)
    numbers = []
    for n in range(25):
        if n % 7 == 3:
            with pytest.raises(InvalidInput):  # a refused payment takes no number
                c.payments.take_payment(who, view.account_id, [MethodPart("card", 100)], bill_ids=[])
        result = c.payments.take_payment(who, view.account_id, [MethodPart("cash", 100 + n)], bill_ids=[])
        numbers.append(result.receipt_no)
        if n % 5 == 4:  # a void is a record with a number of its own; the voided number stays used
            numbers.append(c.payments.void_payment(result.payment_id, who, manager, "录错").receipt_no)
    seqs = [parse_receipt_number(number).seq for number in numbers]
    assert seqs == list(range(1, len(numbers) + 1))
    with unit_of_work(seeded_db.sessions) as session:
        stored = session.scalars(select(Receipt.receipt_no)).all()
    assert sorted(stored) == sorted(numbers) and len(set(stored)) == len(stored)


def test_a_locked_receipt_series_refuses_payments(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c)
    with unit_of_work(seeded_db.sessions) as session:
        session.scalars(select(NodeIdentity)).one().receipts_locked = True
    before = fingerprint(seeded_db)
    with pytest.raises(NotAllowed, match="re-enrol"):
        c.payments.take_payment(who, view.account_id, [MethodPart("cash", view.owed_fen)])
    assert fingerprint(seeded_db) == before


def test_a_payment_after_settlement_counts_towards_the_next_day(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_without_bills(c)
    today = c.payments.take_payment(who, view.account_id, [MethodPart("cash", 500)], bill_ids=[]).business_date
    c.settlement.settle_day(who, 500)
    later = c.payments.take_payment(who, view.account_id, [MethodPart("cash", 700)], bill_ids=[])
    assert later.business_date == today + timedelta(days=1)
    other = c.payments.take_payment(clerk(c, "1002", 2), view.account_id, [MethodPart("cash", 900)], bill_ids=[])
    assert other.business_date == today  # the lock is per clerk
    with unit_of_work(seeded_db.sessions) as session:
        assert session.get(CustomerAccount, view.account_id).balance_fen == view.balance_fen + 2100


def test_the_clock_decides_the_business_day(seeded_db, data_paths, settings) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    moment = utcnow().replace(hour=17, minute=30)  # 01:30 the next day in Asia/Shanghai
    service = PaymentService(seeded_db, settings, clock=lambda: moment)
    result = service.take_payment(who, account_without_bills(c).account_id, [MethodPart("cash", 100)], bill_ids=[])
    assert result.business_date == (moment + timedelta(hours=8)).date()
