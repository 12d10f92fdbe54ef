"""Walk-in services at a counter: what the background reporter's step costs on a counter's own
SQLite with a year of ticketless payments, and what the hub's route takes per batch.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/perf/bench_walk_ins.py [PAYMENTS] [ROUNDS]

Prints, as JSON: the first collect (the whole history: after the upgrade), then ``collect`` with
nothing new and with 5 new payments (the 5-second cycle; median and p99 of ROUNDS), then the
hub's ``record`` of a 200-row batch (new, then the same again: idempotent)."""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import median

from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.ids import new_id
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import Branch, CustomerAccount, Payment, Staff, WalkInService, Window
from counter_app.protocol.walk_ins import WalkIn, WalkInsIn
from counter_app.services.node import open_node_database
from counter_app.services.seed import seed_demo
from counter_app.services.stats.walk_ins import collect, record


def _payments(db, n: int, days: int) -> None:  # type: ignore[no-untyped-def]
    with db.sessions() as session:
        branch = session.scalar(select(Branch.id))
        window = session.scalar(select(Window.id).where(Window.number == 1))
        clerk = session.scalar(select(Staff.id).where(Staff.staff_no == "1001"))
        account = session.scalar(select(CustomerAccount.id))
    now = utcnow()
    rows = [{"id": new_id(), "node_id": db.node_id, "outbox_event_id": new_id(), "kind": "payment", "account_id": account, "branch_id": branch,
             "window_id": window, "clerk_id": clerk, "ticket_id": None, "amount_fen": 100, "late_fee_fen": 0, "to_balance_fen": 0, "from_balance_fen": 0,
             "tendered_fen": 0, "change_fen": 0, "balance_after_fen": 0, "reason": "",
             "business_date": (now - timedelta(days=days - 1 - i * days // max(n, 1))).date(),
             "created_at": now - timedelta(days=days - 1 - i * days // max(n, 1))} for i in range(n)]
    if not rows:
        return
    columns = list(rows[0])
    raw = sqlite3.connect(db.path)  # rows only, foreign keys off: no outbox events behind them (a benchmark's shortcut)
    with raw:
        raw.executemany(f"INSERT INTO payment ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                        [tuple(_sql(r[c]) for c in columns) for r in rows])
    raw.close()


def _sql(value):  # type: ignore[no-untyped-def]
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    return value.isoformat() if isinstance(value, date) else value


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def main(n: int = 50_000, rounds: int = 40) -> dict[str, object]:
    folder = Path(tempfile.mkdtemp(prefix="walk-ins-"))
    db = open_node_database(DataPaths(folder).ensure(), Settings())
    seed_demo(db, Settings(), accounts=20)
    _payments(db, n, 365)
    figures: dict[str, object] = {"payments": n}
    started = time.perf_counter()
    figures["first_collect_rows"] = collect(db.engine, db.node_id)
    figures["first_collect_ms"] = round((time.perf_counter() - started) * 1000, 1)
    for label, new in (("collect_nothing_new_ms", 0), ("collect_5_new_ms", 5)):
        times = []
        for _ in range(rounds):
            _payments(db, new, 1)
            started = time.perf_counter()
            collect(db.engine, db.node_id)
            times.append((time.perf_counter() - started) * 1000)
        figures[label] = {"median": round(median(times), 2), "p99": round(_p99(times), 2)}
    with db.sessions() as session:
        rows = session.scalars(select(WalkInService).limit(200)).all()
        batch = WalkInsIn(node_id=new_id(), services=[WalkIn(
            id=new_id(), kind=r.kind, branch_id=r.branch_id, window_id=r.window_id, clerk_id=r.clerk_id,
            business_date=r.business_date, at=r.at) for r in rows])
    for label in ("hub_record_200_new_ms", "hub_record_200_again_ms"):
        started = time.perf_counter()
        record(db.engine, batch)
        figures[label] = round((time.perf_counter() - started) * 1000, 1)
    db.dispose()
    return figures


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    print(json.dumps(main(*args), indent=2))
