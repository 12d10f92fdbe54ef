"""A whole branch as separate processes on one machine, each with its own data folder:
head office (``counter-app hq``, embedded PostgreSQL), the hub and two counters on their own
SQLite databases, and a kiosk to take tickets (``counter-app demo --split``; the multi-process
tests use the same pieces).

Setting up (once per folder, :meth:`SplitHall.setup`): head office publishes the demo branch's
reference data (staff with argon2 hashes and a 14-day offline validity, windows, services,
tariffs, accounts and bills); the hub is enrolled at head office as the branch's hub and pulls
it; each counter gets a device credential from the hub (``hub-admin device-add``), is enrolled
at head office as a ``counter`` node of its window (its own node id, terminal code T0N and
receipt series) and pulls the same reference data. Without a publisher (tests that want it
quick) the hub is seeded and the counters get a copy of its reference data
(:func:`counter_app.services.reference_copy.copy_reference`), with the same ids everywhere.
Every process then runs with its own TOML in its folder; Ctrl-C stops them all, head office last."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx

from counter_app.core.config import load_settings
from counter_app.core.paths import DataPaths
from counter_app.core.serving import end_process
from counter_app.domain.errors import UserError
from counter_app.services.devices import DeviceRegistry
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.reference_copy import copy_reference
from counter_app.services.seed import is_seeded, seed_demo
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.files import read_credential
from counter_app.services.sync.worker import SyncEngine

log = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"
BRANCH = "B001"
#: (role, window) -> a one-time enrolment code of head office
CodeIssuer = Callable[[str, "int | None"], str]
#: publishes the reference data of a seeded branch database file at head office
Publisher = Callable[[Path], None]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


BRANCH_TABLE = f"""[branch]
code = "{BRANCH}"
name = "城东营业厅"
utility = "示范市自来水有限公司"
timezone = "Asia/Shanghai"
query_phone = "0000-96116"
"""


def hub_toml(port: int, hq_url: str) -> str:
    return (f'role = "hub"\nlanguage = "zh_CN"\n\n{BRANCH_TABLE}\n[hub]\nlisten_host = "{LOOPBACK}"\n'
            f'listen_port = {port}\nurl = "http://{LOOPBACK}:{port}"\n\n[hq]\nurl = "{hq_url}"\n\n[sync]\ninterval_s = 5\n')


def device_toml(role: str, window: int | None, hub_port: int, token: str, hq_url: str) -> str:
    where = f"window = {window}\n" if window else ""
    return (f'role = "{role}"\nlanguage = "zh_CN"\n{where}\n{BRANCH_TABLE}\n[hub]\nurl = "http://{LOOPBACK}:{hub_port}"\n'
            f'token = "{token}"\n\n[hq]\nurl = "{hq_url}"\n\n[sync]\ninterval_s = 5\n\n[offline]\nlogin_days = 14\n')


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log_file: Path

    def alive(self) -> bool:
        return self.process.poll() is None


@dataclass
class SplitHall:
    """The folders, ports and processes of one branch on this machine."""

    root: Path
    windows: tuple[int, ...] = (1, 2)
    accounts: int = 300
    hub_port: int = 0
    hq_url: str = ""
    children: dict[str, Child] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.hub_port = self.hub_port or free_port()

    # --- folders ----------------------------------------------------------------------------------

    def folder(self, name: str) -> Path:
        return self.root / name

    def config(self, name: str) -> Path:
        return self.folder(name) / "counter-app.toml"

    @property
    def hub_url(self) -> str:
        return f"http://{LOOPBACK}:{self.hub_port}"

    def counters(self) -> list[str]:
        return [f"counter{w}" for w in self.windows]

    @property
    def _state_file(self) -> Path:
        return self.root / "split.json"

    def _state(self) -> dict[str, str]:
        return json.loads(self._state_file.read_text(encoding="utf-8")) if self._state_file.exists() else {}

    # --- setting up ---------------------------------------------------------------------------------

    def setup(self, issue: CodeIssuer, publish: Publisher | None = None) -> None:
        """Enrol the hub, then give each counter (and the kiosk) its credential, its enrolment and
        its reference data; what was done before is kept (tokens in split.json). With ``publish``
        head office publishes the demo branch (seeded in a scratch folder) and every node pulls it
        at enrolment, as a real installation does; without, the hub is seeded and the counters get
        a copy of its reference data."""
        state = self._state()
        if publish is not None and "published" not in state:
            scratch = open_node_database(DataPaths(self.folder("seed-source")), load_settings(None))
            try:
                if not is_seeded(scratch):
                    seed_demo(scratch, load_settings(None), accounts=self.accounts, months=3)
                source = scratch.path
            finally:
                scratch.dispose()
            publish(source)
            state["published"] = "yes"
            self._save(state)
        self.config("hub").parent.mkdir(parents=True, exist_ok=True)
        self.config("hub").write_text(hub_toml(self.hub_port, self.hq_url), encoding="utf-8")
        hub = self._enrolled("hub", "hub", None, issue, seed=publish is None)
        try:
            registry = DeviceRegistry(hub)
            for name, role, window in [*[(c, "counter", w) for c, w in zip(self.counters(), self.windows)],
                                       ("kiosk", "kiosk", None)]:
                if name not in state:
                    state[name] = registry.add(role, window, f"split-{name}", by="demo --split").token
            hub_file = hub.path
        finally:
            hub.dispose()
        self._save(state)
        for name, window in zip(self.counters(), self.windows):
            self.config(name).parent.mkdir(parents=True, exist_ok=True)
            self.config(name).write_text(device_toml("counter", window, self.hub_port, state[name], self.hq_url),
                                         encoding="utf-8")
            db = self._enrolled(name, "counter", window, issue, seed=False)
            try:
                if publish is None and not is_seeded(db):
                    copy_reference(hub_file, db)
            finally:
                db.dispose()
        self.config("kiosk").parent.mkdir(parents=True, exist_ok=True)
        self.config("kiosk").write_text(device_toml("kiosk", None, self.hub_port, state["kiosk"], ""), encoding="utf-8")

    def _save(self, state: dict[str, str]) -> None:
        self._state_file.write_text(json.dumps(state, indent=1), encoding="utf-8")

    def _enrolled(self, name: str, role: str, window: int | None, issue: CodeIssuer, *, seed: bool) -> NodeDatabase:
        """The node's database, seeded (``seed``), enrolled at head office and, when head office
        holds the branch's reference data, with that pulled in (one sync cycle)."""
        folder, settings = self.folder(name), load_settings(self.config(name))
        db = open_node_database(DataPaths(folder), settings, allow_fresh=True)
        if seed and not is_seeded(db):
            seed_demo(db, settings, accounts=self.accounts, months=3)
        if read_credential(folder) is not None:
            return db
        enrol(db.sessions, folder, self.hq_url, issue(role, window), hostname=f"split-{name}")
        db.dispose()  # started again as the enrolled node
        db = open_node_database(DataPaths(folder), settings)
        engine = SyncEngine(db.sessions, folder)
        try:
            result = engine.drain()
        finally:
            engine.close()
        if result.status != "ok":
            log.warning("%s: first sync with head office %s (%s)", name, result.status, result.error)
        return db

    # --- processes ----------------------------------------------------------------------------------

    def spawn(self, name: str, *args: str, env: dict[str, str] | None = None) -> Child:
        logs = self.root / "logs"
        logs.mkdir(exist_ok=True)
        log_file = logs / f"{name}.out"
        with open(log_file, "ab") as out:
            process = subprocess.Popen([sys.executable, "-m", "counter_app", *args], stdout=out,
                                       stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        child = Child(name, process, log_file)
        self.children[name] = child
        return child

    def start_hub(self) -> Child:
        child = self.spawn("hub", "hub", "--config", str(self.config("hub")), "--data-dir", str(self.folder("hub")))
        wait_http(f"{self.hub_url}/v1/health", child, accept=(200, 401))
        return child

    def start_gui(self, name: str, role: str, *extra: str) -> Child:
        return self.spawn(name, role, "--config", str(self.config(name)), "--data-dir", str(self.folder(name)), *extra)

    def kill(self, name: str) -> None:
        """kill -9: no clean-up of any kind (the crash the tests want)."""
        child = self.children.pop(name, None)
        if child is not None and child.alive():
            child.process.kill()
            child.process.wait(10)

    def stop(self, name: str, timeout: float = 20.0) -> int | None:
        child = self.children.pop(name, None)
        if child is None:
            return None
        return end_process(child.process, timeout, name=name)

    def stop_all(self) -> None:
        """Front-ends first (all at once), then the hub, head office last (its PostgreSQL stops with it)."""
        fronts = [n for n in self.children if n not in ("hub", "hq")]
        for name in fronts:
            if self.children[name].alive():
                self.children[name].process.send_signal(signal.SIGTERM)
        for name in [*fronts, "hub", "hq"]:
            self.stop(name)


def wait_http(url: str, child: Child, timeout: float = 60.0, accept: tuple[int, ...] = (200,)) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not child.alive():
            raise RuntimeError(f"{child.name} exited ({child.process.returncode}); see {child.log_file}")
        try:
            if httpx.get(url, timeout=2).status_code in accept:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{child.name} does not answer at {url}; see {child.log_file}")


# --- counter-app demo --split ------------------------------------------------------------------------

def _setup_through_head_office(hall: SplitHall) -> None:
    """Join head office's embedded PostgreSQL (as ``hq-admin`` does) for its enrolment codes and to
    publish the demo branch's reference data; every node then pulls it at enrolment."""
    from datetime import timedelta

    from counter_app.domain.timeutil import utcnow
    from counter_app.hq.database import open_hq_database
    from counter_app.hq.enrolment import issue_code
    from counter_app.split_publish import publish_seeded_branch

    hq = open_hq_database(load_settings(None), hall.folder("hq"))
    try:
        hall.setup(lambda role, window: issue_code(hq.engine, BRANCH, role, window, 1).code,
                   lambda source: publish_seeded_branch(hq.engine, source, utcnow() + timedelta(days=14))
                   and None)
    finally:
        hq.dispose()


def run_split_demo(root: Path, *, exit_when_ready: bool = False, accounts: int = 300) -> int:
    """Head office, hub, two counters and a kiosk as processes; Ctrl-C stops them all."""
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop: the same clean shutdown as Ctrl-C
    signal.signal(signal.SIGINT, _interrupt)  # also where the shell started it with Ctrl-C ignored
    ports = _ports(root)
    hall = SplitHall(root, accounts=accounts, hub_port=ports["hub"])
    hq_port = ports["hq"]
    hall.hq_url = f"http://{LOOPBACK}:{hq_port}"
    try:
        print(f"head office (embedded PostgreSQL) starting in {hall.folder('hq')} ...", flush=True)
        hq = hall.spawn("hq", "hq", "--data-dir", str(hall.folder("hq")), "--listen", f"{LOOPBACK}:{hq_port}")
        wait_http(f"{hall.hq_url}/health", hq, timeout=120)
        _setup_through_head_office(hall)
        hall.start_hub()
        extra = ("--exit-when-ready",) if exit_when_ready else ()
        for name in hall.counters():
            hall.start_gui(name, "counter", *extra)
        hall.start_gui("kiosk", "kiosk", *extra)
        print(f"head office {hall.hq_url}, hub {hall.hub_url}, counters {', '.join(hall.counters())} and a kiosk are "
              f"running, each with its own folder under {root}; staff 1001/1002 password demo1234. Ctrl-C stops all.",
              flush=True)
        _watch(hall, exit_when_ready)
    except KeyboardInterrupt:
        print("stopping ...", flush=True)
    except (RuntimeError, OSError, UserError) as error:
        print(f"counter-app demo --split: {error}", file=sys.stderr)
        return 3
    finally:
        hall.stop_all()  # whatever went wrong, no process of this demo is left behind
    return 0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _ports(root: Path) -> dict[str, int]:
    """The ports of head office and the hub, chosen on the first run and kept: the enrolments and
    configurations name them."""
    path = root / "ports.json"
    if path.exists():
        return {k: int(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}
    root.mkdir(parents=True, exist_ok=True)
    ports = {"hq": free_port(), "hub": free_port()}
    path.write_text(json.dumps(ports), encoding="utf-8")
    return ports


def _watch(hall: SplitHall, exit_when_ready: bool) -> None:
    """Until Ctrl-C, or (``exit_when_ready``) until the front-ends have started and quit."""
    while True:
        time.sleep(0.5)
        fronts = [c for n, c in hall.children.items() if n not in ("hq", "hub")]
        if exit_when_ready and all(not c.alive() for c in fronts):
            failed = [c.name for c in fronts if c.process.returncode != 0]
            if failed:
                raise RuntimeError(f"{', '.join(failed)} failed to start; see {hall.root / 'logs'}")
            return
        for name in ("hq", "hub"):
            child = hall.children.get(name)
            if child is not None and not child.alive():
                raise RuntimeError(f"{name} stopped ({child.process.returncode}); see {child.log_file}")


__all__ = ["SplitHall", "free_port", "run_split_demo", "wait_http"]
