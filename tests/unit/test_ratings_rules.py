"""Rating rules without a database: levels, 差评, reasons, the satisfaction rate under the
formulas halls use, anomaly flags, and working-day deadlines of follow-ups."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import InvalidInput
from counter_app.domain.ratings import (
    LEVEL_NAMES_ZH,
    Level,
    LevelCounts,
    RatingPolicy,
    RatingSample,
    Reason,
    SatisfactionFormula,
    anomalies,
    check_device,
    check_level,
    check_reasons,
    followup_deadline,
    is_negative,
    is_overdue,
    missing_steps,
    percent,
    satisfaction,
)
from counter_app.domain.workdays import WorkCalendar

T0 = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


def test_five_national_levels_and_which_are_negative() -> None:
    assert [LEVEL_NAMES_ZH[level] for level in Level] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert [is_negative(level) for level in (5, 4, 3, 2, 1, None)] == [False, False, False, True, True, False]
    for bad in (0, 6, "5", 4.0, True, None):
        with pytest.raises(InvalidInput, match="level"):
            check_level(bad)


def test_reasons_only_for_negative_levels_and_only_configured_ones() -> None:
    policy = RatingPolicy()
    assert [r.zh for r in policy.reasons] == ["态度", "效率", "业务不熟", "等候时间长", "其他"]
    assert check_reasons(Level.VERY_DISSATISFIED, ["other", "attitude"], policy) == ("attitude", "other")
    assert check_reasons(Level.VERY_SATISFIED, [], policy) == ()
    with pytest.raises(InvalidInput, match="only with"):
        check_reasons(Level.BASIC, ["waiting"], policy)
    with pytest.raises(InvalidInput, match="configured"):
        check_reasons(Level.DISSATISFIED, ["noise"], policy)
    with pytest.raises(InvalidInput, match="at most once"):
        check_reasons(Level.DISSATISFIED, ["waiting", "waiting"], policy)
    local = RatingPolicy(reasons=(Reason("away", "窗口人员离岗", "Clerk away"),))
    assert check_reasons(Level.DISSATISFIED, ["away"], local) == ("away",)
    with pytest.raises(InvalidInput, match="own"):
        RatingPolicy(reasons=(Reason("a", "甲", "A"), Reason("a", "乙", "B")))


def test_policy_bounds_name_the_setting() -> None:
    with pytest.raises(InvalidInput, match="timeout_seconds"):
        RatingPolicy(timeout_seconds=2)
    with pytest.raises(InvalidInput, match="followup_working_days"):
        RatingPolicy(followup_working_days=0)
    with pytest.raises(InvalidInput, match="denominator"):
        SatisfactionFormula(denominator="tickets")


def test_devices_are_evaluators_never_counters() -> None:
    assert check_device("screen:W03") == "screen:W03"
    assert check_device("pad:/dev/ttyUSB0") == "pad:/dev/ttyUSB0"
    for bad in ("counter:T01", "screen:", "W03", "", None, "pad:" + "x" * 40):
        with pytest.raises(InvalidInput, match="device"):
            check_device(bad)


def test_satisfaction_rate_as_the_hall_counts_it_with_not_rated_apart() -> None:
    counts = LevelCounts.of([5, 5, 4, 3, 2, 1, None, None])
    assert (counts.rated, counts.not_rated, counts.total, counts.negative) == (6, 2, 8, 2)
    hall = satisfaction(counts)
    assert hall.rate == Fraction(3, 6) and hall.not_rated_share == Fraction(2, 8)
    assert hall.negative_share == Fraction(2, 6)
    # JackQChen: (5★ + 4★) / all requested; provincial: 基本满意 and above
    assert satisfaction(counts, SatisfactionFormula(denominator="all")).rate == Fraction(3, 8)
    assert satisfaction(counts, SatisfactionFormula(frozenset({3, 4, 5}))).rate == Fraction(4, 6)
    empty = satisfaction(LevelCounts())
    assert (empty.rate, empty.not_rated_share, empty.negative_share) == (None, None, None)
    only_missing = satisfaction(LevelCounts.of([None]))
    assert only_missing.rate is None and only_missing.not_rated_share == 1


def test_percent_rounds_half_up_like_the_published_figures() -> None:
    assert percent(Fraction(9595, 10000)) == "95.95%"
    assert percent(Fraction(1, 3)) == "33.33%"
    assert percent(Fraction(2, 3)) == "66.67%"
    assert percent(Fraction(1, 8), 1) == "12.5%"
    assert percent(Fraction(1, 16), 1) == "6.3%"
    assert percent(Fraction(1), 0) == "100%"
    assert percent(None) == "—"


@given(st.lists(st.sampled_from([1, 2, 3, 4, 5, None])), st.lists(st.sampled_from([1, 2, 3, 4, 5, None])))
def test_counts_add_up_and_rates_stay_between_nought_and_one(a: list[int | None], b: list[int | None]) -> None:
    both = LevelCounts.of(a) + LevelCounts.of(b)
    assert both == LevelCounts.of(a + b)
    assert both == LevelCounts.tally([(level, a.count(level) + b.count(level)) for level in (1, 2, 3, 4, 5, None)])
    result = satisfaction(both)
    for share in (result.rate, result.not_rated_share, result.negative_share):
        assert share is None or 0 <= share <= 1


def test_anomalies_all_top_quick_and_untimed() -> None:
    policy = RatingPolicy(all_top_min_count=3, quick_rating_seconds=20)
    honest = [RatingSample(5, T0 + timedelta(minutes=5), T0), RatingSample(4, T0 + timedelta(minutes=9), T0)]
    assert anomalies(honest, policy) == ()
    perfect = [RatingSample(5, T0 + timedelta(minutes=m + 3), T0 + timedelta(minutes=m)) for m in range(3)]
    assert [a.code for a in anomalies(perfect, policy)] == ["all_top"]
    assert anomalies(perfect[:2], policy) == ()  # too few to say
    quick = [RatingSample(5, T0 + timedelta(seconds=8), T0), RatingSample(None, None, T0)]
    flags = anomalies(honest + quick + [RatingSample(3, T0, None)], policy)
    assert [(a.code, a.count, a.of) for a in flags] == [("quick", 1, 4), ("no_service_time", 1, 4)]


def test_follow_up_deadline_in_working_days_skips_weekends_and_holidays() -> None:
    friday = date(2026, 11, 27)
    assert followup_deadline(friday, RatingPolicy(), WorkCalendar()) == date(2026, 12, 4)
    assert followup_deadline(friday, RatingPolicy(followup_working_days=15), WorkCalendar()) == date(2026, 12, 18)
    national_day = WorkCalendar(frozenset(date(2026, 10, d) for d in range(1, 8)),
                                frozenset({date(2026, 9, 27), date(2026, 10, 10)}))
    # Friday 25 Sep 2026: Sunday 27 Sep is a make-up working day, 1-7 Oct are off, Saturday 10 Oct works
    assert followup_deadline(date(2026, 9, 25), RatingPolicy(), national_day) == date(2026, 10, 8)
    assert followup_deadline(date(2026, 9, 25), RatingPolicy(followup_working_days=7), national_day) == date(2026, 10, 10)


def test_overdue_only_after_the_deadline_day_and_closing_late_stays_late() -> None:
    deadline = date(2026, 12, 4)
    assert not is_overdue(deadline, date(2026, 12, 4))
    assert is_overdue(deadline, date(2026, 12, 5))
    assert not is_overdue(deadline, date(2026, 12, 9), closed_on=date(2026, 12, 3))
    assert is_overdue(deadline, date(2026, 12, 9), closed_on=date(2026, 12, 7))


def test_closing_needs_verification_action_and_call_back() -> None:
    assert missing_steps([]) == ("verification", "action", "callback")
    assert missing_steps(["callback", "verification", "verification"]) == ("action",)
    assert missing_steps(["verification", "action", "callback", "outcome"]) == ()
