"""The console's rules for a branch's catalogue, its local policy tables and a new staff member,
decided without Qt or a database (the console checks them as the operator types, head office again
before it publishes): a service's letter is its own among the branch's services (retired ones too), an open
window serves at least one service in use, a policy table is TOML the branch itself would accept,
a new staff member's number is new and his offline validity ends in the future.

A service or a window is retired (``active`` false), never deleted; a policy table is published as
a new version (head office's change log keeps every earlier one, with who and when)."""

from __future__ import annotations

import json
import secrets
import tomllib
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any, Callable
from zoneinfo import ZoneInfo

from counter_app.core.config import POLICY_TABLES, ConfigError, Settings, options_from_table
from counter_app.domain.errors import InvalidInput, NotAllowed

#: the fields of a service the console edits (``active`` changes only by retiring or restoring)
SERVICE_FIELDS = ("code", "letter", "name_zh", "name_en", "daily_cap", "standard_minutes", "sort_order")
ALL_BRANCHES = "*"
_PASSWORD_LETTERS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def check_new_service(payload: dict[str, Any], services: list[dict[str, Any]], *, new: bool) -> dict[str, Any]:
    """``payload`` (the :data:`SERVICE_FIELDS`) against the branch's published ``services``: the
    payload to publish, with ``active`` kept (a new one is in use)."""
    code, letter = str(payload.get("code") or "").strip(), str(payload.get("letter") or "").strip().upper()
    known = {s["code"]: s for s in services}
    if new and code in known:
        raise NotAllowed(f"service {code} exists already", code="hq_service_exists", service=code)
    if not new and code not in known:
        raise InvalidInput("code", "a service published for this branch", code="ref_not_found", entity="service",
                           key=code)
    check_letter_free(letter, code, services)
    active = True if new else bool(known[code].get("active", True))
    return {**{k: payload[k] for k in SERVICE_FIELDS if k in payload}, "code": code, "letter": letter,
            "active": active}


def check_letter_free(letter: str, code: str, services: list[dict[str, Any]]) -> None:
    """Each service of a branch has a ticket letter of its own; a retired service keeps its letter
    (its tickets and figures go on naming it), so the letter is not free again."""
    for other in services:
        if other["code"] != code and other.get("letter") == letter:
            raise InvalidInput("letter", f"a letter no other service of the branch has ({other['code']} has {letter})",
                               code="hq_service_letter_taken", letter=letter, other=other["code"])


def check_window(active: bool, services: list[str], published: list[dict[str, Any]]) -> list[str]:
    """The services of a window, in calling order, each published and in use; an open window
    serves at least one."""
    in_use = {s["code"]: bool(s.get("active", True)) for s in published}
    chosen: list[str] = []
    for code in services:
        if code not in in_use:
            raise InvalidInput("services", "services published for this branch", code="ref_not_found",
                               entity="service", key=code)
        if not in_use[code]:
            raise InvalidInput("services", "services in use", code="hq_service_retired", service=code)
        if code not in chosen:
            chosen.append(code)
    if active and not chosen:
        raise InvalidInput("services", "at least one service for an open window", code="hq_window_no_service")
    return chosen


def windows_with_services(windows: list[dict[str, Any]], links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each window with ``services``: the codes it serves in calling order, by window number."""
    served: dict[int, list[tuple[int, str]]] = {}
    for link in links:
        served.setdefault(int(link["window_number"]), []).append((int(link.get("sort_order", 0)), link["service_code"]))
    rows = [{**w, "services": [code for _, code in sorted(served.get(int(w["number"]), []))]} for w in windows]
    return sorted(rows, key=lambda w: int(w["number"]))


# -- local policy tables -------------------------------------------------------------------------------------

def _jsonable(value: Any) -> Any:
    """TOML's dates and times as the ISO text the branch reads back; everything else as it is."""
    if isinstance(value, time) and not value.second:
        return value.isoformat(timespec="minutes")
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _checkers() -> dict[str, Callable[[Settings], Any]]:
    from counter_app.domain.ratings import RatingPolicy
    from counter_app.services.billing.policy import billing_policy
    from counter_app.services.offline_login import offline_policy
    from counter_app.services.queue.settings import QueueSettings
    from counter_app.services.stats.policy import StatsPolicy
    from counter_app.services.sync.worker import SyncOptions

    return {"billing": billing_policy, "offline": offline_policy,
            "queue": lambda s: options_from_table(QueueSettings, s, "queue"),
            "quality": lambda s: options_from_table(RatingPolicy, s, "quality"),
            "stats": lambda s: options_from_table(StatsPolicy, s, "stats"),
            "sync": lambda s: options_from_table(SyncOptions, s, "sync")}


def check_policy(name: str, values: Any) -> dict[str, Any]:
    """A policy table as the branch would read it (the keys head office sets overlay its TOML's):
    a known table, each key a rule of the part that reads it, checked by that part's own checks."""
    if name not in POLICY_TABLES:
        raise InvalidInput("policy", "one of " + ", ".join(POLICY_TABLES), code="one_of", choices=", ".join(POLICY_TABLES))
    if not isinstance(values, dict) or not values:
        raise InvalidInput("values", "at least one key = value", code="hq_policy_empty")
    values = _jsonable(values)
    check = _checkers().get(name)
    if check is not None:
        try:
            check(replace(Settings(), policy={name: values}, source=f"[{name}]"))
        except ConfigError as error:
            raise InvalidInput("values", error.expected, code="hq_policy_value", key=error.key,
                               expected=error.expected) from None
        except (TypeError, ValueError) as error:  # a value the options class cannot take at all
            raise InvalidInput("values", str(error), code="hq_policy_value", key=name, expected=str(error)) from None
    return values


def parse_policy(name: str, text: str) -> dict[str, Any]:
    """``key = value`` lines (TOML, as in the branch's own file, without the ``[name]`` line)."""
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput("values", "TOML lines key = value", code="hq_policy_toml", detail=str(error)) from None
    return check_policy(name, values)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)


def _toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else json.dumps(key)


def policy_text(values: dict[str, Any]) -> str:
    """The values as the editor shows them: one ``key = value`` line each (read back by :func:`parse_policy`)."""
    return "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in values.items())


def policy_targets(branch: str, known: list[str]) -> list[str]:
    """The branches a policy table is published for: one, or every branch head office knows."""
    if branch == ALL_BRANCHES:
        if not known:
            raise InvalidInput("branch", "a branch published at head office", code="ref_branch_unknown", branch="*")
        return sorted(known)
    if branch not in known:
        raise InvalidInput("branch", "a branch published at head office", code="ref_branch_unknown", branch=branch)
    return [branch]


# -- a new staff member ---------------------------------------------------------------------------------------

def check_new_staff(staff_no: str, known: set[str], offline_until: date | None, branch_zone: str,
                    today: date) -> str | None:
    """His number is new; offline login (when limited) ends at the end of a day after today, in the
    branch's time zone. Returns that end as an ISO time with its offset (None: no limit)."""
    if staff_no in known:
        raise NotAllowed(f"staff {staff_no} exists already", code="hq_staff_exists", staff_no=staff_no)
    if offline_until is None:
        return None
    if offline_until <= today:
        raise InvalidInput("offline_valid_until", "a day after today", code="hq_offline_until_past",
                           today=today.isoformat())
    end = datetime.combine(offline_until + timedelta(days=1), time(0), ZoneInfo(branch_zone)) - timedelta(seconds=1)
    return end.isoformat()


def generate_password(length: int = 10) -> str:
    """A first password for the operator to hand over (no 0/O, 1/l/I to misread)."""
    return "".join(secrets.choice(_PASSWORD_LETTERS) for _ in range(length))
