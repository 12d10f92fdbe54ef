"""The public-holiday calendar for 2026-2027 with its 调休 make-up working days.

2026 is the State Council's notice of November 2025 (国办发明电〔2025〕7号). The 2027 notice is not
published when this is written: its dates follow the statutory holidays (全国年节及纪念日放假办法,
2024 revision: 春节 4 days, 劳动节 2 days) laid out the way recent notices do, and are marked
provisional. Head office replaces them through reference data when the notice appears; a manager
can edit the ``holiday`` table in the meantime.
"""

from __future__ import annotations

from datetime import date, timedelta

PROVISIONAL_YEARS = (2027,)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


#: (name, first day off, last day off, make-up working days)
_HOLIDAYS: tuple[tuple[str, date, date, tuple[date, ...]], ...] = (
    ("元旦", date(2026, 1, 1), date(2026, 1, 3), (date(2026, 1, 4),)),
    ("春节", date(2026, 2, 15), date(2026, 2, 23), (date(2026, 2, 14), date(2026, 2, 28))),
    ("清明节", date(2026, 4, 4), date(2026, 4, 6), ()),
    ("劳动节", date(2026, 5, 1), date(2026, 5, 5), (date(2026, 5, 9),)),
    ("端午节", date(2026, 6, 19), date(2026, 6, 21), ()),
    ("中秋节", date(2026, 9, 25), date(2026, 9, 27), ()),
    ("国庆节", date(2026, 10, 1), date(2026, 10, 7), (date(2026, 9, 20), date(2026, 10, 10))),
    ("元旦", date(2027, 1, 1), date(2027, 1, 3), ()),
    ("春节", date(2027, 2, 5), date(2027, 2, 13), (date(2027, 1, 31), date(2027, 2, 20))),
    ("清明节", date(2027, 4, 3), date(2027, 4, 5), ()),
    ("劳动节", date(2027, 5, 1), date(2027, 5, 5), (date(2027, 5, 8),)),
    ("端午节", date(2027, 6, 9), date(2027, 6, 9), ()),
    ("中秋节", date(2027, 9, 15), date(2027, 9, 15), ()),
    ("国庆节", date(2027, 10, 1), date(2027, 10, 7), (date(2027, 9, 26), date(2027, 10, 9))),
)


def holiday_calendar_2026_2027() -> list[tuple[date, str, str]]:
    """``(day, kind, name)`` rows: ``holiday`` for each day off, ``workday`` for each 调休上班 day."""
    rows: list[tuple[date, str, str]] = []
    for name, first, last, make_up in _HOLIDAYS:
        label = f"{name}（暂定）" if first.year in PROVISIONAL_YEARS else name
        rows += [(day, "holiday", label) for day in _days(first, last)]
        rows += [(day, "workday", f"{label}调休上班") for day in make_up]
    return sorted(rows)
