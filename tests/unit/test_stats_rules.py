"""Statistics rules without a database: facts of one ticket, percentiles, the [stats] policy."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from counter_app.core.config import ConfigError, Settings, options_from_table
from counter_app.domain.errors import InvalidInput
from counter_app.services.stats import StatsPolicy, percentile
from counter_app.services.stats.derive import Event, derive

ZONE = ZoneInfo("Asia/Shanghai")


def local(day: int, hh: int, mm: int) -> datetime:
    return datetime(2026, 11, day, hh, mm, tzinfo=ZONE).astimezone(timezone.utc)


def ev(kind: str, at: datetime, clerk: str | None = "c1", window: str | None = "w1", service: str = "sA") -> Event:
    return Event(kind, at, clerk, window, service)


def test_a_wait_crossing_midnight_is_cut_at_the_end_of_its_business_day() -> None:
    events = [ev("issued", local(2, 23, 50), None, None), ev("called", local(3, 0, 20)), ev("serving", local(3, 0, 22)),
              ev("done", local(3, 0, 30))]
    fact, segments = derive("t", "b", date(2026, 11, 2), "sA", local(2, 23, 50), "done", events, ZONE)
    assert fact.wait_s == 600 and fact.hour == 23 and fact.outcome == "done"
    assert len(segments) == 1 and segments[0].business_date == date(2026, 11, 3) and segments[0].handle_s == 480


def test_service_crossing_midnight_is_cut_too_and_wait_uses_whole_seconds_not_minutes() -> None:
    events = [ev("called", local(2, 23, 0)), ev("done", local(3, 1, 0))]
    fact, segments = derive("t", "b", date(2026, 11, 2), "sA", local(2, 22, 58) - timedelta(seconds=59), "done",
                            events, ZONE)
    assert fact.wait_s == 179  # 2 min 59 s: not the minutes field (2), not rounded
    assert segments[0].handle_s == 3600


def test_two_clerks_two_segments_recall_is_the_same_segment() -> None:
    events = [ev("called", local(2, 9, 0)), ev("recalled", local(2, 9, 1)), ev("transferred", local(2, 9, 5)),
              ev("called", local(2, 9, 10), "c2", "w2", "sB"), ev("done", local(2, 9, 12), "c2", "w2", "sB")]
    fact, segments = derive("t", "b", date(2026, 11, 2), "sA", local(2, 8, 50), "done", events, ZONE)
    assert fact.transferred == 1 and fact.first_clerk_id == "c1" and fact.wait_s == 600
    assert [(s.clerk_id, s.ended, s.handle_s, s.service_id) for s in segments] == [
        ("c1", "transferred", 300, "sA"), ("c2", "done", 120, "sB")]


def test_no_show_has_no_handling_time_and_unfinished_ticket_no_outcome() -> None:
    fact, segments = derive("t", "b", date(2026, 11, 2), "sA", local(2, 9, 0), "no_show",
                            [ev("called", local(2, 9, 3)), ev("no_show", local(2, 9, 5))], ZONE)
    assert segments[0].handle_s is None and fact.outcome == "no_show"
    fact, segments = derive("t", "b", date(2026, 11, 2), "sA", local(2, 9, 0), "serving",
                            [ev("called", local(2, 9, 3))], ZONE)
    assert fact.outcome is None and segments[0].ended is None


def test_percentiles_linear_between_ranks() -> None:
    assert percentile([], 50) is None
    assert percentile([7], 90) == 7
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(1, 11)), 90) == pytest.approx(9.1)


def test_star_rules_are_data_first_match_wins() -> None:
    policy = StatsPolicy(star_rules=("5 satisfaction>=99 negative<=0", "3 satisfaction>=90"), floor_stars=2)
    assert policy.stars({"satisfaction": 100, "negative": 0}) == 5
    assert policy.stars({"satisfaction": 100, "negative": 1}) == 3
    assert policy.stars({"satisfaction": 80, "negative": 0}) == 2
    assert policy.stars({"satisfaction": None, "negative": 0}) == 2  # unknown never passes


def test_stats_table_from_toml_names_the_bad_key() -> None:
    good = options_from_table(StatsPolicy, Settings(policy={"stats": {"service_targets": ["B=20"],
                                                                       "pause_limit_minutes": 10}}), "stats")
    assert good.target_wait_s("B") == 1200 and good.target_wait_s("A") == 900 and good.pause_limit_minutes == 10
    with pytest.raises(ConfigError) as error:
        options_from_table(StatsPolicy, Settings(policy={"stats": {"kpi_targets": ["speed>=3"]}}), "stats")
    assert "stats.kpi_targets" in str(error.value)
    with pytest.raises(ConfigError) as error:
        options_from_table(StatsPolicy, Settings(policy={"stats": {"service_targets": ["B:20"]}}), "stats")
    assert "stats.service_targets" in str(error.value)
    with pytest.raises(InvalidInput):
        StatsPolicy(target_wait_minutes=0)
