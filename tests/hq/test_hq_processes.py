"""Head office as real processes on loopback: two workers on one database (c.9 #6), the
``counter-app hq`` role with its embedded PostgreSQL, ``hq-admin``, and ``--listen``."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from counter_app.core.serving import end_process
from counter_app.hq.enrolment import issue_code, list_nodes
from counter_app.hq.models import HQPayment, InboundEvent
from tests.hq.wire import Node, enrol

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def start_worker(url: str, data_dir: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "counter_app.hq.server", "--data-dir", str(data_dir),
                                "--database-url", url, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
    line = process.stdout.readline()  # blocks until it serves (or dies)
    match = re.match(r"HQ LISTENING (http://\S+)", line)
    if match is None:
        process.kill()
        raise AssertionError(f"head office did not start: {line}{process.stdout.read()}")
    return process, match.group(1)


def stop(process: subprocess.Popen) -> None:
    end_process(process, timeout=15, kill_wait=5)


def test_two_workers_store_each_event_once(hq_url: str, hq_db, tmp_path: Path) -> None:
    workers = [start_worker(hq_url, tmp_path / f"w{i}") for i in range(2)]
    try:
        with httpx.Client(base_url=workers[0][1], timeout=30) as first:
            node = Node.from_enrolment(enrol(first, issue_code(hq_db.engine, "B001", "counter", 1, 7).code))
        batches = [[node.payment(100 + b * 50 + i) for i in range(50)] for b in range(4)]
        clients = [httpx.Client(base_url=url, timeout=60) for _, url in workers]
        # every batch pushed 4 times at once, alternately to each worker: like two sync loops of one node
        jobs = [(clients[k % 2], batch) for batch in batches for k in range(4)]
        with ThreadPoolExecutor(8) as pool:
            responses = list(pool.map(lambda job: node.push(*job), jobs))
        for client in clients:
            client.close()
    finally:
        for process, _ in workers:
            stop(process)
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses if r.status_code != 200]
    outcomes = Counter((r["event_id"], r["status"]) for resp in responses for r in resp.json()["results"])
    every = [e["event_id"] for batch in batches for e in batch]
    assert all(outcomes[(eid, "applied")] == 1 and outcomes[(eid, "duplicate")] == 3 for eid in every)
    with hq_db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(InboundEvent)) == 200
        assert connection.scalar(select(func.count()).select_from(HQPayment)) == 200
        assert connection.scalar(select(func.count(HQPayment.event_id.distinct()))) == 200


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "counter_app", *args], capture_output=True, text=True,
                          timeout=timeout, env=ENV)


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60, **headers: str) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else "exited"
        try:
            return httpx.get(url, timeout=2, headers=headers)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("not serving")


def test_the_hq_role_runs_its_own_postgresql_and_stops_it(tmp_path: Path, pg_folder: Path) -> None:
    data = pg_folder / "hq"
    code = run_cli("hq-admin", "enrol-code", "--branch", "B002", "--role", "kiosk", "--data-dir", str(data),
                   "--png", str(tmp_path / "code.png"))
    assert code.returncode == 0, code.stderr
    text = code.stdout
    match = re.search(r"Enrolment code for B002 K01 \(kiosk\): ([A-Z0-9]{4}(-[A-Z0-9]{4}){3})", text)
    assert match and "█" in text and (tmp_path / "code.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "counter_app", "hq", "--data-dir", str(data),
                                "--listen", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=ENV)
    try:
        assert wait_healthy(f"http://127.0.0.1:{port}/health", process).json() == {"status": "ok", "database": "ok"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            answer = enrol(client, match.group(1), hostname="kiosk-pc")
        assert answer["terminal_code"] == "K01"
    finally:
        assert end_process(process, timeout=30) == 0
    assert not (data / "hq-postgres" / "postmaster.pid").exists()  # the embedded server stopped with it
    nodes = run_cli("hq-admin", "--data-dir", str(data), "nodes")
    assert nodes.returncode == 0 and answer["node_id"] in nodes.stdout and "kiosk-pc" in nodes.stdout
    assert '"op": "enrol"' in (data / "logs" / "counter_app.log").read_text(encoding="utf-8")
    assert answer["secret"] not in (data / "logs" / "counter_app.log").read_text(encoding="utf-8")


def test_hq_admin_uses_the_configured_database_and_explains_mistakes(hq_url: str, hq_db, tmp_path: Path) -> None:
    config = tmp_path / "hq.toml"
    config.write_text(f'[hq]\nenrol_code_days = 3\n[hq.database]\nurl = "{hq_url}"\n', encoding="utf-8")
    result = run_cli("hq-admin", "enrol-code", "--branch", "B001", "--role", "counter", "--window", "4",
                     "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    assert "B001 T04" in result.stdout
    assert not (tmp_path / "d" / "hq-postgres").exists()  # no embedded server when a URL is configured
    bad = run_cli("hq-admin", "enrol-code", "--branch", "B001", "--role", "counter", "--config", str(config))
    assert bad.returncode == 2 and "window" in bad.stderr and "Traceback" not in bad.stderr
    config.write_text('[hq.database]\nurl = "mysql://x"\n', encoding="utf-8")
    wrong = run_cli("hq-admin", "nodes", "--config", str(config))
    assert wrong.returncode == 2 and "hq.database.url" in wrong.stderr and "PostgreSQL" in wrong.stderr
    node = run_cli("hq-admin", "revoke-node", "no-such-node", "--config", str(config).replace("hq.toml", "x.toml"))
    assert node.returncode == 2 and "--config" in node.stderr
    assert list_nodes(hq_db.engine) == []


@pytest.mark.parametrize("value", ["8780", "host:", "host:99999"])
def test_a_bad_listen_address_is_explained(value: str, tmp_path: Path) -> None:
    result = run_cli("hub", "--data-dir", str(tmp_path), "--listen", value)
    assert result.returncode == 2 and "--listen" in result.stderr and "HOST:PORT" in result.stderr


def test_the_hub_listens_where_told(tmp_path: Path) -> None:
    assert run_cli("seed", "--data-dir", str(tmp_path), "--accounts", "20", "--months", "1").returncode == 0
    added = run_cli("hub-admin", "--data-dir", str(tmp_path), "device-add", "--role", "display")
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]  # a display's own credential, printed once
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "counter_app", "hub", "--data-dir", str(tmp_path),
                                "--listen", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=ENV)
    try:
        assert wait_healthy(f"http://127.0.0.1:{port}/v1/health", process,
                            Authorization=f"Bearer {token}").json()["status"] == "ok"
    finally:
        end_process(process, timeout=30)
