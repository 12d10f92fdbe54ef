"""Queue figures from ticket and segment facts: counts, waits and handling times with average,
median and 90th percentile, and the share served within the target wait. Plain Python over
the tuples :mod:`counter_app.services.stats.facts` loads.

Two ways of counting, one per kind of dimension:

- by branch, service, day, hour of day (and for the whole period) a ticket counts **once**:
  taken when issued, served when its outcome is done, transferred when it was transferred at
  least once; its wait is in the figures of its issuing service, arrival day and arrival hour;
- by clerk or window (or filtered to one) the unit is the **segment**, a stretch of a ticket at
  one window with one logged-in clerk: the clerk who transferred a ticket counts it as called
  and transferred with their handling time, the one who finished it as called and served with
  theirs. A ticket's wait belongs to the clerk who first called it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Iterable

from counter_app.services.stats.facts import Facts
from counter_app.services.stats.policy import StatsPolicy

DIMENSIONS = ("total", "branch", "day", "hour", "service", "window", "clerk")
SEGMENT_DIMENSIONS = frozenset({"window", "clerk"})
_TICKET_KEY = {"total": None, "branch": 0, "day": 1, "hour": 2, "service": 3, "window": 8, "clerk": 7}
_SEGMENT_KEY = {"total": None, "branch": 0, "day": 1, "hour": 2, "service": 5, "window": 4, "clerk": 3}


def percentile(ordered: list[int], pct: int) -> float | None:
    """The ``pct``-th percentile of sorted values, linear between closest ranks (numpy's
    default), computed exactly and rounded once."""
    if not ordered:
        return None
    pos = Fraction(pct, 100) * (len(ordered) - 1)
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


@dataclass(frozen=True)
class Durations:
    """Seconds: how many, average, median and 90th percentile (``None`` when there are none)."""

    n: int = 0
    mean: float | None = None
    median: float | None = None
    p90: float | None = None

    @classmethod
    def of(cls, values: Iterable[int]) -> "Durations":
        ordered = sorted(values)
        if not ordered:
            return cls()
        return cls(len(ordered), sum(ordered) / len(ordered), percentile(ordered, 50), percentile(ordered, 90))


@dataclass(frozen=True)
class Filters:
    """Narrow the figures to one window, clerk or service (ids), and at head office to branches."""

    window_id: str | None = None
    clerk_id: str | None = None
    service_id: str | None = None
    branch_ids: tuple[str, ...] | None = None

    @property
    def by_person(self) -> bool:
        return self.window_id is not None or self.clerk_id is not None


@dataclass
class QueueRow:
    key: Any
    taken: int | None = 0
    called: int = 0
    served: int = 0
    no_show: int = 0
    transferred: int = 0
    cleared: int = 0
    wait: Durations = field(default_factory=Durations)
    handle: Durations = field(default_factory=Durations)
    within_target: Fraction | None = None
    waits: list[int] = field(default_factory=list, repr=False)


def _key(index: int | None) -> Callable[[tuple], Any]:
    return (lambda _row: "all") if index is None else (lambda row: row[index])


def queue_rows(facts: Facts, by: str, policy: StatsPolicy, letters: dict[str, str],
               filters: Filters = Filters()) -> dict[Any, QueueRow]:
    """One row per key of dimension ``by``; ``letters`` maps service ids to their letters (for
    the per-service target waits)."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}")
    t_key, s_key = _key(_TICKET_KEY[by]), _key(_SEGMENT_KEY[by])
    rows: dict[Any, QueueRow] = {}

    def row(key: Any) -> QueueRow:
        if key not in rows:
            rows[key] = QueueRow(key)
        return rows[key]

    def ticket_ok(t: tuple) -> bool:
        return ((filters.service_id is None or t[3] == filters.service_id)
                and (filters.clerk_id is None or t[7] == filters.clerk_id)
                and (filters.window_id is None or t[8] == filters.window_id))

    def segment_ok(s: tuple) -> bool:
        return ((filters.service_id is None or s[5] == filters.service_id)
                and (filters.clerk_id is None or s[3] == filters.clerk_id)
                and (filters.window_id is None or s[4] == filters.window_id))

    per_segment = by in SEGMENT_DIMENSIONS or filters.by_person
    in_target: dict[Any, int] = defaultdict(int)
    targets = {sid: policy.target_wait_s(letter) for sid, letter in letters.items()}
    default_target = policy.target_wait_minutes * 60
    for t in facts.tickets:
        if not ticket_ok(t):
            continue
        r = row(t_key(t))
        if not per_segment:
            r.taken = (r.taken or 0) + 1
            outcome = t[5]
            r.called += t[4] is not None
            r.served += outcome == "done"
            r.no_show += outcome == "no_show"
            r.cleared += outcome == "cleared"
            r.transferred += t[6]
        if t[4] is not None and not (policy.wait_excludes_no_show and t[5] == "no_show"):
            r.waits.append(t[4])
            in_target[r.key] += t[4] <= targets.get(t[3], default_target)
    handles: dict[Any, list[int]] = defaultdict(list)
    called: dict[Any, set[str]] = defaultdict(set)
    for s in facts.segments:
        if not segment_ok(s):
            continue
        key = s_key(s)
        r = row(key)
        if per_segment:
            called[key].add(s[8])
            ended = s[6]
            r.served += ended == "done"
            r.no_show += ended == "no_show"
            r.transferred += ended == "transferred"
            r.cleared += ended == "cleared"
        if s[7] is not None:
            handles[key].append(s[7])
    for key, r in rows.items():
        if per_segment:
            r.taken = None
            r.called = len(called.get(key, ()))
        r.wait = Durations.of(r.waits)
        r.handle = Durations.of(handles.get(key, ()))
        r.within_target = Fraction(in_target[key], len(r.waits)) if r.waits else None
    return rows


def wait_histogram(facts: Facts, policy: StatsPolicy, bucket_minutes: int = 5, buckets: int = 8,
                   filters: Filters = Filters()) -> list[int]:
    """How many waits fall in 0–5, 5–10 … minutes; the last bucket is open-ended."""
    counts = [0] * buckets
    for t in facts.tickets:
        if t[4] is None or (policy.wait_excludes_no_show and t[5] == "no_show"):
            continue
        if filters.service_id is not None and t[3] != filters.service_id:
            continue
        if (filters.clerk_id is not None and t[7] != filters.clerk_id) or \
                (filters.window_id is not None and t[8] != filters.window_id):
            continue
        counts[min(t[4] // (bucket_minutes * 60), buckets - 1)] += 1
    return counts
