"""The console's changes from a later day (issue 10: reference data as new dated versions), decided
without a database: what a service, a window or a policy table becomes when the operator publishes
it "from" a day. Today (or no day) changes the published values now, keeping the changes ahead; a
later day adds a dated entry (``domain.dated``) that every branch applies on that business day —
a new service begins that day (``in_use_from``); a day already past is refused, naming the field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from counter_app.domain.dated import SERVICE_DATED_FIELDS, add_entry, begun, check_from, in_force
from counter_app.domain.errors import InvalidInput
from counter_app.domain.timeutil import branch_zone, business_day
from counter_app.hq.console_rules import SERVICE_FIELDS, check_window

KEPT = ("in_use_from", "dated")


def branch_today(timezone: str | None, now: datetime) -> date:
    """The business day now at a branch (its zone; head office's default zone when unknown)."""
    return business_day(now, branch_zone(timezone or "Asia/Shanghai"))


def effective_day(valid_from: date | str | None, today: date) -> date | None:
    """None: now; else the later day the change waits for (a past day refused)."""
    return check_from(valid_from, today)


def _kept(existing: dict[str, Any] | None) -> dict[str, Any]:
    return {key: existing[key] for key in KEPT if existing and existing.get(key)}


def _nothing_changes(what: str) -> InvalidInput:
    return InvalidInput(what, "a change to publish from that day", code="ref_field_rule", name=what,
                        expected="a change to publish from that day")


def service_payload(checked: dict[str, Any], existing: dict[str, Any] | None, day: date | None) -> dict[str, Any]:
    """A service the console saved (``checked`` by ``console_rules.check_new_service``) as it is
    published: a new one begins on ``day``; a change from ``day`` is a dated entry of the fields
    that differ (its letter changes only at once, the tickets of the day carry it)."""
    if existing is None or day is None:
        return {**checked, **_kept(existing), **({"in_use_from": day.isoformat()} if day and existing is None else {})}
    if checked["letter"] != existing.get("letter"):
        raise InvalidInput("letter", "the service's own letter for a change from a later day (a letter changes at "
                           "once)", code="ref_field_rule", name="letter",
                           expected=f"{existing.get('letter')} for a change from a later day")
    changes = {k: checked[k] for k in SERVICE_DATED_FIELDS if k in checked and k != "active"
               and checked[k] != existing.get(k)}
    if not changes:
        raise _nothing_changes("service")
    return _dated(existing, day, changes)


def service_active_payload(existing: dict[str, Any], active: bool, day: date | None) -> dict[str, Any]:
    """A service retired (or restored) now or from ``day``."""
    if day is None:
        return {**_fields(existing), **_kept(existing), "active": active}
    return _dated(existing, day, {"active": active})


def _fields(existing: dict[str, Any]) -> dict[str, Any]:
    return {k: existing[k] for k in (*SERVICE_FIELDS, "active") if k in existing}


def _dated(existing: dict[str, Any], day: date, changes: dict[str, Any]) -> dict[str, Any]:
    return {**_fields(existing), **_kept(existing), "dated": add_entry(existing.get("dated"), day, changes)}


def services_on(published: list[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """The branch's services as they stand on ``day``: one not begun then counts as not in use."""
    standing = []
    for service in published:
        now = in_force(service, day)
        standing.append({**now, "active": bool(now.get("active", True)) and begun(service.get("in_use_from"), day)})
    return standing


def window_payload(existing: dict[str, Any] | None, *, name: str, active: bool, services: list[str],
                   published: list[dict[str, Any]], today: date, day: date | None) -> tuple[dict[str, Any], list[str] | None]:
    """A window saved now (its links become ``services``) or from ``day`` (a dated entry with the
    services it calls from then, each in use on that day). Returns the window's fields to publish
    (``name``, ``active``, ``dated``) and the services to link now (None: links unchanged)."""
    chosen = check_window(active, services, services_on(published, day or today))
    if day is None:
        return {"name": name, "active": active, **_kept(existing)}, chosen
    base = {"name": existing.get("name", ""), "active": existing.get("active", True)} if existing else \
        {"name": name, "active": False}  # a new window: closed until its day
    entry = {"name": name, "active": active, "services": chosen}
    return {**base, "dated": add_entry((existing or {}).get("dated"), day, entry)}, None


def policy_values(checked: dict[str, Any], existing: dict[str, Any] | None) -> dict[str, Any]:
    """A policy table published now: the keys given, the entries of later days kept."""
    dated = (existing or {}).get("values", {}).get("dated")
    return {**checked, **({"dated": dated} if dated else {})}
