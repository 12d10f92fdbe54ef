"""G13's money part, per (terminal, business day): the count, the sum and a hash of the event ids
of the payments at a branch node and at head office. Equal at both ends after the drain means
nothing lost and nothing booked twice; on top of it :func:`tests.hq.sync_checks.check_drained`
checks every event's delivery state, receipts and G1/G2/G9/G10."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any, Iterable

from sqlalchemy import Engine, select

from counter_app.hq.models import HQPayment
from counter_app.persistence.models import NodeIdentity, Payment
from tests.hq.sync_checks import Branch, HeadOffice, check_drained

Totals = dict[tuple[str, str, str], tuple[int, int, str]]  # (branch, terminal, day) -> (count, sum, hash)


def _totals(rows: Iterable[tuple[str, str, Any, int, str]]) -> Totals:
    ids: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    sums: dict[tuple[str, str, str], int] = defaultdict(int)
    for branch, terminal, day, amount, event_id in rows:
        key = (branch, terminal, str(day))
        ids[key].append(event_id)
        sums[key] += amount
    return {key: (len(ids[key]), sums[key], hashlib.sha256("\n".join(sorted(ids[key])).encode()).hexdigest())
            for key in ids}


def node_totals(engine: Engine) -> Totals:
    with engine.connect() as connection:
        identity = connection.execute(select(NodeIdentity.branch_code, NodeIdentity.terminal_code)).one()
        rows = connection.execute(select(Payment.business_date, Payment.amount_fen, Payment.outbox_event_id)).all()
    return _totals((identity[0], identity[1], day, amount, event_id) for day, amount, event_id in rows)


def hq_totals(engine: Engine, node_ids: Iterable[str]) -> Totals:
    wanted = list(node_ids)
    with engine.connect() as connection:
        rows = connection.execute(select(HQPayment.branch_code, HQPayment.terminal_code, HQPayment.business_date,
                                         HQPayment.amount_fen, HQPayment.event_id)
                                  .where(HQPayment.node_id.in_(wanted))).all()
    return _totals(rows)


def compare(nodes: list[tuple[str, Engine]], hq: Engine) -> dict[str, Any]:
    """Both ends of ``nodes`` ((node_id, engine) pairs) after a drain; raises AssertionError on any
    difference. Returns the figures for the report."""
    here: Totals = {}
    for _, engine in nodes:
        here.update(node_totals(engine))
    there = hq_totals(hq, [node_id for node_id, _ in nodes])
    differ = sorted(key for key in set(here) | set(there) if here.get(key) != there.get(key))
    assert not differ, f"per (terminal, business day) differs at {len(differ)} keys, e.g. " + \
        "; ".join(f"{k}: branch {here.get(k, (0, 0, ''))[:2]} / head office {there.get(k, (0, 0, ''))[:2]}"
                  for k in differ[:3])
    check_drained([Branch.read(engine) for _, engine in nodes], HeadOffice.read(hq))
    return {"keys": len(here), "payments": sum(c for c, _, _ in here.values()),
            "sum_fen": sum(s for _, s, _ in here.values()), "equal": True}
