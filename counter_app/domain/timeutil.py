"""Time: stored in UTC, shown in the branch's time zone; the business day is the local date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from counter_app.domain.errors import InvalidInput

UTC = timezone.utc


def utcnow() -> datetime:
    return datetime.now(UTC)


def branch_zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("branch.timezone", f"'{name}' is not an IANA time zone such as Asia/Shanghai", code="time_zone", name=name) from None


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: say which zone it is in")
    return moment.astimezone(UTC)


def to_local(moment: datetime, zone: ZoneInfo) -> datetime:
    return as_utc(moment).astimezone(zone)


def business_day(moment: datetime, zone: ZoneInfo, day_starts: time = time(0, 0)) -> date:
    """The branch's business date of a moment; a day may be configured to start after midnight."""
    local = to_local(moment, zone)
    shifted = local - timedelta(hours=day_starts.hour, minutes=day_starts.minute)
    return shifted.date()


def format_local(moment: datetime, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return to_local(moment, zone).strftime(fmt)
