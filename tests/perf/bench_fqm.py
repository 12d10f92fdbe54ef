"""Our hub against FQM (Free Queue Manager, github.com/mrf345/FQM), side by side, in bench_hub_closed's phases.

    .venv/bin/python tests/perf/bench_fqm.py [--fqm-dir /work/fqm] [--duration 4] [--rounds 1]
        [--database fresh --database day-old] [--phase ...] [--variant fqm --variant fqm-nodelay]
        [--poll-ms 0] [--json FILE]

Issue 15 set "≥ 10× FQM on every phase". Each phase runs against our hub (bench_hub_closed's own
run_phase), against FQM as shipped (``fqm``) and against FQM with TCP_NODELAY on its connections
(``fqm-nodelay``: gevent's pywsgi writes a response's head and body separately, so with Nagle's
algorithm every keep-alive answer waits ~40 ms for the client's delayed ACK; this variant shows
what FQM's own work costs), one after the other in a rotating order, in the same invocation; the
table prints each and the hub's advantage (hub/FQM for ops/s, FQM/hub for latencies and CPU):

* ``issue x1``, ``issue x20``: 1 and 20 kiosks taking tickets flat out. FQM: ``POST
  /api/v1/tickets/`` (its REST API; the touch screen's ``/serial/<task>`` renders pages) with
  ``task_id`` (tasks A, B, C, D, asked for in the hub's AAAABBCD proportion) and ``office_id``
  (given, so FQM does not count each office's tickets to pick the emptiest);
* ``call x20``: 20 windows calling flat out. Our windows call next AND finish (2 requests a
  ticket); FQM has no finish: ``GET /api/v1/tickets/pull?office_id=W`` marks the next ticket
  processed. Compare ``calls/s``, not ops/s, for that phase;
* ``push``: one window calls (pausing 20 ms between calls) while 5 kiosks take tickets flat out;
  the delay from sending the call to the display seeing it. Ours: the ``/v1/stream`` websocket.
  FQM's display has no push: its page polls ``GET /feed``; here one poller sends it back to back
  (``--poll-ms`` between polls, default 0) with the display's session cookie, and the call counts as
  shown when the feed's current ticket (``cot``, "<number> <name>" with the display option
  "always show ticket number" on) first names the called ticket. A browser display polls less
  often, so FQM's real delay is this plus up to its polling interval.

Server CPU per operation: CPU time of the server's process tree (psutil) over the phase, divided
by the requests answered (FQM's feed polls are not counted as operations, but their CPU is).
Both start each phase from a copy of the same state: 20 windows (FQM: 20 offices, prefixes A..T,
every task common to all), an empty or full waiting room (``500 + 2500 × duration`` tickets)
and, for ``day-old``, yesterday's 10,000 tickets served. FQM keeps its tickets (no daily reset)
and numbers on from the highest. Duplicates: a number issued twice or a ticket called twice in
the answers, plus (FQM) numbers that occur twice in its database after the phase.

Setting FQM up (outside this repository; none of its code is committed here):

    1. FQM's ``run.py`` and ``app/`` package in /work/fqm: ``git clone https://github.com/mrf345/FQM
       /work/fqm`` (the copy measured was rebuilt from its last revision's Python files; see
       /work/wt/NOTES-fqm.md for what it left out).
    2. python3 -m venv /work/fqm/.venv && /work/fqm/.venv/bin/pip install -r requirements/main.txt
       gevent gunicorn==20.1.0   (on Python 3.11: Pillow==10.2.0 instead of 9.2.0)
    3. /work/fqm/gt_cached.json, FQM's Google-translate cache, must hold {"Empty": {"en": "Empty"}}
       (the feed translates "Empty"; this machine has no route to Google). Without FQM's file:
       echo '{"": {}, "Empty": {"en": "Empty"}}' > /work/fqm/gt_cached.json
    4. /work/fqm/migrations: FQM's own (a Flask-Migrate folder); if it is missing, make an empty
       one: ``flask db init`` (Flask-Migrate's init()). FQM upgrades an existing database at start
       and exits if the folder is not there.
    5. Nothing else: each phase builds FQM's database itself (its own create_db: tables, default
       records, the Admin/admin user), adds offices, tasks, an API token, and turns off the
       text-to-speech caching task (it calls Google every second), then runs FQM as its run
       script does, ``python run.py --cli --ip 127.0.0.1 --port P --quiet``: gevent's pywsgi
       WSGIServer, one process.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from counter_app.core.serving import end_process  # noqa: E402
from tests.perf import bench_hub_closed as closed  # noqa: E402

DEFAULT_FQM_DIR = Path("/work/fqm")
START_TIMEOUT = 90.0

# Run by FQM's own interpreter in the new database's folder: FQM makes its database, then the
# benchmark's branch is added to it. argv: windows, day-old tickets, waiting tickets.
SETUP = r'''
import json, sys
from datetime import datetime, timedelta
from app.main import bundle_app, create_db
from app.middleware import db
import app.database as data

windows, day_old, waiting = map(int, sys.argv[1:4])
fqm = bundle_app({"MIGRATION": True})  # no database work nor background tasks yet ...
create_db(fqm)                         # ... then FQM's own: tables, default records, Admin user
with fqm.app_context():
    data.BackgroundTask.get(name="CacheTicketsAnnouncements").enabled = False
    data.Display_store.get().always_show_ticket_number = True
    offices = [data.Office(str(w), chr(64 + w)) for w in range(1, windows + 1)]
    db.session.add_all(offices)
    db.session.commit()
    tasks = {letter: data.Task(letter) for letter in "ABCD"}
    for task in tasks.values():
        task.offices.extend(offices)
    db.session.add_all(tasks.values())
    db.session.commit()
    for office in offices:  # the placeholder ticket (number 100) FQM adds with an office's first task
        db.session.add(data.Serial(office_id=office.id, task_id=tasks["A"].id, p=True))
    token = data.AuthTokens("bench")
    db.session.add(token)
    db.session.commit()
    rows, now = [], datetime.utcnow()  # yesterday's served tickets, then today's waiting room
    for n in range(day_old + waiting):
        served = n < day_old
        at = now - (timedelta(days=1) - timedelta(seconds=n) if served else timedelta(hours=1) - timedelta(milliseconds=n))
        rows.append(dict(number=101 + n, timestamp=at, date=at.date(), name=f"t{n}", n=True, p=served,
                         pdt=at + timedelta(minutes=5) if served else None, pulledBy=int(served), on_hold=False,
                         status="Processed" if served else "Waiting", office_id=offices[n % windows].id,
                         task_id=tasks["AAAABBCD"[n % 8]].id))
    for first in range(0, len(rows), 5000):
        db.session.execute(data.Serial.__table__.insert(), rows[first:first + 5000])
    db.session.commit()
    print(json.dumps({"token": token.token, "offices": [o.id for o in offices],
                      "tasks": {k: t.id for k, t in tasks.items()}}))
'''


class Fqm:
    """Where FQM is: its folder (run.py, app/, gt_cached.json) and its virtualenv's python."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.python = folder / ".venv" / "bin" / "python"

    def missing(self) -> str | None:
        for need in (self.folder / "run.py", self.folder / "app" / "cli.py", self.folder / "migrations", self.python):
            if not need.exists():
                return str(need)
        return None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DOCKER", "DATABASE_URI", "MIGRATION")}
        return {**env, "PYTHONPATH": str(self.folder), "SECRET_KEY": "bench-fqm"}

    def make_template(self, folder: Path, day_old: bool, waiting: int) -> dict[str, Any]:
        folder.mkdir(parents=True)
        (folder / "migrations").symlink_to(self.folder / "migrations")
        cache = self.folder / "gt_cached.json"
        (folder / "gt_cached.json").write_text(cache.read_text() if cache.exists() else '{"": {}, "Empty": {"en": "Empty"}}')
        done = subprocess.run([str(self.python), "-c", SETUP, str(closed.WINDOWS),
                               str(closed.DAY_OLD_TICKETS if day_old else 0), str(waiting)],
                              cwd=folder, env=self.env(), capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"FQM's database could not be made in {folder}:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])


# The "nodelay" variant (the benchmark's code, not FQM's): FQM's run.py under a gevent pywsgi whose
# connections have TCP_NODELAY, as uvicorn's have. pywsgi sends a response's head and body in two
# writes; with Nagle's algorithm on, the body waits for the client's (delayed) ACK of the head:
# about 40 ms on every keep-alive answer, whatever FQM itself costs.
NODELAY = r'''
import runpy, socket, sys
from gevent import pywsgi

_handle = pywsgi.WSGIHandler.handle


def handle(self):
    self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return _handle(self)


pywsgi.WSGIHandler.handle = handle
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
'''
VARIANTS = {"fqm": "FQM as shipped (run.py --cli: gevent pywsgi, 1 process)",
            "fqm-nodelay": "the same with TCP_NODELAY on its connections"}


class FqmProcess:
    """FQM as its run script runs it (``run.py --cli``: gevent pywsgi, one process) in ``data_dir``;
    ``nodelay``: with TCP_NODELAY set on each connection (NODELAY above)."""

    def __init__(self, fqm: Fqm, data_dir: Path, log: Path, token: str, nodelay: bool = False) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self._log = log.open("wb")
        launch = ["-c", NODELAY] if nodelay else []
        self.proc = subprocess.Popen([str(fqm.python), *launch, str(fqm.folder / "run.py"), "--cli", "--quiet",
                                      "--ip", "127.0.0.1", "--port", str(self.port)],
                                     stdout=self._log, stderr=subprocess.STDOUT, cwd=data_dir, env=fqm.env())
        self.url = f"http://127.0.0.1:{self.port}"
        self.cookie = self._wait_ready(token, log)

    def _wait_ready(self, token: str, log: Path) -> str:
        """Wait until the API answers; then the display's session cookie (its language set, as
        the display page's first visit does; the feed fails without one)."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"FQM did not start; see {log}:\n{log.read_text()[-2000:]}")
            try:
                status, _ = _fetch(self.port, "/api/v1/tasks/", {"Authorization": f"Bearer {token}"})
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/language_switch/en")
        answer = connection.getresponse()
        answer.read()
        connection.close()
        return answer.getheader("Set-Cookie", "").split(";")[0]

    def cpu(self) -> float:
        import psutil

        try:
            parent = psutil.Process(self.proc.pid)
            tree = [parent, *parent.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0.0
        total = 0.0
        for proc in tree:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def stop(self) -> None:
        end_process(self.proc, timeout=20, name="FQM")
        self._log.close()


def _fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def _http(host: str, method: str, path: str, header: str, body: dict[str, Any] | None = None) -> bytes:
    """A request's bytes; ``host`` must be FQM's own address (it sets SERVER_NAME to it and answers
    404 to any other Host)."""
    payload = json.dumps(body).encode() if body is not None else b""
    extra = f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n" if body is not None else ""
    return f"{method} {path} HTTP/1.1\r\nHost: {host}\r\n{header}\r\n{extra}\r\n".encode() + payload


def fqm_answer(kind: str, answer: Any) -> Any:
    """What FQM's ticket answer says: the number issued, or (ticket id, number) for a pull."""
    if kind == "issue":
        return int(answer["number"])
    if kind == "call":
        return answer["id"], int(answer["number"])
    return None


def _issuer(spec: dict[str, Any], n: int) -> list[tuple[str, bytes]]:
    offices = spec["offices"]
    return [("issue", _http(spec["host"], "POST", "/api/v1/tickets/", f"Authorization: Bearer {spec['token']}",
                            {"task_id": spec["tasks"][closed.SERVICES[(n + i) % 8]],
                             "office_id": offices[(n + i) % len(offices)], "name": f"k{n}"}))
            for i in range(len(closed.SERVICES))]


def _caller(spec: dict[str, Any], window: int) -> list[tuple[str, bytes]]:
    office = spec["offices"][window - 1]
    return [("call", _http(spec["host"], "GET", f"/api/v1/tickets/pull?office_id={office}",
                           f"Authorization: Bearer {spec['token']}"))]


async def _load(phase: str, url: str, spec: dict[str, Any], duration: float,
                poll_s: float) -> tuple[list[closed.Record], list[float], int]:
    loop = asyncio.get_running_loop()
    end = loop.time() + duration
    records: list[closed.Record] = []
    delays: list[float] = []
    if phase == "issue x1":
        await closed._client(url, _issuer(spec, 0), end, records, parse=fqm_answer)
    elif phase == "issue x20":
        await asyncio.gather(*(closed._client(url, _issuer(spec, n), end, records, parse=fqm_answer)
                               for n in range(20)))
    elif phase == "call x20":
        await asyncio.gather(*(closed._client(url, _caller(spec, w), end, records, parse=fqm_answer)
                               for w in range(1, closed.WINDOWS + 1)))
    else:
        return records, delays, await _push(url, spec, end, records, delays, poll_s)
    return records, delays, 0


async def _push(url: str, spec: dict[str, Any], end: float, records: list[closed.Record], delays: list[float],
                poll_s: float) -> int:
    """One window calls, 5 kiosks issue, one display polls /feed: the delay from sending a call to
    the first feed that names it as the current ticket. Returns the number of polls."""
    loop = asyncio.get_running_loop()
    calls: list[closed.Record] = []
    issued: list[closed.Record] = []
    sightings = closed.Sightings(calls, delays)
    host, port = url.split("//")[1].split(":")
    polls = 0

    async def display() -> None:
        nonlocal polls
        reader, writer = await asyncio.open_connection(host, int(port))
        request = _http(spec["host"], "GET", "/feed", f"Cookie: {spec['cookie']}")
        try:
            while loop.time() < end + 10:
                writer.write(request)
                status, data = await closed._response(reader)
                polls += 1
                current = json.loads(data).get("cot", "") if status == 200 else ""
                if current[:1].isdigit():  # "<number> <name>"
                    sightings.seen(int(current.split()[0]), loop.time())
                if poll_s:
                    await asyncio.sleep(poll_s)
        finally:
            writer.close()

    watcher = asyncio.create_task(display())
    await asyncio.gather(closed._client(url, _caller(spec, 1), end, calls, closed.PUSH_PAUSE, sightings.shown,
                                        parse=fqm_answer),
                         *(closed._client(url, _issuer(spec, n), end, issued, parse=fqm_answer)
                           for n in range(closed.PUSH_ISSUERS)))
    watcher.cancel()
    records.extend(calls + issued)
    return polls


def _duplicate_numbers(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT COUNT(*) FROM (SELECT number FROM serials WHERE number != 100 "
                          "GROUP BY number HAVING COUNT(*) > 1)").fetchone()[0]


def run_fqm_phase(phase: str, fqm: Fqm, template: Path, spec: dict[str, Any], folder: Path, duration: float,
                  poll_s: float, nodelay: bool = False) -> dict[str, Any]:
    data = closed.copy_database(template, folder / "fqm")
    (data / "migrations").symlink_to(fqm.folder / "migrations")  # FQM runs in its own folder, where these are
    server = FqmProcess(fqm, data, folder / "fqm.log", spec["token"], nodelay)
    try:
        cpu_before = server.cpu()
        began = time.perf_counter()
        records, delays, polls = asyncio.run(_load(phase, server.url, {**spec, "cookie": server.cookie,
                                                                            "host": server.url.split("//")[1]},
                                                   duration, poll_s))
        elapsed = time.perf_counter() - began
        cpu = server.cpu() - cpu_before
    finally:
        server.stop()
    result = closed.summarise(phase, records, delays, elapsed, cpu, _duplicate_numbers(data / "data.sqlite"))
    if phase == "push":
        result["feed_polls_per_s"] = round(polls / elapsed, 1)
    return result


# --- the run ------------------------------------------------------------------------------------

def run(fqm: Fqm, duration: float = 4.0, rounds: int = 1, phases: tuple[str, ...] = closed.PHASES,
        databases: tuple[str, ...] = ("fresh",), poll_ms: float = 0.0, folder: Path | None = None,
        quiet: bool = False, variants: tuple[str, ...] = tuple(VARIANTS)) -> dict[str, Any]:
    own_folder = folder is None
    folder = Path(folder or tempfile.mkdtemp(prefix="bench-fqm-"))
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    load_before = os.getloadavg()
    waiting = int(500 + duration * 2500)
    templates: dict[tuple[str, str, bool], tuple[Path, dict[str, Any]]] = {}
    for db in databases:
        for filled in (False, True):
            say(f"making the {db} databases{' with a full waiting room' if filled else ''} (hub, FQM) ...")
            path = folder / f"hub-{db}-{int(filled)}"
            templates["hub", db, filled] = path, closed.make_template(path, db == "day-old", waiting if filled else 0)
            path = folder / f"fqm-{db}-{int(filled)}"
            templates["fqm", db, filled] = path, fqm.make_template(path, db == "day-old", waiting if filled else 0)
    results: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    turn = 0
    for round_no in range(rounds):
        for db in databases:
            for phase in phases:
                filled = phase in ("call x20", "push")
                servers = ["hub", *variants]
                order = servers[turn % len(servers):] + servers[:turn % len(servers)]
                turn += 1
                for name in order:
                    say(f"round {round_no + 1}/{rounds} {db} {phase}: {name} ...")
                    where = folder / f"run-{turn}-{name}"
                    path, spec = templates["hub" if name == "hub" else "fqm", db, filled]
                    if name == "hub":
                        result = closed.run_phase(phase, ROOT, path, spec, where, duration)
                    else:
                        result = run_fqm_phase(phase, fqm, path, spec, where, duration, poll_ms / 1000,
                                               name == "fqm-nodelay")
                    shutil.rmtree(where, ignore_errors=True)
                    results.setdefault(db, {}).setdefault(phase, {}).setdefault(name, []).append(result)
    if own_folder:
        shutil.rmtree(folder, ignore_errors=True)
    return {"duration_s": duration, "rounds": rounds, "fqm_dir": str(fqm.folder), "poll_ms": poll_ms,
            "servers": {"hub": "our hub (python -m counter_app.hub.server)", **{v: VARIANTS[v] for v in variants}},
            "results": results,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()]}


ROWS = (("ops/s", "ops_per_s", True), ("calls/s", "calls_per_s", True), ("p50 ms", "p50_ms", False),
        ("p90 ms", "p90_ms", False), ("p99 ms", "p99_ms", False), ("max ms", "max_ms", False),
        ("server CPU ms/op", "hub_cpu_ms_per_op", False), ("server CPU %", "hub_cpu_pct", None),
        ("push p50 ms", "push_p50_ms", False), ("push p99 ms", "push_p99_ms", False),
        ("push calls seen", "push_calls", None), ("feed polls/s", "feed_polls_per_s", None),
        ("duplicates", "duplicates", None), ("errors", "errors", None))
COUNTS = ("duplicates", "errors", "push_calls")


def _median(runs: list[dict[str, Any]], key: str) -> Any:
    values = [r[key] for r in runs if key in r]
    if not values:
        return None
    return sum(values) if key in COUNTS else round(statistics.median(values), 3)


def print_table(report: dict[str, Any]) -> None:
    names = list(report["servers"])
    print(f"{report['rounds']} round(s) of {report['duration_s']} s a phase, medians over rounds; FQM from "
          f"{report['fqm_dir']}; FQM's display polled every {report['poll_ms']} ms; "
          + "; ".join(f"{name} = {what}" for name, what in report["servers"].items()))
    print(f"load average (1/5/15 min) before {report['load_average_before']}, after {report['load_average_after']}")
    print(f"{'database / phase':<22}{'figure':<18}{'hub':>10}"
          + "".join(f"{name:>13}{'hub adv.':>10}" for name in names[1:]))
    for db, phases in report["results"].items():
        for phase, by_server in phases.items():
            for label, key, higher_better in ROWS:
                hub, *others = (_median(by_server[name], key) for name in names)
                if all(v is None for v in (hub, *others)) or (key == "calls_per_s" and not phase.startswith("call")):
                    continue
                line = f"{db + ' / ' + phase:<22}{label:<18}{hub!s:>10}"
                for other in others:
                    ratio = ""
                    if higher_better is not None and hub and other and other == other and hub == hub:
                        ratio = f"{(hub / other if higher_better else other / hub):.1f}x"
                    line += f"{other!s:>13}{ratio:>10}"
                print(line)
            print()
    print("hub advantage: hub/FQM for ops/s and calls/s, FQM/hub for times and CPU (issue 15's goal: >= 10x); "
          "call x20: our windows call AND finish (2 requests a ticket), FQM's pull is 1, so compare calls/s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fqm-dir", type=Path, default=DEFAULT_FQM_DIR, help="FQM's folder (default /work/fqm)")
    parser.add_argument("--duration", type=float, default=4.0, help="seconds a phase (default 4)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat every phase this often (medians)")
    parser.add_argument("--phase", action="append", choices=closed.PHASES, help="only this phase (repeatable)")
    parser.add_argument("--database", action="append", choices=("fresh", "day-old"),
                        help="database(s) to run on (repeatable; default fresh)")
    parser.add_argument("--poll-ms", type=float, default=0.0, help="FQM's display: pause between feed polls")
    parser.add_argument("--variant", action="append", choices=tuple(VARIANTS),
                        help="FQM as shipped (fqm) and/or with TCP_NODELAY (fqm-nodelay); default both")
    parser.add_argument("--json", type=Path, help="also write the report as JSON to this file")
    args = parser.parse_args(argv)
    fqm = Fqm(args.fqm_dir.resolve())
    missing = fqm.missing()
    if missing:
        print(f"FQM is not set up: {missing} is missing. How to set it up:\n" + __doc__.split("Setting FQM up")[1],
              file=sys.stderr)
        return 2
    report = run(fqm, args.duration, args.rounds, tuple(args.phase or closed.PHASES),
                 tuple(args.database or ("fresh",)), args.poll_ms, variants=tuple(args.variant or VARIANTS))
    print_table(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


@pytest.mark.perf
def test_bench_fqm_without_fqm_says_how_to_set_it_up(tmp_path: Path, capsys: Any) -> None:
    """CI has no FQM: the benchmark then exits 2 and prints the set-up steps, starting nothing."""
    assert main(["--fqm-dir", str(tmp_path / "no-fqm-here")]) == 2
    said = capsys.readouterr().err
    assert "no-fqm-here/run.py is missing" in said and "gt_cached.json" in said and "run.py --cli" in said


if __name__ == "__main__":
    raise SystemExit(main())
