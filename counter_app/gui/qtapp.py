"""The Qt application: CJK font, translations, style, Qt's warnings into our log, crash dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from counter_app.core.paths import cjk_font_file, resources_dir
from counter_app.gui.collector import collect_on_gui_thread

log = logging.getLogger("counter_app.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_previous_handler = None


def _qt_message(mode: QtMsgType, context: object, message: str) -> None:
    log.log(_QT_LEVELS.get(mode, logging.WARNING), "%s", message)
    if _previous_handler is not None:
        _previous_handler(mode, context, message)


def route_qt_messages() -> None:
    """Qt's own warnings go into our log file (and on to any handler installed before, e.g. pytest-qt's)."""
    global _previous_handler
    _previous_handler = qInstallMessageHandler(_qt_message)


def load_cjk_font() -> str:
    """Register the bundled CJK font and return its family name."""
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_file()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("bundled CJK font %s could not be loaded", cjk_font_file())
        return ""
    return families[0]


def install_translations(app: QApplication, language: str) -> list[QTranslator]:
    """Chinese by default; English shows the source strings. Returns the translators to keep alive."""
    translators: list[QTranslator] = []
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return translators
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    ours = QTranslator(app)
    if ours.load(str(resources_dir() / "translations" / f"counter_app_{language}.qm")):
        app.installTranslator(ours)
        translators.append(ours)
    else:
        log.warning("translation %s not found", language)
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        translators.append(qt_base)
    return translators


def style_sheet() -> str:
    path = resources_dir() / "styles" / "hall.qss"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def make_application(language: str, argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("counter_app")
    app.setOrganizationName("counter_app")
    family = load_cjk_font()
    base = QFont(family or app.font().family())
    base.setPointSize(12)
    app.setFont(base)
    app.setStyleSheet(style_sheet())
    app.setProperty("_translators", install_translations(app, language))
    collect_on_gui_thread(app)  # never on a worker thread, where freeing a widget crashes Qt
    return app


def install_crash_dialog(log_file: Path) -> None:
    """Unhandled errors are logged in full and shown to the clerk with where the log is."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        logging.getLogger("counter_app").critical("unhandled error\n%s", text)
        if QApplication.instance() is not None:
            box = QMessageBox(QMessageBox.Icon.Critical, QApplication.translate("Crash", "Unexpected error"),
                              QApplication.translate("Crash", "Something went wrong. Nothing you confirmed is lost.\n"
                                                     "Please tell IT and give them the log file:\n{log}").format(log=log_file))
            box.setDetailedText(text)
            box.exec()

    sys.excepthook = hook
