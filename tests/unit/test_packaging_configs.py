"""The default configuration files shipped in packaging/config/ load and agree with each other."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from counter_app.core.config import load_settings

CONFIG_DIR = Path(__file__).resolve().parents[2] / "packaging" / "config"
ROLES = ("hub", "counter", "kiosk", "display")


@pytest.mark.parametrize("role", ROLES)
def test_default_config_loads_for_its_role(role: str) -> None:
    path = CONFIG_DIR / f"{role}.toml"
    settings = load_settings(path)
    assert settings.role == role
    assert settings.source == str(path)
    assert settings.language == "zh_CN"
    assert settings.branch.zone.key == "Asia/Shanghai"


def test_counter_config_names_its_window_and_printer() -> None:
    raw = tomllib.loads((CONFIG_DIR / "counter.toml").read_text("utf-8"))
    assert "window" in raw
    settings = load_settings(CONFIG_DIR / "counter.toml")
    assert settings.window == 1
    assert settings.printer.receipt_layout in ("80mm", "a5")


def test_devices_find_the_hub_and_its_branch_and_each_has_a_token_of_its_own() -> None:
    hub = load_settings(CONFIG_DIR / "hub.toml")
    assert hub.hub.listen_host == "0.0.0.0"
    assert "token" not in tomllib.loads((CONFIG_DIR / "hub.toml").read_text("utf-8"))["hub"]  # no shared token
    for role in ("counter", "kiosk", "display"):
        text = (CONFIG_DIR / f"{role}.toml").read_text("utf-8")
        device = load_settings(CONFIG_DIR / f"{role}.toml")
        assert urlsplit(device.hub.url).port == hub.hub.listen_port, role
        assert "token" in tomllib.loads(text)["hub"] and f"hub-admin device-add --role {role}" in text, role
        assert device.branch == hub.branch, role


def test_every_shipped_config_loads_and_is_named_after_its_role() -> None:
    shipped = sorted(CONFIG_DIR.glob("*.toml"))
    assert {path.stem for path in shipped} >= set(ROLES)
    for path in shipped:
        assert load_settings(path).role == path.stem


@pytest.mark.parametrize("role", ROLES)
def test_policy_tables_in_the_shipped_configs_are_valid(role: str) -> None:
    from counter_app.core.config import options_from_table
    from counter_app.domain.ratings import RatingPolicy
    from counter_app.gui.hall_display import DisplayOptions
    from counter_app.gui.kiosk import KioskOptions
    from counter_app.gui.voice import VoiceOptions
    from counter_app.services.queue import QueueSettings

    owners = {"queue": QueueSettings, "voice": VoiceOptions, "kiosk": KioskOptions, "display": DisplayOptions,
              "quality": RatingPolicy}
    settings = load_settings(CONFIG_DIR / f"{role}.toml")
    for table in settings.policy:
        options_from_table(owners[table], settings, table)
    assert settings.policy  # each shipped file shows its role's local policy
