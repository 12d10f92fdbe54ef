"""Where things live: the installation's read-only resources and the per-user data folder."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "counter_app"
APP_AUTHOR = "counter_app"


def install_root() -> Path:
    """Folder holding ``resources/``, ``ui/`` and ``db/``: the source tree or the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return install_root() / "resources"


def ui_dir() -> Path:
    return install_root() / "ui"


def migrations_dir() -> Path:
    return install_root() / "db"


def cjk_font_file() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def default_data_dir() -> Path:
    override = os.environ.get("COUNTER_APP_DATA_DIR")
    if override:
        return Path(override)
    return user_data_path(APP_NAME, APP_AUTHOR)


CONFIG_FILE_NAME = "counter_app.toml"


def default_config_file(data_root: Path | None = None) -> Path:
    """The configuration used when ``--config`` is not given: ``$COUNTER_APP_CONFIG``, else
    ``counter_app.toml`` in the data folder (where ``counter-app setup`` writes it)."""
    override = os.environ.get("COUNTER_APP_CONFIG")
    if override:
        return Path(override)
    return (data_root or default_data_dir()) / CONFIG_FILE_NAME


@dataclass(frozen=True)
class DataPaths:
    """Everything one installation writes, under one folder."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "counter_app.sqlite3"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs / "counter_app.log"

    @property
    def receipts(self) -> Path:
        return self.root / "receipts"

    @property
    def attachments(self) -> Path:
        return self.root / "attachments"

    def ensure(self) -> "DataPaths":
        for folder in (self.root, self.backups, self.logs, self.receipts, self.attachments):
            folder.mkdir(parents=True, exist_ok=True)
        return self
