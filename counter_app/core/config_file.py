"""Write an installation's TOML file from the set-up wizard's answers, checked by the same rules
that read it (:func:`counter_app.core.config.settings_from_dict`) before anything is written."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from counter_app.core.config import Settings, settings_from_dict

HEADER = "# Written by counter-app setup. Every key is explained in docs/IT.md; edit with care.\n"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def to_toml(data: dict[str, Any]) -> str:
    """TOML text of ``data``: top-level keys first, then one table per nested dict."""
    lines = [HEADER.rstrip("\n")]
    lines += [f"{key} = {_value(value)}" for key, value in data.items() if not isinstance(value, dict)]
    for table, values in data.items():
        if isinstance(values, dict) and values:
            lines += ["", f"[{table}]", *(f"{key} = {_value(value)}" for key, value in values.items())]
    return "\n".join(lines) + "\n"


def write_config(data: dict[str, Any], path: Path) -> Settings:
    """Check ``data`` as a configuration, then write it to ``path`` atomically (readable by its
    owner only: it holds the device token). Raises ConfigError naming the key, writing nothing."""
    settings = settings_from_dict(data, str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(to_toml(data), encoding="utf-8")
    os.chmod(partial, 0o600)
    partial.replace(path)
    return settings
