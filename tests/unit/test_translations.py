"""Every string the GUI shows has its Chinese translation, with its {placeholders} kept."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "counter_app_zh_CN.ts"
BIN = Path(sys.executable).parent


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    found = []
    for context in ET.parse(path).getroot().iter("context"):
        for message in context.iter("message"):
            found.append((context.findtext("name") or "", message.findtext("source") or "", message.find("translation")))
    return found


def test_every_gui_string_is_translated(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    shutil.copyfile(TS, fresh)
    sources = [str(p) for p in (ROOT / "counter_app" / "gui").rglob("*.py")] + [str(p) for p in (ROOT / "ui").glob("*.ui")]
    subprocess.run([str(BIN / "pyside6-lupdate"), "-no-obsolete", "-locations", "none", *sources, "-ts", str(fresh)],
                   check=True, capture_output=True)
    untranslated = [(c, s) for c, s, t in messages(fresh) if t is None or t.get("type") == "unfinished" or not (t.text or "").strip()]
    assert untranslated == [], "run scripts/update-translations.sh and translate these"


def test_placeholders_survive_translation() -> None:
    for context, source, translation in messages(TS):
        assert translation is not None
        want = sorted(re.findall(r"\{\w*\}", source))
        got = sorted(re.findall(r"\{\w*\}", translation.text or ""))
        assert want == got, f"{context}: {source!r} -> {translation.text!r}"


def test_compiled_translation_is_current(tmp_path: Path) -> None:
    compiled = tmp_path / "check.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), "-silent", str(TS), "-qm", str(compiled)], check=True)
    assert compiled.read_bytes() == TS.with_suffix(".qm").read_bytes(), "run scripts/update-translations.sh"
