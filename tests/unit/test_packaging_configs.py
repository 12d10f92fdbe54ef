"""The default configuration files shipped in packaging/config/ load and agree with each other."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from counter_app.core.config import ConfigError, Settings, settings_from_dict

CONFIG_DIR = Path(__file__).resolve().parents[2] / "packaging" / "config"
ROLES = ("hub", "counter", "kiosk", "display")
DEVICE_TOKEN = "b017-window-device-token-2026"


def shipped(path: Path) -> Settings:
    """The example file as IT fills it in: a device with the token ``hub-admin device-add`` printed."""
    raw = tomllib.loads(path.read_text("utf-8"))
    if "token" in raw.get("hub", {}):
        assert raw["hub"]["token"] == "", path  # shipped empty: every device gets its own
        raw["hub"]["token"] = DEVICE_TOKEN
    return settings_from_dict(raw, str(path))


def test_a_placeholder_token_is_refused_naming_the_key() -> None:
    for key in ("token", "evaluator_token"):
        with pytest.raises(ConfigError) as refused:
            settings_from_dict({"role": "counter", "window": 1, "hub": {key: "change-me-branch-device-token"}})
        assert refused.value.key == f"hub.{key}" and "placeholder" in str(refused.value)


def test_a_hub_may_listen_on_every_interface_since_each_device_has_its_own_credential() -> None:
    opened = settings_from_dict({"role": "hub", "hub": {"listen_host": "0.0.0.0"}})
    assert opened.hub.listen_host == "0.0.0.0" and opened.hub.token == ""


@pytest.mark.parametrize("role", ROLES)
def test_default_config_loads_for_its_role(role: str) -> None:
    path = CONFIG_DIR / f"{role}.toml"
    settings = shipped(path)
    assert settings.role == role
    assert settings.source == str(path)
    assert settings.language == "zh_CN"
    assert settings.branch.zone.key == "Asia/Shanghai"


def test_counter_config_names_its_window_and_printer() -> None:
    raw = tomllib.loads((CONFIG_DIR / "counter.toml").read_text("utf-8"))
    assert "window" in raw
    settings = shipped(CONFIG_DIR / "counter.toml")
    assert settings.window == 1
    assert settings.printer.receipt_layout in ("80mm", "a5")


def test_devices_find_the_hub_and_its_branch_and_each_has_a_token_of_its_own() -> None:
    hub = shipped(CONFIG_DIR / "hub.toml")
    assert hub.hub.listen_host == "0.0.0.0"
    assert "token" not in tomllib.loads((CONFIG_DIR / "hub.toml").read_text("utf-8"))["hub"]  # no shared token
    for role in ("counter", "kiosk", "display"):
        text = (CONFIG_DIR / f"{role}.toml").read_text("utf-8")
        device = shipped(CONFIG_DIR / f"{role}.toml")
        assert urlsplit(device.hub.url).port == hub.hub.listen_port, role
        assert "token" in tomllib.loads(text)["hub"] and f"hub-admin device-add --role {role}" in text, role
        assert device.branch == hub.branch, role


def test_every_shipped_config_loads_and_is_named_after_its_role() -> None:
    files = sorted(CONFIG_DIR.glob("*.toml"))
    assert {path.stem for path in files} >= set(ROLES)
    for path in files:
        assert shipped(path).role == path.stem


@pytest.mark.parametrize("role", ROLES)
def test_policy_tables_in_the_shipped_configs_are_valid(role: str) -> None:
    from counter_app.core.config import options_from_table
    from counter_app.domain.ratings import RatingPolicy
    from counter_app.gui.hall_display import DisplayOptions
    from counter_app.gui.kiosk import KioskOptions
    from counter_app.gui.voice import VoiceOptions
    from counter_app.services.billing.policy import billing_policy
    from counter_app.services.offline_login import OfflinePolicy
    from counter_app.services.queue import QueueSettings

    owners = {"queue": QueueSettings, "voice": VoiceOptions, "kiosk": KioskOptions, "display": DisplayOptions,
              "quality": RatingPolicy, "offline": OfflinePolicy}
    settings = shipped(CONFIG_DIR / f"{role}.toml")
    for table in settings.policy:
        if table == "billing":
            assert billing_policy(settings).allocation  # dated entries, not flat options
            continue
        options_from_table(owners[table], settings, table)
    assert settings.policy  # each shipped file shows its role's local policy
