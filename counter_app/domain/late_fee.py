"""违约金 / 滞纳金 as data: a daily rate on the overdue amount, simply accumulated, rounded once.

The fee runs from the first day after the due date and the grace days up to and including the
payment day. Each charged day earns its rate on the principal still overdue that day: a partial
payment lowers it from the day after the payment on (the payment day itself is charged on what
was owed before it), so what is still owed goes on earning the fee until it too is paid. With ``day_kind == "working"`` both the grace days and the charged days are working
days, told by a predicate the caller passes (a holiday calendar with 调休 make-up days). The rate
is per mille (5‰ 浙江, 包头) or per ten thousand (万分之五); an optional cross-year rate applies
to days in a later calendar year than the due date (供电营业规则: 2‰ current year, 3‰ cross-year).
The raw fee is Σ (principal overdue that day × that day's rate), rounded once; then the minimum (electricity: under 1 元
is charged as 1 元) and then the cap (包头: never more than that month's bill) apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from counter_app.domain.errors import InvalidInput
from counter_app.domain.money import div_round_half_up

RATE_UNITS = {"per_mille": 1000, "per_ten_thousand": 10000}
DAY_KINDS = ("natural", "working")
CAPS = ("none", "bill", "fixed")
_KEYS = ("daily_rate", "rate_unit", "grace_days", "day_kind", "cap", "cap_fen", "minimum_fen", "cross_year_rate")

WorkingDay = Callable[[date], bool]
#: A payment of principal on a bill: the day it was made and the fen it paid off.
PrincipalPayment = tuple[date, int]


def _whole(value: object, field: str, minimum: int = 0) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InvalidInput(field, f"a whole number of at least {minimum}, got {value!r}", code="whole_number_min", min=minimum, got=repr(value))


@dataclass(frozen=True)
class LateFeeRule:
    daily_rate: int  # 5 with rate_unit "per_mille" is 5‰ a day
    rate_unit: str = "per_mille"
    grace_days: int = 0
    day_kind: str = "natural"
    cap: str = "none"  # none | bill (never above the bill) | fixed (never above cap_fen)
    cap_fen: int = 0
    minimum_fen: int = 0  # any fee at all is at least this
    cross_year_rate: int | None = None  # for days in a later year than the due date

    def __post_init__(self) -> None:
        _whole(self.daily_rate, "late_fee.daily_rate")
        if self.rate_unit not in RATE_UNITS:
            raise InvalidInput("late_fee.rate_unit", "per_mille or per_ten_thousand", code="one_of", choices="per_mille, per_ten_thousand")
        _whole(self.grace_days, "late_fee.grace_days")
        if self.day_kind not in DAY_KINDS:
            raise InvalidInput("late_fee.day_kind", "natural or working", code="one_of", choices="natural, working")
        if self.cap not in CAPS:
            raise InvalidInput("late_fee.cap", "none, bill or fixed", code="one_of", choices="none, bill, fixed")
        _whole(self.cap_fen, "late_fee.cap_fen", 1 if self.cap == "fixed" else 0)
        _whole(self.minimum_fen, "late_fee.minimum_fen")
        if self.cross_year_rate is not None:
            _whole(self.cross_year_rate, "late_fee.cross_year_rate")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "LateFeeRule":
        if not isinstance(data, dict):
            raise InvalidInput("late_fee", "a table of settings", code="settings_table")
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise InvalidInput("late_fee", f"unknown setting {unknown[0]!r}", code="setting_unknown", name=repr(unknown[0]))
        if "daily_rate" not in data:
            raise InvalidInput("late_fee.daily_rate", "required", code="required")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in _KEYS}


@dataclass(frozen=True)
class LateFee:
    """The fee and how it came about, for the bill and the receipt."""

    fee_fen: int
    days: int  # days charged
    first_day: date | None  # first charged day
    uncapped_fen: int  # after the minimum, before the cap
    minimum_applied: bool
    capped: bool


def _paid_by_day(payments: Iterable[PrincipalPayment], overdue_fen: int) -> dict[date, int]:
    paid: dict[date, int] = {}
    for day, amount in payments:
        if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0 or not isinstance(day, date):
            raise InvalidInput("payments", f"each payment is a day and a whole, non-negative number of fen, got {amount!r}", code="late_fee_payment_form", got=repr(amount))
        paid[day] = paid.get(day, 0) + amount
    if sum(paid.values()) > overdue_fen:
        raise InvalidInput("payments", "the payments come to more than the overdue amount", code="late_fee_payments_too_much")
    return paid


def assess_late_fee(rule: LateFeeRule, overdue_fen: int, due_date: date, pay_date: date, *,
                    payments: Iterable[PrincipalPayment] = (), bill_fen: int | None = None,
                    is_working_day: WorkingDay | None = None) -> LateFee:
    """The late fee on ``overdue_fen`` due on ``due_date`` and paid on ``pay_date``.

    ``payments`` are the partial payments of that principal made since (day, fen): a charged day
    earns on ``overdue_fen`` less what was paid on the days before it. ``bill_fen`` is the bill a
    ``cap == "bill"`` rule is held to (the overdue amount if omitted).
    """
    _whole(overdue_fen, "overdue_fen")
    if bill_fen is not None:
        _whole(bill_fen, "bill_fen")
    paid = _paid_by_day(payments, overdue_fen)
    if rule.day_kind == "working" and is_working_day is None:
        raise InvalidInput("late_fee.day_kind", "working days need the holiday calendar", code="late_fee_calendar")
    counts = is_working_day if rule.day_kind == "working" else None
    principal = overdue_fen - sum(amount for day, amount in paid.items() if day <= due_date)
    grace_left, days, weighted, owing_days, first_day = rule.grace_days, 0, 0, 0, None
    day = due_date + timedelta(days=1)
    while day <= pay_date:
        if counts is None or counts(day):
            if grace_left:
                grace_left -= 1
            else:
                cross_year = rule.cross_year_rate is not None and day.year > due_date.year
                weighted += principal * ((rule.cross_year_rate or 0) if cross_year else rule.daily_rate)
                days += 1
                owing_days += principal > 0
                first_day = first_day or day
        principal -= paid.get(day, 0)  # paid today: from tomorrow on, only the rest is overdue
        day += timedelta(days=1)
    if owing_days == 0:
        return LateFee(0, days, first_day, 0, False, False)
    raw = div_round_half_up(weighted, RATE_UNITS[rule.rate_unit])
    fee = max(raw, rule.minimum_fen)
    limit = {"none": None, "bill": overdue_fen if bill_fen is None else bill_fen, "fixed": rule.cap_fen}[rule.cap]
    final = fee if limit is None else min(fee, limit)
    return LateFee(final, days, first_day, fee, fee > raw, final < fee)


def late_fee(rule: LateFeeRule, overdue_fen: int, due_date: date, pay_date: date, *,
             payments: Iterable[PrincipalPayment] = (), bill_fen: int | None = None,
             is_working_day: WorkingDay | None = None) -> int:
    """The late fee in fen; see :func:`assess_late_fee`."""
    return assess_late_fee(rule, overdue_fen, due_date, pay_date, payments=payments, bill_fen=bill_fen,
                           is_working_day=is_working_day).fee_fen
