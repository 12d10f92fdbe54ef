"""Tariffs as data and the bill they produce, exact in integer fen.

A tariff version lists components (水费, 污水处理费, 水资源费 ...), each priced per m³; one of them
may be tiered. Tiers are inclusive upper bounds in m³ over the tier period (annual or monthly)
and the top tier is open-ended. Every line is rounded once (:func:`div_round_half_up`) before
lines are summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter_app.domain.errors import InvalidInput
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
class TariffDefinition:
    period: str
    components: tuple[Component, ...]
    tiers: tuple[Tier, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TariffDefinition":
        period = data.get("period", "annual")
        if period not in PERIODS:
            raise InvalidInput("tariff.period", "annual or monthly")
        tiers = tuple(Tier(t.get("upto_m3"), int(t["price_fen"])) for t in data.get("tiers", ()))
        components = tuple(
            Component(c["code"], c["name_zh"], c.get("name_en", c["code"]), int(c.get("price_fen", 0)), bool(c.get("tiered", False)))
            for c in data.get("components", ())
        )
        definition = cls(period, components, tiers)
        definition.validate()
        return definition

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "tiers": [{"upto_m3": t.upto_m3, "price_fen": t.price_fen} for t in self.tiers],
            "components": [
                {"code": c.code, "name_zh": c.name_zh, "name_en": c.name_en, "price_fen": c.price_fen, "tiered": c.tiered}
                for c in self.components
            ],
        }

    def validate(self) -> None:
        if not self.components:
            raise InvalidInput("tariff.components", "at least one component")
        tiered = [c for c in self.components if c.tiered]
        if len(tiered) > 1:
            raise InvalidInput("tariff.components", "at most one tiered component")
        if tiered and not self.tiers:
            raise InvalidInput("tariff.tiers", "a tiered component needs tiers")
        if self.tiers and self.tiers[-1].upto_m3 is not None:
            raise InvalidInput("tariff.tiers", "the top tier must be open-ended (upto_m3 empty)")
        bounds = [t.upto_m3 for t in self.tiers[:-1]]
        if any(b is None or b <= 0 for b in bounds) or bounds != sorted(set(bounds)):  # type: ignore[type-var]
            raise InvalidInput("tariff.tiers", "upper bounds must be positive and rising")
        if any(t.price_fen < 0 for t in self.tiers) or any(c.price_fen < 0 for c in self.components):
            raise InvalidInput("tariff.price_fen", "prices must not be negative")


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


def compute_bill(tariff: TariffDefinition, usage_m3: int, used_before_m3: int = 0) -> BillBreakdown:
    """The bill for ``usage_m3`` m³, the tiered component priced by the year-to-date (or
    month-to-date) volume ``used_before_m3`` already billed in the same tier period."""
    if usage_m3 < 0:
        raise InvalidInput("usage_m3", "must not be negative")
    if used_before_m3 < 0:
        raise InvalidInput("used_before_m3", "must not be negative")
    lines: list[BillLine] = []
    for component in tariff.components:
        if component.tiered:
            for number, m3 in split_into_tiers(tariff.tiers, usage_m3, used_before_m3):
                price = tariff.tiers[number - 1].price_fen
                lines.append(BillLine(component.code, component.name_zh, number, m3, price, div_round_half_up(m3 * price, 1)))
        else:
            amount = div_round_half_up(usage_m3 * component.price_fen, 1)
            lines.append(BillLine(component.code, component.name_zh, None, usage_m3, component.price_fen, amount))
    return BillBreakdown(tuple(lines))
