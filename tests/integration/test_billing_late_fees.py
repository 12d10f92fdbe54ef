"""Late fees on a real seeded branch across partial payments made on several days: what is still
overdue goes on earning its daily rate from the day after each payment."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from counter_app.core.config import Settings, settings_from_dict
from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import InvalidInput
from counter_app.domain.money import div_round_half_up
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, OutboxEvent, TariffVersion
from counter_app.services.billing.payments import PaymentService
from counter_app.services.seed import RESIDENTIAL
from tests.integration.billing_fixtures import account_with_bills, clerk, counter, manager

LATE_FEE = {"daily_rate": 5}  # 5‰ a day from the day after the due date, no grace, no cap


def _bill_with_late_fee(c, rule=LATE_FEE):  # type: ignore[no-untyped-def]
    view = account_with_bills(c)
    bill = view.bills[0]
    with unit_of_work(c.db.sessions) as session:
        version = TariffVersion(code="RES-LATE", name="居民（违约金）", user_type="residential",
                                valid_from=date(2020, 1, 1), definition={**RESIDENTIAL, "late_fee": rule})
        session.add(version)
        session.flush()
        session.get(Bill, bill.bill_id).tariff_version_id = version.id
    return view, bill


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(4, 0), tzinfo=timezone.utc)  # 12:00 in Asia/Shanghai


def _payments_on(c, day: date, settings: Settings | None = None) -> PaymentService:  # type: ignore[no-untyped-def]
    return PaymentService(c.db, settings or Settings(), clock=lambda: _noon(day))


def _fee(weighted_fen_days: int) -> int:
    return div_round_half_up(weighted_fen_days * 5, 1000)


def _start(db, paths):  # type: ignore[no-untyped-def]
    """The counter, a logged-in clerk, an account and its oldest bill under a 5‰ late-fee rule."""
    c = counter(db, paths)
    view, bill = _bill_with_late_fee(c)
    return c, clerk(c), view, bill


def _bill_on(c, view, bill, day: date | None):  # type: ignore[no-untyped-def]
    """The bill as the account view shows it on ``day`` (None when nothing is owed on it)."""
    return next((b for b in c.accounts.account_view(view.account_id, as_of=day).bills if b.bill_id == bill.bill_id), None)


def test_partial_payments_on_several_days_leave_the_rest_earning_its_late_fee(seeded_db, data_paths) -> None:
    c, who, view, bill = _start(seeded_db, data_paths)
    amount, due = bill.principal_owed_fen, bill.due_date
    first_day, second_day = due + timedelta(days=10), due + timedelta(days=20)

    def owed_on(day: date):  # type: ignore[no-untyped-def]
        return _bill_on(c, view, bill, day)

    fee10 = _fee(amount * 10)
    assert owed_on(first_day).late_fee_owed_fen == fee10
    half = amount // 2
    first = _payments_on(c, first_day).take_payment(who, view.account_id, [MethodPart("cash", fee10 + half)],
                                                      bill_ids=[bill.bill_id])
    assert first.late_fee_fen == fee10 and first.allocations[0].principal_fen == half
    rest = amount - half
    # ten more days on what is still overdue, not on nothing
    later = owed_on(second_day)
    assert later.principal_owed_fen == rest
    assert later.late_fee_owed_fen == _fee(amount * 10 + rest * 10) - fee10 > 0
    third = rest // 3
    fee_then = later.late_fee_owed_fen
    _payments_on(c, second_day).take_payment(who, view.account_id, [MethodPart("cash", fee_then + third)],
                                             bill_ids=[bill.bill_id])
    month = owed_on(due + timedelta(days=30))
    assert month.principal_owed_fen == rest - third
    assert month.late_fee_owed_fen == _fee(amount * 10 + rest * 10 + (rest - third) * 10) - fee10 - fee_then


def test_a_voided_partial_payment_counts_as_never_made(seeded_db, data_paths) -> None:
    c, who, view, bill = _start(seeded_db, data_paths)
    amount, due = bill.principal_owed_fen, bill.due_date
    pay_day = due + timedelta(days=5)
    service = _payments_on(c, pay_day)
    fee5 = _fee(amount * 5)
    paid = service.take_payment(who, view.account_id, [MethodPart("cash", fee5 + amount // 2)], bill_ids=[bill.bill_id])
    service.void_payment(paid.payment_id, who, manager(c, who), "金额录错")
    after = _bill_on(c, view, bill, due + timedelta(days=15))
    assert after.principal_owed_fen == amount and after.late_fee_owed_fen == _fee(amount * 15)


# -- the allocation policy (违约金 before or after the principal) is a dated setting -----------------

def _policy_settings(*entries: dict) -> Settings:  # type: ignore[type-arg]
    return settings_from_dict({"billing": {"allocation": list(entries)}}, "counter.toml")


def test_the_configured_allocation_policy_reaches_the_payment_and_changes_on_its_date(seeded_db, data_paths) -> None:
    c, who, view, bill = _start(seeded_db, data_paths)
    amount, due = bill.principal_owed_fen, bill.due_date
    switch = due + timedelta(days=15)
    settings = _policy_settings({"from": date(2020, 1, 1), "late_fee_first": True},
                                {"from": switch, "late_fee_first": False})
    fee10 = _fee(amount * 10)
    before = _payments_on(c, due + timedelta(days=10), settings).take_payment(
        who, view.account_id, [MethodPart("cash", fee10)], bill_ids=[bill.bill_id])
    assert (before.allocations[0].late_fee_fen, before.allocations[0].principal_fen) == (fee10, 0)
    day = due + timedelta(days=20)
    owed = _bill_on(c, view, bill, day)
    assert owed.late_fee_owed_fen > 0
    # from the switch on the principal is paid first: all of it, and the late fee stays owed
    after = _payments_on(c, day, settings).take_payment(who, view.account_id, [MethodPart("cash", amount)],
                                                        bill_ids=[bill.bill_id])
    assert (after.allocations[0].principal_fen, after.allocations[0].late_fee_fen) == (amount, 0)
    with unit_of_work(c.db.sessions) as session:  # the split is recorded with the policy it followed (对账)
        policies = [event.payload["payment"]["allocation_policy"] for event in session.scalars(
            select(OutboxEvent).where(OutboxEvent.aggregate_id.in_([before.payment_id, after.payment_id]))
            .order_by(OutboxEvent.seq))]
    assert [p["late_fee_first"] for p in policies] == [True, False]
    still = _bill_on(c, view, bill, day + timedelta(days=30))
    assert still is not None and still.principal_owed_fen == 0
    assert still.late_fee_owed_fen == owed.late_fee_owed_fen  # nothing overdue any more: no further fee
    last = _payments_on(c, day + timedelta(days=30), settings).take_payment(
        who, view.account_id, [MethodPart("cash", owed.late_fee_owed_fen)], bill_ids=[bill.bill_id])
    assert last.late_fee_fen == owed.late_fee_owed_fen
    assert _bill_on(c, view, bill, None) is None


def test_a_policy_that_refuses_partial_payments(seeded_db, data_paths) -> None:
    c, who, view, bill = _start(seeded_db, data_paths)
    settings = _policy_settings({"from": "2020-01-01", "allow_partial": False})
    with pytest.raises(InvalidInput) as error:
        _payments_on(c, bill.due_date, settings).take_payment(who, view.account_id, [MethodPart("cash", 1)],
                                                              bill_ids=[bill.bill_id])
    assert error.value.field == "amount"
