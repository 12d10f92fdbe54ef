"""Figures the benchmarks and soaks share: a percentile of samples (nearest rank, as they print
it) and a process's CPU seconds from ``/proc``. What an empty sample or a process gone away gives
is the caller's choice, said where it is called, not a hidden difference between two copies."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float, *, empty: float = float("nan")) -> float:
    """The ``p``-th percentile (0..100) of ``values`` by nearest rank; ``empty`` when there are none
    (NaN by default: a figure nobody measured prints as ``nan``, not as a fast 0)."""
    if not values:
        return empty
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU seconds of process ``pid`` (``children``: plus those of its reaped
    children) from ``/proc/<pid>/stat``; ``OSError`` when the process is gone."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / TICKS


def cpu_seconds_or_none(pid: int) -> float | None:
    """:func:`cpu_seconds` of a process that may have ended (None then)."""
    try:
        return cpu_seconds(pid)
    except (OSError, IndexError, ValueError):
        return None
