"""The ticket slip PDF: an 80 mm roll with the number, the people ahead and the hall's notice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from counter_app.services.documents.fonts import cjk_postscript_name
from counter_app.services.documents.ticket_slip import DEFAULT_NOTICE, TicketSlipData, render_ticket_slip, slip_lines

MM = 72 / 25.4


@pytest.fixture
def slip() -> TicketSlipData:
    return TicketSlipData(utility_name="示范市自来水有限公司", branch_name="城东营业厅", service_name="缴费",
                          service_letter="A", number="A012", green=False, waiting_ahead=3, estimated_wait_minutes=15,
                          issued_at_local="2025-06-03 14:05:09")


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_slip_carries_hall_service_number_people_ahead_time_and_notice(tmp_path: Path, slip: TicketSlipData) -> None:
    text = _text(render_ticket_slip(slip, tmp_path / "slip.pdf"))
    for expected in ("示范市自来水有限公司", "城东营业厅", "缴费", "A012", "您前面还有 3 人在等待", "预计等候约 15 分钟",
                     "2025-06-03 14:05:09", DEFAULT_NOTICE, "请在休息区等候"):
        assert expected in text, expected
    assert "绿色通道" not in text


def test_slip_is_one_80mm_roll_page_with_the_bundled_font_embedded(tmp_path: Path, slip: TicketSlipData) -> None:
    reader = PdfReader(render_ticket_slip(slip, tmp_path / "slip.pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(80 * MM, abs=0.5)
    assert 50 * MM < float(box.height) < 120 * MM  # as tall as the content: no paper wasted
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all(cjk_postscript_name() in font["/BaseFont"] and "/FontFile2" in font["/FontDescriptor"]
                         for font in fonts)


def test_green_channel_notice_wording_and_nobody_ahead(tmp_path: Path, slip: TicketSlipData) -> None:
    special = replace(slip, green=True, waiting_ahead=0, estimated_wait_minutes=0, notice="过号请到服务台重新登记")
    text = _text(render_ticket_slip(special, tmp_path / "slip.pdf"))
    assert "绿色通道" in text
    assert "过号请到服务台重新登记" in text and DEFAULT_NOTICE not in text
    assert "您前面暂无等候" in text and "预计等候" not in text


def test_a_long_notice_wraps_inside_the_roll(tmp_path: Path, slip: TicketSlipData) -> None:
    notice = "过号无效，请重新取号。" * 4
    lines = [line for line in slip_lines(replace(slip, notice=notice)) if line.role == "notice"]
    assert lines[0].text == notice
    text = _text(render_ticket_slip(replace(slip, notice=notice), tmp_path / "slip.pdf"))
    assert text.replace("\n", "").count("请重新取号") == 4


def test_slip_lines_are_what_the_pdf_says(slip: TicketSlipData) -> None:
    roles = [line.role for line in slip_lines(slip)]
    assert roles[:4] == ["title", "subtitle", "body", "number"]
    assert [line.text for line in slip_lines(slip) if line.role == "number"] == ["A012"]
