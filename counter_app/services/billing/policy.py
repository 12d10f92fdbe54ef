"""Billing policy a branch configures: the ``[billing]`` table of the installation's TOML file.

Whether a payment pays a bill's late fee (违约金) before or after its principal, and whether it
may fall short of the chosen bills, is local policy (DOMAIN.md 6.15) and changes over time, so it
is dated: each entry holds from its ``from`` day until the next entry's; before the first entry
the defaults of :class:`AllocationPolicy` hold (late fee first, partial payments allowed)::

    [billing]
    allocation = [
      { from = 2020-01-01, late_fee_first = true,  allow_partial = true },
      { from = 2026-07-01, late_fee_first = false },   # keys left out take the defaults
    ]
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from counter_app.core.config import ConfigError, Settings
from counter_app.domain.allocation import AllocationPolicy

SECTION = "billing"
_POLICY_KEYS = tuple(f.name for f in dataclasses.fields(AllocationPolicy))


@dataclass(frozen=True)
class BillingPolicy:
    """The allocation policies in force, each from its day on (sorted, no day twice)."""

    allocation: tuple[tuple[date, AllocationPolicy], ...] = ()

    def allocation_on(self, day: date) -> AllocationPolicy:
        index = bisect.bisect_right([start for start, _ in self.allocation], day)
        return self.allocation[index - 1][1] if index else AllocationPolicy()


def _day(key: str, value: Any, source: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ConfigError(key, "the day the entry holds from, e.g. 2026-07-01", value, source)


def _entry(key: str, value: Any, source: str) -> tuple[date, AllocationPolicy]:
    if not isinstance(value, dict):
        raise ConfigError(key, "a table such as { from = 2026-07-01, late_fee_first = true }", value, source)
    if "from" not in value:
        raise ConfigError(f"{key}.from", "the day the entry holds from, e.g. 2026-07-01", None, source)
    flags: dict[str, bool] = {}
    for name, flag in value.items():
        if name == "from":
            continue
        if name not in _POLICY_KEYS:
            raise ConfigError(f"{key}.{name}", "one of from, " + ", ".join(_POLICY_KEYS) + " (unknown key)", None, source)
        if not isinstance(flag, bool):
            raise ConfigError(f"{key}.{name}", "true or false", flag, source)
        flags[name] = flag
    return _day(f"{key}.from", value["from"], source), AllocationPolicy(**flags)


def billing_policy(settings: Settings) -> BillingPolicy:
    """The ``[billing]`` table checked; any fault is a :class:`ConfigError` naming the key."""
    table, source = settings.table(SECTION), settings.source
    for name in table:
        if name != "allocation":
            raise ConfigError(f"{SECTION}.{name}", f"{SECTION}.allocation (unknown key)", None, source)
    raw = table.get("allocation", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{SECTION}.allocation", "a list of dated entries [{ from = 2026-07-01, ... }]", raw, source)
    entries: list[tuple[date, AllocationPolicy]] = []
    for number, value in enumerate(raw, start=1):
        key = f"{SECTION}.allocation[{number}]"
        entry = _entry(key, value, source)
        if entries and entry[0] <= entries[-1][0]:
            raise ConfigError(f"{key}.from", f"a day after the previous entry's ({entries[-1][0].isoformat()})",
                              entry[0].isoformat(), source)
        entries.append(entry)
    return BillingPolicy(tuple(entries))
