"""The hub down for a morning (issue 10 item 4, G13, G14, G17), with real processes, a few payments
at each counter: the scenario and its checks are tests/hq/hub_down_world.py (a longer run:
tests/perf/hub_down_morning.py)."""

from __future__ import annotations

from pathlib import Path

from tests.hq.hub_down_world import MorningFigures, run_morning


def test_a_morning_without_the_hub_converges_when_it_returns(hq_url: str, hq_db, tmp_path: Path,
                                                           pg_folder: Path) -> None:
    figures = run_morning(hq_url, hq_db.engine, pg_folder, tmp_path, MorningFigures(early=3, late=2, applications=1))
    print(figures)
    assert (figures["payments"], figures["applications"], figures["ratings"]) == (10, 4, 11)
