"""``counter-app hub-admin`` and a device without its token, as real processes: enrol, list,
revoke, unlock; the token is printed once and only its hash is kept; a device configured without
a token stops with a sentence saying how to get one."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.integration.test_cli import run


def admin(data: Path, *args: str):  # type: ignore[no-untyped-def]
    return run("hub-admin", "--data-dir", str(data), *args)


def test_enrol_list_revoke_and_only_the_hash_is_kept(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    assert run("seed", "--data-dir", str(data), "--accounts", "5", "--months", "1").returncode == 0
    added = admin(data, "device-add", "--role", "counter", "--window", "3", "--name", "counter-w3")
    assert added.returncode == 0, added.stderr
    token = re.search(r"cad1_\S+", added.stdout).group(0)  # type: ignore[union-attr]
    assert "shown once" in added.stdout and "counter-w3" in added.stdout and "W03" in added.stdout
    raw = b"".join(p.read_bytes() for p in data.glob("counter_app.sqlite3*"))
    assert token.encode() not in raw and hashlib.sha256(token.encode()).hexdigest().encode() in raw
    listed = admin(data, "device-list")
    assert "counter-w3" in listed.stdout and "active" in listed.stdout and token not in listed.stdout
    refused = admin(data, "device-add", "--role", "counter")
    assert refused.returncode == 2 and "window" in refused.stderr and "Traceback" not in refused.stderr
    revoked = admin(data, "device-revoke", "counter-w3")
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    again = admin(data, "device-revoke", "counter-w3")
    assert again.returncode == 2 and "already revoked" in again.stderr
    assert admin(data, "staff-unlock", "1001").returncode == 0


def test_a_device_without_its_token_says_how_to_get_one(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('role = "kiosk"\n', encoding="utf-8")
    result = run("kiosk", "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "hub.token" in result.stderr and "hub-admin device-add" in result.stderr
