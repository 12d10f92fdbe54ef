"""Fee collection at scale: account lookup on 1,000,000 accounts, payment commit + receipt PDF.

    .venv/bin/python tests/perf/bench_billing.py [accounts] [payments] [--gc-freeze]   # defaults 1000000 200

The database is built once per size and schema head under /tmp/counter_app_bench/ and reused
(seeding a million accounts takes a few minutes: the demo seed with the FTS insert trigger held
back and the index rebuilt in one pass at the end). Lookups are timed as the counter calls them
(one short read each), a few hundred of each kind: 户号, meter number, name, address fragment.
Payments pay an account's open bills in cash and save the receipt PDF, as with no printer
configured. Goals (issue 4): lookup p99 ≤ 50 ms; payment commit + PDF p99 ≤ 50 ms.
"""

from __future__ import annotations

import gc
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.persistence.database import make_engine
from counter_app.persistence.migrate import head_revision
from counter_app.services.auth import AuthService
from counter_app.services.billing.accounts import AccountService
from counter_app.services.billing.payments import PaymentService
from counter_app.services.billing.receipts import ReceiptService
from counter_app.services.documents.fonts import register_cjk_font
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.seed import DEMO_PASSWORD, seed_demo

CACHE = Path("/tmp/counter_app_bench")
INSERT_TRIGGER = "customer_account_fts_ai"


def build(root: Path, accounts: int) -> DataPaths:
    """A seeded branch of ``accounts`` accounts with one month of bills in ``root`` (reused when done)."""
    paths = DataPaths(root)
    marker = root / "seeded.ok"
    if marker.exists():
        return paths
    paths.ensure()
    paths.database.unlink(missing_ok=True)
    db = open_node_database(paths, Settings())
    with db.engine.begin() as connection:  # bulk path: hold the per-row index trigger back, rebuild once
        trigger = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = :n"), {"n": INSERT_TRIGGER}).scalar()
        connection.execute(text(f"DROP TRIGGER {INSERT_TRIGGER}"))
    try:
        seed_demo(db, Settings(), accounts=accounts, months=1)
    finally:
        with db.engine.begin() as connection:
            connection.execute(text(trigger))
            connection.execute(text("INSERT INTO customer_account_fts(customer_account_fts) VALUES ('rebuild')"))
            connection.execute(text("ANALYZE"))
        db.dispose()
    connection = sqlite3.connect(paths.database)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    marker.write_text(str(accounts))
    return paths


def _stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    pick = lambda q: times[min(len(times) - 1, int(len(times) * q))]  # noqa: E731
    return {"n": len(times), "p50_ms": round(pick(0.50), 2), "p99_ms": round(pick(0.99), 2), "max_ms": round(times[-1], 2)}


def _queries(db: NodeDatabase, count: int, rng: random.Random) -> dict[str, list[str]]:
    with db.engine.connect() as connection:
        top = connection.execute(text("SELECT max(rowid) FROM customer_account")).scalar()
        rows = []
        for rowid in rng.sample(range(1, top + 1), min(count, top)):
            row = connection.execute(text("SELECT a.account_no, a.holder, a.address, m.meter_no FROM customer_account a "
                                          "JOIN meter m ON m.account_id = a.id WHERE a.rowid = :r"), {"r": rowid}).first()
            if row is not None:
                rows.append(row)
    def fragment(address: str) -> str:
        start = rng.randrange(6, max(7, len(address) - 5))
        return address[start:start + rng.choice((3, 4, 5, 6))]
    return {"account_no": [r.account_no for r in rows], "meter": [r.meter_no for r in rows],
            "name": [r.holder for r in rows], "address": [fragment(r.address) for r in rows]}


def bench(paths: DataPaths, lookups: int = 300, payments: int = 200, seed: int = 7,
          freeze: bool = False) -> dict[str, dict[str, float]]:
    """``freeze``: move everything loaded at start-up (the parsed CJK font above all) out of the
    garbage collector's sight with ``gc.freeze()``, as a long-running counter process may do."""
    rng = random.Random(seed)
    settings = Settings()
    db = open_node_database(paths, settings)
    try:
        accounts = AccountService(db)
        results: dict[str, dict[str, float]] = {}
        for kind, texts in _queries(db, lookups, rng).items():
            accounts.search(texts[0])  # warm the page cache a little, as a running counter has it
            times, empty = [], 0
            for query in texts:
                started = time.perf_counter()
                hits = accounts.search(query)
                times.append((time.perf_counter() - started) * 1000)
                empty += not hits
            results[f"lookup {kind}"] = {**_stats(times), "no_hit": empty}
        register_cjk_font()
        if freeze:
            gc.collect()
            gc.freeze()
        payments_service, receipts = PaymentService(db, settings), ReceiptService(db, paths, settings)
        clerk = AuthService(db).login("1001", DEMO_PASSWORD, 1)
        with db.engine.connect() as connection:
            open_accounts = connection.execute(text("SELECT DISTINCT account_id FROM bill WHERE status = 'open' "
                                                    "LIMIT :n"), {"n": payments * 3}).scalars().all()
        timings: dict[str, list[float]] = {"payment commit": [], "payment commit + PDF": [],
                                           "commit + PDF + print record": [], "commit + PDF, CPU time": []}
        chosen = rng.sample(open_accounts, min(payments + 1, len(open_accounts)))
        for index, account_id in enumerate(chosen):  # the first one warms up (imports, caches), untimed
            view = accounts.account_view(account_id)
            if not view.bills:
                continue
            bills = [b.bill_id for b in view.bills]
            started, cpu = time.perf_counter(), time.process_time()
            result = payments_service.take_payment(clerk, account_id, [MethodPart("cash", view.owed_fen,
                                                                                  tendered_fen=view.owed_fen + 1000)],
                                                   bill_ids=bills, expected_due_fen=view.owed_fen)
            committed = time.perf_counter()
            receipts.render_pdf(result.payment_id)  # what render_and_print does, step by step
            rendered, cpu_done = time.perf_counter(), time.process_time()
            receipts.record_print(result.receipt_id, clerk, "saved", False)
            recorded = time.perf_counter()
            if index:
                for name, value in (("payment commit", committed - started), ("payment commit + PDF", rendered - started),
                                    ("commit + PDF + print record", recorded - started),
                                    ("commit + PDF, CPU time", cpu_done - cpu)):
                    timings[name].append(value * 1000)
        results.update({name: _stats(values) for name, values in timings.items()})
        return results
    finally:
        db.dispose()


def print_table(results: dict[str, dict[str, float]], accounts: int) -> None:
    print(f"{accounts:,} accounts")
    print(f"{'what':24} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for name, row in results.items():
        print(f"{name:24} {row['n']:>5} {row['p50_ms']:>8} {row['p99_ms']:>8} {row['max_ms']:>8}"
              + (f"   (no hit: {row['no_hit']})" if row.get("no_hit") else ""))


@pytest.mark.perf
def test_bench_smoke(tmp_path: Path) -> None:
    paths = build(tmp_path / "bench", 2000)
    results = bench(paths, lookups=40, payments=20)
    for name, row in results.items():
        assert row["p50_ms"] < 250, name
        assert row.get("no_hit", 0) == 0, name
    engine = make_engine(paths.database)  # the bulk path left the index complete and its trigger in place
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM sqlite_master WHERE name = :n"),
                                  {"n": INSERT_TRIGGER}).scalar() == 1
    engine.dispose()


if __name__ == "__main__":
    numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
    size = numbers[0] if numbers else 1_000_000
    count = numbers[1] if len(numbers) > 1 else 200
    frozen = "--gc-freeze" in sys.argv
    head = head_revision(make_engine(Path(":memory:")))
    started = time.time()
    data = build(CACHE / f"{size}-{head}", size)
    print(f"database ready in {time.time() - started:.0f} s: {data.database}")
    outcome = bench(data, payments=count, freeze=frozen)
    print_table(outcome, size)
    print("gc.freeze() after start-up" if frozen else "default garbage collection")
    print(json.dumps(outcome))
