"""The console's rules for a branch's catalogue, its policy tables and a new staff member, without
Qt or a server: each refusal names the field and the rule."""

from __future__ import annotations

from datetime import date

import pytest

from counter_app.core.messages import render
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hq.console_rules import (
    check_letter_free,
    check_new_service,
    check_new_staff,
    check_window,
    parse_policy,
    policy_targets,
    policy_text,
    windows_with_services,
)

SERVICES = [{"code": "payment", "letter": "A", "active": True}, {"code": "invoice", "letter": "C", "active": False}]


def test_a_letter_is_a_services_own_even_once_retired() -> None:
    check_letter_free("A", "payment", SERVICES)  # its own letter
    with pytest.raises(InvalidInput) as taken:
        check_letter_free("C", "meter", SERVICES)
    assert taken.value.field == "letter" and taken.value.params == {"letter": "C", "other": "invoice"}
    added = check_new_service({"code": " meter ", "letter": "m", "name_zh": "表务", "name_en": "Meters"}, SERVICES, new=True)
    assert (added["code"], added["letter"], added["active"]) == ("meter", "M", True)
    kept = check_new_service({"code": "invoice", "letter": "C", "name_zh": "发票", "name_en": "Invoices"}, SERVICES, new=False)
    assert kept["active"] is False  # a change does not bring a retired service back
    with pytest.raises(NotAllowed):
        check_new_service({"code": "payment", "letter": "P"}, SERVICES, new=True)


def test_an_open_window_serves_services_in_use() -> None:
    assert check_window(True, ["payment", "payment"], SERVICES) == ["payment"]
    assert check_window(False, [], SERVICES) == []
    for services, code in ((["invoice"], "hq_service_retired"), ([], "hq_window_no_service"), (["x"], "ref_not_found")):
        with pytest.raises(InvalidInput) as refused:
            check_window(True, services, SERVICES)
        assert (refused.value.field, refused.value.code) == ("services", code)
    rows = windows_with_services([{"number": 2}, {"number": 1}], [
        {"window_number": 1, "service_code": "b", "sort_order": 1}, {"window_number": 1, "service_code": "a", "sort_order": 0}])
    assert rows == [{"number": 1, "services": ["a", "b"]}, {"number": 2, "services": []}]


def test_a_policy_table_is_what_the_branch_would_accept() -> None:
    text = 'allocation = [{ from = 2027-01-01, late_fee_first = false }]\n'
    values = parse_policy("billing", text)
    assert values == {"allocation": [{"from": "2027-01-01", "late_fee_first": False}]}
    assert parse_policy("billing", policy_text(values)) == values
    assert parse_policy("queue", "reset_time = 22:30:00\nrecall_cap = 2") == {"reset_time": "22:30", "recall_cap": 2}
    for name, text, code, key in (("offline", "login_days = 91", "hq_policy_value", "offline.login_days"),
                                  ("offline", "login_day = 9", "hq_policy_value", "offline.login_day"),
                                  ("stats", "target_wait_minutes = ", "hq_policy_toml", None),
                                  ("offline", "# nothing\n", "hq_policy_empty", None)):
        with pytest.raises(InvalidInput) as refused:
            parse_policy(name, text)
        assert (refused.value.field, refused.value.code, refused.value.params.get("key")) == ("values", code, key)
        assert "{" not in render(code, refused.value.params, "zh_CN")
    with pytest.raises(InvalidInput) as unknown:
        parse_policy("printer", "name = 'x'")
    assert unknown.value.field == "policy"
    assert policy_targets("*", ["B002", "B001"]) == ["B001", "B002"] and policy_targets("B001", ["B001"]) == ["B001"]
    with pytest.raises(InvalidInput):
        policy_targets("B009", ["B001"])


def test_a_new_staff_members_offline_login_ends_at_the_end_of_a_later_day() -> None:
    today = date(2026, 12, 5)
    assert check_new_staff("1003", {"1001"}, None, "Asia/Shanghai", today) is None
    assert check_new_staff("1003", set(), date(2027, 1, 31), "Asia/Shanghai", today) == "2027-01-31T23:59:59+08:00"
    with pytest.raises(InvalidInput) as past:
        check_new_staff("1003", set(), today, "Asia/Shanghai", today)
    assert past.value.field == "offline_valid_until"
    with pytest.raises(NotAllowed) as reused:
        check_new_staff("1001", {"1001"}, None, "Asia/Shanghai", today)
    assert reused.value.code == "hq_staff_exists"
