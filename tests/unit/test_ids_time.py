from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from counter_app.domain.errors import InvalidInput
from counter_app.domain.ids import is_record_id, new_id
from counter_app.domain.timeutil import branch_zone, business_day, format_local


def test_ids_are_uuid7_and_time_ordered() -> None:
    ids = [new_id() for _ in range(2000)]
    assert all(is_record_id(i) for i in ids)
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert not is_record_id("not-a-uuid")
    assert not is_record_id("6f1b0b0e-0000-4000-8000-000000000000")  # v4


def test_business_day_is_the_branch_local_date() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    late_utc = datetime(2026, 11, 23, 17, 30, tzinfo=timezone.utc)  # 01:30 next day in Shanghai
    assert business_day(late_utc, shanghai) == date(2026, 11, 24)
    assert business_day(late_utc, ZoneInfo("Europe/London")) == date(2026, 11, 23)
    assert business_day(late_utc, shanghai, day_starts=time(3, 0)) == date(2026, 11, 23)
    assert format_local(late_utc, shanghai) == "2026-11-24 01:30:00"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        business_day(datetime(2026, 1, 1), ZoneInfo("Asia/Shanghai"))


def test_unknown_zone_names_the_setting() -> None:
    with pytest.raises(InvalidInput) as info:
        branch_zone("Mars/Base")
    assert info.value.field == "branch.timezone"
