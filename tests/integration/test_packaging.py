"""Build the one-folder program with PyInstaller and run its self-check, as IT would after installing."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "counter_app.spec"


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                    reason="PyInstaller is not installed (pip install -e '.[package]')")
def test_frozen_program_passes_its_selfcheck(tmp_path: Path) -> None:
    dist, work, data = tmp_path / "dist", tmp_path / "work", tmp_path / "data"
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        cwd=tmp_path, capture_output=True, text=True, timeout=800,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-6000:]

    folder = dist / "counter-app"
    program = folder / ("counter-app-console.exe" if sys.platform == "win32" else "counter-app")
    assert program.is_file()
    internal = folder / "_internal"
    for shipped in ("resources/fonts/wqy-microhei.ttc", "resources/fonts/LICENSE-wqy-microhei.txt",
                    "db/env.py", "db/script.py.mako", "config/counter.toml"):
        assert (internal / shipped).is_file(), f"{shipped} is not in the bundle"
    assert list((internal / "db" / "versions").glob("0001_*.py"))
    assert not list(internal.rglob("*QtWebEngine*")), "QtWebEngine should be left out"

    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY", "PYTHONPATH")}
    env.pop("QT_QPA_PLATFORM", None)  # the self-check must choose offscreen by itself
    check = subprocess.run([str(program), "selfcheck", "--data-dir", str(data)], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    lines = check.stdout.splitlines()
    assert "(frozen," in lines[0]
    assert any(line.startswith("OK database migrated to ") for line in lines), check.stdout
    assert any(line.startswith("OK receipt PDF rendered with WenQuanYiMicroHei embedded") for line in lines), check.stdout
    qt_line = "OK Qt offscreen: label shown in " if sys.platform.startswith("linux") else "OK Qt "
    assert any(line.startswith(qt_line) and "label shown in" in line for line in lines), check.stdout
    assert not any(line.startswith("FAIL") for line in lines)
    assert (data / "counter_app.sqlite3").is_file()
    assert (data / "receipts" / "selfcheck-receipt.pdf").read_bytes().startswith(b"%PDF")


def test_selfcheck_from_source(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    check = subprocess.run([sys.executable, "-W", "error", "-m", "counter_app", "selfcheck", "--data-dir", str(tmp_path)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    lines = check.stdout.splitlines()
    assert "(source," in lines[0]
    assert [line.split()[:2] for line in lines[1:]] == [["OK", "database"], ["OK", "receipt"], ["OK", "Qt"]]
    assert check.stderr == ""


def test_selfcheck_reports_each_failure_and_exits_1(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    check = subprocess.run([sys.executable, "-m", "counter_app", "selfcheck", "--data-dir", str(not_a_folder)],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 1
    lines = check.stdout.splitlines()
    assert [line.split()[:2] for line in lines[1:]] == [["FAIL", "database:"], ["FAIL", "receipt:"], ["OK", "Qt"]]
