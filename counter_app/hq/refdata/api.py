"""What the head-office console (and ``hq-admin import``) call to change reference data. Each
function checks its input, then writes through :func:`publisher.publish` — in a transaction of its
own when given an Engine, or in the caller's when given a Connection — and returns the change id
that now carries the edit (``hq_version`` at the branches). Edits are new dated versions where the
data is dated: a tariff is a new version from a date, never edited in place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, text

from counter_app.core import refstreams as rs
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hq.refdata.publisher import Change, publish_now, remove, upsert

Target = Engine | Connection


def _read(target: Target, sql: str, params: dict[str, Any]) -> list[Any]:
    if isinstance(target, Connection):
        return list(target.execute(text(sql), params))
    with target.connect() as connection:
        return list(connection.execute(text(sql), params))


def current(target: Target, entity: str, key: str, bucket: str | None = None) -> dict[str, Any] | None:
    """The live payload of one entity (``bucket`` None: any bucket holding it), or None."""
    rows = _read(target, "SELECT payload FROM ref_entity WHERE entity = :e AND entity_key = :k AND NOT removed "
                 "AND (CAST(:b AS text) IS NULL OR bucket = :b) ORDER BY hq_version DESC LIMIT 1",
                 {"e": entity, "k": key, "b": bucket})
    return dict(rows[0][0]) if rows else None


def list_current(target: Target, entity: str, bucket: str | None = None, limit: int = 10_000) -> list[dict[str, Any]]:
    """Live payloads of an entity (with ``hq_version`` and ``bucket`` added), in key order."""
    rows = _read(target, "SELECT payload, hq_version, bucket FROM ref_entity WHERE entity = :e AND NOT removed "
                 "AND (CAST(:b AS text) IS NULL OR bucket = :b) ORDER BY entity_key, bucket LIMIT :n",
                 {"e": entity, "b": bucket, "n": limit})
    return [{**r[0], "hq_version": r[1], "bucket": r[2]} for r in rows]


def _publish(target: Target, changes: Iterable[Change], by: str) -> int:
    return publish_now(target, changes, by).last_change_id


def _require_branch(target: Target, branch: str) -> None:
    if current(target, "branch", branch, branch) is None:
        raise NotAllowed(f"branch {branch} is not known at head office", code="ref_branch_unknown", branch=branch)


# -- catalogue: the branch, its services and windows ------------------------------------------------

def upsert_branch(target: Target, *, code: str, name: str, utility_name: str, timezone: str = "Asia/Shanghai",
                  query_phone: str = "", address: str = "", by: str) -> int:
    return _publish(target, [upsert("branch", code, {"code": code, "name": name, "utility_name": utility_name,
                                                     "timezone": timezone, "query_phone": query_phone,
                                                     "address": address})], by)


def upsert_service(target: Target, branch: str, *, code: str, letter: str, name_zh: str, name_en: str,
                   daily_cap: int = 999, sort_order: int = 0, active: bool = True, standard_minutes: int = 5,
                   in_use_from: str | None = None, dated: list[dict[str, Any]] | None = None, by: str) -> int:
    """A service; ``in_use_from`` the business day it begins, ``dated`` its changes from a day on
    (``domain.dated``; both left out of the payload when not given)."""
    _require_branch(target, branch)
    ahead = {k: v for k, v in (("in_use_from", in_use_from), ("dated", dated)) if v}
    return _publish(target, [upsert("service", branch, {
        "code": code, "letter": letter, "name_zh": name_zh, "name_en": name_en, "daily_cap": daily_cap,
        "sort_order": sort_order, "active": active, "standard_minutes": standard_minutes, **ahead})], by)


def upsert_window(target: Target, branch: str, *, number: int, name: str = "", active: bool = True,
                  services: list[str] | None = None, dated: list[dict[str, Any]] | None = None, by: str) -> int:
    """A window and, when ``services`` is given, exactly those services in that calling order
    (``dated``: its changes from a day on, ``services`` among them as codes)."""
    _require_branch(target, branch)
    changes = [upsert("window", branch, {"number": number, "name": name, "active": active,
                                         **({"dated": dated} if dated else {})})]
    if services is not None:
        known = {p["code"] for p in list_current(target, "service", branch)}
        for code in services:
            if code not in known:
                raise InvalidInput("services", f"service {code} is not published for {branch}",
                                   code="ref_not_found", entity="service", key=code)
        old = {p["service_code"] for p in list_current(target, "window_service", branch) if p["window_number"] == number}
        changes += [upsert("window_service", branch, {"window_number": number, "service_code": code, "sort_order": i})
                    for i, code in enumerate(services)]
        changes += [remove("window_service", branch, f"{number}|{code}") for code in sorted(old - set(services))]
    return _publish(target, changes, by)


def upsert_application_type(target: Target, *, code: str, name_zh: str, name_en: str, definition: dict[str, Any],
                            active: bool = True, by: str) -> int:
    return _publish(target, [upsert("application_type", rs.GLOBAL_BUCKET, {
        "code": code, "name_zh": name_zh, "name_en": name_en, "definition": definition, "active": active})], by)


def set_policy(target: Target, branch: str, name: str, values: dict[str, Any], *, by: str) -> int:
    """A branch's local policy table (``[queue]``, ``[billing]`` ... of its TOML): head office's
    values are kept at the branch in ``ref_policy`` and read, as in force on a business day, with
    ``services.branch_policy`` (``values["dated"]``: entries from a day on; :func:`set_policy_from`)."""
    _require_branch(target, branch)
    return _publish(target, [upsert("policy", branch, {"name": name, "values": values})], by)


def set_policy_from(target: Target, branch: str, name: str, valid_from: date | str, values: dict[str, Any], *,
                    by: str) -> int:
    """Keys of a branch's policy table in force from the business day ``valid_from`` on (a dated
    entry of the table, ``services.branch_policy``); earlier days keep what held before. An entry
    for the same day is replaced; entries of other days are kept."""
    try:
        day = date.fromisoformat(str(valid_from))
    except ValueError:
        raise InvalidInput("valid_from", "a day such as 2027-01-01", code="ref_field_rule", name="valid_from",
                           expected="a day such as 2027-01-01") from None
    if not isinstance(values, dict) or not values or "from" in values or "dated" in values:
        raise InvalidInput("values", "the table's keys and their values", code="ref_field_rule", name="values",
                           expected="the table's keys and their values")
    table = dict((current(target, "policy", name, branch) or {}).get("values") or {})
    dated = [e for e in table.get("dated") or [] if e.get("from") != day.isoformat()]
    table["dated"] = sorted([*dated, {"from": day.isoformat(), **values}], key=lambda e: e["from"])
    return set_policy(target, branch, name, table, by=by)


# -- tariffs and the calendar -------------------------------------------------------------------------

def publish_tariff_version(target: Target, *, code: str, name: str, user_type: str, valid_from: date | str,
                           definition: dict[str, Any], valid_to: date | str | None = None, by: str) -> int:
    """A new tariff version in force from ``valid_from``; a published version is never changed."""
    payload = {"code": code, "name": name, "user_type": user_type, "valid_from": str(valid_from),
               "valid_to": None if valid_to is None else str(valid_to), "definition": definition}
    change = upsert("tariff_version", rs.GLOBAL_BUCKET, payload)
    if current(target, "tariff_version", change.entity_key) is not None:
        raise NotAllowed(f"tariff {change.entity_key} was already published", code="ref_tariff_immutable",
                         key=change.entity_key)
    return _publish(target, [change], by)


def set_holiday_year(target: Target, year: int, days: Iterable[tuple[date | str, str, str]], *, by: str) -> int:
    """The year's calendar exceptions (day, ``holiday``/``workday``, name) replace the ones published
    for that year before, in one change set."""
    wanted = {str(day): (kind, name) for day, kind, name in days}
    for day in wanted:
        if not day.startswith(f"{year:04d}-"):
            raise InvalidInput("days", f"days of {year}", code="ref_field_rule", name="holiday.day",
                               expected=f"a day of {year}")
    old = {p["day"] for p in list_current(target, "holiday", rs.GLOBAL_BUCKET) if p["day"].startswith(f"{year:04d}-")}
    changes = [upsert("holiday", rs.GLOBAL_BUCKET, {"day": day, "kind": kind, "name": name})
               for day, (kind, name) in sorted(wanted.items())]
    changes += [remove("holiday", rs.GLOBAL_BUCKET, day) for day in sorted(old - wanted.keys())]
    return _publish(target, changes, by)


# -- staff -------------------------------------------------------------------------------------------

def _staff_buckets(target: Target, staff_no: str) -> dict[str, dict[str, Any]]:
    rows = _read(target, "SELECT bucket, payload FROM ref_entity WHERE entity = 'staff' AND entity_key = :k "
                 "AND NOT removed", {"k": staff_no})
    return {r[0]: dict(r[1]) for r in rows}


def upsert_staff(target: Target, *, staff_no: str, name: str, role: str, password_hash: str, branches: list[str],
                 disabled: bool = False, offline_valid_until: str | None = None, star_level: int = 3,
                 must_change_password: bool = False, by: str) -> int:
    """A staff member (argon2id hash, role, the branches he may log in at, offline validity as an
    ISO time with offset or None for no limit; ``must_change_password``: a first password he
    replaces at his first login), published to each of those branches' ``staff`` bucket and
    removed from the buckets of branches no longer listed."""
    payload = {"staff_no": staff_no, "name": name, "role": role, "password_hash": password_hash,
               "branches": branches, "disabled": disabled, "offline_valid_until": offline_valid_until,
               "star_level": star_level, **({"must_change_password": True} if must_change_password else {})}
    changes = [upsert("staff", branch, payload) for branch in sorted(set(branches))]
    for branch in sorted(set(branches)):
        _require_branch(target, branch)
    changes += [remove("staff", bucket, staff_no) for bucket in sorted(_staff_buckets(target, staff_no).keys() - set(branches))]
    return _publish(target, changes, by)


def _change_staff(target: Target, staff_no: str, by: str, **changes: Any) -> int:
    held = _staff_buckets(target, staff_no)
    if not held:
        raise InvalidInput("staff_no", "a staff member published at head office", code="ref_not_found",
                           entity="staff", key=staff_no)
    return _publish(target, [upsert("staff", bucket, {**payload, **changes}) for bucket, payload in sorted(held.items())],
                    by)


def set_staff_disabled(target: Target, staff_no: str, disabled: bool, *, by: str) -> int:
    """Disable (revoke) or enable a staff member at every branch he belongs to (G17)."""
    return _change_staff(target, staff_no, by, disabled=disabled)


def reset_staff_password(target: Target, staff_no: str, password_hash: str, *, by: str) -> int:
    """A password reset at head office (argon2id hash): every branch he belongs to asks him for a
    new one at his next login there."""
    return _change_staff(target, staff_no, by, password_hash=password_hash, must_change_password=True)


def password_changed_at_branch(target: Target, branch: str, staff_no: str, password_hash: str, previous_hash: str,
                               *, by: str) -> int | None:
    """A staff member's own new password, set at a branch of his (``staff.password_changed``):
    published to all his branches with the flag cleared, so no other branch asks again. Applied
    only over the hash it replaced (a reset at head office since then wins) and only for a staff
    member of that branch; None when not applied."""
    held = _staff_buckets(target, staff_no)
    if branch not in held or any(p.get("password_hash") != previous_hash for p in held.values()):
        return None
    return _change_staff(target, staff_no, by, password_hash=password_hash, must_change_password=False)


def set_staff_offline_validity(target: Target, staff_no: str, offline_valid_until: str | None, *, by: str) -> int:
    """Until when (ISO time with offset; None: no limit) the branches let him log in offline."""
    return _change_staff(target, staff_no, by, offline_valid_until=offline_valid_until)


# -- accounts and bills ------------------------------------------------------------------------------

def upsert_accounts_and_bills(target: Target, branch: str, *, accounts: Iterable[dict[str, Any]] = (),
                              meters: Iterable[dict[str, Any]] = (), bills: Iterable[dict[str, Any]] = (),
                              by: str) -> int:
    """Accounts, meters and bills of one branch in one change set (a billing run, an import)."""
    _require_branch(target, branch)

    def changes() -> Iterable[Change]:
        for entity, rows in (("customer_account", accounts), ("meter", meters), ("bill", bills)):
            for row in rows:
                yield upsert(entity, branch, row)

    return _publish(target, changes(), by)


def move_account(target: Target, account_no: str, to_branch: str, *, by: str) -> int:
    """An account (its meters and bills) moves to another branch: removed from the old bucket,
    published in the new, in one change set."""
    _require_branch(target, to_branch)
    rows = _read(target, "SELECT bucket FROM ref_entity WHERE entity = 'customer_account' AND entity_key = :k "
                 "AND NOT removed", {"k": account_no})
    if not rows:
        raise InvalidInput("account_no", "an account published at head office", code="ref_not_found",
                           entity="customer_account", key=account_no)
    old = rows[0][0]
    items = _read(target, "SELECT entity, entity_key, payload FROM ref_entity WHERE bucket = :b AND NOT removed AND "
                  "stream = 'accounts_bills' AND (entity_key = :k OR payload->>'account_no' = :k) "
                  "ORDER BY CASE entity WHEN 'customer_account' THEN 0 WHEN 'meter' THEN 1 ELSE 2 END",
                  {"b": old, "k": account_no})
    changes = [remove(r[0], old, r[1]) for r in reversed(items)]
    changes += [upsert(r[0], to_branch, dict(r[2])) for r in items]
    return _publish(target, changes, by)


# -- the console's history of an entity (console2) -----------------------------------------------------

def change_history(target: Target, entity: str, key: str, bucket: str, limit: int = 50) -> list[dict[str, Any]]:
    """Every published version of one entity in one bucket, newest first: the change id, when and
    by whom, and the payload (None for a removal). Head office's log never forgets a version."""
    rows = _read(target, "SELECT change_id, committed_at, published_by, op, payload FROM ref_change WHERE entity = :e "
                 "AND entity_key = :k AND bucket = :b ORDER BY change_id DESC LIMIT :n",
                 {"e": entity, "k": key, "b": bucket, "n": limit})
    return [{"change_id": r[0], "committed_at": r[1], "published_by": r[2], "op": r[3],
             "payload": None if r[4] is None else dict(r[4])} for r in rows]
