"""A branch as real processes (issue 10 items 3-4, G13): head office on the real PostgreSQL, a
hub and two counters on their own SQLite files, enrolled with head office's codes. Head office
publishes the branch's reference data and the hub and the counters pull a snapshot of it at
enrolment. Both counters take payments while the hub AND head office are killed (kill -9), and
after they are restarted; then the counters drain (``counter-app sync --once``) and each
(terminal, business day) has the same count, sum and event-id hash at both ends. A bill both
windows took while the hub was down is a double payment: an incident at the hub, both payments
at head office."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select

from counter_app.hq.enrolment import issue_code
from counter_app.core import refstreams as rs
from counter_app.hq.models import HQPayment, RefStream
from counter_app.persistence.models import Bill, OutboxEvent, Payment
from counter_app.services.sync.refdata.apply import stream_checksum
from counter_app.split_hall import SplitHall, free_port
from counter_app.split_publish import publish_seeded_branch

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
Totals = dict[tuple[str, str], tuple[int, int, str]]


def start_hq(url: str, folder: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "counter_app.hq.server", "--data-dir", str(folder),
                                "--database-url", url, "--listen", f"127.0.0.1:{port}"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    line = process.stdout.readline()
    assert re.match(r"HQ LISTENING http://", line), line + process.stdout.read()
    return process


def head_office_and_hall(hq_url: str, pg_folder: Path, tmp_path: Path, windows: tuple[int, ...] = (1, 2),
                         accounts: int = 40) -> tuple[subprocess.Popen, SplitHall, int]:
    """Head office started on the test's PostgreSQL database, and the folders of a branch using it;
    head office's process and port."""
    hq_port = free_port()
    hq = start_hq(hq_url, pg_folder / "hq", hq_port)
    return hq, SplitHall(tmp_path / "hall", windows, accounts, hq_url=f"http://127.0.0.1:{hq_port}"), hq_port


def agents(hall: SplitHall, payments: int, shared: str = "", extra: tuple[str, ...] = (),
           timeout: float = 60) -> list[dict]:
    """Each counter's work as a process of its own (``tests.hq.split_agent``; ``extra``: its further options)."""
    began = time.monotonic()
    running = [subprocess.Popen([sys.executable, "-m", "tests.hq.split_agent", "--config", str(hall.config(name)),
                                 "--data-dir", str(hall.folder(name)), "--payments", str(payments), "--shared", shared,
                                 *extra],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
               for name in hall.counters()]
    answers = []
    for process in running:
        out, err = process.communicate(timeout=timeout)
        assert process.returncode == 0, err
        answers.append(json.loads(out.strip().splitlines()[-1]))
    print(f"agents {payments}: {time.monotonic() - began:.1f} s")
    return answers


def drain(hall: SplitHall, *names: str) -> list[int]:
    """``counter-app sync --once`` of these counters at once; their exit codes."""
    began = time.monotonic()
    running = [subprocess.Popen([sys.executable, "-m", "counter_app", "sync", "--once", "--config",
                                 str(hall.config(name)), "--data-dir", str(hall.folder(name))],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV) for name in names]
    codes = [process.wait(60) for process in running]
    print(f"drain {names}: {time.monotonic() - began:.1f} s")
    return codes


def _digest(ids: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def branch_totals(hall: SplitHall) -> Totals:
    ids: dict[tuple[str, str], list[str]] = defaultdict(list)
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for name in hall.counters():
        engine = create_engine(f"sqlite:///{hall.folder(name) / 'counter_app.sqlite3'}")
        with engine.connect() as connection:
            rows = connection.execute(select(Payment.business_date,
                                             Payment.amount_fen, OutboxEvent.event_id, OutboxEvent.payload)
                                      .join(OutboxEvent, OutboxEvent.event_id == Payment.outbox_event_id)).all()
        engine.dispose()
        for day, amount, event_id, payload in rows:
            key = (json.loads(payload)["terminal_code"] if isinstance(payload, str) else payload["terminal_code"], str(day))
            ids[key].append(event_id)
            sums[key] += amount
    return {key: (len(ids[key]), sums[key], _digest(ids[key])) for key in ids}


def hq_totals(engine) -> Totals:  # type: ignore[no-untyped-def]
    ids: dict[tuple[str, str], list[str]] = defaultdict(list)
    sums: dict[tuple[str, str], int] = defaultdict(int)
    with engine.connect() as connection:
        for terminal, day, amount, event_id in connection.execute(
                select(HQPayment.terminal_code, HQPayment.business_date, HQPayment.amount_fen, HQPayment.event_id)
                .where(HQPayment.branch_code == "B001")):
            ids[(terminal, day)].append(event_id)
            sums[(terminal, day)] += amount
    return {key: (len(ids[key]), sums[key], _digest(ids[key])) for key in ids}


def test_two_counters_through_hub_and_head_office_crashes_converge(hq_url: str, hq_db, tmp_path: Path,
                                                                  pg_folder: Path) -> None:
    began = time.monotonic()
    hq, hall, hq_port = head_office_and_hall(hq_url, pg_folder, tmp_path)
    try:
        hall.setup(lambda role, window: issue_code(hq_db.engine, "B001", role, window, 7).code,
                   lambda source: publish_seeded_branch(hq_db.engine, source) and None)  # every node pulls it
        print(f"setup: {time.monotonic() - began:.1f} s")
        hall.start_hub()
        print(f"hub: {time.monotonic() - began:.1f} s")
        shared = _an_open_bill(hall)
        hall.kill("hub")
        hq.kill()
        hq.wait(10)
        hq.stdout.close()
        down = agents(hall, 3, shared)
        assert [len(a["taken"]) for a in down] == [3, 3] and all(a["offline"] == 3 and a["left"] == 3 for a in down)
        assert {r.split("-")[1][:3] for r in down[0]["taken"]} == {"T01"}  # each counter its own receipt series
        assert {r.split("-")[1][:3] for r in down[1]["taken"]} == {"T02"}
        assert drain(hall, "counter1") == [1]  # head office down: something transient is left

        hq = start_hq(hq_url, pg_folder / "hq", hq_port)
        hall.start_hub()
        back = agents(hall, 3)
        assert [len(a["taken"]) for a in back] == [3, 3] and all(a["offline"] == 0 for a in back)
        assert sum(a["conflicts"] for a in back) == 1 and all(a["left"] == 0 for a in back)
        with httpx.Client(base_url=hall.hub_url, headers={"Authorization": f"Bearer {_token(hall)}"}) as hub:
            incidents = hub.get("/v1/bills/incidents").json()
        assert [i["bill_id"] for i in incidents] == [shared]
        assert drain(hall, *hall.counters()) == [0, 0]
        at_branch, at_hq = branch_totals(hall), hq_totals(hq_db.engine)
        assert sum(count for count, _, _ in at_branch.values()) == 12
        assert at_branch == at_hq
        compared = time.monotonic()
        at_hq_streams = hq_checksums(hq_db.engine)
        assert set(at_hq_streams) >= {"catalog/B001", "staff/B001", "accounts_bills/B001"}  # what was published
        for name in ("hub", *hall.counters()):  # every stream's checksum equal (G13)
            at_node = node_checksums(hall, name)
            assert at_node == {sid: at_hq_streams.get(sid, (0, 0)) for sid in at_node}, name
        print(f"checksums of {len(at_hq_streams)} streams at head office and 3 nodes: {time.monotonic() - compared:.2f} s")
    finally:
        hall.stop_all()
        hq.terminate()
        hq.wait(15)
        hq.stdout.close()
    print(f"split hall: {time.monotonic() - began:.1f} s")


def hq_checksums(engine) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Head office's checksum and live count of each stream of branch B001 (its ``ref_stream`` rows)."""
    wanted = {(stream, bucket) for stream, bucket in rs.buckets_for("B001")}
    with engine.connect() as connection:
        rows = connection.execute(select(RefStream.stream, RefStream.bucket, RefStream.checksum, RefStream.live_count)).all()
    return {rs.stream_id(s, b): (int(c), int(n)) for s, b, c, n in rows if (s, b) in wanted}


def node_checksums(hall: SplitHall, name: str) -> dict[str, tuple[int, int]]:
    """Each stream's checksum and count as node ``name``'s tables hold them now (not its cursor's word)."""
    engine = create_engine(f"sqlite:///{hall.folder(name) / 'counter_app.sqlite3'}")
    try:
        with engine.connect() as connection:
            return {rs.stream_id(s, b): stream_checksum(connection, s, b) for s, b in rs.buckets_for("B001")}
    finally:
        engine.dispose()


def _an_open_bill(hall: SplitHall) -> str:
    """The last open bill: neither window has paid it in the first round (each took its first ones)."""
    engine = create_engine(f"sqlite:///{hall.folder('counter1') / 'counter_app.sqlite3'}")
    with engine.connect() as connection:
        bill = connection.execute(select(Bill.id).where(Bill.status == "open").order_by(Bill.id.desc())).scalars().first()
    engine.dispose()
    return bill


def _token(hall: SplitHall) -> str:
    return json.loads((hall.root / "split.json").read_text(encoding="utf-8"))["counter1"]
