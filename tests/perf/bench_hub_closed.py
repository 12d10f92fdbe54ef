"""The hub in a closed loop: every client sends its next request as soon as the last is answered.

    .venv/bin/python tests/perf/bench_hub_closed.py [--duration 6] [--baseline-tree /work/wt/baseline] [--rounds 1]

Phases, each on a copy of a fresh database and of a day-old one (yesterday's 10,000 tickets
issued, called and finished), with 20 windows open:

* ``issue x1``, ``issue x20``: 1 and 20 kiosks taking tickets flat out;
* ``call x20``: 20 windows each calling the next ticket and finishing it, flat out (the waiting
  room filled beforehand);
* ``push``: a display on ``/v1/stream`` while 5 kiosks take tickets flat out and one window calls
  and finishes: the delay from sending call-next to the display receiving that call.

The hub runs in its own process (``python -m counter_app.hub.server``); its CPU per operation is
its process CPU time (``/proc``) over the phase divided by the operations answered. The floor:
raw SQLite commits (WAL, ``synchronous=FULL``) on the same disk, measured in the same run.
With ``--baseline-tree DIR`` (a checkout of the code before, e.g. a git worktree of main) every
phase runs once against a hub started from DIR and once from this tree, alternating which goes
first, and the table puts them side by side; if DIR knows an older schema, it gets the same
databases taken down to that schema by this tree's migrations (its own indexes, same rows), and
runs without the speed-ups its pyproject does not declare (uvloop, which uvicorn picks up
whenever it can import it: the baseline as it was installed). Duplicates (a number issued twice, a ticket called
twice) and the hub's log (sequence without gaps) are checked after every phase.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from counter_app.core.serving import end_process  # noqa: E402
from tests.perf.bench_hub import _request, _response, counter_sessions  # noqa: E402
from tests.perf.stats_util import cpu_seconds_or_none, percentile  # noqa: E402  (NaN for no samples)

WINDOWS = 20
DAY_OLD_TICKETS = 10_000
PUSH_ISSUERS = 5
PUSH_PAUSE = 0.02  # the push phase's window waits this long between its calls
GOAL_P99_MS = 50.0
SERVICES = "AAAABBCD"  # what the kiosks ask for, in turn (as in bench_hub)
PHASES = ("issue x1", "issue x20", "call x20", "push")


# --- the databases ------------------------------------------------------------------------------

def _run_jobs(queue: Any, calls: list[tuple[Any, tuple[Any, ...]]]) -> list[Any]:
    """Run queue operations in-process, committed together (setting up, not measured)."""
    from counter_app.services.queue.runner import Job

    jobs = [Job(queue.prepare(operation, *args)) for operation, args in calls]
    queue.execute(jobs)
    return [job.result if job.error is None else job.error for job in jobs]


def make_template(folder: Path, day_old: bool, waiting: int) -> dict[str, Any]:
    """A hub database with 20 windows open (a clerk's session each) and ``waiting`` tickets in the
    waiting room; ``day_old``: yesterday's 10,000 tickets served before. Returns what clients need."""
    from sqlalchemy import update

    from counter_app.persistence.database import unit_of_work
    from counter_app.persistence.models import Service
    from counter_app.services.queue import QueueService, QueueSettings
    from tests.integration.queue_fixtures import BRANCH_CODE, DISPLAY_TOKEN, KIOSK_TOKEN, add_windows, hall_database

    node, hall = hall_database(folder)
    add_windows(node, hall, WINDOWS)
    sessions = counter_sessions(node, hall, WINDOWS)
    with unit_of_work(node.sessions) as session:
        session.execute(update(Service).values(daily_cap=9_999_999))
    settings = QueueSettings(widen_numbers=True, reset_enabled=False)
    if day_old:
        start = datetime.now().astimezone() - timedelta(days=1)
        ticks = itertools.count()
        past = QueueService(node.sessions, BRANCH_CODE, settings, node_id=node.node_id,
                            clock=lambda: start + timedelta(milliseconds=next(ticks)))
        _run_jobs(past, [(past.open_window, (w, hall.clerk(w))) for w in range(1, WINDOWS + 1)])
        for first in range(0, DAY_OLD_TICKETS, 1000):
            _run_jobs(past, [(past.issue_ticket, (SERVICES[n % len(SERVICES)],))
                             for n in range(first, min(first + 1000, DAY_OLD_TICKETS))])
        for _ in range(DAY_OLD_TICKETS):
            rounds = [(op, (w, hall.clerk(w))) for _ in range(10) for w in range(1, WINDOWS + 1)
                      for op in (past.call_next, past.finish)]
            results = _run_jobs(past, rounds)
            if all(getattr(r, "ticket", None) is None for r in results[::2]):
                break
        _run_jobs(past, [(past.close_window, (w, hall.clerk(w))) for w in range(1, WINDOWS + 1)])
    queue = QueueService(node.sessions, BRANCH_CODE, settings, node_id=node.node_id)
    _run_jobs(queue, [(queue.open_window, (w, hall.clerk(w))) for w in range(1, WINDOWS + 1)])
    for first in range(0, waiting, 1000):
        _run_jobs(queue, [(queue.issue_ticket, (SERVICES[n % len(SERVICES)],))
                          for n in range(first, min(first + 1000, waiting))])
    node.dispose()
    return {"kiosk": KIOSK_TOKEN, "display": DISPLAY_TOKEN,
            "windows": {w: (hall.clerk(w), *sessions[w]) for w in range(1, WINDOWS + 1)}}


def copy_database(template: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for item in template.iterdir():
        if item.is_file():
            shutil.copy2(item, target / item.name)
    return target


def schema_head(tree: Path) -> str | None:
    """The newest branch schema the code in ``tree`` knows."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(tree / "db"))
    return ScriptDirectory.from_config(config).get_current_head()


def at_schema(template: Path, target: Path, revision: str) -> Path:
    """A copy of a template taken down to an older schema with this tree's migrations, for a
    baseline that refuses a database newer than itself (the queue's tables keep their rows)."""
    from alembic import command
    from sqlalchemy import create_engine

    from counter_app.persistence.migrate import alembic_config

    copy_database(template, target)
    (database,) = target.glob("*.sqlite3")
    engine = create_engine(f"sqlite:///{database}")
    try:
        command.downgrade(alembic_config(engine), revision)
    finally:
        engine.dispose()
    return target


def sqlite_floor(folder: Path, seconds: float = 1.0) -> float:
    """Commits a second of one small row each, WAL and synchronous=FULL, on this disk."""
    path = folder / "floor.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    count, end = 0, time.perf_counter() + seconds
    began = time.perf_counter()
    while time.perf_counter() < end:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (v) VALUES (?)", ("x" * 100,))
        db.execute("COMMIT")
        count += 1
    elapsed = time.perf_counter() - began
    db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return count / elapsed


# --- the hub ------------------------------------------------------------------------------------

OPTIONAL_SPEED_UPS = ("uvloop",)  # what uvicorn uses when it can import it, declared or not


def undeclared(tree: Path) -> list[str]:
    """The speed-ups of this environment that ``tree``'s pyproject does not ask for: a baseline
    checkout runs without them, as it was installed (uvicorn picks uvloop whenever it imports)."""
    declared = (tree / "pyproject.toml").read_text(encoding="utf-8") if (tree / "pyproject.toml").exists() else ""
    return [name for name in OPTIONAL_SPEED_UPS if f'"{name}' not in declared]


def _python_path(tree: Path, folder: Path) -> str:
    """``tree`` on the path, behind a sitecustomize that hides its undeclared speed-ups."""
    hidden = undeclared(tree)
    if not hidden:
        return str(tree)
    shim = folder / "without-undeclared"
    shim.mkdir(parents=True, exist_ok=True)
    (shim / "sitecustomize.py").write_text(f"import sys\nfor _name in {hidden!r}:\n    sys.modules[_name] = None\n",
                                          encoding="utf-8")
    return os.pathsep.join((str(shim), str(tree)))


class HubProcess:
    def __init__(self, tree: Path, data_dir: Path, log: Path) -> None:
        env = {**os.environ, "PYTHONPATH": _python_path(tree, log.parent)}
        self._log = log.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "counter_app.hub.server", "--data-dir", str(data_dir),
                                      "--port", "0", "--no-reset", "--widen-numbers"],
                                     stdout=subprocess.PIPE, stderr=self._log, cwd=tree, env=env)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().strip()
        if not line.startswith("HUB LISTENING"):
            self.stop()
            raise RuntimeError(f"the hub from {tree} did not start: {line!r}; see {log}")
        self.url = line.split()[-1]

    def cpu(self) -> float:
        return cpu_seconds_or_none(self.proc.pid) or 0.0

    def stop(self) -> None:
        end_process(self.proc, timeout=20)
        self._log.close()


# --- the clients --------------------------------------------------------------------------------

Record = tuple[str, float, float, int, Any]  # kind, sent, answered, status, what the answer says


def hub_answer(kind: str, answer: Any) -> Any:
    """What a hub's answer says: the number issued, or (ticket id, the call's event seq)."""
    if kind == "issue":
        return answer["ticket"]["number"]
    if kind == "call" and answer["ticket"] is not None:
        return answer["ticket"]["id"], next(e["seq"] for e in answer["events"] if e["kind"] == "called")
    return None


async def _client(url: str, steps: list[tuple[str, bytes]], end: float, records: list[Record],
                  pause: float = 0.0, on_call: Any = None, parse: Any = hub_answer) -> None:
    """One keep-alive connection sending its steps in turn until ``end`` (loop time); ``parse``
    reads a 200 answer's JSON (another server's, for bench_fqm) into what the record says."""
    host, port = url.split("//")[1].split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    loop = asyncio.get_running_loop()
    try:
        for n in range(10_000_000):
            if loop.time() >= end:
                break
            kind, request = steps[n % len(steps)]
            sent = loop.time()
            writer.write(request)
            status, data = await _response(reader)
            answered = loop.time()
            what = parse(kind, json.loads(data)) if status == 200 else None
            records.append((kind, sent, answered, status, what))
            if on_call is not None and what is not None and kind == "call":
                await on_call(what[1])
            if pause:
                await asyncio.sleep(pause)
    finally:
        writer.close()


def _issuer(url: str, token: str, n: int) -> list[tuple[str, bytes]]:
    return [("issue", _request("/v1/tickets", {"service": SERVICES[(n + i) % len(SERVICES)]}, token, ""))
            for i in range(len(SERVICES))]


def _caller(url: str, window: int, credentials: tuple[str, str, str]) -> list[tuple[str, bytes]]:
    clerk, device, session = credentials
    return [(kind, _request(f"/v1/windows/{window}/{path}", {"clerk_id": clerk}, device, session))
            for kind, path in (("call", "call-next"), ("finish", "finish"))]


async def _load(phase: str, url: str, spec: dict[str, Any], duration: float) -> tuple[list[Record], list[float]]:
    loop = asyncio.get_running_loop()
    end = loop.time() + duration
    records: list[Record] = []
    delays: list[float] = []
    if phase == "issue x1":
        await _client(url, _issuer(url, spec["kiosk"], 0), end, records)
    elif phase == "issue x20":
        await asyncio.gather(*(_client(url, _issuer(url, spec["kiosk"], n), end, records) for n in range(20)))
    elif phase == "call x20":
        await asyncio.gather(*(_client(url, _caller(url, w, c), end, records) for w, c in spec["windows"].items()))
    else:
        await _push(url, spec, end, records, delays)
    return records, delays


class Sightings:
    """When a display first showed each call, and the delays from sending calls to that (``shown``: the caller's on_call)."""

    def __init__(self, calls: list[Record], delays: list[float]) -> None:
        self.calls, self.delays, self.arrived = calls, delays, {}
        self._waiting: dict[Any, asyncio.Future[float]] = {}

    def seen(self, key: Any, now: float) -> None:
        self.arrived.setdefault(key, now)
        future = self._waiting.pop(key, None)
        if future is not None and not future.done():
            future.set_result(now)

    async def shown(self, key: Any) -> None:
        sent = self.calls[-1][1]  # this call's own record, appended just before
        if key not in self.arrived:
            self._waiting[key] = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(asyncio.shield(self._waiting[key]), 10.0)
            except asyncio.TimeoutError:
                return
        self.delays.append((self.arrived[key] - sent) * 1000)


async def _push(url: str, spec: dict[str, Any], end: float, records: list[Record], delays: list[float]) -> None:
    from websockets.asyncio.client import connect

    loop = asyncio.get_running_loop()
    window, credentials = next(iter(spec["windows"].items()))
    calls: list[Record] = []
    issued: list[Record] = []
    sightings = Sightings(calls, delays)
    ws_url = url.replace("http", "ws") + "/v1/stream?after=" + str(spec["after"])
    async with connect(ws_url, additional_headers={"Authorization": f"Bearer {spec['display']}"},
                       max_size=2**24, ping_interval=None) as websocket:

        async def display() -> None:
            async for message in websocket:
                now = loop.time()
                for event in json.loads(message):
                    if event["kind"] == "called":
                        sightings.seen(event["seq"], now)

        watcher = asyncio.create_task(display())
        await asyncio.gather(_client(url, _caller(url, window, credentials), end, calls, PUSH_PAUSE, sightings.shown),
                             *(_client(url, _issuer(url, spec["kiosk"], n), end, issued) for n in range(PUSH_ISSUERS)))
        watcher.cancel()
        records.extend(calls + issued)


def _check_log(url: str, token: str, after: int) -> dict[str, int]:
    """The hub's log after the phase: sequence gaps, tickets called twice."""
    from counter_app.hub.client import HubClient

    called: Counter[str] = Counter()
    gaps, last = 0, after
    with HubClient(url, token, timeout=60) as client:
        while True:
            page = client.events(after=last, limit=5000)["events"]
            if not page:
                break
            for event in page:
                gaps += event["seq"] != last + 1
                last = event["seq"]
                if event["kind"] == "called":
                    called[event["ticket_id"]] += 1
    return {"log_gaps": gaps, "log_double_calls": sum(1 for n in called.values() if n > 1)}


def run_phase(phase: str, tree: Path, template: Path, spec: dict[str, Any], folder: Path,
              duration: float) -> dict[str, Any]:
    from counter_app.hub.client import HubClient

    data = copy_database(template, folder / "hub")
    hub = HubProcess(tree, data, folder / "hub.log")
    try:
        with HubClient(hub.url, spec["kiosk"], timeout=60) as client:
            health = client.health()
        after = health["seq"]
        cpu_before = hub.cpu()
        began = time.perf_counter()
        records, delays = asyncio.run(_load(phase, hub.url, {**spec, "after": after}, duration))
        elapsed = time.perf_counter() - began
        cpu = hub.cpu() - cpu_before
        with HubClient(hub.url, spec["kiosk"], timeout=60) as client:
            ended = client.health()
        checks = _check_log(hub.url, spec["kiosk"], after)
    finally:
        hub.stop()
    ops_per_commit = round((ended.get("committed_operations", 0) - health.get("committed_operations", 0))
                           / max(ended.get("committed_batches", 0) - health.get("committed_batches", 0), 1), 1)
    return summarise(phase, records, delays, elapsed, cpu, checks["log_double_calls"], checks["log_gaps"],
                     ops_per_commit)


def summarise(phase: str, records: list[Record], delays: list[float], elapsed: float, cpu: float,
              logged_double_calls: int = 0, log_gaps: int = 0, ops_per_commit: float | None = None) -> dict[str, Any]:
    """A phase's figures from its records: throughput, latency percentiles, the server's CPU a
    request, and what was issued or called twice (by the answers, plus what the server's own log says)."""
    ok = [r for r in records if r[3] == 200]
    numbers = Counter(r[4] for r in ok if r[0] == "issue")
    calls = Counter(r[4][0] for r in ok if r[0] == "call" and r[4] is not None)
    latencies = [(r[2] - r[1]) * 1000 for r in records]
    result = {
        "phase": phase, "operations": len(records), "errors": len(records) - len(ok),
        "ops_per_s": round(len(ok) / elapsed, 1),
        "calls_per_s": round(sum(1 for r in ok if r[0] == "call") / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2), "p90_ms": round(percentile(latencies, 90), 2),
        "p99_ms": round(percentile(latencies, 99), 2), "max_ms": round(max(latencies, default=float("nan")), 2),
        "hub_cpu_ms_per_op": round(cpu * 1000 / max(len(records), 1), 3),
        "hub_cpu_pct": round(cpu * 100 / elapsed, 1),
        "duplicates": sum(1 for n in numbers.values() if n > 1) + sum(1 for n in calls.values() if n > 1)
        + logged_double_calls,
        "log_gaps": log_gaps,
        "ops_per_commit": ops_per_commit,
        "empty_calls": sum(1 for r in ok if r[0] == "call" and r[4] is None),
    }
    if phase == "push":
        result["push_calls"] = len(delays)
        result["push_p50_ms"] = round(percentile(delays, 50), 2)
        result["push_p99_ms"] = round(percentile(delays, 99), 2)
    return result


# --- the run ------------------------------------------------------------------------------------

def run(duration: float = 6.0, baseline: Path | None = None, rounds: int = 1, folder: Path | None = None,
        phases: tuple[str, ...] = PHASES, databases: tuple[str, ...] = ("fresh", "day-old"),
        quiet: bool = False, floor_seconds: float = 1.0) -> dict[str, Any]:
    own_folder = folder is None
    folder = Path(folder or tempfile.mkdtemp(prefix="bench-hub-closed-"))
    trees = {"before": baseline, "after": ROOT} if baseline else {"after": ROOT}
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    floors = [sqlite_floor(folder, floor_seconds)]
    waiting = int(500 + duration * 2500)  # more than 20 windows call in a phase
    templates: dict[tuple[str, bool], tuple[Path, dict[str, Any]]] = {}
    older = {name: head for name, tree in trees.items() if (head := schema_head(Path(tree))) != schema_head(ROOT)}
    for db in databases:
        for filled in (False, True):
            say(f"making the {db} database{' with a full waiting room' if filled else ''} ...")
            path = folder / f"template-{db}-{int(filled)}"
            spec = make_template(path, db == "day-old", waiting if filled else 0)
            templates[db, filled] = (path, spec)
            for name, head in older.items():  # the same rows at the schema that tree knows
                say(f"  ... and at schema {head} for {name}")
                at_schema(path, folder / f"template-{db}-{int(filled)}-{name}", str(head))
    results: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    turn = 0
    for round_no in range(rounds):
        for db in databases:
            for phase in phases:
                path, spec = templates[db, phase in ("call x20", "push")]
                order = list(trees.items())
                if turn % 2:
                    order.reverse()
                turn += 1
                for name, tree in order:
                    say(f"round {round_no + 1}/{rounds} {db} {phase}: {name} ({tree}) ...")
                    where = folder / f"run-{turn}-{name}"
                    database = path.with_name(f"{path.name}-{name}") if name in older else path
                    result = run_phase(phase, Path(tree), database, spec, where, duration)
                    shutil.rmtree(where / "hub", ignore_errors=True)
                    results.setdefault(db, {}).setdefault(phase, {}).setdefault(name, []).append(result)
        floors.append(sqlite_floor(folder, floor_seconds))
    if own_folder:
        shutil.rmtree(folder, ignore_errors=True)  # its databases (a hub that failed to start raised before, naming its log)
    return {"duration_s": duration, "rounds": rounds, "trees": {k: str(v) for k, v in trees.items()},
            "schemas": {name: schema_head(Path(tree)) for name, tree in trees.items()},
            "sqlite_commits_per_s": [round(f) for f in floors], "results": results,
            "load_average": os.getloadavg()[0]}


ROWS = (("ops/s", "ops_per_s"), ("p50 ms", "p50_ms"), ("p90 ms", "p90_ms"), ("p99 ms", "p99_ms"),
        ("max ms", "max_ms"), ("hub CPU ms/op", "hub_cpu_ms_per_op"), ("hub CPU %", "hub_cpu_pct"),
        ("ops per commit", "ops_per_commit"), ("push p50 ms", "push_p50_ms"), ("push p99 ms", "push_p99_ms"), ("duplicates", "duplicates"),
        ("log gaps", "log_gaps"), ("errors", "errors"), ("calls with nobody", "empty_calls"))


def _median(runs: list[dict[str, Any]], key: str) -> Any:
    values = [r[key] for r in runs if key in r]
    if not values:
        return None
    if key in ("duplicates", "log_gaps", "errors", "empty_calls"):  # counts: summed over the rounds
        return sum(values)
    return round(statistics.median(values), 3)


def print_table(report: dict[str, Any]) -> None:
    names = list(report["trees"])
    floor = report["sqlite_commits_per_s"]
    print(f"raw SQLite commits/s (WAL, synchronous=FULL), start / after each round: {floor} "
          f"(= {1000 / statistics.median(floor):.3f} ms a commit); load average {report['load_average']:.2f}")
    print(f"{report['rounds']} round(s) of {report['duration_s']} s a phase; medians over rounds; "
          + ", ".join(f"{n} = {t} (schema {report['schemas'][n]})" for n, t in report["trees"].items()))
    head = f"{'database / phase':<22}{'figure':<18}" + "".join(f"{n:>12}" for n in names)
    if len(names) == 2:
        head += f"{'after/before':>14}"
    print(head)
    for db, phases in report["results"].items():
        for phase, by_tree in phases.items():
            for label, key in ROWS:
                values = [_median(by_tree[n], key) for n in names]
                if all(v is None for v in values):
                    continue
                line = f"{db + ' / ' + phase:<22}{label:<18}" + "".join(f"{v!s:>12}" for v in values)
                if len(names) == 2 and all(isinstance(v, (int, float)) and v for v in values) \
                        and key not in ("duplicates", "log_gaps", "errors", "empty_calls"):
                    line += f"{values[1] / values[0]:>14.2f}"
                print(line)
            print()
    print(f"goals: hub CPU ms/op after <= 0.5 x before; p99 <= {GOAL_P99_MS:.0f} ms at 20 clients; push p99 <= "
          f"{GOAL_P99_MS:.0f} ms; duplicates 0; log gaps 0")
    print(json.dumps(report))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=6.0, help="seconds a phase (default 6)")
    parser.add_argument("--baseline-tree", type=Path, help="also measure a hub run from this checkout, side by side")
    parser.add_argument("--rounds", type=int, default=1, help="repeat every phase this often (medians)")
    parser.add_argument("--phase", action="append", choices=PHASES, help="only this phase (repeatable)")
    parser.add_argument("--database", action="append", choices=("fresh", "day-old"), help="only this database")
    args = parser.parse_args(argv)
    print_table(run(args.duration, args.baseline_tree, args.rounds, phases=tuple(args.phase or PHASES),
                    databases=tuple(args.database or ("fresh", "day-old"))))
    return 0


@pytest.mark.perf
def test_bench_hub_closed_smoke(tmp_path: Path) -> None:
    """That the closed-loop benchmark runs and its figures are sane: nothing issued or called
    twice, no gap in the log, every answer 200, the push phase saw its calls on the display."""
    report = run(duration=0.6, folder=tmp_path, databases=("fresh",), quiet=True, floor_seconds=0.2)
    phases = report["results"]["fresh"]
    assert set(phases) == set(PHASES)
    for phase, by_tree in phases.items():
        result = by_tree["after"][0]
        assert result["duplicates"] == 0 and result["log_gaps"] == 0 and result["errors"] == 0, result
        assert result["ops_per_s"] > 0 and result["hub_cpu_ms_per_op"] > 0, result
        assert 0 <= result["p50_ms"] <= result["p99_ms"] <= result["max_ms"], result
    assert phases["push"]["after"][0]["push_calls"] >= 1
    assert report["sqlite_commits_per_s"][0] > 0


if __name__ == "__main__":
    raise SystemExit(main())
