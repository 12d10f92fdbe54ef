"""The branch's statistics policy, read from the ``[stats]`` table: target waits per service,
the pause limit, the KPI targets of the monthly review and the star rules of the clerk ranking.
All of it is data; nothing here is a number the hall cannot change.

A KPI target or a star condition is written ``metric op number``, e.g. ``"satisfaction>=98"``;
a star rule is the stars followed by its conditions: ``"5 satisfaction>=99 negative<=0 served>=100"``.
Rules are tried in order, the first whose conditions all hold gives the stars, none gives
``floor_stars``. Percentages are written as percent (98 means 98 %)."""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Callable, Mapping

from counter_app.domain.errors import InvalidInput

#: The figures a KPI target or a star rule may name, with their Chinese label and unit.
METRICS: dict[str, tuple[str, str]] = {
    "served": ("办结数", ""),
    "walk_ins": ("无号服务", ""),  # services without a ticket (services.stats.walk_ins): no wait known
    "avg_wait_min": ("平均等候(分)", "min"),
    "p90_wait_min": ("90%等候(分)", "min"),
    "within_target": ("等候达标率", "%"),
    "avg_handle_min": ("平均办理(分)", "min"),
    "satisfaction": ("满意率", "%"),
    "active_rate": ("主动评价率", "%"),
    "negative": ("差评数", ""),
    "rectify_rate": ("整改率", "%"),
    "callback_rate": ("回访率", "%"),
    "no_show_rate": ("过号率", "%"),
}
_OPS: dict[str, Callable[[float, float], bool]] = {">=": operator.ge, "<=": operator.le, ">": operator.gt,
                                                   "<": operator.lt, "=": operator.eq}
_CONDITION = re.compile(r"([a-z_0-9]+)(>=|<=|>|<|=)(-?\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Condition:
    metric: str
    op: str
    value: float

    def holds(self, figures: Mapping[str, float | None]) -> bool | None:
        """True or False, or None when the figure is not known (nothing to divide by)."""
        actual = figures.get(self.metric)
        return None if actual is None else _OPS[self.op](actual, self.value)

    def __str__(self) -> str:
        value = int(self.value) if self.value == int(self.value) else self.value
        return f"{METRICS[self.metric][0]} {self.op} {value}{'%' if METRICS[self.metric][1] == '%' else ''}"


def parse_condition(text: str, field: str) -> Condition:
    match = _CONDITION.fullmatch(text.replace(" ", ""))
    if match is None or match.group(1) not in METRICS:
        raise InvalidInput(field, f"'{text}' is not 'metric op number' with a metric among {', '.join(METRICS)}", code="stats_rule_form", text=text, metrics=", ".join(METRICS))
    return Condition(match.group(1), match.group(2), float(match.group(3)))


@dataclass(frozen=True)
class StarRule:
    stars: int
    conditions: tuple[Condition, ...]


def parse_star_rule(text: str) -> StarRule:
    parts = text.split()
    if not parts or not parts[0].isdigit() or not 1 <= int(parts[0]) <= 5:
        raise InvalidInput("stats.star_rules", f"'{text}' does not start with the stars, 1 to 5", code="stats_star_rule_form", text=text)
    return StarRule(int(parts[0]), tuple(parse_condition(p, "stats.star_rules") for p in parts[1:]))


@dataclass(frozen=True)
class StatsPolicy:
    """``[stats]`` options.

    - ``target_wait_minutes``: the wait a customer should not exceed (南方电网: 15 min);
      ``service_targets`` overrides it per service letter: ``["B=20", "C=30"]``.
    - ``pause_limit_minutes``: a window paused longer than this is shown as an alert.
    - ``wait_excludes_no_show``: waits of 过号 tickets left out of the wait figures (and of the
      share within target), consistently (DOMAIN pitfall 7).
    - ``kpi_targets``: the monthly review's targets; ``star_rules`` and ``floor_stars``: the ranking.
    """

    target_wait_minutes: int = 15
    service_targets: tuple[str, ...] = ()
    pause_limit_minutes: int = 15
    wait_excludes_no_show: bool = True
    kpi_targets: tuple[str, ...] = ("avg_wait_min<=15", "within_target>=90", "satisfaction>=98",
                                    "active_rate>=80", "rectify_rate>=100", "callback_rate>=100")
    star_rules: tuple[str, ...] = ("5 satisfaction>=99 negative<=0 served>=100", "4 satisfaction>=97 negative<=1",
                                   "3 satisfaction>=95", "2 satisfaction>=90")
    floor_stars: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.target_wait_minutes <= 240:
            raise InvalidInput("target_wait_minutes", "a whole number of minutes from 1 to 240", code="whole_number_range", min=1, max=240)
        if not 1 <= self.pause_limit_minutes <= 480:
            raise InvalidInput("pause_limit_minutes", "a whole number of minutes from 1 to 480", code="whole_number_range", min=1, max=480)
        if not 1 <= self.floor_stars <= 5:
            raise InvalidInput("floor_stars", "a whole number from 1 to 5", code="whole_number_range", min=1, max=5)
        self.targets_by_service  # noqa: B018 - parsed now so a bad entry stops the start
        self.kpis  # noqa: B018
        self.rules  # noqa: B018

    @property
    def targets_by_service(self) -> dict[str, int]:
        targets: dict[str, int] = {}
        for entry in self.service_targets:
            match = re.fullmatch(r"\s*([A-Z])\s*=\s*(\d{1,3})\s*", entry)
            if match is None or not 1 <= int(match.group(2)) <= 240:
                raise InvalidInput("service_targets", f"'{entry}' is not a service letter = minutes, such as B=20", code="stats_service_target_form", entry=entry)
            targets[match.group(1)] = int(match.group(2))
        return targets

    def target_wait_s(self, letter: str | None) -> int:
        return 60 * self.targets_by_service.get(letter or "", self.target_wait_minutes)

    @property
    def kpis(self) -> tuple[Condition, ...]:
        return tuple(parse_condition(text, "stats.kpi_targets") for text in self.kpi_targets)

    @property
    def rules(self) -> tuple[StarRule, ...]:
        return tuple(parse_star_rule(text) for text in self.star_rules)

    def stars(self, figures: Mapping[str, float | None]) -> int:
        """The stars of a clerk's figures: the first rule all of whose conditions hold."""
        for rule in self.rules:
            if all(c.holds(figures) for c in rule.conditions):
                return rule.stars
        return self.floor_stars


def describe_rules(policy: StatsPolicy) -> list[str]:
    """The star rules in words, for the review: ``5星：满意率 >= 99% 且 差评数 <= 0``."""
    lines = [f"{rule.stars}星：" + (" 且 ".join(str(c) for c in rule.conditions) or "无条件") for rule in policy.rules]
    return [*lines, f"其余：{policy.floor_stars}星"]
