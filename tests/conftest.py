"""Shared fixtures: a fresh SQLite node database per test in a temporary folder."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_TTS_ENGINE", "mock")

from counter_app.core.config import Settings  # noqa: E402
from counter_app.core.paths import DataPaths  # noqa: E402
from counter_app.services.node import NodeDatabase, open_node_database  # noqa: E402

SMALL_SEED_ACCOUNTS = 60


@pytest.fixture(scope="session")
def qapp(qapp):  # type: ignore[no-untyped-def]
    """pytest-qt's application, with the program's own rule that only the GUI thread collects
    garbage (a widget freed by a worker thread's collection crashes the process)."""
    from counter_app.gui.collector import collect_on_gui_thread

    collect_on_gui_thread(qapp)
    return qapp


@pytest.fixture(autouse=True)
def _garbage_collected_here(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """After each test, on this (the GUI) thread, what the interpreter would have collected by now
    (a full collection after every Qt test cost ~0.4 s each: a minute a run)."""
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    from counter_app.gui.collector import GuiThreadCollector

    app = QApplication.instance()
    collector = app.findChild(GuiThreadCollector) if app is not None else None
    if collector is None:
        return
    collector.check()


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
