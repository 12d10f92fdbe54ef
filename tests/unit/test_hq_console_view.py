"""The console's health rules for nodes and branches (SYNC.md G15), without Qt or a server."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from counter_app.hq.console_view import age_parts, branch_summaries, node_health

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)


def node(terminal: str, branch: str = "B001", **fields) -> dict:  # type: ignore[no-untyped-def, type-arg]
    base = {"node_id": terminal, "branch_code": branch, "terminal_code": terminal, "status": "active",
            "last_seen_at": NOW - timedelta(minutes=1), "lag_seconds": 2.0, "gaps": 0, "quarantined": 0,
            "pending": None, "oldest_unsent_payment_at": None}
    return {**base, **fields}


def test_a_node_needs_a_look_for_each_of_its_reasons() -> None:
    assert node_health(node("T01"), NOW).level == "ok"
    assert node_health(node("T01", last_seen_at=None), NOW).reasons == ("never_seen",)
    assert node_health(node("T01", last_seen_at=NOW - timedelta(hours=2)), NOW).level == "warn"
    assert node_health(node("T01", last_seen_at=NOW - timedelta(days=2)), NOW).level == "bad"
    assert node_health(node("T01", lag_seconds=900, gaps=3), NOW).reasons == ("lag", "gaps")
    unsent = node_health(node("T01", oldest_unsent_payment_at=NOW - timedelta(hours=5)), NOW)
    assert (unsent.level, unsent.reasons) == ("bad", ("unsent_payment",))
    assert node_health(node("T01", oldest_unsent_payment_at=NOW - timedelta(hours=3)), NOW).level == "ok"
    assert node_health(node("T01", quarantined=1), NOW).level == "bad"
    assert node_health(node("T01", status="revoked", quarantined=1), NOW).level == "inactive"


def test_a_branch_sums_its_active_nodes_and_keeps_a_superseded_nodes_quarantine() -> None:
    rows = [node("H01", pending=3, oldest_unsent_payment_at=NOW - timedelta(hours=1), lag_seconds=40),
            node("T01", pending=2, oldest_unsent_payment_at=NOW - timedelta(hours=2), last_seen_at=NOW),
            node("T02", status="superseded", quarantined=2, last_seen_at=NOW + timedelta(hours=1)),
            node("T01", branch="A002")]
    a002, b001 = branch_summaries(rows, NOW)
    assert a002.branch_code == "A002" and a002.health == "ok" and a002.pending is None
    assert (b001.active, b001.pending, b001.quarantined, b001.lag_seconds) == (2, 5, 2, 40)
    assert b001.oldest_unsent_payment_at == NOW - timedelta(hours=2) and b001.last_seen_at == NOW
    assert b001.health == "bad"  # its nodes are fine, but two events of a replaced node wait on a person


def test_ages_in_the_largest_whole_unit() -> None:
    assert age_parts(None, NOW) is None
    assert age_parts(NOW - timedelta(seconds=59), NOW) == (59, "s")
    assert age_parts(NOW - timedelta(minutes=61), NOW) == (1, "h")
    assert age_parts(NOW - timedelta(days=3, hours=5), NOW) == (3, "d")
    assert age_parts(NOW + timedelta(seconds=5), NOW) == (0, "s")  # a clock ahead is "now"
