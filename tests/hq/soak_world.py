"""The pieces of the offline soak (issue 10, "How it is checked"): head office as a real process
on the embedded PostgreSQL (stopped for the outage, started again on the same port), its CPU
and PostgreSQL's read from /proc, a counter node enrolled for real on its own SQLite file, a
fake clock walking through business hours, a counting transport, and the sync loop a node runs
when head office is back. Used by ``tests/perf/soak_offline.py`` and ``tests/hq/test_soak_smoke.py``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time as clock_time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.core.serving import end_process
from counter_app.hq.enrolment import issue_code
from counter_app.persistence.database import make_engine
from counter_app.persistence.migrate import upgrade
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.sync import outbox_store as store
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.transport import Answer, HttpxTransport, TransportError
from counter_app.services.sync.worker import SyncEngine, StepResult, backoff_delay
from counter_app.split_hall import free_port
from tests.perf.stats_util import cpu_seconds

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
AUXILIARY = (b"checkpointer", b"background writer", b"walwriter", b"autovacuum", b"logical replication",
             b"archiver", b"stats collector", b"io worker", b"walsummarizer")


# -- head office as a process ------------------------------------------------------------------

class HeadOfficeProcess:
    """``python -m counter_app.hq.server`` on a fixed loopback port: ``stop`` is the outage,
    ``start`` brings it back where the nodes' credentials point."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.database_url, self.folder = database_url, folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> "HeadOfficeProcess":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "counter_app.hq.server", "--data-dir", str(self.folder), "--database-url",
             self.database_url, "--listen", f"127.0.0.1:{self.port}"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not re.match(r"HQ LISTENING http://", line):
            raise RuntimeError("head office did not start: " + line + self.process.stdout.read())
        self._reader = threading.Thread(target=self._drain_output, args=(self.process,), daemon=True)
        self._reader.start()
        return self

    @staticmethod
    def _drain_output(process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:  # its log must not fill the pipe and stall it
            if "ERROR" in line or "Traceback" in line:
                sys.stderr.write("[hq] " + line)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM, then kill -9 after ``timeout`` s (``core.serving.end_process``)."""
        if self.process is not None:
            stop_with_reader(self.process, self._reader, timeout, name="head office")
        self.process = None


def stop_with_reader(process: subprocess.Popen[str], reader: threading.Thread, timeout: float, name: str) -> int:
    """End ``process`` whose stdout ``reader`` drains: ``end_process`` (SIGTERM, kill -9 after
    ``timeout``) with the pipe held back from it, so it is closed only once the reader has seen
    its end — never under a read in progress. A pipe still held open by a grandchild is left to
    the daemon reader rather than closed under it. Returns the exit code."""
    stdout, process.stdout = process.stdout, None
    try:
        return end_process(process, timeout=timeout, name=name)
    finally:
        reader.join(10)
        if stdout is not None and not reader.is_alive():
            stdout.close()


def data_directory(engine: Any) -> Path:
    with engine.connect() as connection:
        return Path(connection.exec_driver_sql("SHOW data_directory").scalar_one())


def postgres_load(pgdata: Path) -> tuple[float, int]:
    """PostgreSQL's CPU seconds so far (the postmaster, its reaped and its live backends) and the
    number of live client backends."""
    postmaster = int((pgdata / "postmaster.pid").read_text().split()[0])
    total, backends = cpu_seconds(postmaster, children=True), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == postmaster:
            total += cpu_seconds(int(entry.name))
            backends += not any(word in cmdline for word in AUXILIARY)
    return total, backends


# -- the fake clock ----------------------------------------------------------------------------

@dataclass
class BusinessClock:
    """A clock the services read (``clock=``): set to moments of the branch's business hours."""

    first_day: date
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    opens: clock_time = clock_time(8, 30)
    closes: clock_time = clock_time(17, 0)
    current: datetime | None = None

    def __call__(self) -> datetime:
        assert self.current is not None, "set the clock to a day first"
        return self.current

    def moment(self, day: int, fraction: float) -> datetime:
        """``fraction`` (0..1) of business day ``day`` (0 = ``first_day``), in UTC."""
        opens = datetime.combine(self.first_day + timedelta(days=day), self.opens, self.zone)
        closes = datetime.combine(self.first_day + timedelta(days=day), self.closes, self.zone)
        return (opens + (closes - opens) * fraction).astimezone(ZoneInfo("UTC"))

    def set(self, day: int, fraction: float = 0.0) -> datetime:
        self.current = self.moment(day, fraction)
        return self.current


# -- a node ------------------------------------------------------------------------------------

def counter_settings(window: int) -> Settings:
    return replace(Settings(), role="counter", window=window)


def migrated_template(path: Path) -> Path:
    """An empty branch database at the newest schema (no node identity yet): copied for each of
    many nodes instead of migrating each one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path)
    try:
        upgrade(engine, path, path.parent / "backups")
    finally:
        engine.dispose()
    return path


def enrolled_counter(folder: Path, hq_url: str, code: str, window: int, template: Path | None = None) -> NodeDatabase:
    """A counter's own database (a copy of ``template``, else a new one), enrolled with ``code``
    and with its first sync (the reference snapshot) done, reopened as the program's next start would."""
    paths, settings = DataPaths(folder).ensure(), counter_settings(window)
    if template is not None:
        shutil.copyfile(template, paths.database)
    db = open_node_database(paths, settings, allow_fresh=True)
    enrol(db.sessions, folder, hq_url, code, hostname=f"soak-{folder.name}")
    db.dispose()
    db = open_node_database(paths, settings)  # started again as the enrolled node
    sync_until_drained(db, deadline_s=120.0)
    return db


def issue(hq_engine: Any, branch: str, window: int) -> str:
    return issue_code(hq_engine, branch, "counter", window, 7).code


# -- the reconnecting node -----------------------------------------------------------------------

@dataclass
class Wire:
    """What one node's requests met: push latencies (s) and every answer's status."""

    push_s: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    failures: int = 0


class CountingTransport:
    """The real httpx transport, timing pushes and counting answers."""

    def __init__(self, url: str, wire: Wire) -> None:
        self.inner, self.wire = HttpxTransport(url, connect_timeout=10.0, read_timeout=120.0), wire

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        began = time.monotonic()
        try:
            answer = self.inner.post(path, body, headers)
        except TransportError:
            self.wire.failures += 1
            raise
        if path.endswith("/push"):
            self.wire.push_s.append(time.monotonic() - began)
        key = str(answer.status)
        self.wire.statuses[key] = self.wire.statuses.get(key, 0) + 1
        return answer

    def reset(self) -> None:
        self.inner.reset()

    def close(self) -> None:
        self.inner.close()


@dataclass
class Drained:
    started: float
    finished: float
    steps: int
    retries: int
    last: StepResult
    wire: Wire

    @property
    def seconds(self) -> float:
        return self.finished - self.started


def sync_until_drained(db: NodeDatabase, deadline_s: float = 1800.0, seed: int = 1) -> Drained:
    """Sync cycles (as the worker's timer runs them) until nothing is pending; a transient refusal
    (429, 503, a lost connection) waits its backoff and goes again, bounded by ``deadline_s``."""
    import random

    wire, rng = Wire(), random.Random(seed)
    engine = SyncEngine(db.sessions, db.data_dir, transport_factory=lambda url: CountingTransport(url, wire))
    began, steps, retries = time.monotonic(), 0, 0
    try:
        while True:
            result = engine.step()
            steps += 1
            if result.status == "ok" and not store.has_pending(db.sessions):
                break
            if not result.retryable or time.monotonic() - began > deadline_s:
                raise RuntimeError(f"{db.terminal_code}: sync stopped: {result.status} {result.error}")
            if result.status != "ok":
                retries += 1
                time.sleep(result.retry_after if result.retry_after is not None
                           else backoff_delay(retries, rng, base=0.2, cap=5.0))
    finally:
        engine.close()
    return Drained(began, time.monotonic(), steps, retries, result, wire)
