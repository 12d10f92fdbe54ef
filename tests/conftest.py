"""Shared fixtures: a fresh SQLite node database per test in a temporary folder."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_TTS_ENGINE", "mock")

from counter_app.core.config import Settings  # noqa: E402
from counter_app.core.paths import DataPaths  # noqa: E402
from counter_app.services.node import NodeDatabase, open_node_database  # noqa: E402

SMALL_SEED_ACCOUNTS = 60


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    return DataPaths(tmp_path / "data").ensure()


@pytest.fixture
def node_db(data_paths: DataPaths, settings: Settings):
    db = open_node_database(data_paths, settings)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small demo branch, seeded once; each test gets its own copy of the file."""
    from counter_app.services.seed import seed_demo

    folder = tmp_path_factory.mktemp("seeded-template")
    db = open_node_database(DataPaths(folder).ensure(), Settings())
    seed_demo(db, Settings(), accounts=SMALL_SEED_ACCOUNTS)
    db.dispose()
    path = DataPaths(folder).database
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture
def seeded_db(_seeded_template: Path, data_paths: DataPaths, settings: Settings) -> NodeDatabase:
    shutil.copyfile(_seeded_template, data_paths.database)
    db = open_node_database(data_paths, settings)
    yield db
    db.dispose()
