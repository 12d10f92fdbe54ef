"""What the head-office console shows about branches and nodes, decided without Qt: each node's
health from its last contact, lag, unsent payments and quarantine (SYNC.md G15), and a summary
per branch. Works on the rows of :meth:`ConsoleClient.nodes` (plain dicts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

HEALTH_ORDER = ("inactive", "ok", "warn", "bad")


@dataclass(frozen=True)
class HealthPolicy:
    """When a node needs a look (warn) or a person now (bad)."""

    contact_warn: timedelta = timedelta(minutes=15)
    contact_bad: timedelta = timedelta(hours=24)
    lag_warn_s: float = 300.0
    unsent_payment_bad: timedelta = timedelta(hours=4)  # the alarm of SYNC.md G15


@dataclass(frozen=True)
class NodeHealth:
    level: str  # inactive / ok / warn / bad
    reasons: tuple[str, ...]  # never_seen, no_contact, lag, gaps, unsent_payment, quarantine


def worst(levels: list[str]) -> str:
    return max(levels, key=HEALTH_ORDER.index) if levels else "ok"


def node_health(node: dict[str, Any], now: datetime, policy: HealthPolicy = HealthPolicy()) -> NodeHealth:
    if node.get("status") != "active":
        return NodeHealth("inactive", ())
    found: list[tuple[str, str]] = []
    seen = node.get("last_seen_at")
    if seen is None:
        found.append(("warn", "never_seen"))
    elif now - seen > policy.contact_bad:
        found.append(("bad", "no_contact"))
    elif now - seen > policy.contact_warn:
        found.append(("warn", "no_contact"))
    if (node.get("lag_seconds") or 0) > policy.lag_warn_s:
        found.append(("warn", "lag"))
    if node.get("gaps"):
        found.append(("warn", "gaps"))
    oldest = node.get("oldest_unsent_payment_at")
    if oldest is not None and now - oldest > policy.unsent_payment_bad:
        found.append(("bad", "unsent_payment"))
    if node.get("quarantined"):
        found.append(("bad", "quarantine"))
    return NodeHealth(worst([level for level, _ in found]), tuple(reason for _, reason in found))


@dataclass
class BranchSummary:
    branch_code: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    active: int = 0
    last_seen_at: datetime | None = None  # the most recent contact of any active node
    lag_seconds: float | None = None  # the worst
    pending: int | None = None  # summed where reported
    oldest_unsent_payment_at: datetime | None = None
    quarantined: int = 0
    health: str = "ok"


def branch_summaries(nodes: list[dict[str, Any]], now: datetime,
                     policy: HealthPolicy = HealthPolicy()) -> list[BranchSummary]:
    """One summary per branch in code order, its nodes in terminal order (as listed)."""
    branches: dict[str, BranchSummary] = {}
    for node in nodes:
        summary = branches.setdefault(node["branch_code"], BranchSummary(node["branch_code"]))
        summary.nodes.append(node)
        summary.quarantined += node.get("quarantined") or 0
        if node.get("status") != "active":
            continue
        summary.active += 1
        seen, lag, pending = node.get("last_seen_at"), node.get("lag_seconds"), node.get("pending")
        oldest = node.get("oldest_unsent_payment_at")
        if seen is not None and (summary.last_seen_at is None or seen > summary.last_seen_at):
            summary.last_seen_at = seen
        if lag is not None and (summary.lag_seconds is None or lag > summary.lag_seconds):
            summary.lag_seconds = lag
        if pending is not None:
            summary.pending = (summary.pending or 0) + pending
        if oldest is not None and (summary.oldest_unsent_payment_at is None or oldest < summary.oldest_unsent_payment_at):
            summary.oldest_unsent_payment_at = oldest
    for summary in branches.values():
        summary.health = worst([node_health(n, now, policy).level for n in summary.nodes if n.get("status") == "active"])
        if summary.quarantined and summary.health != "bad":
            summary.health = "bad"  # a superseded node's quarantine still waits on a person
    return [branches[code] for code in sorted(branches)]


def age_parts(since: datetime | None, now: datetime) -> tuple[int, str] | None:
    """How long ago, as (number, unit) with unit s / min / h / d; None for never."""
    if since is None:
        return None
    seconds = max(0, int((now - since).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return seconds // size, unit
    return seconds, "s"
