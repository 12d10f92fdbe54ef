"""From one ticket's event log to its statistics facts: plain Python, no database.

A ticket's **wait** is from its arrival to its first call, cut at the end of its business day
(a ticket still waiting at midnight and called next morning waited until midnight, never
overnight). Its **segments** are its stretches at a window: each starts with a call (``called``,
``called_back``; a recall is the same stretch) and ends with what closed it. The segment belongs
to the clerk the call event names, the clerk logged in at that window then (DOMAIN pitfall 16),
so a ticket served by two clerks gives each their part. A segment's **handling time** runs from
``serving`` (or the call, when service was not started separately) to its end, for segments
that ended in service (done, transferred onward, held), cut at the end of the day it began.
Durations are whole seconds from full timestamps (pitfall 7), never a minutes field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, NamedTuple
from zoneinfo import ZoneInfo

CALL_KINDS = frozenset({"called", "called_back"})
#: What ends a segment, as the event kind; the value says whether its time counts as service.
SEGMENT_ENDS = {"done": True, "transferred": True, "held": True, "no_show": False, "recycled": False,
                "cancelled": False, "cleared": False}
OUTCOMES = frozenset({"done", "no_show", "cancelled", "cleared"})


class Event(NamedTuple):
    kind: str
    at: datetime
    clerk_id: str | None
    window_id: str | None
    service_id: str | None  # the pool the ticket is in after the event


@dataclass(frozen=True)
class TicketFact:
    ticket_id: str
    branch_id: str
    business_date: date
    hour: int
    service_id: str
    wait_s: int | None
    outcome: str | None
    transferred: int
    first_clerk_id: str | None
    first_window_id: str | None

    def row(self) -> dict[str, object]:
        return self.__dict__.copy()


@dataclass(frozen=True)
class SegmentFact:
    ticket_id: str
    part: int
    branch_id: str
    business_date: date
    hour: int
    clerk_id: str | None
    window_id: str | None
    service_id: str | None
    ended: str | None
    handle_s: int | None

    def row(self) -> dict[str, object]:
        return self.__dict__.copy()


def day_end(day: date, zone: ZoneInfo) -> datetime:
    """The instant the local day ``day`` ends (next local midnight)."""
    return datetime.combine(day + timedelta(days=1), time(0), zone)


def seconds(start: datetime, end: datetime, cut: datetime) -> int:
    """Whole seconds from ``start`` to ``end``, but not past ``cut``; never negative."""
    return max(0, int((min(end, cut) - start).total_seconds()))


def derive(ticket_id: str, branch_id: str, business_date: date, service_id: str, issued_at: datetime,
           state: str, events: Iterable[Event], zone: ZoneInfo) -> tuple[TicketFact, list[SegmentFact]]:
    """The facts of one ticket from its events in log order."""
    arrival_end = day_end(business_date, zone)
    first_call: Event | None = None
    transferred = 0
    segments: list[SegmentFact] = []
    open_call: Event | None = None
    started: datetime | None = None

    def close(end: Event | None, kind: str | None) -> None:
        nonlocal open_call, started
        assert open_call is not None
        local = open_call.at.astimezone(zone)
        handle = None
        if end is not None and kind is not None and SEGMENT_ENDS.get(kind):
            handle = seconds(started or open_call.at, end.at, day_end(local.date(), zone))
        segments.append(SegmentFact(ticket_id, len(segments) + 1, branch_id, local.date(), local.hour,
                                    open_call.clerk_id, open_call.window_id, open_call.service_id, kind, handle))
        open_call, started = None, None

    for event in events:
        if event.kind in CALL_KINDS:
            if open_call is not None:  # a call over an unfinished stretch: the old one ends unexplained
                close(None, None)
            open_call = event
            if first_call is None:
                first_call = event
        elif event.kind == "serving" and open_call is not None:
            started = event.at
        elif event.kind in SEGMENT_ENDS:
            if event.kind == "transferred":
                transferred = 1
            if open_call is not None:
                close(event, event.kind)
    if open_call is not None:
        close(None, None)
    local_arrival = issued_at.astimezone(zone)
    wait = None if first_call is None else seconds(issued_at, first_call.at, arrival_end)
    fact = TicketFact(ticket_id, branch_id, business_date, local_arrival.hour, service_id, wait,
                      state if state in OUTCOMES else None, transferred,
                      first_call.clerk_id if first_call else None, first_call.window_id if first_call else None)
    return fact, segments
