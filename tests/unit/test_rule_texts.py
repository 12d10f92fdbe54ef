"""Each configuration rule listed for translation is still a rule the configuration raises."""

from __future__ import annotations

from pathlib import Path

from counter_app.gui.setup.rule_texts import RULES

CONFIG_SOURCE = (Path(__file__).resolve().parents[2] / "counter_app" / "core" / "config.py").read_text("utf-8")


def test_every_translated_rule_is_written_in_the_configuration_module() -> None:
    joined = CONFIG_SOURCE.replace('"\n                          "', "").replace('" "', "")
    missing = [rule for rule in RULES if rule not in joined]
    assert not missing, f"rules no longer raised by counter_app.core.config: {missing}"
