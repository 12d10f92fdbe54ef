from pathlib import Path

import pytest

from counter_app.core.config import ConfigError, Settings, load_settings, settings_from_dict


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "counter.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_demo() -> None:
    settings = load_settings(None)
    assert settings == Settings()
    assert settings.role == "demo" and settings.language == "zh_CN"


def test_a_complete_counter_file(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, """
role = "counter"
window = 3
language = "en"
[branch]
code = "B017"
name = "城西营业厅"
timezone = "Asia/Urumqi"
[hub]
url = "http://192.168.1.10:8765"
token = "abcdefgh12"
[printer]
name = "XP-80C"
receipt_layout = "a5"
[evaluator]
mode = "serial"
port = "COM3"
"""))
    assert settings.window == 3 and settings.branch.code == "B017"
    assert settings.branch.zone.key == "Asia/Urumqi"
    assert settings.printer.receipt_layout == "a5" and settings.evaluator.port == "COM3"


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('role = "cashier"', "role", "one of demo"),
        ('role = "counter"', "window", "number of this counter's window"),
        ('window = "3"', "window", "whole number from 1 to 999"),
        ('window = 0', "window", "whole number from 1 to 999"),
        ('[branch]\ncode = "b-1"', "branch.code", "branch code"),
        ('[branch]\ntimezone = "Mars/Base"', "branch.timezone", "IANA time zone"),
        ('[hub]\nurl = "192.168.1.10"', "hub.url", "http(s) address"),
        ('[hub]\ntoken = "short"', "hub.token", "at least 8 characters"),
        ('[hub]\nlisten_port = 70000', "hub.listen_port", "from 1 to 65535"),
        ('[printer]\nreceipt_layout = "58mm"', "printer.receipt_layout", "one of 80mm, a5"),
        ('[printer]\npaper = "a4"', "printer.paper", "unknown key"),
        ('colour = "blue"', "colour", "a known setting"),
        ('hub = 5', "hub", "a [hub] table"),
        ("role = ", "--config", "valid TOML"),
    ],
)
def test_bad_settings_name_the_key_and_the_form(tmp_path: Path, text: str, key: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert info.value.key == key
    assert expected in str(info.value)
    assert str(path) in str(info.value)


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="an existing TOML file"):
        load_settings(tmp_path / "nope.toml")
    bad = tmp_path / "gbk.toml"
    bad.write_bytes('name = "营业厅"'.encode("gbk"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_settings(bad)


def test_settings_from_dict_keeps_sections() -> None:
    settings = settings_from_dict({"hub": {"listen_port": 9000}})
    assert settings.hub.listen_port == 9000 and settings.hub.url == Settings().hub.url


def test_policy_tables_become_the_owners_typed_options(tmp_path: Path) -> None:
    from datetime import time

    from counter_app.core.config import options_from_table
    from counter_app.domain.ratings import RatingPolicy
    from counter_app.services.queue import QueueSettings

    settings = load_settings(write(tmp_path, """
[queue]
recall_cap = 5
reset_time = "22:30"
call_next_with_open = "refuse"
[quality]
followup_working_days = 7
"""))
    queue = options_from_table(QueueSettings, settings, "queue")
    assert (queue.recall_cap, queue.reset_time, queue.call_next_with_open) == (5, time(22, 30), "refuse")
    assert queue.number_digits == QueueSettings().number_digits  # untouched keys keep their defaults
    assert options_from_table(RatingPolicy, settings, "quality").followup_working_days == 7


@pytest.mark.parametrize(
    ("table", "key", "expected"),
    [
        ("[queue]\nrecall_cap = 500", "queue.recall_cap", "from 0 to 99"),
        ("[queue]\nrecal_cap = 5", "queue.recal_cap", "unknown key"),
        ('[queue]\nreset_time = "25:00"', "queue.reset_time", "time of day"),
        ('[queue]\nreset_enabled = "yes"', "queue.reset_enabled", "true or false"),
        ('[queue]\ncall_next_with_open = "maybe"', "queue.call_next_with_open", "one of finish, refuse"),
        ("queue = 3", "queue", "a [queue] table"),
    ],
)
def test_bad_policy_values_name_the_key(tmp_path: Path, table: str, key: str, expected: str) -> None:
    from counter_app.core.config import options_from_table
    from counter_app.services.queue import QueueSettings

    with pytest.raises(ConfigError) as info:
        options_from_table(QueueSettings, load_settings(write(tmp_path, table)), "queue")
    assert info.value.key == key and expected in str(info.value)


def test_the_allocation_policy_is_a_dated_validated_setting() -> None:
    from datetime import date

    from counter_app.domain.allocation import AllocationPolicy
    from counter_app.services.billing.policy import billing_policy

    settings = settings_from_dict({"billing": {"allocation": [
        {"from": date(2020, 1, 1), "late_fee_first": True},
        {"from": "2026-07-01", "late_fee_first": False, "allow_partial": False}]}}, "hall.toml")
    policy = billing_policy(settings)
    assert policy.allocation_on(date(2019, 5, 1)) == AllocationPolicy()
    assert policy.allocation_on(date(2026, 6, 30)) == AllocationPolicy(late_fee_first=True)
    assert policy.allocation_on(date(2026, 7, 1)) == AllocationPolicy(late_fee_first=False, allow_partial=False)
    assert billing_policy(settings_from_dict({}, "hall.toml")).allocation_on(date(2026, 1, 1)) == AllocationPolicy()
    for table, key in (({"allocation": {"from": "2020-01-01"}}, "billing.allocation"),
                       ({"allocation": [{"late_fee_first": True}]}, "billing.allocation[1].from"),
                       ({"allocation": [{"from": "2020-13-01"}]}, "billing.allocation[1].from"),
                       ({"allocation": [{"from": "2020-01-01", "late_fee_first": "yes"}]},
                        "billing.allocation[1].late_fee_first"),
                       ({"allocation": [{"from": "2020-01-01", "fee_first": True}]}, "billing.allocation[1].fee_first"),
                       ({"allocation": [{"from": "2021-01-01"}, {"from": "2020-01-01"}]}, "billing.allocation[2].from"),
                       ({"rounding": 1}, "billing.rounding")):
        with pytest.raises(ConfigError) as error:
            billing_policy(settings_from_dict({"billing": table}, "hall.toml"))
        assert error.value.key == key, table
        assert "hall.toml" in str(error.value)
