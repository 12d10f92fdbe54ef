"""Voids (冲正) restore exactly and never touch the original; after 日结 only a refund from the
balance, authorised by a manager."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import AuditLog, Payment, PaymentAllocation, PaymentPart
from counter_app.services.billing.payments import PaymentService
from tests.integration.billing_fixtures import (
    account_with_bills,
    account_without_bills,
    clerk,
    counter,
    fingerprint,
    manager,
)


def _account_state(db, account_id: str):  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        bills = connection.execute(text("SELECT id, paid_fen, status FROM bill WHERE account_id = :a ORDER BY id"),
                                   {"a": account_id}).all()
        balance = connection.execute(text("SELECT balance_fen FROM customer_account WHERE id = :a"), {"a": account_id}).scalar()
    return bills, balance


def test_a_void_restores_bills_and_balance_exactly(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c, 2)
    before = _account_state(seeded_db, view.account_id)
    paid = c.payments.take_payment(who, view.account_id, [
        MethodPart("card", 1234, reference="POS-1"), MethodPart("cash", view.owed_fen + 3000, tendered_fen=view.owed_fen + 5000)])
    with unit_of_work(seeded_db.sessions) as session:
        original = {k: v for k, v in vars(session.get(Payment, paid.payment_id)).items() if not k.startswith("_")}
    void = c.payments.void_payment(paid.payment_id, who, manager(c, who), "  金额录错 ")
    assert _account_state(seeded_db, view.account_id) == before
    assert void.kind == "void" and void.received_fen == -paid.received_fen
    with unit_of_work(seeded_db.sessions) as session:
        again = {k: v for k, v in vars(session.get(Payment, paid.payment_id)).items() if not k.startswith("_")}
        assert again == original  # the original is never edited
        row = session.get(Payment, void.payment_id)
        assert (row.reverses_id, row.reason, row.authorised_by) == (paid.payment_id, "金额录错", row.authorised_by)
        assert row.authorised_by is not None
        for model in (PaymentAllocation, PaymentPart):
            amounts = session.scalars(select(model).where(model.payment_id.in_([paid.payment_id, void.payment_id]))).all()
            assert sum(getattr(a, "principal_fen", 0) + getattr(a, "late_fee_fen", 0) + getattr(a, "amount_fen", 0)
                       for a in amounts) == 0
        assert session.scalars(select(AuditLog).where(AuditLog.action == "payment_void")).one().detail["reason"] == "金额录错"
    assert c.accounts.account_view(view.account_id).last_payments[1].voided


def test_a_void_needs_a_manager_a_reason_and_happens_once(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_without_bills(c)
    paid = c.payments.take_payment(who, view.account_id, [MethodPart("cash", 800)], bill_ids=[])
    before = fingerprint(seeded_db)
    with pytest.raises(InvalidInput) as no_manager:
        c.payments.void_payment(paid.payment_id, who, who, "录错")
    assert no_manager.value.field == "manager"
    with pytest.raises(InvalidInput) as no_reason:
        c.payments.void_payment(paid.payment_id, who, manager(c, who), "  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(InvalidInput):
        c.auth.verify_manager("1002", "demo1234", for_action="void", requested_by=who)  # a clerk cannot authorise
    assert {k: v for k, v in fingerprint(seeded_db).items() if k != "audit_log"} == \
        {k: v for k, v in before.items() if k != "audit_log"}
    void = c.payments.void_payment(paid.payment_id, who, manager(c, who), "录错")
    with pytest.raises(NotAllowed, match="already voided"):
        c.payments.void_payment(paid.payment_id, who, manager(c, who), "录错")
    with pytest.raises(NotAllowed, match="only a payment"):
        c.payments.void_payment(void.payment_id, who, manager(c, who), "录错")


def test_no_void_once_the_prepayment_is_spent(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c)
    prepaid = c.payments.take_payment(who, view.account_id, [MethodPart("cash", view.owed_fen)], bill_ids=[])
    c.payments.take_payment(who, view.account_id, [], use_balance=True)  # the balance pays the bills
    before = fingerprint(seeded_db)
    with pytest.raises(NotAllowed, match="since been used"):
        c.payments.void_payment(prepaid.payment_id, who, manager(c, who), "客户要求")
    assert {k: v for k, v in fingerprint(seeded_db).items() if k != "audit_log"} == \
        {k: v for k, v in before.items() if k != "audit_log"}


def test_no_void_on_a_later_day(seeded_db, data_paths, settings) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    paid = c.payments.take_payment(who, account_without_bills(c).account_id, [MethodPart("cash", 800)], bill_ids=[])
    tomorrow = PaymentService(seeded_db, settings, clock=lambda: utcnow() + timedelta(days=1))
    with pytest.raises(NotAllowed, match="own business day"):
        tomorrow.void_payment(paid.payment_id, who, manager(c, who), "录错")


def test_after_settlement_only_a_refund_from_the_balance(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_without_bills(c)
    paid = c.payments.take_payment(who, view.account_id, [MethodPart("cash", 5000)], bill_ids=[])
    c.settlement.settle_day(who, 5000)
    boss = manager(c, who)
    with pytest.raises(NotAllowed, match="settled"):
        c.payments.void_payment(paid.payment_id, who, boss, "录错")
    before = fingerprint(seeded_db)
    with pytest.raises(NotAllowed, match="prepaid balance"):
        c.payments.refund(view.account_id, view.balance_fen + 5001, who, boss, "退预存")
    with pytest.raises(InvalidInput) as no_manager:
        c.payments.refund(view.account_id, 100, who, None, "退预存")
    assert no_manager.value.field == "manager"
    assert fingerprint(seeded_db) == before
    refund = c.payments.refund(view.account_id, 3000, who, boss, "退预存", original_payment_id=paid.payment_id)
    assert (refund.kind, refund.received_fen, refund.balance_after_fen) == ("refund", -3000, view.balance_fen + 2000)
    assert refund.business_date == paid.business_date + timedelta(days=1)  # the settled day stays closed
    summary = c.settlement.day_summary(who.staff_id, refund.business_date)
    assert (summary.refunds.count, summary.refunds.amount_fen, summary.expected_cash_fen) == (1, 3000, -3000)
    slip = c.receipts.render_and_print(refund.payment_id, who)
    assert slip.status == "saved" and slip.path is not None and slip.path.stat().st_size > 1000
