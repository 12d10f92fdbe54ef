"""How fast the manager's statistics are on a busy branch's year, on SQLite and on PostgreSQL.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/perf/bench_stats.py [tickets] [runs] [--no-pg]

Builds a seeded branch plus a year of history in bulk (default 500,000 tickets with their
events — ~4 per ticket, 3 % transferred to a second clerk, 4 % no-shows —, 300,000 payments
with their parts, voids and refunds, 200,000 rating requests with follow-ups of the negative
ones), copies it into an embedded PostgreSQL, then measures on each:

* ``facts_cold``   storing the facts of every closed day once (what the first statistics of a
  new installation pay; later only each newly closed day is built);
* ``monthly``      the monthly review's data (this month and the previous one: KPIs, ranking,
  negative ratings, daily and hourly series, wait distribution);
* ``monthly_pdf``  the same plus the PDF written (reportlab, charts, CJK font);
* ``year_clerk`` / ``year_day``  a year of statistics by clerk / by day, every section.

Prints median and p99 in milliseconds and a JSON line. Targets: monthly ≤ 1 s, year ≤ 3 s.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import Engine, create_engine, insert, select  # noqa: E402

from counter_app.core.config import Settings  # noqa: E402
from counter_app.core.paths import DataPaths  # noqa: E402
from counter_app.domain.ids import new_id  # noqa: E402
from counter_app.persistence.database import unit_of_work  # noqa: E402
from counter_app.persistence.models import (  # noqa: E402
    Base,
    Branch,
    CustomerAccount,
    Payment,
    PaymentPart,
    Rating,
    RatingFollowUp,
    RatingFollowUpStep,
    Service,
    Staff,
    Ticket,
    TicketEvent,
    Window,
)
from counter_app.persistence.outbox import record_event  # noqa: E402
from counter_app.services.node import NodeDatabase, open_node_database  # noqa: E402
from counter_app.services.seed import seed_demo  # noqa: E402
from counter_app.services.stats import Statistics  # noqa: E402
from counter_app.services.stats.facts import materialize  # noqa: E402
from counter_app.services.stats.monthly import write_monthly_review  # noqa: E402
from counter_app.services.stats.review import monthly_review  # noqa: E402
from tests.integration.stats_fixtures import postgres_url  # noqa: E402

ZONE = ZoneInfo("Asia/Shanghai")
TARGETS_MS = {"monthly": 1000.0, "year_clerk": 3000.0, "year_day": 3000.0}
BIG_TABLES = (Ticket, TicketEvent, Payment, PaymentPart, Rating, RatingFollowUp, RatingFollowUpStep)


def _ts(moment: datetime) -> str:
    """A UTC instant as SQLAlchemy stores it in SQLite (and PostgreSQL's COPY reads it)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


class History:
    """Rows of a busy year, as tuples in the column order of each big table."""

    def __init__(self, tickets: int, payments: int, ratings: int, last_day: date, seed: int = 11) -> None:
        self.n_tickets, self.n_payments, self.n_ratings = tickets, payments, ratings
        self.last_day = last_day
        self.rng = random.Random(seed)
        self.rows: dict[str, list[tuple]] = {m.__tablename__: [] for m in BIG_TABLES}

    def build(self, node_id: str, event_id: str, branch_id: str, services: list[tuple[str, str, int]],
              windows: list[str], clerks: list[str], accounts: list[str], manager: str) -> None:
        rng, rows = self.rng, self.rows
        days = [self.last_day - timedelta(days=d) for d in range(364, -1, -1)]
        per_day = self.n_tickets // len(days)
        seq = 0
        common = (node_id, event_id)
        for day in days:
            opening = datetime(day.year, day.month, day.day, 8, 30, tzinfo=ZONE)
            counters: dict[str, int] = {}
            for n in range(per_day):
                service_id, letter, minutes = services[rng.randrange(len(services))]
                counters[letter] = counters.get(letter, 0) + 1
                issued = opening + timedelta(seconds=n * (9 * 3600 // per_day) + rng.randrange(30))
                called = issued + timedelta(seconds=20 + min(int(rng.expovariate(1 / 420)), 3600))  # mean ~7 min
                w = rng.randrange(len(windows))
                outcome = "no_show" if rng.random() < 0.04 else "done"
                tid = new_id()
                rows["ticket"].append((tid, *common, branch_id, service_id, service_id, day.isoformat(), counters[letter],
                                       f"{letter}{counters[letter]:03d}", "normal", outcome, outcome, windows[w], clerks[w],
                                       1, 0, _ts(issued), _ts(issued), None))
                events = [("issued", issued, None, None, letter), ("called", called, windows[w], clerks[w], letter)]
                if outcome == "no_show":
                    events.append(("no_show", called + timedelta(minutes=3), windows[w], clerks[w], letter))
                else:
                    start = called + timedelta(seconds=rng.randint(10, 90))
                    end = start + timedelta(seconds=rng.randint(60, minutes * 120))
                    events.append(("serving", start, windows[w], clerks[w], letter))
                    if rng.random() < 0.03:  # transferred to another window and clerk
                        w2 = (w + 1 + rng.randrange(len(windows) - 1)) % len(windows)
                        again = end + timedelta(seconds=rng.randint(60, 900))
                        events += [("transferred", end, windows[w], clerks[w], letter),
                                   ("called", again, windows[w2], clerks[w2], letter),
                                   ("done", again + timedelta(seconds=rng.randint(60, 600)), windows[w2], clerks[w2], letter)]
                    else:
                        events.append(("done", end, windows[w], clerks[w], letter))
                for kind, at, window_id, clerk_id, pool in events:
                    seq += 1
                    rows["ticket_event"].append((new_id(), *common, seq, tid, window_id, clerk_id, kind, _ts(at),
                                                 json.dumps({"service": pool})))
        self._payments(common, branch_id, windows, clerks, accounts, days)
        self._ratings(common, windows, clerks, services, days, manager)

    def _payments(self, common: tuple, branch_id: str, windows: list[str], clerks: list[str], accounts: list[str],
                  days: list[date]) -> None:
        rng, rows = self.rng, self.rows
        per_day = self.n_payments // len(days)
        for day in days:
            for n in range(per_day):
                w = rng.randrange(len(windows))
                at = datetime(day.year, day.month, day.day, 8, 40, tzinfo=ZONE) + timedelta(seconds=n * 100)
                pid, amount = new_id(), rng.randint(500, 60000)
                kind, reverses = "payment", None
                roll = rng.random()
                if roll < 0.01 and rows["payment"]:
                    kind, reverses = "void", rows["payment"][-1][0]
                elif roll < 0.015:
                    kind = "refund"
                sign = 1 if kind == "payment" else -1
                rows["payment"].append((pid, *common, kind, reverses, rng.choice(accounts), branch_id, windows[w], clerks[w],
                                        None, day.isoformat(), sign * amount, 0, 0, 0, 0, 0, 0, None, "", _ts(at)))
                method = rng.choice(("cash", "wechat", "alipay", "card"))
                rows["payment_part"].append((new_id(), *common, pid, method, sign * amount, ""))

    def _ratings(self, common: tuple, windows: list[str], clerks: list[str], services: list[tuple[str, str, int]],
                 days: list[date], manager: str) -> None:
        rng, rows = self.rng, self.rows
        per_day = self.n_ratings // len(days)
        levels = (5, 5, 5, 5, 5, 5, 4, 4, 4, 3, None, None)
        for day in days:
            for n in range(per_day):
                w = rng.randrange(len(windows))
                at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZONE) + timedelta(seconds=n * 60)
                level = rng.choice(levels) if rng.random() > 0.01 else rng.choice((1, 2))
                rid = new_id()
                rows["rating"].append((rid, *common, None, new_id(), windows[w], clerks[w], rng.choice(services)[0], level,
                                       "[]", "screen:1", _ts(at), _ts(at) if level else None, "", _ts(at)))
                if level is not None and level <= 2:
                    fid = new_id()
                    rows["rating_followup"].append((fid, *common, rid, (day + timedelta(days=7)).isoformat(), "open",
                                                    _ts(at), None, ""))
                    for step in ("verification", "action", "callback")[:rng.randint(0, 3)]:
                        rows["rating_followup_step"].append((new_id(), *common, fid, step, "记录", manager, _ts(at)))


def columns(model: Any) -> list[str]:
    """The order the generator writes: the replicated row's id, node and outbox event first."""
    names = [c.name for c in model.__table__.columns]
    head = ["id", "node_id", "outbox_event_id"]
    return head + [n for n in names if n not in head]


def build_sqlite(folder: Path, tickets: int, payments: int, ratings: int, last_day: date) -> NodeDatabase:
    db = open_node_database(DataPaths(folder).ensure(), Settings())
    seed_demo(db, Settings(), accounts=200)
    with unit_of_work(db.sessions) as session:
        event = record_event(session, channel="ops", event_type="bench.history", aggregate_type="bench",
                             aggregate_id="year", payload={}, node=db.node_id, state="acked")
        branch_id = session.scalar(select(Branch.id))
        services = [tuple(r) for r in session.execute(select(Service.id, Service.letter, Service.standard_minutes))]
        windows = list(session.scalars(select(Window.id).order_by(Window.number)))
        clerk_ids = list(session.scalars(select(Staff.id).where(Staff.role == "clerk").order_by(Staff.staff_no)))
        manager = session.scalar(select(Staff.id).where(Staff.role == "manager"))
        accounts = list(session.scalars(select(CustomerAccount.id).limit(200)))
    clerks = [clerk_ids[i % len(clerk_ids)] for i in range(len(windows))]
    history = History(tickets, payments, ratings, last_day)
    history.build(db.node_id, event.event_id, branch_id, services, windows, clerks, accounts, manager)
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("BEGIN")  # the engine's connections run without an implicit transaction
        cursor.execute("PRAGMA defer_foreign_keys = ON")
        for model in BIG_TABLES:
            names = columns(model)
            data = history.rows[model.__tablename__]
            cursor.executemany(f"INSERT INTO {model.__tablename__} ({', '.join(names)}) VALUES "
                               f"({', '.join('?' * len(names))})", data)
        cursor.execute("COMMIT")
        cursor.execute("ANALYZE")
    finally:
        raw.close()
    db.history = history  # type: ignore[attr-defined]
    return db


def copy_to_postgres(source: Engine, url: str, history: History) -> Engine:
    """Reference tables through SQLAlchemy, the big ones with COPY."""
    target = create_engine(url)
    Base.metadata.drop_all(target)
    Base.metadata.create_all(target)
    big = {m.__tablename__ for m in BIG_TABLES} | {"stats_day", "stats_ticket", "stats_segment"}  # facts: built there
    with source.connect() as src, target.begin() as dst:
        for table in Base.metadata.sorted_tables:
            if table.name in big:
                continue
            rows = [dict(r._mapping) for r in src.execute(select(table))]
            if rows:
                dst.execute(insert(table), rows)
    raw = target.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in BIG_TABLES:
            names = columns(model)
            with cursor.copy(f"COPY {model.__tablename__} ({', '.join(names)}) FROM STDIN") as copy:
                for row in history.rows[model.__tablename__]:
                    copy.write_row(row)
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    return target


def timed(fn: Callable[[], Any], runs: int) -> dict[str, float]:
    """Wall time (what the manager waits) and this process's CPU time (SQLite works inside the
    process, so on a machine shared with other work this is the part that is the program's own)."""
    samples, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 1),
            "p99_ms": round(samples[min(len(samples) - 1, int(0.99 * len(samples)))], 1),
            "cpu_median_ms": round(statistics.median(cpu), 1), "runs": runs}


def measure(engine: Engine, last_day: date, runs: int) -> dict[str, Any]:
    today = last_day + timedelta(days=1)
    clock = lambda: datetime(today.year, today.month, today.day, 10, 0, tzinfo=ZONE)  # noqa: E731
    stats = Statistics(engine, ZONE, clock=clock)
    first = last_day - timedelta(days=364)
    began = time.perf_counter()
    built = materialize(engine, ZONE, first, last_day, today)
    results: dict[str, Any] = {"facts_cold": {"ms": round((time.perf_counter() - began) * 1000, 1), "days": built}}
    month = last_day.strftime("%Y-%m")
    results["monthly"] = timed(lambda: monthly_review(stats, month), runs)
    with tempfile.TemporaryDirectory() as folder:
        results["monthly_pdf"] = timed(lambda: write_monthly_review(stats, month, Path(folder) / "m.pdf"), runs)
    results["year_clerk"] = timed(lambda: stats.report(first, last_day, "clerk"), runs)
    results["year_day"] = timed(lambda: stats.report(first, last_day, "day"), runs)
    year = stats.report(first, last_day, "total")
    row = year.queue["all"]
    results["figures"] = {"taken": row.taken, "served": row.served, "transferred": row.transferred,
                          "payments": year.fees["all"].payments, "ratings": year.ratings["all"].requested}
    return results


def run(tickets: int, runs: int, with_pg: bool = True, payments: int | None = None,
        ratings: int | None = None) -> dict[str, Any]:
    payments = payments if payments is not None else tickets * 3 // 5
    ratings = ratings if ratings is not None else tickets * 2 // 5
    last_day = date(2026, 11, 30)
    out: dict[str, Any] = {"tickets": tickets, "payments": payments, "ratings": ratings}
    with tempfile.TemporaryDirectory() as folder:
        began = time.perf_counter()
        db = build_sqlite(Path(folder) / "node", tickets, payments, ratings, last_day)
        out["generate_s"] = round(time.perf_counter() - began, 1)
        out["events"] = len(db.history.rows["ticket_event"])  # type: ignore[attr-defined]
        print(f"generated {tickets} tickets in {out['generate_s']} s", file=sys.stderr, flush=True)
        out["sqlite"] = measure(db.engine, last_day, runs)
        print(f"sqlite: {json.dumps(out['sqlite'])}", file=sys.stderr, flush=True)
        if with_pg:
            url = postgres_url(Path(folder) / "pg")
            began = time.perf_counter()
            pg = copy_to_postgres(db.engine, url, db.history)  # type: ignore[attr-defined]
            out["pg_load_s"] = round(time.perf_counter() - began, 1)
            print(f"postgresql loaded in {out['pg_load_s']} s", file=sys.stderr, flush=True)
            out["postgresql"] = measure(pg, last_day, runs)
            pg.dispose()
        db.dispose()
    return out


@pytest.mark.perf
def test_bench_smoke() -> None:
    """A small year on SQLite and PostgreSQL: the figures add up and both databases agree."""
    out = run(tickets=3650, runs=1, payments=730, ratings=730)
    for name in ("sqlite", "postgresql"):
        figures = out[name]["figures"]
        assert figures["taken"] == 3650 and figures["payments"] > 600 and figures["ratings"] == 730
        assert 0 < figures["transferred"] < figures["served"] <= figures["taken"]
        assert out[name]["facts_cold"]["days"] == 365
    assert out["sqlite"]["figures"] == out["postgresql"]["figures"]


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    count = int(args[0]) if args else 500_000
    repeat = int(args[1]) if len(args) > 1 else 5
    result = run(count, repeat, with_pg="--no-pg" not in sys.argv)
    for engine_name in ("sqlite", "postgresql"):
        if engine_name in result:
            for key, value in result[engine_name].items():
                print(f"{engine_name:10} {key:12} {value}")
    print(json.dumps(result))
