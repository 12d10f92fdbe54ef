"""The bundle keeps exactly the Qt modules the program imports (the QtPdf defect: a spec that both
included and excluded a module the receipts need made every screen of the built program crash)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import bundle_plan  # noqa: E402


def test_every_qt_module_the_program_imports_is_kept_and_none_is_also_excluded() -> None:
    imported = bundle_plan.qt_modules_imported()
    assert {"PySide6.QtPdf", "PySide6.QtWidgets", "PySide6.QtPrintSupport", "PySide6.QtTextToSpeech"} <= imported
    plan = bundle_plan.plan()
    kept, excluded = set(plan["qt_kept"]), set(plan["qt_excluded"])
    assert imported | set(bundle_plan.PLANNED_QT) <= kept
    assert not kept & excluded
    assert {"PySide6.QtWebEngineCore", "PySide6.Qt3DCore", "PySide6.QtQuick", "PySide6.QtOpenGL"} <= excluded


def test_a_module_imported_inside_a_function_counts(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("def f():\n    from PySide6.QtSvg import QSvgRenderer\n", encoding="utf-8")
    (tmp_path / "n.py").write_text("import PySide6.QtNetwork\nfrom PySide6 import QtCore\n", encoding="utf-8")
    assert bundle_plan.qt_modules_imported(tmp_path) == {"PySide6.QtSvg", "PySide6.QtNetwork", "PySide6.QtCore"}


def test_unused_plugins_and_foreign_translations_are_left_out_but_what_roles_need_is_not() -> None:
    unwanted = bundle_plan.unwanted_binary
    for path in ("PySide6/Qt/plugins/multimedia/libffmpegmediaplugin.so", "PySide6/Qt/lib/libQt6Quick.so.6",
                 "PySide6/Qt/plugins/platformthemes/libqgtk3.so", "PySide6/Qt/translations/qtbase_de.qm",
                 "PySide6/Qt/translations/qt_help_zh_CN.qm"):
        assert unwanted(path), path
    for path in ("PySide6/Qt/lib/libQt6Pdf.so.6", "PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so", "PySide6/Qt/translations/qtbase_zh_CN.qm",
                 "PySide6/Qt/plugins/texttospeech/libqtexttospeech_speechd.so", "PySide6/Qt/lib/libQt6Charts.so.6"):
        assert not unwanted(path), path
