"""违约金: daily rate after grace, simple accumulation rounded once, caps, minimum, working days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.errors import InvalidInput
from counter_app.domain.late_fee import LateFeeRule, assess_late_fee, late_fee
from counter_app.domain.money import div_round_half_up

FIVE_PER_MILLE = LateFeeRule(5)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def test_five_per_mille_a_day_counted_from_the_day_after_the_due_date() -> None:
    due = date(2025, 3, 10)
    assert late_fee(FIVE_PER_MILLE, 10000, due, due) == 0
    assert late_fee(FIVE_PER_MILLE, 10000, due, date(2025, 3, 11)) == 50
    assert late_fee(FIVE_PER_MILLE, 10000, due, date(2025, 3, 20)) == 500


def test_zhejiang_fifteen_days_of_grace_after_the_notice() -> None:
    rule = LateFeeRule(5, grace_days=15)
    notice = date(2025, 3, 1)
    assert late_fee(rule, 10000, notice, date(2025, 3, 16)) == 0
    detail = assess_late_fee(rule, 10000, notice, date(2025, 3, 17))
    assert (detail.fee_fen, detail.days, detail.first_day) == (50, 1, date(2025, 3, 17))


def test_baotou_grace_until_the_tenth_and_never_more_than_the_months_bill() -> None:
    rule = LateFeeRule(5, grace_days=16, cap="bill")  # due 25 Jan, grace to 10 Feb, 5‰ from the 11th
    due = date(2025, 1, 25)
    assert late_fee(rule, 12345, due, date(2025, 2, 10)) == 0
    assert late_fee(rule, 12345, due, date(2025, 2, 11)) == div_round_half_up(12345 * 5, 1000)
    detail = assess_late_fee(rule, 12345, due, date(2026, 1, 1))
    assert detail.fee_fen == 12345 and detail.capped
    assert late_fee(rule, 5000, due, date(2026, 1, 1), bill_fen=12345) == 5000 * 5 * detail.days // 1000  # cap is the bill


def test_per_ten_thousand_and_a_fixed_cap() -> None:
    rule = LateFeeRule(5, rate_unit="per_ten_thousand", grace_days=0, cap="fixed", cap_fen=300)
    assert late_fee(rule, 100000, date(2025, 1, 31), date(2025, 2, 4)) == 200  # 4 days × 0.05 %
    assert late_fee(rule, 100000, date(2025, 1, 31), date(2025, 3, 31)) == 300


def test_electricity_minimum_one_yuan_and_cross_year_rate() -> None:
    residential = LateFeeRule(1, minimum_fen=100)
    assert late_fee(residential, 5000, date(2025, 5, 1), date(2025, 5, 4)) == 100  # 15 fen charged as 1 元
    assert late_fee(residential, 5000, date(2025, 5, 1), date(2025, 5, 1)) == 0
    business = LateFeeRule(2, cross_year_rate=3, minimum_fen=100)
    assert late_fee(business, 100000, date(2025, 12, 30), date(2026, 1, 2)) == 100000 * (2 + 3 + 3) // 1000


def test_working_days_skip_weekends_for_grace_and_charge() -> None:
    rule = LateFeeRule(5, grace_days=1, day_kind="working")
    friday = date(2025, 6, 6)
    # grace: Monday 9th; charged: Tuesday 10th and Wednesday 11th
    detail = assess_late_fee(rule, 10000, friday, date(2025, 6, 11), is_working_day=weekdays)
    assert (detail.days, detail.first_day, detail.fee_fen) == (2, date(2025, 6, 10), 100)
    with pytest.raises(InvalidInput) as error:
        late_fee(rule, 10000, friday, date(2025, 6, 11))
    assert error.value.field == "late_fee.day_kind"


def test_rounded_once_not_per_day() -> None:
    # 333 fen × 5‰ = 1.665 fen a day: per day rounding would give 2 + 2 + 2 = 6
    assert late_fee(FIVE_PER_MILLE, 333, date(2025, 1, 1), date(2025, 1, 4)) == 5


def test_dict_round_trip_and_errors_name_the_field() -> None:
    rule = LateFeeRule(2, "per_mille", 10, "working", "fixed", 5000, 100, 3)
    assert LateFeeRule.from_dict(rule.to_dict()) == rule
    assert LateFeeRule.from_dict({"daily_rate": 5}) == FIVE_PER_MILLE
    for data, field in (({"daily_rate": 5, "percent": 1}, "late_fee"), ({}, "late_fee.daily_rate"),
                        ({"daily_rate": "5"}, "late_fee.daily_rate"), ({"daily_rate": 5, "rate_unit": "%"}, "late_fee.rate_unit"),
                        ({"daily_rate": 5, "cap": "fixed"}, "late_fee.cap_fen"), ({"daily_rate": 5, "grace_days": -1}, "late_fee.grace_days"),
                        ({"daily_rate": 5, "day_kind": "lunar"}, "late_fee.day_kind")):
        with pytest.raises(InvalidInput) as error:
            LateFeeRule.from_dict(data)
        assert error.value.field == field
    with pytest.raises(InvalidInput) as error:
        late_fee(FIVE_PER_MILLE, -1, date(2025, 1, 1), date(2025, 2, 1))
    assert error.value.field == "overdue_fen"


rules = st.builds(LateFeeRule, st.integers(0, 50), st.sampled_from(["per_mille", "per_ten_thousand"]), st.integers(0, 30),
                  st.just("natural"), st.sampled_from(["none", "bill"]), st.just(0), st.integers(0, 200),
                  st.none() | st.integers(0, 50))


@settings(max_examples=300, deadline=None)
@given(rules, st.integers(0, 10**7), st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(-10, 800))
def test_fee_is_simple_accumulation_monotone_and_capped(rule: LateFeeRule, overdue: int, due: date, late_by: int) -> None:
    pay = due + timedelta(days=late_by)
    detail = assess_late_fee(rule, overdue, due, pay)
    later = late_fee(rule, overdue, due, pay + timedelta(days=1))
    assert 0 <= detail.fee_fen <= later
    assert detail.days == max(0, late_by - rule.grace_days)
    if rule.cap == "bill":
        assert detail.fee_fen <= overdue
    if rule.cross_year_rate is None and detail.days and overdue:
        unit = 1000 if rule.rate_unit == "per_mille" else 10000
        raw = div_round_half_up(overdue * rule.daily_rate * detail.days, unit)
        assert detail.uncapped_fen == max(raw, rule.minimum_fen)


# -- partial payments: what is still overdue keeps earning from the day after the payment ------------

def test_a_partial_payment_lowers_the_daily_fee_from_the_next_day_on() -> None:
    due = date(2025, 3, 10)
    # 100 元 overdue: 10 days at 50 fen; 60 元 paid on the 20th; 40 元 earns 20 fen a day from the 21st
    paid = ((date(2025, 3, 20), 6000),)
    assert late_fee(FIVE_PER_MILLE, 10000, due, date(2025, 3, 20), payments=paid) == 500
    assert late_fee(FIVE_PER_MILLE, 10000, due, date(2025, 3, 21), payments=paid) == 520
    assert late_fee(FIVE_PER_MILLE, 10000, due, date(2025, 3, 30), payments=paid) == 500 + 10 * 20
    # two payments, one before the fee starts (grace), one later; the rest paid off on the 25th
    rule = LateFeeRule(5, grace_days=5)
    two = ((date(2025, 3, 12), 2000), (date(2025, 3, 25), 8000))
    assert late_fee(rule, 10000, due, date(2025, 3, 15), payments=two) == 0
    assert late_fee(rule, 10000, due, date(2025, 3, 25), payments=two) == 10 * 40
    assert late_fee(rule, 10000, due, date(2025, 4, 30), payments=two) == 10 * 40  # nothing overdue after the 25th


def test_partial_payments_and_caps_minimum_and_rounding_once() -> None:
    due = date(2025, 1, 1)
    paid = ((date(2025, 1, 2), 167),)  # 333 then 166 fen: 1.665 + 0.83 × 2 = 3.325 fen, rounded once
    assert late_fee(FIVE_PER_MILLE, 333, due, date(2025, 1, 4), payments=paid) == 3
    capped = LateFeeRule(5, cap="bill")
    assert late_fee(capped, 10000, due, date(2027, 1, 1), payments=((date(2025, 2, 1), 5000),), bill_fen=10000) == 10000
    assert late_fee(LateFeeRule(5, minimum_fen=100), 10000, due, date(2025, 1, 3), payments=((due, 9990),)) == 100


def test_payments_beyond_the_overdue_amount_are_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        late_fee(FIVE_PER_MILLE, 100, date(2025, 1, 1), date(2025, 2, 1), payments=((date(2025, 1, 5), 101),))
    assert error.value.field == "payments"
    with pytest.raises(InvalidInput) as error:
        late_fee(FIVE_PER_MILLE, 100, date(2025, 1, 1), date(2025, 2, 1), payments=((date(2025, 1, 5), -1),))
    assert error.value.field == "payments"


@settings(max_examples=300, deadline=None)
@given(rules, st.integers(0, 10**7), st.dates(date(2020, 1, 1), date(2030, 1, 1)), st.integers(0, 400),
       st.lists(st.tuples(st.integers(-5, 400), st.integers(0, 10**6)), max_size=5))
def test_partial_payments_accrue_like_separate_slices(rule: LateFeeRule, overdue: int, due: date, late_by: int,
                                                      cuts: list[tuple[int, int]]) -> None:
    """The fee with payments equals the fee on each slice of the debt for as long as it stayed unpaid
    (summed before the one rounding), never exceeds the fee without payments and never decreases."""
    pay = due + timedelta(days=late_by)
    payments, left = [], overdue
    for offset, amount in cuts:
        amount = min(amount, left)
        left -= amount
        payments.append((due + timedelta(days=offset), amount))
    with_payments = assess_late_fee(rule, overdue, due, pay, payments=payments)
    without = assess_late_fee(rule, overdue, due, pay)
    assert 0 <= with_payments.fee_fen <= without.fee_fen
    assert with_payments.fee_fen <= late_fee(rule, overdue, due, pay + timedelta(days=1), payments=payments)
    if rule.minimum_fen == 0 and rule.cap == "none":
        unit = 1000 if rule.rate_unit == "per_mille" else 10000
        slices = [(left, pay)] + [(amount, day) for day, amount in payments]
        weighted = 0
        for amount, until in slices:
            day = due + timedelta(days=1 + rule.grace_days)
            while day <= min(until, pay):
                cross = rule.cross_year_rate is not None and day.year > due.year
                weighted += amount * ((rule.cross_year_rate or 0) if cross else rule.daily_rate)
                day += timedelta(days=1)
        assert with_payments.fee_fen == div_round_half_up(weighted, unit)
