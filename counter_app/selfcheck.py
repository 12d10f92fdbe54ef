"""``counter-app selfcheck``: prove an installation works end to end, from source or frozen.

Each check prints one line, ``OK ...`` or ``FAIL ...``; every check runs even after a failure,
and the exit status is 0 only when all passed. Used by IT after installing and by the packaging
test on the built executable.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable

from counter_app import __version__
from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths, cjk_font_file, install_root
from counter_app.services.documents.fonts import cjk_postscript_name
from counter_app.services.documents.receipt import ReceiptData, ReceiptLine, receipt_check_value, render_receipt

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
    pdf = render_receipt(sample_receipt(), paths.receipts / "selfcheck-receipt.pdf")
    content = pdf.read_bytes()
    font = cjk_postscript_name().encode("ascii")
    if not content.startswith(b"%PDF") or font not in content or b"/FontFile2" not in content:
        raise RuntimeError(f"{pdf} lacks the embedded font {font.decode()} ({cjk_font_file()})")
    return f"receipt PDF rendered with {font.decode()} embedded ({len(content)} bytes, {pdf})"


def _check_qt() -> str:
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
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


def run(data_dir: Path | None = None) -> int:
    """Run every check in ``data_dir`` (a temporary folder if None); 0 when all passed."""
    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    print(f"counter_app {__version__} ({frozen}, {install_root()})", flush=True)
    with tempfile.TemporaryDirectory(prefix="counter-app-selfcheck-") as scratch:
        folder = Path(data_dir) if data_dir is not None else Path(scratch)
        checks: list[tuple[str, Callable[[], str]]] = [
            ("database", lambda: _check_database(folder)),
            ("receipt", lambda: _check_receipt(folder)),
            ("qt", _check_qt),
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
