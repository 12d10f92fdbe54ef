"""``counter-app selfcheck``: prove an installation works end to end, from source or frozen.

Each check prints one line, ``OK ...`` or ``FAIL ...``; every check runs even after a failure,
and the exit status is 0 only when all passed. Used by IT after installing and by the packaging
test on the built executable. The checks: every module of the program imports (a module left out
of a bundle fails here, by name); the database opens and migrates; a receipt and a ticket slip
render with the CJK font embedded; Qt draws Chinese text; the Qt plugins the roles need are there
(platform, printing, image formats, speech, sound); and every role's screens open and draw against
a real hub on loopback, with demo data in a scratch folder (never in the installation's own).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any, Callable

import counter_app
from counter_app import __version__
from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths, cjk_font_file, install_root
from counter_app.services.documents.fonts import cjk_postscript_name
from counter_app.services.documents.receipt import ReceiptData, ReceiptLine, receipt_check_value, render_receipt
from counter_app.services.documents.ticket_slip import TicketSlipData, render_ticket_slip

QT_SAMPLE_TEXT = "营业厅 自检 壹佰贰拾叁元"


def sample_receipt(is_copy: bool = False) -> ReceiptData:
    """A realistic receipt: two periods of tiered water charges, a late fee, two methods."""
    receipt_no = "B001-03-20250614-000127"
    total = 24_085
    return ReceiptData(
        utility_name="示范市自来水有限公司",
        branch_name="城东营业厅",
        receipt_no=receipt_no,
        issued_at_local="2025-06-14 10:32:05",
        account_no="0301123456",
        holder="张三丰",
        address="示范市城东区解放路188号幸福小区12栋3单元502室",
        lines=(
            ReceiptLine("2025-04", 28, "水费 第1阶梯", 22, 345, 7_590),
            ReceiptLine("2025-04", 28, "水费 第2阶梯", 6, 483, 2_898),
            ReceiptLine("2025-04", 28, "污水处理费", 28, 95, 2_660),
            ReceiptLine("2025-05", 31, "水费 第1阶梯", 31, 345, 10_695),
        ),
        late_fee_fen=242,
        total_fen=total,
        methods=(("现金", 20_000, ""), ("微信支付", 4_085, "4200001234202506140012345678")),
        tendered_fen=20_000,
        change_fen=0,
        balance_after_fen=1_500,
        clerk_name="李小梅",
        clerk_no="1023",
        window_number=3,
        is_copy=is_copy,
        query_phone="0000-96116",
        check_value=receipt_check_value(receipt_no, total, "selfcheck"),
    )


def _check_modules() -> str:
    """Import every module of the program: what a bundle left out fails here, by name."""
    names = [info.name for info in pkgutil.walk_packages(counter_app.__path__, "counter_app.")
             if not info.name.endswith("__main__")]
    missing = []
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError as error:  # every missing module is named, not only the first
            missing.append(f"{name}: {error}")
    if missing:
        raise ImportError("; ".join(missing))
    if len(names) < 50:
        raise RuntimeError(f"only {len(names)} modules of counter_app found: the bundle lacks the program")
    return f"modules: all {len(names)} modules of counter_app import"


def _check_database(folder: Path) -> str:
    from counter_app.persistence.migrate import current_revision
    from counter_app.services.node import open_node_database

    node = open_node_database(DataPaths(folder), Settings())
    try:
        revision = current_revision(node.engine)
    finally:
        node.dispose()
    return f"database migrated to {revision} ({node.path})"


def _check_receipt(folder: Path) -> str:
    paths = DataPaths(folder).ensure()
    return "receipt PDF rendered with " + _pdf_with_font(render_receipt(sample_receipt(), paths.receipts / "selfcheck-receipt.pdf"))


def _pdf_with_font(pdf: Path) -> str:
    content = pdf.read_bytes()
    font = cjk_postscript_name().encode("ascii")
    if not content.startswith(b"%PDF") or font not in content or b"/FontFile2" not in content:
        raise RuntimeError(f"{pdf} lacks the embedded font {font.decode()} ({cjk_font_file()})")
    return f"{font.decode()} embedded ({len(content)} bytes, {pdf})"


def _check_slip(folder: Path) -> str:
    paths = DataPaths(folder).ensure()
    slip = TicketSlipData("示范市自来水有限公司", "城东营业厅", "缴费", "A", "A012", False, 3, 9, "2025-06-03 14:05:09")
    return "ticket slip PDF rendered with " + _pdf_with_font(render_ticket_slip(slip, paths.receipts / "selfcheck-slip.pdf"))


def _choose_offscreen() -> None:
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _check_qt() -> str:
    _choose_offscreen()
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "counter-app"])
    font_id = QFontDatabase.addApplicationFont(str(cjk_font_file()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise RuntimeError(f"Qt could not load {cjk_font_file()}")
    label = QLabel(QT_SAMPLE_TEXT)
    label.setFont(QFont(families[0], 14))
    label.show()
    app.processEvents()
    shown = label.isVisible() and label.grab().width() > 0
    label.close()
    label.deleteLater()
    app.processEvents()
    if not shown:
        raise RuntimeError("the label was not shown")
    return f"Qt {app.platformName()}: label shown in {families[0]}"


def _check_plugins() -> str:
    """The Qt plugins the roles load on demand: printing, image formats, speech, the chime."""
    _choose_offscreen()
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtGui import QImageReader
    from PySide6.QtPrintSupport import QPrinterInfo
    from PySide6.QtTextToSpeech import QTextToSpeech

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    problems = []
    needed = {"platforms": "offscreen", "imageformats": "svg", "iconengines": "svg", "texttospeech": ""}
    if sys.platform.startswith("linux"):
        needed.update({"platforms": "xcb", "printsupport": "cups", "xcbglintegrations": ""})
    for kind, word in needed.items():
        files = [path.name for path in (plugins / kind).glob("*")] if (plugins / kind).is_dir() else []
        if not any(word in name for name in files):
            problems.append(f"no {kind} plugin{' for ' + word if word else ''} in {plugins / kind}")
    formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    problems += [f"image format {f} not readable" for f in ("png", "jpeg", "svg", "ico") if f not in formats]
    engines = QTextToSpeech.availableEngines()
    if not engines:
        problems.append("no text-to-speech engine")
    from PySide6.QtMultimedia import QSoundEffect  # the chime's class; its module loads here or fails

    QSoundEffect()
    printers = QPrinterInfo.availablePrinterNames()
    if problems:
        raise RuntimeError("; ".join(problems))
    return f"plugins: speech {', '.join(engines)}; {len(formats)} image formats; {len(printers)} printers"


def _check_screens(folder: Path) -> str:
    _choose_offscreen()
    from counter_app.gui.screens_check import open_every_screen
    from counter_app.hub.admin import enrol_demo_devices
    from counter_app.hub.server import start_hub_in_thread

    def start_hub(db: Any, settings: Any) -> tuple[Any, dict[str, str]]:
        tokens = enrol_demo_devices(db, settings.window)  # before the hub starts: it reads them at start
        return start_hub_in_thread(db, settings), tokens

    return "screens: " + ", ".join(open_every_screen(folder, start_hub))


def run(data_dir: Path | None = None) -> int:
    """Run every check in ``data_dir`` (a temporary folder if None); 0 when all passed."""
    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    print(f"counter_app {__version__} ({frozen}, {install_root()})", flush=True)
    with tempfile.TemporaryDirectory(prefix="counter-app-selfcheck-") as scratch:
        folder = Path(data_dir) if data_dir is not None else Path(scratch)
        checks: list[tuple[str, Callable[[], str]]] = [
            ("modules", _check_modules),
            ("database", lambda: _check_database(folder)),
            ("receipt", lambda: _check_receipt(folder)),
            ("slip", lambda: _check_slip(folder)),
            ("qt", _check_qt),
            ("plugins", _check_plugins),
            ("screens", lambda: _check_screens(Path(scratch) / "screens")),
        ]
        failed = 0
        for name, check in checks:
            try:
                print(f"OK {check()}", flush=True)
            except Exception as error:  # a self-check reports every failure and carries on
                failed += 1
                print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
                traceback.print_exc(file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(run(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
