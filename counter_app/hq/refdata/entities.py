"""What each reference entity's payload holds, checked before it is published: a bad value is
refused naming the field and the rule, and nothing is written. References between entities are
by natural key (a bill names its ``account_no``, ``meter_no`` and tariff ``code`` + ``valid_from``)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Callable

from counter_app.domain.errors import InvalidInput
from counter_app.domain.staff_rules import Role
from counter_app.domain.tariff import TariffDefinition

_CODE = re.compile(r"[A-Za-z0-9_.-]{1,30}")
_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _bad(entity: str, name: str, rule: str) -> InvalidInput:
    return InvalidInput(f"{entity}.{name}", rule, code="ref_field_rule", name=f"{entity}.{name}", expected=rule)


_PATTERN_WORDS = {_CODE.pattern: "letters, digits, _ . - only", _PERIOD.pattern: "a month yyyy-mm",
                  "[A-Z]": "one capital letter A-Z"}


def _text(max_len: int, pattern: re.Pattern[str] | None = None, empty: bool = False) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if not isinstance(value, str) or len(value) > max_len or (not empty and not value.strip()):
            raise ValueError(f"text of 1 to {max_len} characters" if not empty else f"text of at most {max_len} characters")
        if pattern is not None and not pattern.fullmatch(value):
            raise ValueError(_PATTERN_WORDS.get(pattern.pattern, f"text matching {pattern.pattern}"))
        return value
    return check


def _int(low: int, high: int = 2 ** 62) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(f"a whole number from {low} to {high}")
        return value
    return check


def _bool(value: Any) -> Any:
    if not isinstance(value, bool):
        raise ValueError("true or false")
    return value


def _date(value: Any) -> Any:
    try:
        return date.fromisoformat(value).isoformat() if isinstance(value, str) else _fail("a date yyyy-mm-dd")
    except ValueError:
        raise ValueError("a date yyyy-mm-dd") from None


def _stamp(value: Any) -> Any:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else _fail("a time")
    except ValueError:
        raise ValueError("an ISO time with its UTC offset, or null") from None
    if moment.tzinfo is None:
        raise ValueError("an ISO time with its UTC offset, or null")
    return moment.isoformat()


def _fail(rule: str) -> Any:
    raise ValueError(rule)


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else check(value)


def _choice(*choices: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value not in choices:
            raise ValueError("one of " + ", ".join(choices))
        return value
    return check


def _mapping(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("a JSON object")
    return value


def _argon2(value: Any) -> Any:
    if not isinstance(value, str) or not value.startswith("$argon2") or len(value) > 200:
        raise ValueError("an argon2 hash ($argon2id$...)")
    return value


def _branches(value: Any) -> Any:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and _CODE.fullmatch(v) for v in value):
        raise ValueError("a non-empty list of branch codes")
    return sorted(set(value))


def _tariff(value: Any) -> Any:
    if not isinstance(value, dict):
        raise ValueError("a tariff definition (JSON object)")
    try:
        TariffDefinition.from_dict(value).validate()
    except InvalidInput as error:
        raise ValueError(f"a valid tariff definition ({error.field}: {error.rule})") from None
    return value


def _dated(fields: dict[str, Callable[[Any], Any]]) -> Callable[[Any], Any]:
    """Changes from a day on (``domain.dated``): a list of ``{"from": day, field: value}``, each
    field one of ``fields`` and checked by its rule."""
    def check(value: Any) -> Any:
        if not isinstance(value, list) or not all(isinstance(e, dict) and "from" in e and len(e) > 1 for e in value):
            raise ValueError('a list of {"from": day, field: value, ...}')
        entries = []
        for entry in value:
            unknown = sorted(set(entry) - {"from"} - set(fields))
            if unknown:
                raise ValueError(f"changes of {', '.join(fields)} from a day (not {unknown[0]})")
            entries.append({"from": _date(entry["from"]), **{k: fields[k](v) for k, v in entry.items() if k != "from"}})
        return sorted(entries, key=lambda e: e["from"])
    return check


def _codes(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(v, str) and _CODE.fullmatch(v) for v in value):
        raise ValueError("a list of service codes")
    return value


#: a field left out of the payload when not given (older payloads stay as they were)
OMIT = object()
_STATUS_ACCOUNT = _choice("active", "suspended", "closed")
_USER_TYPE = _choice("residential", "non_residential")
_NO = _text(30, _CODE)

#: entity -> field -> (check, default); a field without a default is required
SCHEMAS: dict[str, dict[str, tuple[Callable[[Any], Any], Any]]] = {
    "branch": {"code": (_NO, ...), "name": (_text(100), ...), "utility_name": (_text(100), ...),
               "timezone": (_text(64), "Asia/Shanghai"), "query_phone": (_text(32, empty=True), ""),
               "address": (_text(200, empty=True), "")},
    "service": {"code": (_text(20), ...), "letter": (_text(1, re.compile(r"[A-Z]")), ...), "name_zh": (_text(50), ...),
                "name_en": (_text(50), ...), "daily_cap": (_int(1, 99999), 999), "sort_order": (_int(0, 9999), 0),
                "active": (_bool, True), "standard_minutes": (_int(1, 600), 5), "in_use_from": (_date, OMIT),
                "dated": (_dated({"active": _bool, "name_zh": _text(50), "name_en": _text(50),
                                  "daily_cap": _int(1, 99999), "sort_order": _int(0, 9999),
                                  "standard_minutes": _int(1, 600)}), OMIT)},
    "window": {"number": (_int(1, 999), ...), "name": (_text(50, empty=True), ""), "active": (_bool, True),
               "dated": (_dated({"active": _bool, "name": _text(50, empty=True), "services": _codes}), OMIT)},
    "window_service": {"window_number": (_int(1, 999), ...), "service_code": (_text(20), ...),
                       "sort_order": (_int(0, 9999), 0)},
    "staff": {"staff_no": (_text(20, _CODE), ...), "name": (_text(50), ...),
              "role": (_choice(*(r.value for r in Role)), ...), "password_hash": (_argon2, ...),
              "branches": (_branches, ...), "disabled": (_bool, False), "offline_valid_until": (_stamp, None),
              "star_level": (_int(1, 5), 3), "must_change_password": (_bool, OMIT)},
    "tariff_version": {"code": (_text(30, _CODE), ...), "name": (_text(100), ...), "user_type": (_USER_TYPE, ...),
                       "valid_from": (_date, ...), "valid_to": (_optional(_date), None), "definition": (_tariff, ...)},
    "holiday": {"day": (_date, ...), "kind": (_choice("holiday", "workday"), ...), "name": (_text(50, empty=True), "")},
    "application_type": {"code": (_text(20, _CODE), ...), "name_zh": (_text(50), ...), "name_en": (_text(50), ...),
                         "definition": (_mapping, ...), "active": (_bool, True)},
    "policy": {"name": (_text(30, _CODE), ...), "values": (_mapping, ...)},
    "customer_account": {"account_no": (_text(20, _CODE), ...), "holder": (_text(100), ...),
                         "address": (_text(200), ...), "phone": (_text(20, empty=True), ""),
                         "user_type": (_USER_TYPE, ...), "household_size": (_int(1, 99), 3),
                         "balance_fen": (_int(-(10 ** 12), 10 ** 12), 0), "status": (_STATUS_ACCOUNT, "active")},
    "meter": {"meter_no": (_text(30, _CODE), ...), "account_no": (_text(20, _CODE), ...),
              "size_dn": (_int(10, 500), 20), "installed_on": (_optional(_date), None)},
    "bill": {"account_no": (_text(20, _CODE), ...), "period": (_text(7, _PERIOD), ...), "meter_no": (_text(30, _CODE), ...),
             "tariff_code": (_text(30, _CODE), ...), "tariff_valid_from": (_date, ...),
             "period_start": (_date, ...), "period_end": (_date, ...), "prev_reading": (_int(0), ...),
             "curr_reading": (_int(0), ...), "usage_m3": (_int(0), ...), "amount_fen": (_int(0, 10 ** 12), ...),
             "detail": (_mapping, {}), "due_date": (_date, ...), "paid_fen": (_int(0, 10 ** 12), 0),
             "status": (_choice("open", "paid", "cancelled"), "open")},
}


def check_payload(entity: str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with defaults filled in; raises :class:`InvalidInput` naming ``entity.field``."""
    schema = SCHEMAS[entity]
    unknown = sorted(set(payload) - set(schema))
    if unknown:
        raise _bad(entity, unknown[0], "a known field (" + ", ".join(schema) + ")")
    checked: dict[str, Any] = {}
    for name, (check, default) in schema.items():
        if name not in payload:
            if default is OMIT:
                continue
            if default is ...:
                raise _bad(entity, name, "required")
            checked[name] = default
            continue
        try:
            checked[name] = check(payload[name])
        except ValueError as error:
            raise _bad(entity, name, str(error)) from None
    if entity == "bill":
        if checked["curr_reading"] < checked["prev_reading"]:
            raise _bad(entity, "curr_reading", "not below prev_reading")
        if checked["period_end"] < checked["period_start"]:
            raise _bad(entity, "period_end", "not before period_start")
        if checked["paid_fen"] > checked["amount_fen"]:
            raise _bad(entity, "paid_fen", "not more than amount_fen")
    if entity == "tariff_version" and checked["valid_to"] is not None and checked["valid_to"] < checked["valid_from"]:
        raise _bad(entity, "valid_to", "not before valid_from")
    return checked
