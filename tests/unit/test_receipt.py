"""The receipt PDF: content read back with pypdf, the CJK font embedded, rasterised by poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from counter_app.domain.money import amount_in_words, format_fen
from counter_app.selfcheck import sample_receipt
from counter_app.services.documents.fonts import cjk_postscript_name
from counter_app.services.documents.receipt import (
    LAYOUTS,
    ReceiptLine,
    qr_payload,
    receipt_check_value,
    render_receipt,
)


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_receipt_shows_what_the_customer_needs(tmp_path: Path, layout: str) -> None:
    data = sample_receipt()
    pdf = render_receipt(data, tmp_path / "receipt.pdf", layout)
    text = _text(pdf)
    for expected in (data.utility_name, data.branch_name, data.receipt_no, data.issued_at_local,
                     data.account_no, data.holder, "人民币" + amount_in_words(data.total_fen),
                     format_fen(data.total_fen), format_fen(data.late_fee_fen), format_fen(data.balance_after_fen),
                     "水费 第2阶梯", "2025-05", "微信支付", data.methods[1][2], data.clerk_name, data.clerk_no,
                     f"校验码 {data.check_value}", data.query_phone):
        assert expected in text, f"{expected!r} missing from the {layout} receipt"
    assert "补打" not in text


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_copy_says_so(tmp_path: Path, layout: str) -> None:
    pdf = render_receipt(sample_receipt(is_copy=True), tmp_path / "copy.pdf", layout)
    assert "补打" in _text(pdf)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_only_the_bundled_font_is_used_and_it_is_embedded(tmp_path: Path, layout: str) -> None:
    pdf = render_receipt(sample_receipt(), tmp_path / "receipt.pdf", layout)
    fonts = [font.get_object() for page in PdfReader(pdf).pages for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        assert re.fullmatch(rf"/[A-Z]{{6}}\+{cjk_postscript_name()}-\d+", font["/BaseFont"])
        assert font["/Subtype"] == "/TrueType"
        assert "/FontFile2" in font["/FontDescriptor"]
        assert "/ToUnicode" in font


def test_roll_grows_with_its_lines_and_a5_flows_onto_more_pages(tmp_path: Path) -> None:
    short = sample_receipt()
    many = tuple(ReceiptLine(f"2024-{month:02d}", 40, desc, 20, 345, 6900)
                 for month in range(1, 13) for desc in ("水费 第1阶梯", "污水处理费（含垃圾处置附加费）"))
    long = replace(short, lines=many, holder="示范市城东区某某物业管理有限责任公司第二分公司")
    roll_short = PdfReader(render_receipt(short, tmp_path / "a.pdf")).pages
    roll_long = PdfReader(render_receipt(long, tmp_path / "b.pdf")).pages
    assert len(roll_short) == len(roll_long) == 1
    assert float(roll_short[0].mediabox.width) == pytest.approx(80 / 25.4 * 72)
    assert float(roll_long[0].mediabox.height) > float(roll_short[0].mediabox.height) + 200
    sheet = render_receipt(long, tmp_path / "c.pdf", "a5")
    pages = PdfReader(sheet).pages
    assert len(pages) == 2
    assert float(pages[0].mediabox.width) == pytest.approx(148 / 25.4 * 72, abs=0.5)
    text = _text(sheet)
    assert f"{long.receipt_no}（续）" in text
    assert text.count("污水处理费") == 12 and "2024-12" in text and long.holder in text


def test_unknown_layout_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="80mm, a5"):
        render_receipt(sample_receipt(), tmp_path / "x.pdf", "a4")


def test_check_value_is_a_short_keyed_digest() -> None:
    value = receipt_check_value("B001-03-20250614-000127", 24085, "secret")
    assert re.fullmatch(r"[0-9a-f]{8}", value)
    assert value == receipt_check_value("B001-03-20250614-000127", 24085, "secret")
    assert value != receipt_check_value("B001-03-20250614-000127", 24086, "secret")
    assert value != receipt_check_value("B001-03-20250614-000128", 24085, "secret")
    assert value != receipt_check_value("B001-03-20250614-000127", 24085, "other")
    assert qr_payload("B001-03-20250614-000127", value) == f"B001-03-20250614-000127|{value}"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
@pytest.mark.parametrize(("layout", "width_px"), [("80mm", 472), ("a5", 874)])
def test_receipt_rasterises(tmp_path: Path, layout: str, width_px: int) -> None:
    pdf = render_receipt(sample_receipt(is_copy=True), tmp_path / "receipt.pdf", layout)
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    png = (tmp_path / "page.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    width = int.from_bytes(png[16:20], "big")
    assert abs(width - width_px) <= 1
