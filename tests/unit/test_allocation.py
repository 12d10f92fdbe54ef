"""Allocating a payment: oldest first, late-fee policy, balance, tender and change, voids."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.allocation import (
    AllocationPolicy,
    BillAllocation,
    MethodPart,
    OpenBill,
    apply_to_account,
    take_payment,
    void_payment,
)
from counter_app.domain.errors import InvalidInput, NotAllowed

BILLS = (
    OpenBill("b-mar", "2025-03", 6000, 0),
    OpenBill("b-jan", "2025-01", 5000, 300),
    OpenBill("b-feb", "2025-02", 4000, 100),
)


def cash(amount: int, tendered: int | None = None) -> MethodPart:
    return MethodPart("cash", amount, tendered_fen=tendered)


def test_oldest_first_and_the_rest_to_the_balance() -> None:
    payment = take_payment(BILLS, [cash(20000, tendered=20000)])
    assert payment.allocations == (BillAllocation("b-jan", 5000, 300), BillAllocation("b-feb", 4000, 100),
                                   BillAllocation("b-mar", 6000, 0))
    assert (payment.to_balance_fen, payment.balance_after_fen, payment.change_fen) == (4600, 4600, 0)


def test_partial_payment_late_fee_first_or_principal_first() -> None:
    first = take_payment(BILLS, [cash(5200)])
    assert first.allocations == (BillAllocation("b-jan", 4900, 300),)
    after = take_payment(BILLS, [cash(5200)], policy=AllocationPolicy(late_fee_first=False))
    assert after.allocations == (BillAllocation("b-jan", 5000, 200),)
    with pytest.raises(InvalidInput) as error:
        take_payment(BILLS, [cash(5200)], policy=AllocationPolicy(allow_partial=False))
    assert error.value.field == "amount"


def test_selected_bills_only_and_unknown_bill_refused() -> None:
    payment = take_payment(BILLS, [cash(7000)], selected={"b-mar"})
    assert payment.allocations == (BillAllocation("b-mar", 6000, 0),) and payment.to_balance_fen == 1000
    with pytest.raises(InvalidInput) as error:
        take_payment(BILLS, [cash(7000)], selected={"b-dec"})
    assert error.value.field == "bills"


def test_paying_from_the_balance_first_then_cash_with_change() -> None:
    payment = take_payment(BILLS, [cash(10400, tendered=20000)], balance_fen=5000, use_balance=True)
    assert payment.from_balance_fen == 5000 and payment.to_balance_fen == 0
    assert payment.allocated_fen == 15400 and payment.late_fee_fen == 400
    assert (payment.tendered_fen, payment.change_fen, payment.balance_after_fen) == (20000, 9600, 0)
    only_balance = take_payment(BILLS, balance_fen=5000, use_balance=True, selected={"b-feb"})
    assert only_balance.allocations == (BillAllocation("b-feb", 4000, 100),) and only_balance.balance_after_fen == 900


def test_split_across_cash_card_and_qr() -> None:
    parts = [cash(5000, tendered=5000), MethodPart("card", 6000, " 6222-0001 "), MethodPart("qr", 4400, "wx420000")]
    payment = take_payment(BILLS, parts)
    assert payment.received_fen == payment.allocated_fen == 15400
    assert payment.parts[1].reference == "6222-0001"


@pytest.mark.parametrize(("parts", "field"), [
    ([cash(5000, tendered=4999)], "tendered"),
    ([MethodPart("card", 5000)], "reference"),
    ([MethodPart("qr", 5000, "  ")], "reference"),
    ([MethodPart("card", 5000, "r1", tendered_fen=6000)], "tendered"),
    ([MethodPart("cheque", 5000)], "method"),
    ([cash(0)], "amount"),
    ([cash(-100)], "amount"),
    ([cash(100), cash(200)], "method"),
    ([], "amount"),
])
def test_bad_tender_names_the_field(parts: list[MethodPart], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        take_payment(BILLS, parts)
    assert error.value.field == field


def test_void_restores_bills_and_balance_and_pays_back_per_method() -> None:
    payment = take_payment(BILLS, [cash(12000, tendered=15000), MethodPart("qr", 8000, "ali1")], balance_fen=700)
    bills, balance = apply_to_account(BILLS, 700, payment)
    assert balance == 700 + 4600 and [b.owed_fen for b in bills] == [0, 0, 0]
    reversal = void_payment(payment, balance_fen=balance)
    assert [(p.method, p.amount_fen) for p in reversal.parts] == [("cash", -12000), ("qr", -8000)]
    assert apply_to_account(bills, balance, reversal) == (BILLS, 700)
    assert reversal.balance_after_fen == 700


def test_void_refused_when_the_prepayment_was_spent_and_double_payment_refused() -> None:
    payment = take_payment([], [cash(5000)])
    with pytest.raises(NotAllowed):
        void_payment(payment, balance_fen=1000)
    first = take_payment(BILLS, [cash(5300)], selected={"b-jan"})
    bills, _ = apply_to_account(BILLS, 0, first)
    with pytest.raises(NotAllowed):  # the same bill paid a second ago at another window
        apply_to_account(bills, 0, first)


bills_strategy = st.lists(
    st.builds(OpenBill, st.uuids().map(str), st.sampled_from([f"2025-{m:02d}" for m in range(1, 13)]),
              st.integers(0, 10**6), st.integers(0, 10**4)),
    max_size=8, unique_by=lambda bill: bill.bill_id,
)


@settings(max_examples=300, deadline=None)
@given(bills_strategy, st.lists(st.integers(1, 10**6), min_size=1, max_size=3), st.integers(0, 10**6),
       st.booleans(), st.booleans(), st.integers(0, 10**5))
def test_allocations_add_up_and_voids_restore_exactly(bills: list[OpenBill], amounts: list[int], balance: int,
                                                      use_balance: bool, fee_first: bool, extra_tender: int) -> None:
    methods = ["cash", "card", "qr"]
    parts = [MethodPart(methods[i], amount, f"ref{i}" if i else "", extra_tender + amount if i == 0 else None)
             for i, amount in enumerate(amounts)]
    payment = take_payment(bills, parts, balance_fen=balance, use_balance=use_balance,
                           policy=AllocationPolicy(late_fee_first=fee_first))
    assert payment.from_balance_fen + payment.received_fen == payment.allocated_fen + payment.to_balance_fen
    assert payment.received_fen == sum(amounts) == payment.tendered_fen - payment.change_fen
    assert payment.change_fen == extra_tender >= 0
    after, new_balance = apply_to_account(bills, balance, payment)
    assert new_balance == payment.balance_after_fen >= 0
    ordered = sorted(after, key=lambda bill: (bill.period, bill.bill_id))
    unpaid = [i for i, bill in enumerate(ordered) if bill.owed_fen]
    if unpaid:  # oldest first: only the first bill still owing may have been paid in part, none after it
        assert payment.to_balance_fen == 0
        touched = {a.bill_id for a in payment.allocations}
        assert not any(bill.bill_id in touched for bill in ordered[unpaid[0] + 1:])
    assert apply_to_account(after, new_balance, void_payment(payment, balance_fen=new_balance)) == (tuple(bills), balance)
