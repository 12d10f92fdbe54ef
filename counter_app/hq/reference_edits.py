"""Reference data as the console edits it, decided without Qt or a database: a tariff's next
version (the last one's definition with new prices, from a later date: a published version is
never changed), a holiday year typed as lines, the staff list one row per person."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from counter_app.domain.errors import InvalidInput

HOLIDAY_KINDS = {"holiday": "holiday", "workday": "workday", "休": "holiday", "班": "workday",
                 "假": "holiday", "补班": "workday"}


def tariff_families(versions: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Versions by tariff code, each family oldest first."""
    families: dict[str, list[dict[str, Any]]] = {}
    for version in versions:
        families.setdefault(version["code"], []).append(version)
    for family in families.values():
        family.sort(key=lambda v: v["valid_from"])
    return dict(sorted(families.items()))


def next_tariff_version(last: dict[str, Any], valid_from: date, tier_prices: list[int],
                        component_prices: dict[str, int]) -> dict[str, Any]:
    """The payload of a new version of ``last``'s tariff from ``valid_from`` with these prices
    (fen per m³: one per tier, and per untiered component code); everything else is kept."""
    if valid_from.isoformat() <= last["valid_from"]:
        raise InvalidInput("valid_from", "after the last version's first day", code="hq_tariff_date_order",
                           last=last["valid_from"])
    definition = copy.deepcopy(last["definition"])
    tiers = definition.get("tiers") or []
    if len(tier_prices) != len(tiers):
        raise InvalidInput("tiers", f"{len(tiers)} tier prices", code="hq_tariff_tier_count", n=len(tiers))
    for tier, price in zip(tiers, tier_prices):
        tier["price_fen"] = price
    for component in definition.get("components") or []:
        if not component.get("tiered") and component["code"] in component_prices:
            component["price_fen"] = component_prices[component["code"]]
    return {"code": last["code"], "name": last["name"], "user_type": last["user_type"],
            "valid_from": valid_from.isoformat(), "definition": definition}


def parse_holidays(year: int, text: str) -> list[dict[str, str]]:
    """Lines ``2027-01-01 holiday 元旦`` (or ``休``/``班`` for holiday/workday; the name may be
    left out); blank lines and ``#`` comments are skipped. A bad line is refused by its number."""
    days: dict[str, dict[str, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(maxsplit=2)
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            raise InvalidInput("calendar", "a date yyyy-mm-dd first", code="hq_holiday_line", line=number,
                               expected="yyyy-mm-dd") from None
        if day.year != year:
            raise InvalidInput("calendar", f"a day of {year}", code="hq_holiday_line", line=number, expected=str(year))
        kind = HOLIDAY_KINDS.get(parts[1] if len(parts) > 1 else "")
        if kind is None:
            raise InvalidInput("calendar", "holiday or workday", code="hq_holiday_line", line=number,
                               expected="holiday / workday / 休 / 班")
        if day.isoformat() in days:
            raise InvalidInput("calendar", "each day once", code="hq_holiday_twice", line=number, day=day.isoformat())
        days[day.isoformat()] = {"day": day.isoformat(), "kind": kind, "name": parts[2] if len(parts) > 2 else ""}
    return [days[d] for d in sorted(days)]


def holidays_text(days: list[dict[str, Any]]) -> str:
    return "".join(f"{d['day']} {d['kind']} {d.get('name', '')}".rstrip() + "\n" for d in sorted(days, key=lambda d: d["day"]))


def staff_rows(published: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per staff member (head office holds a copy per branch he belongs to), never his hash."""
    people: dict[str, dict[str, Any]] = {}
    for payload in published:
        row = {k: v for k, v in payload.items() if k not in ("password_hash", "bucket")}
        known = people.get(row["staff_no"])
        if known is None or row.get("hq_version", 0) > known.get("hq_version", 0):
            people[row["staff_no"]] = row
    return [people[no] for no in sorted(people)]
