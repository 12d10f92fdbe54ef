"""Process-level kill -9 runs (SYNC.md c.9, c.14 item 3) with real processes and a real
PostgreSQL: ``counter-app hq`` on a fixed loopback port, one branch (a window taking payments,
``tests.hq.crash_payer``, and ``counter-app sync`` pushing continuously) on one SQLite file.

Each iteration crashes one process at a named crash point (``COUNTER_APP_CRASH_AT``) or kills
one at a random moment, checks the safety invariants on the two databases as the crash left
them, restarts only what died, lets the sync process drain by itself, and checks that nothing
committed was lost or doubled and that receipt numbers stay unique and gap-free per terminal."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from counter_app.core.config import Settings
from counter_app.core.crashpoints import ENV
from counter_app.core.paths import DataPaths, install_root
from counter_app.core.serving import end_process
from counter_app.hq.database import make_engine
from counter_app.hq.enrolment import issue_code
from counter_app.persistence.database import make_engine as make_node_engine
from counter_app.services.sync.outbox_store import delivery_states
from counter_app.services.node import open_node_database
from counter_app.services.sync.enrolment import enrol
from tests.hq.sync_checks import Branch, HeadOffice, check_drained, check_safety

PAYER_POINTS = ("before_commit", "after_local_commit_before_print", "during_print")
SYNC_POINTS = ("after_hello_before_push", "after_response_before_ack", "during_ack")
HQ_POINTS = ("hq_before_commit", "after_hq_commit_before_response")
POINTS = (*PAYER_POINTS, *SYNC_POINTS, *HQ_POINTS, "random")
SYNC_CONFIG = ("[sync]\ninterval_s = 0.3\nstall_factor = 20.0\nconnect_timeout_s = 2.0\nread_timeout_s = 10.0\n"
               "backoff_base_s = 0.05\nbackoff_cap_s = 0.3\n")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(crash_at: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    env.update(PYTHONPATH=str(install_root()), QT_QPA_PLATFORM="offscreen")
    if crash_at:
        env[ENV] = crash_at
    return env


@dataclass
class Outcome:
    point: str
    victim: str
    exit_code: int | None
    payments: int
    restart_s: float  # the dead process started again
    drain_s: float  # then: a payment or two, and the outbox empty


@dataclass
class Cluster:
    folder: Path
    hq_url: str  # the PostgreSQL database head office serves
    template: Path  # a seeded branch database
    rng: random.Random = field(default_factory=random.Random)
    processes: dict[str, subprocess.Popen[str]] = field(default_factory=dict)
    reported: dict[str, str] = field(default_factory=dict)  # payment id -> receipt the window showed
    open_payments: list[str] = field(default_factory=list)
    armed: dict[str, str | None] = field(default_factory=dict)  # role -> the crash point it runs with
    window_crashes: int = 0  # the window died at its armed point during another iteration
    payer_turn: int = -1

    def __post_init__(self) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.paths = DataPaths(self.folder / "branch").ensure()
        (self.folder / "hq.toml").write_text(f'[hq.database]\nurl = "{self.hq_url}"\n', encoding="utf-8")
        (self.folder / "branch.toml").write_text(SYNC_CONFIG, encoding="utf-8")
        self.hq_engine: Engine = make_engine(self.hq_url, pool_size=1)
        self.start_hq()
        shutil.copyfile(self.template, self.paths.database)
        db = open_node_database(self.paths, Settings())
        enrol(db.sessions, self.paths.root, self.base, issue_code(self.hq_engine, "B001", "hub", None, 7).code)
        db.dispose()
        self.branch_engine = make_node_engine(self.paths.database)
        self.start("sync")
        self.start("payer", self._next_payer_point())

    # -- processes ---------------------------------------------------------------------------

    def _command(self, role: str) -> list[str]:
        if role == "hq":
            return [sys.executable, "-m", "counter_app", "hq", "--config", str(self.folder / "hq.toml"), "--data-dir",
                    str(self.folder / "hq"), "--listen", f"127.0.0.1:{self.port}"]
        if role == "sync":
            return [sys.executable, "-m", "counter_app", "sync", "--config", str(self.folder / "branch.toml"),
                    "--data-dir", str(self.paths.root)]
        return [sys.executable, "-m", "tests.hq.crash_payer", str(self.paths.root)]

    def _next_payer_point(self) -> str:
        """The window always runs armed for the next window point of the cycle, dying at its n-th
        payment there: mostly in that iteration, sometimes before (one start per crash)."""
        self.payer_turn += 1
        return f"{PAYER_POINTS[self.payer_turn % len(PAYER_POINTS)]}:{self.rng.randint(4, 10)}"

    def start(self, role: str, crash_at: str | None = None) -> None:
        old = self.processes.get(role)
        if old is not None:
            old.wait(30)
            for stream in (old.stdin, old.stdout):
                if stream is not None:
                    stream.close()
        self.armed[role] = crash_at
        log = open(self.folder / f"{role}.log", "a", encoding="utf-8")
        process = subprocess.Popen(self._command(role), cwd=install_root(), env=_env(crash_at), text=True,
                                   stdin=subprocess.PIPE if role == "payer" else subprocess.DEVNULL,
                                   stdout=subprocess.PIPE if role == "payer" else log, stderr=log)
        log.close()
        self.processes[role] = process
        if role == "payer":
            assert self._line() == "ready", self._tail("payer")

    def start_hq(self, crash_at: str | None = None) -> None:
        self.start("hq", crash_at)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.processes["hq"].poll() is None, self._tail("hq")
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise AssertionError("head office did not come up: " + self._tail("hq"))

    def _tail(self, role: str) -> str:
        path = self.folder / f"{role}.log"
        return path.read_text(encoding="utf-8")[-3000:] if path.exists() else ""

    def kill(self, role: str) -> int | None:
        process = self.processes[role]
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        return process.wait(30)

    def alive(self, role: str) -> bool:
        return self.processes[role].poll() is None

    def ensure(self, role: str) -> None:
        if self.alive(role):
            return
        if role == "hq":
            self.start_hq()
        else:
            self.start(role, self._next_payer_point() if role == "payer" else None)

    def stop(self) -> None:
        for role, sig in (("payer", signal.SIGKILL), ("sync", signal.SIGINT), ("hq", signal.SIGTERM)):
            if role in self.processes:
                end_process(self.processes[role], timeout=20, sig=sig, kill_wait=30)
        self.hq_engine.dispose()
        self.branch_engine.dispose()

    # -- the window --------------------------------------------------------------------------

    def _line(self) -> str | None:
        stdout: IO[str] | None = self.processes["payer"].stdout
        assert stdout is not None
        line = stdout.readline()
        return line.strip() if line else None  # None: it died

    def pay(self) -> bool:
        """One payment (one in five a void of an earlier one); False when the window died (at its
        armed crash point: checked and started again, armed anew)."""
        if not self._command_window():
            self.window_crashes += 1
            assert self.processes["payer"].wait(30) == -9, self.processes["payer"].returncode
            self.check_safe()
            return False
        return True

    def _command_window(self) -> bool:
        payer = self.processes["payer"]
        assert payer.stdin is not None
        voiding = self.open_payments and self.rng.random() < 0.2
        target = self.open_payments.pop(self.rng.randrange(len(self.open_payments))) if voiding else None
        try:
            payer.stdin.write(f"void {target}\n" if target else f"pay {self.rng.randint(1, 99_999)}\n")
            payer.stdin.flush()
        except (BrokenPipeError, OSError):
            return False
        answer = self._line()
        if answer is None:
            return False
        kind, *rest = answer.split()
        if kind in ("paid", "voided"):
            self.reported[rest[0]] = rest[1]
            if kind == "paid":
                self.open_payments.append(rest[0])
        return True

    # -- one iteration -----------------------------------------------------------------------

    def ends(self) -> tuple[list[Branch], HeadOffice]:
        return [Branch.read(self.branch_engine)], HeadOffice.read(self.hq_engine)

    def check_safe(self) -> None:
        branches, hq = self.ends()
        check_safety(branches, hq)
        missing = set(self.reported) - set(branches[0].payments)
        assert not missing, f"payments the window showed as done are gone: {sorted(missing)}"
        for payment_id, receipt in self.reported.items():
            assert branches[0].payments[payment_id].receipt_no == receipt

    def iteration(self, point: str) -> Outcome:
        if point in PAYER_POINTS:
            victim = "payer"
            if not (self.armed["payer"] or "").startswith(point + ":"):
                self.kill("payer")
                self.start("payer", f"{point}:{self.rng.randint(1, 3)}")
            for _ in range(30):  # voids between the payments do not count: on until it dies
                if not self._command_window():
                    break
        elif point in SYNC_POINTS:
            victim = "sync"
            self.kill("sync")
            self.start("sync", point)
            self._pay_some()
            self._wait_death("sync")
        elif point in HQ_POINTS:
            victim = "hq"
            self.kill("hq")
            self.start_hq(point)
            self._pay_some()
            self._wait_death("hq")
        else:
            victim = self.rng.choice(("payer", "sync", "hq"))
            deadline = time.monotonic() + self.rng.uniform(0.0, 1.0)
            while time.monotonic() < deadline and self.pay():
                pass
            self.ensure("payer")
            self.kill(victim)
        code = self.processes[victim].wait(30)
        self.check_safe()  # as the crash left them
        began = time.monotonic()
        for role in ("hq", "sync", "payer"):
            self.ensure(role)
        restarted = time.monotonic()
        self._pay_some()
        self.drain()
        branches, hq = self.ends()
        check_drained(branches, hq)
        self.check_safe()
        return Outcome(point, victim, code, len(branches[0].payments), restarted - began, time.monotonic() - restarted)

    def _pay_some(self) -> None:
        for _ in range(self.rng.randint(1, 3)):
            if not self.pay():
                self.ensure("payer")

    def _wait_death(self, role: str, timeout: float = 30.0) -> None:
        try:
            self.processes[role].wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{role} never reached its crash point: {self._tail(role)}") from None

    def drain(self, timeout: float = 60.0) -> None:
        """The running sync process alone empties the outbox (G12)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with Session(self.branch_engine) as session:
                pending = sum(state == "pending" for state in delivery_states(session).values())
            if pending == 0:
                return
            assert self.alive("sync") and self.alive("hq"), self._tail("sync") + self._tail("hq")
            time.sleep(0.05)
        raise AssertionError(f"{pending} events still pending after {timeout:g} s: {self._tail('sync')}")
