"""The real program, started as a subprocess, the way IT and the README start it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "counter_app", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV)


def test_help_lists_every_role() -> None:
    result = run("--help")
    assert result.returncode == 0
    for role in ("demo", "counter", "kiosk", "display", "manager", "hub", "hq", "seed", "selfcheck"):
        assert role in result.stdout
    sub = run("counter", "--help")
    assert "--config" in sub.stdout and "--data-dir" in sub.stdout


def test_a_bad_setting_stops_with_its_name_and_no_traceback(tmp_path: Path) -> None:
    config = tmp_path / "counter.toml"
    config.write_text('role = "counter"\nwindow = 3\n[hub]\nurl = "not an address"\n', encoding="utf-8")
    result = run("counter", "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    assert "hub.url" in result.stderr and "http(s) address" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d" / "counter_app.sqlite3").exists()  # nothing was created but the log line
    assert "hub.url" in (tmp_path / "d" / "logs" / "counter_app.log").read_text("utf-8")


def test_an_unusable_data_folder_is_explained(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("seed", "--data-dir", str(blocker / "sub"))
    assert result.returncode == 2 and "cannot use the data folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_seed_builds_a_branch_and_its_history(tmp_path: Path) -> None:
    result = run("seed", "--data-dir", str(tmp_path), "--accounts", "300", "--months", "2", "--days", "2",
                 "--tickets-per-day", "40")
    assert result.returncode == 0, result.stderr
    assert "seeded 300 accounts, 600 bills, 12 staff" in result.stdout
    assert "seeded 80 tickets over 2 days" in result.stdout
    assert (tmp_path / "logs" / "counter_app.log").exists()
    again = run("seed", "--data-dir", str(tmp_path))
    assert again.returncode == 0 and "already seeded" in again.stdout


@pytest.mark.parametrize("option", ["--accounts", "--months", "--days", "--tickets-per-day"])
def test_seed_refuses_negative_sizes_before_creating_anything(tmp_path: Path, option: str) -> None:
    result = run("seed", "--data-dir", str(tmp_path / "d"), option, "-1")
    assert result.returncode == 2 and "must not be negative" in result.stderr and option in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d").exists()  # no database, no folder


def _hub_config(tmp_path: Path) -> Path:
    config = tmp_path / "hub.toml"
    config.write_text('role = "hub"\n[hub]\nlisten_port = 1\ntoken = "hub-token-123"\n', encoding="utf-8")
    return config


def test_the_hub_module_on_an_empty_folder_also_says_it_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "counter_app.hub.server", "--data-dir", str(tmp_path / "empty"),
                             "--port", "0"], capture_output=True, text=True, timeout=60, env=ENV)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == ["hub: branch B001 is not in this hub's database; "
                                                  "load the reference data first"]


def test_a_damaged_database_file_is_one_clear_line(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "counter_app.sqlite3").write_bytes(b"this is not a database " * 400)
    for role in ("hub", "seed"):
        result = run(role, "--config", str(_hub_config(tmp_path)), "--data-dir", str(data), timeout=60)
        assert result.returncode == 3, (role, result.stderr[-2000:])
        assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
        errors = [line for line in result.stderr.splitlines() if line.startswith("counter-app:")]
        assert len(errors) == 1 and "counter_app.sqlite3" in errors[0] and "damaged" in errors[0], result.stderr


def test_a_bad_policy_table_stops_the_hub_before_it_listens(tmp_path: Path) -> None:
    config = tmp_path / "hub.toml"
    config.write_text('role = "hub"\n[queue]\nrecall_cap = -1\n', encoding="utf-8")
    result = run("hub", "--config", str(config), "--data-dir", str(tmp_path / "d"), timeout=60)
    assert result.returncode == 2
    assert "queue.recall_cap" in result.stderr and "Traceback" not in result.stderr
