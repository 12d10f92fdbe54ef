"""The default configuration files shipped in packaging/config/ load and agree with each other."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from counter_app.core.config import ConfigError, Settings, load_settings, settings_from_dict

CONFIG_DIR = Path(__file__).resolve().parents[2] / "packaging" / "config"
ROLES = ("hub", "counter", "kiosk", "display")
PLACEHOLDER = "change-me-branch-device-token"


def shipped(path: Path) -> Settings:
    """The example file as IT fills it in: with the branch's own token instead of the placeholder."""
    text = path.read_text("utf-8")
    assert PLACEHOLDER in text, path
    return settings_from_dict(tomllib.loads(text.replace(PLACEHOLDER, "b017-hall-secret-2026")), str(path))


@pytest.mark.parametrize("role", ROLES)
def test_the_placeholder_token_is_refused_naming_the_key(role: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(CONFIG_DIR / f"{role}.toml")
    assert refused.value.key == "hub.token" and "placeholder" in str(refused.value)


def test_a_hub_open_to_every_interface_needs_a_token_of_its_own() -> None:
    with pytest.raises(ConfigError) as refused:
        settings_from_dict({"role": "hub", "hub": {"listen_host": "0.0.0.0"}})
    assert refused.value.key == "hub.listen_host"
    assert settings_from_dict({"role": "hub", "hub": {"listen_host": "127.0.0.1"}}).hub.listen_host == "127.0.0.1"
    opened = settings_from_dict({"role": "hub", "hub": {"listen_host": "0.0.0.0", "token": "b017-hall-secret"}})
    assert opened.hub.listen_host == "0.0.0.0"


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


def test_devices_find_the_hub_and_share_its_token_and_branch() -> None:
    hub = shipped(CONFIG_DIR / "hub.toml")
    assert hub.hub.listen_host == "0.0.0.0"
    for role in ("counter", "kiosk", "display"):
        device = shipped(CONFIG_DIR / f"{role}.toml")
        assert urlsplit(device.hub.url).port == hub.hub.listen_port, role
        assert device.hub.token == hub.hub.token, role
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
    from counter_app.services.queue import QueueSettings

    owners = {"queue": QueueSettings, "voice": VoiceOptions, "kiosk": KioskOptions, "display": DisplayOptions,
              "quality": RatingPolicy}
    settings = shipped(CONFIG_DIR / f"{role}.toml")
    for table in settings.policy:
        if table == "billing":
            assert billing_policy(settings).allocation  # dated entries, not flat options
            continue
        options_from_table(owners[table], settings, table)
    assert settings.policy  # each shipped file shows its role's local policy
