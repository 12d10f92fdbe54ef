"""The monthly review on the hand-computed day: its figures, the PDF (CJK font embedded, text
extractable), the XLSX, and ``counter-app report monthly`` as a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from counter_app.domain.errors import InvalidInput
from counter_app.services.documents.fonts import cjk_postscript_name
from counter_app.services.stats import Statistics, StatsPolicy
from counter_app.services.stats.monthly import write_monthly_review, write_review
from counter_app.services.stats.review import monthly_review
from tests.integration.stats_fixtures import StatsDay as Played, played  # noqa: F401

ZONE = ZoneInfo("Asia/Shanghai")



@pytest.fixture
def stats(played: Played) -> Statistics:
    policy = StatsPolicy(star_rules=("5 satisfaction>=99 negative<=0", "3 satisfaction>=60", "2 served>=2"))
    return Statistics(played.db.engine, ZONE, policy, clock=played.clock)


def test_review_kpis_ranking_and_negatives(stats: Statistics) -> None:
    review = monthly_review(stats, "2026-03")
    kpis = {k.metric: k for k in review.kpis}
    assert kpis["avg_wait_min"].value == pytest.approx(885 / 60) and kpis["avg_wait_min"].met is True
    assert kpis["within_target"].value == 75 and kpis["within_target"].met is False  # target 90 %
    assert kpis["satisfaction"].value == 60 and kpis["satisfaction"].met is False
    assert (kpis["served"].previous, kpis["served"].change) == (0, 4)  # February had nothing
    assert kpis["avg_wait_min"].previous is None and kpis["avg_wait_min"].change is None
    ranking = [(r.label, r.stars) for r in review.ranking]
    # 1001: 2/3 satisfied -> 3 stars; 1005: 1/2 -> not 3, served 2 -> 2 stars; 1004: no ratings, served 0 -> floor
    assert ranking == [("营业员1 1001", 3), ("营业员5 1005", 2), ("营业员4 1004", 1)]
    negatives = [(n.clerk, n.level_name, n.status, n.steps) for n in review.negatives]
    assert sorted(negatives) == [("营业员1 1001", "不满意", "open", ("核实", "整改", "回访")),
                                 ("营业员5 1005", "非常不满意", "open", ("核实",))]
    assert [d for d in review.daily if d[1]] == [(review.start.replace(day=2), 6, 4)]


def test_review_pdf_embeds_the_font_and_says_what_the_review_says(stats: Statistics, tmp_path: Path) -> None:
    path = write_monthly_review(stats, "2026-03", tmp_path / "review.pdf")
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("每月评点 2026-03", "月度指标", "营业员排名", "营业员1 1001", "★★★☆☆", "本月差评及跟进", "非常不满意",
                     "未达标", "75.00%", "14.8"):
        assert expected in text, expected
    fonts = {str(f.get("/BaseFont")) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values() for f in [f.get_object()]}
    assert any(cjk_postscript_name() in name for name in fonts)


def test_review_xlsx_has_kpis_ranking_and_negatives(stats: Statistics, tmp_path: Path) -> None:
    path = write_monthly_review(stats, "2026-03", tmp_path / "review.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["月度指标", "营业员排名", "差评跟进"]
    ranking = book["营业员排名"]
    assert [ranking.cell(4, c).value for c in (1, 2, 3, 4)] == [1, "营业员1 1001", "★★★☆☆", 2]
    assert book["差评跟进"].max_row == 5  # title, blank, header, two negatives
    queue = book["排队"]
    assert queue.cell(3, 2).value == "取号"


def test_bad_month_or_file_type_is_refused_naming_the_field(stats: Statistics, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as error:
        write_monthly_review(stats, "2026-13", tmp_path / "r.pdf")
    assert error.value.field == "month"
    with pytest.raises(InvalidInput) as error:
        write_review(monthly_review(stats, "2026-03"), stats, tmp_path / "r.docx")
    assert error.value.field == "out"
    assert not list(tmp_path.iterdir())


def test_report_command_writes_the_review(played: Played, tmp_path: Path) -> None:
    data_dir = played.db.path.parent
    out = tmp_path / "m.pdf"
    done = subprocess.run([sys.executable, "-m", "counter_app", "report", "monthly", "--month", "2026-03", "--out",
                           str(out), "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 5000 and "written to" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "counter_app", "report", "monthly", "--month", "11/2026", "--out",
                          str(tmp_path / "x.pdf"), "--data-dir", str(data_dir)], capture_output=True, text=True,
                         timeout=180)
    assert bad.returncode == 2 and "month" in bad.stderr and "Traceback" not in bad.stderr
