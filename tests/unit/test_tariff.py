"""Tariff rules: tiers, components, year-to-date, household uplift, versions and tier periods."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.errors import InvalidInput
from counter_app.domain.late_fee import LateFeeRule
from counter_app.domain.tariff import (
    Segment,
    TariffDefinition,
    apportion,
    bill_reading,
    compute_bill,
    compute_bill_across_versions,
    segments_for_reading,
)

BEIJING = {
    "period": "annual",
    "tiers": [{"upto_m3": 180, "price_fen": 207}, {"upto_m3": 260, "price_fen": 407}, {"upto_m3": None, "price_fen": 607}],
    "components": [
        {"code": "water", "name_zh": "水费", "name_en": "Water", "tiered": True},
        {"code": "resource", "name_zh": "水资源费", "name_en": "Water resource fee", "price_fen": 157},
        {"code": "sewage", "name_zh": "污水处理费", "name_en": "Sewage treatment", "price_fen": 136},
    ],
}
MONTHLY = {  # 金平县: ≤16 / 16–25 / >25 m³ a month
    "period": "monthly",
    "tiers": [{"upto_m3": 16, "price_fen": 420}, {"upto_m3": 25, "price_fen": 565}, {"upto_m3": None, "price_fen": 710}],
    "components": [{"code": "water", "name_zh": "水费", "name_en": "Water", "tiered": True}],
}


def beijing(**changes: object) -> TariffDefinition:
    return TariffDefinition.from_dict({**BEIJING, **changes})


def tier_m3(bill, component: str = "water") -> dict[int | None, int]:  # type: ignore[no-untyped-def]
    return {line.tier: line.m3 for line in bill.lines if line.component == component}


def test_beijing_annual_tiers_price_5_7_9_yuan_with_only_water_tiered() -> None:
    bill = compute_bill(beijing(), 200)
    assert tier_m3(bill) == {1: 180, 2: 20}
    assert {line.component: line.amount_fen for line in bill.lines if line.tier is None} == {"resource": 31400, "sewage": 27200}
    assert bill.total_fen == 180 * 500 + 20 * 700  # 5 元 and 7 元 all in


def test_year_to_date_volume_moves_the_tier_boundary_into_the_bill() -> None:
    assert tier_m3(compute_bill(beijing(), 20, used_before_m3=170)) == {1: 10, 2: 10}
    assert tier_m3(compute_bill(beijing(), 20, used_before_m3=250)) == {2: 10, 3: 10}
    assert tier_m3(compute_bill(beijing(), 5000, used_before_m3=0)) == {1: 180, 2: 80, 3: 4740}  # open-ended top


def test_bounds_are_inclusive() -> None:
    assert tier_m3(compute_bill(beijing(), 180)) == {1: 180}
    assert tier_m3(compute_bill(beijing(), 1, used_before_m3=180)) == {2: 1}


def test_household_uplift_raises_every_bounded_tier() -> None:  # 于都: base 5 persons, +60 m³ per extra person
    tariff = beijing(household_uplift={"base_size": 5, "m3_per_person": 60})
    assert [t.upto_m3 for t in tariff.tiers_for(7)] == [300, 380, None]
    assert [t.upto_m3 for t in tariff.tiers_for(3)] == [180, 260, None]
    assert tier_m3(compute_bill(tariff, 300, household_size=7)) == {1: 300}
    assert tier_m3(compute_bill(tariff, 300)) == {1: 180, 2: 80, 3: 40}


def test_round_trip_and_old_definitions_keep_their_shape() -> None:
    assert TariffDefinition.from_dict(BEIJING).to_dict() == {**BEIJING, "components": [
        {**c, "price_fen": c.get("price_fen", 0), "tiered": c.get("tiered", False)} for c in BEIJING["components"]]}
    full = beijing(household_uplift={"base_size": 5, "m3_per_person": 60},
                   late_fee={"daily_rate": 5, "grace_days": 15, "cap": "bill"})
    assert full.late_fee == LateFeeRule(5, grace_days=15, cap="bill")
    assert TariffDefinition.from_dict(full.to_dict()) == full


@pytest.mark.parametrize(("changes", "field"), [
    ({"period": "weekly"}, "tariff.period"),
    ({"tiers": [{"upto_m3": 180, "price_fen": 207}]}, "tariff.tiers"),
    ({"tiers": [{"upto_m3": 260, "price_fen": 1}, {"upto_m3": 180, "price_fen": 1}, {"price_fen": 1}]}, "tariff.tiers"),
    ({"tiers": [{"upto_m3": "lots", "price_fen": 1}, {"price_fen": 1}]}, "tariff.tiers.upto_m3"),
    ({"tiers": [{"upto_m3": 10}, {"price_fen": 1}]}, "tariff"),
    ({"household_uplift": {"base_size": 0, "m3_per_person": 60}}, "tariff.household_uplift.base_size"),
    ({"late_fee": {"daily_rate": -1}}, "late_fee.daily_rate"),
])
def test_bad_definitions_name_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        beijing(**changes)
    assert error.value.field == field


def test_tariff_change_inside_a_period_is_pro_rata_by_days() -> None:
    new = beijing(tiers=[{"upto_m3": 180, "price_fen": 307}, {"upto_m3": 260, "price_fen": 507}, {"upto_m3": None, "price_fen": 707}])
    bill = compute_bill_across_versions([(beijing(), 10), (new, 20)], 30)
    assert [(part.segment.days, part.usage_m3) for part in bill.segments] == [(10, 10), (20, 20)]
    assert bill.total_fen == 10 * 500 + 20 * 600
    detail = bill.to_dict()
    assert detail["total_fen"] == bill.total_fen == sum(line["amount_fen"] for line in detail["lines"])
    assert [line["segment"] for line in detail["lines"]] == [0, 0, 0, 1, 1, 1]
    assert detail["segments"] == [{"days": 10, "usage_m3": 10, "used_before_m3": 0}, {"days": 20, "usage_m3": 20, "used_before_m3": 10}]


def test_a_tier_boundary_inside_the_reading_continues_across_versions() -> None:
    bill = compute_bill_across_versions([(beijing(), 15), (beijing(), 15)], 20, used_before_m3=170)
    assert [part.used_before_m3 for part in bill.segments] == [170, 180]
    assert bill.total_fen == compute_bill(beijing(), 20, 170).total_fen


def test_a_reading_across_new_year_is_split_and_the_year_restarts() -> None:
    start, end = date(2025, 12, 16), date(2026, 1, 15)
    segments = segments_for_reading([(date(2025, 1, 1), beijing())], start, end)
    assert [(s.days, s.starts_tier_period) for s in segments] == [(16, False), (14, True)]
    bill = bill_reading([(date(2025, 1, 1), beijing())], start, end, 30, used_before_m3=175)
    assert [(p.usage_m3, p.used_before_m3) for p in bill.segments] == [(16, 175), (14, 0)]
    assert [(line.tier, line.m3) for line in bill.lines if line.component == "water"] == [(1, 5), (2, 11), (1, 14)]


def test_reading_cut_at_price_change_and_month_starts() -> None:
    monthly = TariffDefinition.from_dict(MONTHLY)
    dearer = TariffDefinition.from_dict({**MONTHLY, "tiers": [{"upto_m3": 16, "price_fen": 500}, {"price_fen": 800}]})
    versions = [(date(2025, 1, 1), monthly), (date(2025, 3, 10), dearer)]
    segments = segments_for_reading(versions, date(2025, 2, 15), date(2025, 3, 15))
    assert [(s.tariff, s.days, s.starts_tier_period) for s in segments] == [
        (monthly, 14, False), (monthly, 9, True), (dearer, 5, False)]
    with pytest.raises(InvalidInput) as error:
        segments_for_reading(versions, date(2024, 12, 20), date(2025, 1, 20))
    assert error.value.field == "tariff.valid_from"
    with pytest.raises(InvalidInput) as error:
        segments_for_reading(versions, date(2025, 3, 1), date(2025, 3, 1))
    assert error.value.field == "reading.end"


def test_household_size_can_change_inside_the_reading() -> None:
    tariff = beijing(household_uplift={"base_size": 5, "m3_per_person": 60})
    bill = compute_bill_across_versions([Segment(tariff, 10), Segment(tariff, 10, household_size=6)], 200,
                                        used_before_m3=150, household_size=5)
    assert [(line.tier, line.m3) for line in bill.lines if line.component == "water"] == [(1, 30), (2, 70), (2, 70), (3, 30)]


def test_bad_segments_name_the_field() -> None:
    for segments, field in (([], "segments"), ([(beijing(), 0)], "segments.days")):
        with pytest.raises(InvalidInput) as error:
            compute_bill_across_versions(segments, 10)
        assert error.value.field == field


@settings(deadline=None)
@given(st.integers(0, 10**9), st.lists(st.integers(0, 400), min_size=1, max_size=12).filter(lambda w: sum(w) > 0))
def test_apportion_parts_sum_exactly_and_stay_within_one_of_the_share(total: int, weights: list[int]) -> None:
    parts = apportion(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights):
        assert part >= 0 and abs(part * sum(weights) - total * weight) <= sum(weights)


tariffs = st.builds(
    lambda bounds, prices, flat: TariffDefinition.from_dict({
        "period": "annual",
        "tiers": [{"upto_m3": b, "price_fen": p} for b, p in zip(sorted(bounds), prices)] + [{"upto_m3": None, "price_fen": prices[-1]}],
        "components": [{"code": "water", "name_zh": "水费", "tiered": True}]
                      + [{"code": f"flat{i}", "name_zh": "附加", "price_fen": f} for i, f in enumerate(flat)],
    }),
    st.sets(st.integers(1, 500), min_size=1, max_size=4),
    st.lists(st.integers(0, 2000), min_size=5, max_size=5),
    st.lists(st.integers(0, 500), max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(tariffs, st.integers(0, 600), st.integers(0, 600))
def test_tier_breakdown_sums_to_the_bill(tariff: TariffDefinition, usage: int, before: int) -> None:
    bill = compute_bill(tariff, usage, before)
    assert bill.total_fen == sum(line.amount_fen for line in bill.lines) == bill.to_dict()["total_fen"]
    assert sum(line.m3 for line in bill.lines if line.component == "water") == usage
    assert all(line.amount_fen == line.m3 * line.price_fen for line in bill.lines)


@settings(max_examples=200, deadline=None)
@given(tariffs, st.integers(0, 600), st.integers(0, 600), st.lists(st.integers(1, 40), min_size=1, max_size=6))
def test_cutting_a_reading_under_one_tariff_changes_nothing(tariff: TariffDefinition, usage: int, before: int, days: list[int]) -> None:
    whole = compute_bill(tariff, usage, before)
    cut = compute_bill_across_versions([(tariff, d) for d in days], usage, before)
    assert cut.usage_m3 == usage
    assert cut.total_fen == whole.total_fen


def _reference_total(definition: dict, usage: int, before: int) -> Decimal:  # type: ignore[type-arg]
    """An independent reference: price each cubic metre on its own, in Decimal yuan."""
    bounds = [t["upto_m3"] for t in definition["tiers"]]
    total = Decimal(0)
    for component in definition["components"]:
        if not component.get("tiered"):
            total += usage * Decimal(component["price_fen"]) / 100
            continue
        for k in range(before + 1, before + usage + 1):
            tier = next(i for i, bound in enumerate(bounds) if bound is None or k <= bound)
            total += Decimal(definition["tiers"][tier]["price_fen"]) / 100
    return total


def test_no_rounding_drift_over_ten_thousand_random_bills() -> None:
    rng = random.Random(20240501)
    definitions = [BEIJING, MONTHLY, {**BEIJING, "components": [*BEIJING["components"],
                                                                {"code": "rubbish", "name_zh": "垃圾费", "price_fen": 33}]}]
    parsed = [TariffDefinition.from_dict(d) for d in definitions]
    fen_total, yuan_total = 0, Decimal(0)
    for _ in range(10_000):
        index = rng.randrange(len(definitions))
        usage, before = rng.randint(0, 60), rng.randint(0, 300)
        bill = compute_bill(parsed[index], usage, before)
        reference = _reference_total(definitions[index], usage, before)
        assert bill.total_fen == reference * 100
        fen_total += bill.total_fen
        yuan_total += reference
    assert fen_total == yuan_total * 100


@pytest.mark.parametrize("bad", [1.5, 10.0, True, False, "10", None, Decimal("3")])
@pytest.mark.parametrize("field", ["usage_m3", "used_before_m3"])
def test_volumes_are_whole_cubic_metres_with_a_clear_error(bad: object, field: str) -> None:
    tariff = TariffDefinition.from_dict(BEIJING)
    volumes = {"usage_m3": 10, "used_before_m3": 0, field: bad}
    for compute in (compute_bill, compute_bill_across_versions):
        target = tariff if compute is compute_bill else [(tariff, 30)]
        with pytest.raises(InvalidInput) as error:
            compute(target, volumes["usage_m3"], volumes["used_before_m3"])  # type: ignore[arg-type]
        assert error.value.field == field
        assert "whole number of m³" in error.value.rule


@pytest.mark.parametrize("bad", [2.5, True, "3"])
def test_household_size_is_a_whole_number(bad: object) -> None:
    tariff = TariffDefinition.from_dict({**BEIJING, "household_uplift": {"base_size": 4, "m3_per_person": 60}})
    with pytest.raises(InvalidInput) as error:
        compute_bill(tariff, 10, household_size=bad)  # type: ignore[arg-type]
    assert error.value.field == "household_size"
