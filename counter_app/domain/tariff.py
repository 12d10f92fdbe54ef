"""Tariffs as data and the bill they produce, exact in integer fen.

A tariff version lists components (水费, 污水处理费, 水资源费 ...), each priced per m³; one of them
may be tiered. Tiers are inclusive upper bounds in m³ over the tier period (annual or monthly)
and the top tier is open-ended. Every line is rounded once (:func:`div_round_half_up`) before
lines are summed. A household above a base size may get every bounded tier raised (于都: +60 m³
per extra person), and a version may carry its late-fee rule (:mod:`late_fee`).

A reading that spans a tariff change or the start of a tier period is cut into segments; its
usage is shared out by days (:func:`apportion`) and each segment is billed under its own version,
the year-to-date (or month-to-date) volume running on across segments and restarting at 0 at a
tier-period start (1 January for annual tiers, the 1st of the month for monthly ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from counter_app.domain.errors import InvalidInput
from counter_app.domain.late_fee import LateFeeRule
from counter_app.domain.money import div_round_half_up

PERIODS = ("annual", "monthly")


@dataclass(frozen=True)
class Tier:
    upto_m3: int | None  # inclusive upper bound over the tier period; None = open-ended
    price_fen: int  # per m³


@dataclass(frozen=True)
class Component:
    code: str
    name_zh: str
    name_en: str
    price_fen: int = 0  # per m³ when not tiered
    tiered: bool = False


@dataclass(frozen=True)
class HouseholdUplift:
    """Every bounded tier is raised by ``m3_per_person`` for each person above ``base_size``."""

    base_size: int
    m3_per_person: int


def _int(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidInput(field, f"a whole number, got {value!r}", code="whole_number", got=repr(value))
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(field, f"a whole number, got {value!r}", code="whole_number", got=repr(value)) from None


@dataclass(frozen=True)
class TariffDefinition:
    period: str
    components: tuple[Component, ...]
    tiers: tuple[Tier, ...] = ()
    household_uplift: HouseholdUplift | None = None
    late_fee: LateFeeRule | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TariffDefinition":
        period = data.get("period", "annual")
        if period not in PERIODS:
            raise InvalidInput("tariff.period", "annual or monthly", code="one_of", choices="annual, monthly")
        try:
            tiers = tuple(
                Tier(None if t.get("upto_m3") is None else _int(t["upto_m3"], "tariff.tiers.upto_m3"),
                     _int(t["price_fen"], "tariff.tiers.price_fen"))
                for t in data.get("tiers", ())
            )
            components = tuple(
                Component(c["code"], c["name_zh"], c.get("name_en", c["code"]),
                          _int(c.get("price_fen", 0), "tariff.components.price_fen"), bool(c.get("tiered", False)))
                for c in data.get("components", ())
            )
        except KeyError as missing:
            raise InvalidInput("tariff", f"a tier or component lacks {missing}", code="tariff_item_lacks", missing=missing) from None
        uplift = data.get("household_uplift")
        if uplift is not None:
            uplift = HouseholdUplift(*(_int(uplift.get(key), f"tariff.household_uplift.{key}") for key in ("base_size", "m3_per_person")))
        late_fee = LateFeeRule.from_dict(data["late_fee"]) if data.get("late_fee") is not None else None
        definition = cls(period, components, tiers, uplift, late_fee)
        definition.validate()
        return definition

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "period": self.period,
            "tiers": [{"upto_m3": t.upto_m3, "price_fen": t.price_fen} for t in self.tiers],
            "components": [
                {"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en, "price_fen": c.price_fen, "tiered": c.tiered}
                for c in self.components
            ],
        }
        if self.household_uplift is not None:
            data["household_uplift"] = dict(self.household_uplift.__dict__)
        if self.late_fee is not None:
            data["late_fee"] = self.late_fee.to_dict()
        return data

    def validate(self) -> None:
        if not self.components:
            raise InvalidInput("tariff.components", "at least one component", code="tariff_component_needed")
        tiered = [c for c in self.components if c.tiered]
        if len(tiered) > 1:
            raise InvalidInput("tariff.components", "at most one tiered component", code="tariff_one_tiered")
        if tiered and not self.tiers:
            raise InvalidInput("tariff.tiers", "a tiered component needs tiers", code="tariff_tiers_needed")
        if self.tiers and self.tiers[-1].upto_m3 is not None:
            raise InvalidInput("tariff.tiers", "the top tier must be open-ended (upto_m3 empty)", code="tariff_top_tier_open")
        bounds = [t.upto_m3 for t in self.tiers[:-1]]
        if any(b is None or b <= 0 for b in bounds) or bounds != sorted(set(bounds)):  # type: ignore[type-var]
            raise InvalidInput("tariff.tiers", "upper bounds must be positive and rising", code="tariff_tiers_rising")
        if any(t.price_fen < 0 for t in self.tiers) or any(c.price_fen < 0 for c in self.components):
            raise InvalidInput("tariff.price_fen", "prices must not be negative", code="not_negative")
        if self.household_uplift is not None:
            if self.household_uplift.base_size < 1:
                raise InvalidInput("tariff.household_uplift.base_size", "at least one person", code="at_least_one_person")
            if self.household_uplift.m3_per_person < 0:
                raise InvalidInput("tariff.household_uplift.m3_per_person", "must not be negative", code="not_negative")

    def tiers_for(self, household_size: int | None = None) -> tuple[Tier, ...]:
        """The tiers for a household of ``household_size`` persons (the plain tiers when unknown)."""
        uplift = self.household_uplift
        if uplift is None or household_size is None:
            return self.tiers
        if isinstance(household_size, bool) or not isinstance(household_size, int):
            raise InvalidInput("household_size", f"a whole number of persons, got {household_size!r}", code="whole_persons", got=repr(household_size))
        if household_size < 1:
            raise InvalidInput("household_size", "at least one person", code="at_least_one_person")
        extra = max(0, household_size - uplift.base_size) * uplift.m3_per_person
        return tuple(Tier(None if t.upto_m3 is None else t.upto_m3 + extra, t.price_fen) for t in self.tiers)

    def is_tier_period_start(self, day: date) -> bool:
        return day.day == 1 and (self.period == "monthly" or day.month == 1)


@dataclass(frozen=True)
class BillLine:
    component: str
    name_zh: str
    tier: int | None  # 1-based tier number for the tiered component
    m3: int
    price_fen: int
    amount_fen: int


@dataclass(frozen=True)
class BillBreakdown:
    lines: tuple[BillLine, ...]

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    def to_dict(self) -> dict[str, Any]:
        return {"lines": [line.__dict__ for line in self.lines], "total_fen": self.total_fen}


def split_into_tiers(tiers: tuple[Tier, ...], usage_m3: int, used_before_m3: int) -> list[tuple[int, int]]:
    """(tier number, m³) for ``usage_m3`` that follows ``used_before_m3`` in the same tier period."""
    parts: list[tuple[int, int]] = []
    start, end = used_before_m3, used_before_m3 + usage_m3
    lower = 0
    for number, tier in enumerate(tiers, start=1):
        upper = tier.upto_m3 if tier.upto_m3 is not None else max(end, lower)
        overlap = min(end, upper) - max(start, lower)
        if overlap > 0:
            parts.append((number, overlap))
        lower = upper
    return parts


def _check_volumes(usage_m3: int, used_before_m3: int) -> None:
    """Meters are read and billed in whole m³: a fraction, a flag or a text is refused by name."""
    for field, value in (("usage_m3", usage_m3), ("used_before_m3", used_before_m3)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(field, f"a whole number of m³, got {value!r}", code="whole_m3", got=repr(value))
        if value < 0:
            raise InvalidInput(field, "a whole number of m³, must not be negative", code="not_negative")


def compute_bill(tariff: TariffDefinition, usage_m3: int, used_before_m3: int = 0,
                 *, household_size: int | None = None) -> BillBreakdown:
    """The bill for ``usage_m3`` m³, the tiered component priced by the year-to-date (or
    month-to-date) volume ``used_before_m3`` already billed in the same tier period."""
    _check_volumes(usage_m3, used_before_m3)
    tiers = tariff.tiers_for(household_size)
    lines: list[BillLine] = []
    for component in tariff.components:
        if component.tiered:
            for number, m3 in split_into_tiers(tiers, usage_m3, used_before_m3):
                price = tiers[number - 1].price_fen
                lines.append(BillLine(component.code, component.name_zh, number, m3, price, div_round_half_up(m3 * price, 1)))
        else:
            amount = div_round_half_up(usage_m3 * component.price_fen, 1)
            lines.append(BillLine(component.code, component.name_zh, None, usage_m3, component.price_fen, amount))
    return BillBreakdown(tuple(lines))


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Share the whole number ``total`` in proportion to ``weights``; the parts sum to ``total``.

    Cumulative rounding: part i is round(total·W_i/W) − round(total·W_(i−1)/W), W_i the running
    weight, so no part is negative and nothing is lost or made up.
    """
    whole = sum(weights)
    if total < 0 or whole <= 0 or any(w < 0 for w in weights):
        raise ValueError("apportion needs a non-negative total and non-negative weights with a positive sum")
    parts, running, given = [], 0, 0
    for weight in weights:
        running += weight
        upto = div_round_half_up(total * running, whole)
        parts.append(upto - given)
        given = upto
    return parts


@dataclass(frozen=True)
class Segment:
    """Part of a reading under one tariff version, ``days`` long."""

    tariff: TariffDefinition
    days: int
    starts_tier_period: bool = False  # the volume so far in the tier period restarts at 0 here
    household_size: int | None = None  # overrides the household size of the whole reading


@dataclass(frozen=True)
class SegmentBill:
    segment: Segment
    usage_m3: int
    used_before_m3: int
    breakdown: BillBreakdown


@dataclass(frozen=True)
class PeriodBill:
    """The bill of one reading, segment by segment."""

    segments: tuple[SegmentBill, ...]

    @property
    def lines(self) -> tuple[BillLine, ...]:
        return tuple(line for part in self.segments for line in part.breakdown.lines)

    @property
    def usage_m3(self) -> int:
        return sum(part.usage_m3 for part in self.segments)

    @property
    def total_fen(self) -> int:
        return sum(part.breakdown.total_fen for part in self.segments)

    def to_dict(self) -> dict[str, Any]:
        """The shape of :meth:`BillBreakdown.to_dict`, each line naming its segment (0-based)."""
        return {
            "lines": [{**line.__dict__, "segment": i} for i, p in enumerate(self.segments) for line in p.breakdown.lines],
            "segments": [{"days": p.segment.days, "usage_m3": p.usage_m3, "used_before_m3": p.used_before_m3}
                         for p in self.segments],
            "total_fen": self.total_fen,
        }


def compute_bill_across_versions(segments: Sequence[Segment | tuple[TariffDefinition, int]], usage_m3: int,
                                 used_before_m3: int = 0, *, household_size: int | None = None) -> PeriodBill:
    """Bill ``usage_m3`` m³ read over consecutive segments, shared out by days.

    ``used_before_m3`` is the volume already billed in the tier period the first segment belongs
    to; it runs on through the segments and restarts at 0 where a segment starts a tier period.
    """
    parts = [s if isinstance(s, Segment) else Segment(s[0], s[1]) for s in segments]
    if not parts:
        raise InvalidInput("segments", "at least one segment", code="segments_needed")
    if any(isinstance(p.days, bool) or not isinstance(p.days, int) or p.days <= 0 for p in parts):
        raise InvalidInput("segments.days", "every segment lasts a whole, positive number of days", code="segment_days")
    _check_volumes(usage_m3, used_before_m3)
    running = used_before_m3
    billed: list[SegmentBill] = []
    for part, m3 in zip(parts, apportion(usage_m3, [p.days for p in parts])):
        running = 0 if part.starts_tier_period else running
        size = household_size if part.household_size is None else part.household_size
        billed.append(SegmentBill(part, m3, running, compute_bill(part.tariff, m3, running, household_size=size)))
        running += m3
    return PeriodBill(tuple(billed))


def _next_tier_period_start(tariff: TariffDefinition, day: date) -> date:
    if tariff.period == "annual":
        return date(day.year + 1, 1, 1)
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def segments_for_reading(versions: Sequence[tuple[date, TariffDefinition]], start: date, end: date) -> tuple[Segment, ...]:
    """Cut the reading from ``start`` (previous reading) to ``end`` (this reading, exclusive) at
    each tariff change and each tier-period start. ``versions`` are (valid_from, definition)."""
    if end <= start:
        raise InvalidInput("reading.end", "must be after the previous reading", code="reading_order")
    ordered = sorted(versions, key=lambda version: version[0])
    starts = [valid_from for valid_from, _ in ordered]
    if len(set(starts)) != len(starts):
        raise InvalidInput("tariff.valid_from", "two versions take effect on the same day", code="tariff_same_day")
    if not ordered or starts[0] > start:
        raise InvalidInput("tariff.valid_from", f"no tariff version in force on {start.isoformat()}", code="tariff_not_in_force", day=start.isoformat())
    segments: list[Segment] = []
    day, previous = start, None
    while day < end:
        index = max(i for i, valid_from in enumerate(starts) if valid_from <= day)
        tariff = ordered[index][1]
        cut = min([end, _next_tier_period_start(tariff, day)] + starts[index + 1:index + 2])
        resets = tariff.is_tier_period_start(day) or (previous is not None and previous.period != tariff.period)
        segments.append(Segment(tariff, (cut - day).days, resets))
        day, previous = cut, tariff
    return tuple(segments)


def bill_reading(versions: Sequence[tuple[date, TariffDefinition]], start: date, end: date, usage_m3: int,
                 used_before_m3: int = 0, *, household_size: int | None = None) -> PeriodBill:
    """The bill of a reading from ``start`` to ``end`` under the versions in force on those days."""
    return compute_bill_across_versions(segments_for_reading(versions, start, end), usage_m3, used_before_m3,
                                        household_size=household_size)
