"""Rating rules (好差评): the five national levels, which of them are 差评, the reasons a customer
may tick, the satisfaction rate as the branch computes it, anomaly flags, and the follow-up
deadline of a negative rating.

Everything here is plain data and arithmetic; the services store and count, this module decides.
Local rules (reasons, formula, deadlines, anomaly thresholds) are fields of :class:`RatingPolicy`,
never constants in code.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Iterable, Mapping

from counter_app.domain.errors import InvalidInput
from counter_app.domain.workdays import WorkCalendar


class Level(enum.IntEnum):
    """The five levels of the national scale; the number is the star count."""

    VERY_SATISFIED = 5  # 非常满意
    SATISFIED = 4  # 满意
    BASIC = 3  # 基本满意
    DISSATISFIED = 2  # 不满意
    VERY_DISSATISFIED = 1  # 非常不满意


LEVEL_NAMES_ZH: Mapping[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意",
                                     1: "非常不满意"}
LEVEL_NAMES_EN: Mapping[int, str] = {5: "Very satisfied", 4: "Satisfied", 3: "Acceptable", 2: "Dissatisfied",
                                     1: "Very dissatisfied"}
#: The levels a negative rating (差评) has: they open a follow-up and may carry reasons.
NEGATIVE_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})


@dataclass(frozen=True)
class Reason:
    """A reason a customer may tick for a negative rating; ``code`` is what is stored."""

    code: str
    zh: str
    en: str


DEFAULT_REASONS = (
    Reason("attitude", "态度", "Attitude"),
    Reason("efficiency", "效率", "Efficiency"),
    Reason("knowledge", "业务不熟", "Did not know the business"),
    Reason("waiting", "等候时间长", "Long wait"),
    Reason("other", "其他", "Other"),
)

#: Follow-up steps that must all be recorded before a follow-up may close, in their usual order.
FOLLOWUP_STEPS = ("verification", "action", "callback")  # 核实, 整改, 回访
#: How a closed follow-up ended (DOMAIN 1.3 triage).
RESOLUTIONS = ("fixed", "explained", "mistaken")  # 已整改, 解释说明, 误评(申诉复核)


@dataclass(frozen=True)
class SatisfactionFormula:
    """Which levels count as satisfied, and over what: ``rated`` services (the hall's default,
    not-rated shown separately) or ``all`` requested services (not-rated count against)."""

    satisfied_levels: frozenset[int] = frozenset({5, 4})
    denominator: str = "rated"

    def __post_init__(self) -> None:
        if not self.satisfied_levels or not self.satisfied_levels <= {1, 2, 3, 4, 5}:
            raise InvalidInput("satisfied_levels", "one or more levels from 1 to 5", code="rating_levels")
        if self.denominator not in ("rated", "all"):
            raise InvalidInput("denominator", "rated or all", code="one_of", choices="rated, all")


@dataclass(frozen=True)
class RatingPolicy:
    """The local rules of rating, with the defaults of the hall.

    - ``timeout_seconds``: how long after the request a rating is accepted; then "not rated".
    - ``request_within_minutes``: a rating may be asked for only this soon after the service
      finished, so an old ticket cannot be rated later by someone else.
    - ``reasons``: what a customer may tick for 不满意 / 非常不满意.
    - ``followup_working_days``: the follow-up deadline, counted in working days after it opens.
    - ``inquiry_answer_working_days``: when an inquiry or complaint should be answered.
    - ``quick_rating_seconds``: a rating this soon after the call is flagged (no real service).
    - ``all_top_min_count``: a clerk with at least this many ratings, all 非常满意, is flagged.
    """

    timeout_seconds: int = 30
    request_within_minutes: int = 10
    reasons: tuple[Reason, ...] = DEFAULT_REASONS
    formula: SatisfactionFormula = field(default_factory=SatisfactionFormula)
    followup_working_days: int = 5
    inquiry_answer_working_days: int = 3
    quick_rating_seconds: int = 20
    all_top_min_count: int = 20

    def __post_init__(self) -> None:
        if not 5 <= self.timeout_seconds <= 600:
            raise InvalidInput("timeout_seconds", "a whole number of seconds from 5 to 600", code="whole_number_range", min=5, max=600)
        codes = [r.code for r in self.reasons]
        if len(set(codes)) != len(codes) or not all(codes):
            raise InvalidInput("reasons", "each reason needs its own, non-empty code", code="rating_reason_code")
        if not 1 <= self.followup_working_days <= 60:
            raise InvalidInput("followup_working_days", "a whole number from 1 to 60", code="whole_number_range", min=1, max=60)
        if not 1 <= self.inquiry_answer_working_days <= 60:
            raise InvalidInput("inquiry_answer_working_days", "a whole number from 1 to 60", code="whole_number_range", min=1, max=60)

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)


#: Who may answer a rating request: the on-screen evaluator or a serial pad, never a counter.
EVALUATOR_DEVICE_KINDS = ("screen", "pad")


def check_device(device: object) -> str:
    """A device name ``screen:<id>`` or ``pad:<id>`` of at most 40 characters."""
    if not isinstance(device, str) or len(device) > 40 or ":" not in device:
        raise InvalidInput("device", "an evaluator device such as screen:W03 or pad:/dev/ttyUSB0", code="evaluator_device")
    kind, _, ident = device.partition(":")
    if kind not in EVALUATOR_DEVICE_KINDS or not ident:
        raise InvalidInput("device", "ratings come only from an evaluator screen or pad, never from a counter", code="evaluator_only")
    return device


def check_level(level: object) -> Level:
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level._value2member_map_:
        raise InvalidInput("level", "a rating level from 1 (非常不满意) to 5 (非常满意)", code="rating_level")
    return Level(level)


def is_negative(level: int | None) -> bool:
    """差评: 不满意 or 非常不满意. "Not rated" (``None``) is never negative, nor positive."""
    return level is not None and level in NEGATIVE_LEVELS


def check_reasons(level: Level, reasons: Iterable[str], policy: RatingPolicy) -> tuple[str, ...]:
    """Reasons are ticked only for a negative level, each a configured code, each once."""
    chosen = tuple(reasons)
    if not chosen:
        return chosen
    if not is_negative(level):
        raise InvalidInput("reasons", "reasons are given only with 不满意 or 非常不满意", code="rating_reasons_unhappy")
    for code in chosen:
        if policy.reason(code) is None:
            raise InvalidInput("reasons", f"'{code}' is not one of the configured reasons", code="rating_reason_unknown", reason=code)
    if len(set(chosen)) != len(chosen):
        raise InvalidInput("reasons", "each reason at most once", code="rating_reason_twice")
    order = {r.code: i for i, r in enumerate(policy.reasons)}
    return tuple(sorted(chosen, key=order.__getitem__))


# --- counting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelCounts:
    """Raw counts per level and of services that were not rated: what is stored and summed."""

    by_level: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # index 0 = level 1 ... 4 = level 5
    not_rated: int = 0

    @classmethod
    def of(cls, levels: Iterable[int | None]) -> "LevelCounts":
        return cls.tally((level, 1) for level in levels)

    @classmethod
    def tally(cls, pairs: Iterable[tuple[int | None, int]]) -> "LevelCounts":
        """From ``(level, how many)`` pairs, as a GROUP BY gives them; ``None`` is not rated."""
        counts = [0] * 5
        missing = 0
        for level, n in pairs:
            if level is None:
                missing += n
            else:
                counts[check_level(level) - 1] += n
        return cls(tuple(counts), missing)  # type: ignore[arg-type]

    def __add__(self, other: "LevelCounts") -> "LevelCounts":
        summed = tuple(a + b for a, b in zip(self.by_level, other.by_level))
        return LevelCounts(summed, self.not_rated + other.not_rated)  # type: ignore[arg-type]

    def count(self, level: int) -> int:
        return self.by_level[check_level(level) - 1]

    @property
    def rated(self) -> int:
        return sum(self.by_level)

    @property
    def total(self) -> int:
        return self.rated + self.not_rated

    @property
    def negative(self) -> int:
        return sum(self.count(level) for level in NEGATIVE_LEVELS)


@dataclass(frozen=True)
class Satisfaction:
    """The satisfaction figures of one clerk, window or period. Rates are exact fractions, or
    ``None`` when there is nothing to divide by; :func:`percent` formats them."""

    counts: LevelCounts
    rate: Fraction | None  # the configured 满意率
    not_rated_share: Fraction | None  # of all requested services
    negative_share: Fraction | None  # 差评 among rated services


def satisfaction(counts: LevelCounts, formula: SatisfactionFormula = SatisfactionFormula()) -> Satisfaction:
    satisfied = sum(counts.count(level) for level in formula.satisfied_levels)
    denominator = counts.rated if formula.denominator == "rated" else counts.total
    return Satisfaction(
        counts,
        Fraction(satisfied, denominator) if denominator else None,
        Fraction(counts.not_rated, counts.total) if counts.total else None,
        Fraction(counts.negative, counts.rated) if counts.rated else None,
    )


def percent(share: Fraction | None, digits: int = 2) -> str:
    """``Fraction(1919, 2000)`` -> ``"95.95%"``, rounded half up; ``None`` -> ``"—"``."""
    if share is None:
        return "—"
    scaled = share * 100 * 10**digits
    whole = int(scaled + Fraction(1, 2))
    text = f"{whole // 10**digits}"
    if digits:
        text += f".{whole % 10**digits:0{digits}d}"
    return text + "%"


# --- anomalies --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingSample:
    """One stored rating as the anomaly check sees it: level, and when its service was called."""

    level: int | None
    rated_at: datetime | None
    called_at: datetime | None


@dataclass(frozen=True)
class Anomaly:
    code: str  # all_top | quick | no_service_time
    count: int
    of: int


def anomalies(samples: Iterable[RatingSample], policy: RatingPolicy = RatingPolicy()) -> tuple[Anomaly, ...]:
    """Flags for a manager to look at (DOMAIN 1.5), never verdicts:

    - ``all_top``: every one of at least ``all_top_min_count`` ratings is 非常满意;
    - ``quick``: ratings given within ``quick_rating_seconds`` of the call;
    - ``no_service_time``: ratings whose service has no recorded call at all.
    """
    rated = [s for s in samples if s.level is not None]
    flags: list[Anomaly] = []
    top = sum(1 for s in rated if s.level == Level.VERY_SATISFIED)
    if len(rated) >= policy.all_top_min_count and top == len(rated):
        flags.append(Anomaly("all_top", top, len(rated)))
    quick_limit = timedelta(seconds=policy.quick_rating_seconds)
    quick = sum(1 for s in rated if s.called_at is not None and s.rated_at is not None
                and s.rated_at - s.called_at < quick_limit)
    if quick:
        flags.append(Anomaly("quick", quick, len(rated)))
    untimed = sum(1 for s in rated if s.called_at is None)
    if untimed:
        flags.append(Anomaly("no_service_time", untimed, len(rated)))
    return tuple(flags)


# --- deadlines --------------------------------------------------------------------------------


def followup_deadline(opened_on: date, policy: RatingPolicy, calendar: WorkCalendar) -> date:
    """The ``followup_working_days``-th working day after the day the follow-up opened."""
    return calendar.add_working_days(opened_on, policy.followup_working_days)


def is_overdue(deadline: date, today: date, closed_on: date | None = None) -> bool:
    """Overdue once the deadline day has passed without closing (closing late stays overdue)."""
    return (closed_on if closed_on is not None else today) > deadline


def missing_steps(recorded: Iterable[str]) -> tuple[str, ...]:
    done = set(recorded)
    return tuple(step for step in FOLLOWUP_STEPS if step not in done)
