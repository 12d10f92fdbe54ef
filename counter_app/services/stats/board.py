"""The live hall board's rules, Qt-free: what the manager is alerted to, from the hall as it is
now. A wait past its service's target, a window paused longer than the policy allows, and a
service with customers waiting that no open window serves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from counter_app.services.stats.policy import StatsPolicy


@dataclass(frozen=True)
class BoardWindow:
    number: int
    state: str  # open | paused | closed
    services: tuple[str, ...]
    paused_since: datetime | None = None


@dataclass(frozen=True)
class BoardAlert:
    kind: str  # wait | pause | unserved
    subject: str  # service letter or window number
    text: str
    severity: str = "bad"  # bad | warn


def minutes_between(start: datetime | None, now: datetime) -> int | None:
    return None if start is None else max(0, int((now - start).total_seconds() // 60))


def board_alerts(now: datetime, waiting: Mapping[str, int], oldest: Mapping[str, datetime | None],
                 windows: Mapping[int, BoardWindow], policy: StatsPolicy,
                 names: Mapping[str, str] | None = None) -> list[BoardAlert]:
    """Alerts in the order a manager acts on them: unserved services, waits past target, long pauses."""
    names = names or {}
    alerts: list[BoardAlert] = []
    served = {letter for w in windows.values() if w.state == "open" for letter in w.services}
    for letter, count in waiting.items():
        if count and letter not in served:
            alerts.append(BoardAlert("unserved", letter, f"{letter} {names.get(letter, '')}：{count} 人等候，无开放窗口办理"))
    for letter, since in oldest.items():
        waited = minutes_between(since, now)
        target = policy.target_wait_s(letter) // 60
        if waited is not None and waiting.get(letter) and waited > target:
            alerts.append(BoardAlert("wait", letter,
                                     f"{letter} {names.get(letter, '')}：最长等候 {waited} 分钟，超过目标 {target} 分钟"))
    for number, window in sorted(windows.items()):
        paused = minutes_between(window.paused_since, now) if window.state == "paused" else None
        if paused is not None and paused > policy.pause_limit_minutes:
            alerts.append(BoardAlert("pause", str(number),
                                     f"{number}号窗口：暂停 {paused} 分钟，超过 {policy.pause_limit_minutes} 分钟", "warn"))
    return alerts
