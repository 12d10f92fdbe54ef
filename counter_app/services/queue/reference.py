"""The branch's services and windows as the queue sees them on its business day, cached for a few
seconds and read again when the day changes: head office's changes from a day on (``dated``, a
service's ``in_use_from``; ``domain.dated``) take effect on that day, whether or not the branch
is in contact with head office then. A service not begun yet is left out altogether (no kiosk
button, no display line, no window serves it)."""

from __future__ import annotations

import threading
import time as monotonic_time
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.domain.dated import SERVICE_DATED_FIELDS, WINDOW_DATED_FIELDS, begun, in_force
from counter_app.domain.errors import NotAllowed
from counter_app.domain.timeutil import branch_zone, business_day, utcnow
from counter_app.persistence.models import Branch, Service, Window, WindowService

REFERENCE_TTL_SECONDS = 10.0


@dataclass(frozen=True)
class ServiceRef:
    id: str
    letter: str
    code: str
    name_zh: str
    name_en: str
    daily_cap: int
    standard_minutes: int
    active: bool
    sort_order: int


@dataclass(frozen=True)
class WindowRef:
    id: str
    number: int
    name: str
    active: bool
    services: tuple[str, ...]  # service ids, in the order the window calls them


@dataclass(frozen=True)
class BranchRef:
    """The branch's services and windows as the hub last read them."""

    id: str
    code: str
    name: str
    zone: ZoneInfo
    services: dict[str, ServiceRef]  # by id
    windows: dict[str, WindowRef]  # by id
    loaded_at: float
    day: date | None = None  # the business day the services and windows are as of

    def service_by_letter(self, letter: str) -> ServiceRef | None:
        return self._by_letter.get(letter)

    def window_by_number(self, number: int) -> WindowRef | None:
        return self._by_number.get(number)

    @cached_property
    def _by_letter(self) -> dict[str, ServiceRef]:
        return {s.letter: s for s in reversed(self.services.values())}  # reversed: the first of a letter wins

    @cached_property
    def _by_number(self) -> dict[int, WindowRef]:
        return {w.number: w for w in reversed(self.windows.values())}

    def letter(self, service_id: str) -> str:
        service = self.services.get(service_id)
        return service.letter if service else "?"

    def window_number(self, window_id: str | None) -> int | None:
        if window_id is None:
            return None
        window = self.windows.get(window_id)
        return window.number if window else None


class ReferenceCache:
    """Branch, services and windows, re-read every few seconds and whenever a letter or window
    number is not found (head office may add one at any time)."""

    def __init__(self, branch_code: str, ttl: float = REFERENCE_TTL_SECONDS,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._code = branch_code
        self._ttl = ttl
        self._clock = clock
        self._current: BranchRef | None = None
        self._lock = threading.Lock()

    def fresh(self) -> BranchRef | None:
        """The cached reference if it is recent enough and of today; ``None``: :meth:`get` it."""
        current = self._current
        if (current is not None and monotonic_time.monotonic() - current.loaded_at < self._ttl
                and business_day(self._clock(), current.zone) == current.day):
            return current
        return None

    def get(self, session: Session, force: bool = False) -> BranchRef:
        current = None if force else self.fresh()
        if current is not None:
            return current
        with self._lock:
            fresh = self._load(session)
            self._current = fresh
            return fresh

    def invalidate(self) -> None:
        self._current = None

    def _load(self, session: Session) -> BranchRef:
        branch = session.execute(
            select(Branch.id, Branch.code, Branch.name, Branch.timezone).where(Branch.code == self._code)
        ).first()
        if branch is None:
            raise NotAllowed(f"branch {self._code} is not in this hub's database; load the reference data first", code="branch_not_loaded", branch=self._code)
        zone = branch_zone(branch.timezone)
        day = business_day(self._clock(), zone)
        services: dict[str, ServiceRef] = {}
        for row in session.execute(select(Service).where(Service.branch_id == branch.id)).scalars():
            if not begun(row.in_use_from, day):
                continue
            now = _on(row, SERVICE_DATED_FIELDS, day)
            services[row.id] = ServiceRef(row.id, row.letter, row.code, now["name_zh"], now["name_en"],
                                          now["daily_cap"], now["standard_minutes"], bool(now["active"]),
                                          now["sort_order"])
        by_code = {s.code: s.id for s in services.values()}
        orders: dict[str, list[tuple[int, str]]] = {}
        for row in session.execute(
            select(WindowService.window_id, WindowService.service_id, WindowService.sort_order)
            .join(Window, Window.id == WindowService.window_id)
            .where(Window.branch_id == branch.id)
        ):
            orders.setdefault(row.window_id, []).append((row.sort_order, row.service_id))
        windows: dict[str, WindowRef] = {}
        for row in session.execute(select(Window).where(Window.branch_id == branch.id)).scalars():
            now = _on(row, WINDOW_DATED_FIELDS, day)
            if now.get("services") is not None:  # a dated list of codes replaces the links from its day
                served = tuple(by_code[code] for code in now["services"] if code in by_code)
            else:
                served = tuple(sid for _, sid in sorted(orders.get(row.id, [])) if sid in services)
            windows[row.id] = WindowRef(row.id, row.number, now["name"], bool(now["active"]), served)
        return BranchRef(branch.id, branch.code, branch.name, zone, services, windows,
                         monotonic_time.monotonic(), day)


def _on(row: Any, fields: tuple[str, ...], day: date) -> dict[str, Any]:
    """A service's or window's ``fields`` in force on ``day`` (its ``dated`` changes applied)."""
    values = {name: getattr(row, name, None) for name in fields}
    return in_force({**values, "dated": row.dated or []}, day)
