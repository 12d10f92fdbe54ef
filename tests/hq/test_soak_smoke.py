"""A short run of issue 10's offline soak (``python -m tests.perf.soak_offline`` runs the long one):
head office as a real process on the real PostgreSQL, a counter enrolled for real and offline for
3 fake days (300 payments through the real fee service, 2 tariff versions and a revocation
published meanwhile), then 5 enrolled nodes reconnecting at once. Asserts the correctness parts:
both ends equal per (terminal, business day) (count, sum, event-id hash) and drained exactly once,
the revoked staff member refused right after the sync (G17), the tariff versions present with
their dates, offline logins accepted while valid and refused with a sentence when the validity ends."""

from __future__ import annotations

from pathlib import Path

from tests.hq.soak_counter import SoakFigures, run_offline_soak
from tests.hq.soak_fleet import FleetFigures, run_fleet


def test_a_counter_offline_for_days_converges_when_head_office_returns(pg_server: str, tmp_path: Path) -> None:
    figures = SoakFigures(days=3, payments=300, tariffs=2, login_days=4, accounts=30)
    report = run_offline_soak(pg_server, tmp_path, figures)

    offline, after = report["offline"], report["after_sync"]
    assert offline["payments"] == 300 and offline["against_cached_bills"] > 0
    assert offline["logins"] == {"ok": 3}  # every morning on cached credentials
    assert offline["revoked_staff_before_sync"] == "ok"  # head office's revocation not known here yet
    assert offline["login_after_validity"].startswith("refused (offline_login_expired): offline login ended on ")
    assert offline["sync_while_offline_says"]
    assert after["revoked"].startswith("refused (disabled)")  # G17: right after the sync
    assert after["other"] == "ok"
    assert len(after["published"]) == 2 and set(after["published"]) <= set(after["tariff_versions"])
    assert report["compare"] == {"keys": 3, "payments": 300, "sum_fen": offline["sum_fen"], "equal": True}
    assert report["reconnect"]["answers"].keys() == {"200"}


def test_nodes_reconnecting_at_once_are_each_stored_exactly_once(pg_server: str, tmp_path: Path) -> None:
    report = run_fleet(pg_server, tmp_path, FleetFigures(nodes=5, payments=20, workers=0, windows=3))
    assert report["compare"]["payments"] == 100 and report["compare"]["equal"]
    assert report["distinct_terminals"] == 5
    assert report["pushes"] >= 5 and report["drain_s"] > 0 and report["hq_cpu_s"] >= 0
