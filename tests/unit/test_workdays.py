"""The working-day calendar: weekends, holidays, 调休 make-up days, year ends, fast counting."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.workdays import WorkCalendar
from counter_app.services.applications.holidays import holiday_calendar_2026_2027

CALENDAR = WorkCalendar.from_exceptions((day, kind) for day, kind, _name in holiday_calendar_2026_2027())
PLAIN = WorkCalendar()


def walk(calendar: WorkCalendar, start: date, n: int) -> date:
    """The definition, one day at a time."""
    day = start
    if n == 0:
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        return day
    while n:
        day += timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def test_weekends_are_skipped() -> None:
    friday = date(2026, 3, 13)
    assert PLAIN.add_working_days(friday, 1) == date(2026, 3, 16)  # Monday
    assert PLAIN.add_working_days(friday, 5) == date(2026, 3, 20)
    assert PLAIN.add_working_days(date(2026, 3, 14), 1) == date(2026, 3, 16)  # from a Saturday
    assert PLAIN.add_working_days(date(2026, 3, 14), 0) == date(2026, 3, 16)
    assert PLAIN.add_working_days(friday, 0) == friday
    assert PLAIN.working_days_between(friday, date(2026, 3, 16)) == 1


def test_national_day_week_and_its_make_up_days() -> None:
    # 2026: 10-1 .. 10-7 off; Sunday 9-20 and Saturday 10-10 are working days
    assert CALENDAR.is_working_day(date(2026, 9, 20))
    assert CALENDAR.is_working_day(date(2026, 10, 10))
    assert not CALENDAR.is_working_day(date(2026, 10, 5))
    assert CALENDAR.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert CALENDAR.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)  # the make-up Saturday counts
    assert CALENDAR.add_working_days(date(2026, 9, 19), 1) == date(2026, 9, 20)  # Saturday -> make-up Sunday
    assert CALENDAR.working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4  # 8, 9, 10, 12


def test_spring_festival_2026() -> None:
    # 2-15 (Sun) .. 2-23 (Mon) off; Saturdays 2-14 and 2-28 are working days
    assert CALENDAR.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert CALENDAR.add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert CALENDAR.working_days_in(date(2026, 2, 1), date(2026, 2, 28)) == 20 - 6 + 2  # 20 weekdays, 6 off, 2 make-up


def test_across_the_year_end() -> None:
    # 2026-12-31 is a Thursday; 2027-01-01 .. 01-03 off
    assert CALENDAR.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert CALENDAR.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)
    assert CALENDAR.working_days_between(date(2026, 12, 25), date(2027, 1, 8)) == 9
    # and the new year's day of 2026 with its make-up Sunday
    assert CALENDAR.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert PLAIN.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)  # without the calendar it is a Friday


def test_counting_backwards_is_negative_and_symmetric() -> None:
    a, b = date(2026, 9, 28), date(2026, 10, 12)
    assert CALENDAR.working_days_between(b, a) == -CALENDAR.working_days_between(a, b)
    assert CALENDAR.working_days_between(a, a) == 0
    assert CALENDAR.working_days_in(b, a) == 0


def test_a_day_cannot_be_both_off_and_on() -> None:
    with pytest.raises(ValueError):
        WorkCalendar(frozenset({date(2026, 1, 1)}), frozenset({date(2026, 1, 1)}))
    with pytest.raises(ValueError):
        WorkCalendar.from_exceptions([(date(2026, 1, 1), "vacation")])


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        CALENDAR.add_working_days(date(2026, 1, 5), -1)


def test_2026_working_days_add_up() -> None:
    # 261 weekdays, 19 of them holidays (2 + 6 + 1 + 3 + 1 + 1 + 5), 6 make-up days
    assert CALENDAR.working_days_in(date(2026, 1, 1), date(2026, 12, 31)) == 261 - 19 + 6


days = st.dates(min_value=date(2025, 11, 1), max_value=date(2028, 2, 1))


@settings(max_examples=300)
@given(days, st.integers(0, 80))
def test_jumping_agrees_with_walking(start: date, n: int) -> None:
    assert CALENDAR.add_working_days(start, n) == walk(CALENDAR, start, n)


@settings(max_examples=300)
@given(days, st.integers(1, 80))
def test_counting_inverts_adding(start: date, n: int) -> None:
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, n)) == n


@settings(max_examples=200)
@given(days, days)
def test_counting_agrees_with_looking_at_each_day(a: date, b: date) -> None:
    start, end = min(a, b), max(a, b)
    by_hand = sum(CALENDAR.is_working_day(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))
    assert CALENDAR.working_days_between(start, end) == by_hand
