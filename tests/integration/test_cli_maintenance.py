"""IT's commands as IT runs them: backup, restore, a hub on a fresh folder, a screen with no configuration."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "counter_app", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_hub_on_a_fresh_folder_says_in_one_line_what_to_do(tmp_path: Path) -> None:
    config = tmp_path / "hub.toml"
    config.write_text(f'role = "hub"\n[hub]\nlisten_port = {free_port()}\n', encoding="utf-8")
    result = run("hub", "--config", str(config), "--data-dir", str(tmp_path / "d"), timeout=60)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr
    assert "branch B001 is not in this hub's database" in result.stderr and "counter-app enrol" in result.stderr
    assert "branch B001 has no reference data" in (tmp_path / "d" / "logs" / "counter_app.log").read_text("utf-8")


def test_backup_then_restore_from_the_command_line_locks_receipts(tmp_path: Path) -> None:
    data = tmp_path / "d"
    assert run("seed", "--data-dir", str(data), "--accounts", "20", "--months", "1").returncode == 0
    for _ in range(2):
        backup = run("backup", "--data-dir", str(data), "--keep", "1")
        assert backup.returncode == 0, backup.stderr
        assert "integrity ok" in backup.stdout
    copies = sorted((data / "backups").glob("scheduled-*.sqlite3"))
    assert len(copies) == 1 and "removed 1 old copies" in backup.stdout

    restore = run("restore", str(copies[0]), "--data-dir", str(data))
    assert restore.returncode == 0, restore.stderr
    assert "must re-enrol" in restore.stdout and "before-restore" in restore.stdout
    connection = sqlite3.connect(data / "counter_app.sqlite3")
    assert connection.execute("SELECT receipts_locked FROM node_identity").fetchall() == [(1,)]
    connection.close()

    missing = run("restore", str(tmp_path / "nope.sqlite3"), "--data-dir", str(data))
    assert missing.returncode == 3 and "nothing changed" in missing.stderr and "Traceback" not in missing.stderr


def test_a_screen_role_without_configuration_asks_for_set_up_instead_of_starting(tmp_path: Path) -> None:
    env = {**ENV, "COUNTER_APP_CONFIG": ""}
    result = subprocess.run([sys.executable, "-m", "counter_app", "kiosk", "--data-dir", str(tmp_path)],
                            capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert "counter-app setup" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "counter_app.sqlite3").exists()


def test_the_shipped_example_says_where_the_device_token_comes_from(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "packaging" / "config" / "kiosk.toml"
    result = run("kiosk", "--config", str(example), "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "hub.token" in result.stderr and "hub-admin device-add" in result.stderr
    assert "configuration refused" in (tmp_path / "logs" / "counter_app.log").read_text("utf-8")
