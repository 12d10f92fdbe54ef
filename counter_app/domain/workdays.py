"""The working-day calendar (工作日): weekends off, public holidays off, 调休 make-up days on.

Deadlines in the hall are counted in working days. A calendar is built from exceptions only:
``holidays`` (days off that would be working days, or that are named holidays on a weekend) and
``workdays`` (weekend days that are make-up working days, 调休上班). Everything else follows the
week: Monday to Friday work, Saturday and Sunday rest.

Counting convention, used for every promised date:

* ``add_working_days(start, n)`` for ``n >= 1`` is the n-th working day *after* ``start``;
  ``n == 0`` means "the same day": ``start`` if it is a working day, else the next working day.
* ``working_days_between(start, end)`` counts working days in ``(start, end]``, so that
  ``working_days_between(start, add_working_days(start, n)) == n`` for every ``n >= 1``;
  it is negative when ``end`` is before ``start``.

Counting is O(log k) in the number of exceptions, so a list of 50,000 applications can show the
elapsed working days of each without a loop over days.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

_ONE = timedelta(days=1)


def _weekdays_until(day: date) -> int:
    """Number of Monday-Friday dates in (epoch, day] for a fixed Monday epoch; any monotone count works."""
    ordinal = day.toordinal()  # ordinal 1 (0001-01-01) is a Monday
    weeks, rest = divmod(ordinal, 7)  # rest 0 = Sunday, 1 = Monday ... 6 = Saturday
    return weeks * 5 + min(rest, 5)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days from weekday rules plus holiday and make-up-day exceptions."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    _off_weekdays: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _on_weekends: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"{min(both)} is both a holiday and a make-up working day")
        object.__setattr__(self, "_off_weekdays", tuple(sorted(d.toordinal() for d in self.holidays if d.weekday() < 5)))
        object.__setattr__(self, "_on_weekends", tuple(sorted(d.toordinal() for d in self.workdays if d.weekday() >= 5)))

    @classmethod
    def from_exceptions(cls, exceptions: Iterable[tuple[date, str]]) -> "WorkCalendar":
        """Build from ``(day, kind)`` pairs, ``kind`` being ``holiday`` or ``workday``."""
        holidays, workdays = set(), set()
        for day, kind in exceptions:
            if kind == "holiday":
                holidays.add(day)
            elif kind == "workday":
                workdays.add(day)
            else:
                raise ValueError(f"calendar exception kind must be holiday or workday, not {kind!r}")
        return cls(frozenset(holidays), frozenset(workdays))

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def _count_until(self, day: date) -> int:
        ordinal = day.toordinal()
        return (_weekdays_until(day) - bisect_right(self._off_weekdays, ordinal)
                + bisect_right(self._on_weekends, ordinal))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in ``(start, end]``; negative (the count of ``(end, start]``) if end < start."""
        return self._count_until(end) - self._count_until(start)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += _ONE
        while not self.is_working_day(day):
            day += _ONE
        return day

    def on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``n == 0``: ``start`` itself or the next working day)."""
        if n < 0:
            raise ValueError("count working days forwards only")
        if n == 0:
            return self.on_or_after(start)
        day = start
        # Jump whole weeks first (each holds five weekdays, give or take exceptions), then walk.
        while n > 10:
            target = day + timedelta(days=(n // 5 - 1) * 7)
            step = self.working_days_between(day, target)
            if step >= n:
                break
            n -= step
            day = target
        while n > 0:
            day = self.next_working_day(day)
            n -= 1
        return day

    def working_days_in(self, start: date, end: date) -> int:
        """Working days in the closed range ``[start, end]`` (0 when end < start)."""
        if end < start:
            return 0
        return self.working_days_between(start - _ONE, end)
