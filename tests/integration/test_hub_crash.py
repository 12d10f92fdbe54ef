"""Kill the hub process with SIGKILL in the middle of load, start it again on the same
database, and check that everything the clients were told happened is there, exactly once,
and that the tickets and windows the hub restores agree with its event log."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from counter_app.core.paths import DataPaths
from counter_app.core.serving import end_process
from counter_app.domain.queue_rules import FINAL_STATES, QUEUED_STATES
from counter_app.hub.client import HubClient, HubUnavailable
from tests.integration.queue_fixtures import (
    KIOSK_TOKEN,
    TEST_PASSWORD,
    Hall,
    HallClient,
    clerk_no,
    counter_token,
    hall_database,
)

WINDOWS = range(1, 9)


class HubProcess:
    def __init__(self, data_dir: Path, log: Path) -> None:
        self.log = log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "counter_app.hub.server", "--data-dir", str(data_dir), "--port", "0",
             "--no-reset"],
            stdout=subprocess.PIPE, stderr=self.log, cwd=Path(__file__).resolve().parents[2])
        assert self.proc.stdout is not None
        line = b""
        deadline = time.monotonic() + 30
        while not line.startswith(b"HUB LISTENING") and time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line and self.proc.poll() is not None:
                raise RuntimeError(f"hub exited with {self.proc.returncode}; see {log}")
        self.url = line.decode().split()[-1]

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self.close()

    def stop(self) -> None:
        end_process(self.proc, timeout=10)
        self.close()

    def close(self) -> None:
        if self.proc.stdout:
            self.proc.stdout.close()
        self.log.close()


class Load:
    """Counters (call next, finish every other ticket) and kiosks (issue) hammering the hub;
    every answer received is an acknowledgement to check after the crash."""

    def __init__(self, url: str, hall: Hall) -> None:
        self.url, self.hall = url, hall
        self.sessions: dict[int, str] = {}
        for window in WINDOWS:  # each counter PC logs its clerk in at the hub (argon2: not under the load)
            with HubClient(url, counter_token(window), timeout=60) as client:
                client.login(clerk_no(window), TEST_PASSWORD, window)
                self.sessions[window] = client.sessions[window]
        self.acked: list[dict[str, Any]] = []  # answers (each with its events)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.counter, args=(w,)) for w in WINDOWS]
        self.threads += [threading.Thread(target=self.kiosk, args=(k,)) for k in range(3)]

    def record(self, answer: dict[str, Any]) -> None:
        with self.lock:
            self.acked.append(answer)

    def counter(self, window: int) -> None:
        clerk = self.hall.clerk(window)
        with HubClient(self.url, counter_token(window), timeout=3) as client:
            client.sessions[window] = self.sessions[window]  # logged in before the load started
            n = 0
            while not self.stop.is_set():
                try:
                    self.record(client.finish(window, clerk) if n % 3 == 2 and self.holding(client, window)
                                else client.call_next(window, clerk))
                except HubUnavailable:
                    return
                n += 1

    def holding(self, client: HubClient, window: int) -> bool:
        with self.lock:
            mine = [a for a in self.acked if a.get("window", {}).get("number") == window]
        return bool(mine) and mine[-1]["window"]["current"] is not None

    def kiosk(self, k: int) -> None:
        with HubClient(self.url, KIOSK_TOKEN, timeout=3) as client:
            n = 0
            while not self.stop.is_set():
                try:
                    self.record(client.issue_ticket("ABCD"[(n + k) % 4], "green" if n % 7 == 0 else "normal"))
                except HubUnavailable:
                    return
                n += 1


def whole_log(client: HubClient) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while True:
        page = client.events(after=events[-1]["seq"] if events else 0, limit=5000)["events"]
        if not page:
            return events
        events.extend(page)


@pytest.mark.slow
def test_sigkill_mid_load_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    node, hall = hall_database(tmp_path / "hub")
    node.dispose()
    hub = HubProcess(tmp_path / "hub", tmp_path / "hub.log")
    with HallClient(hub.url, hall) as setup:
        for window in WINDOWS:
            setup.open_window(window, hall.clerk(window))
        for n in range(40):
            setup.issue_ticket("ABCD"[n % 4])
    load = Load(hub.url, hall)
    for thread in load.threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(load.acked) < 400 and time.monotonic() < deadline:
        time.sleep(0.05)
    hub.kill()  # mid-load: requests are in flight
    load.stop.set()
    for thread in load.threads:
        thread.join(15)
    assert len(load.acked) >= 400

    hub = HubProcess(tmp_path / "hub", tmp_path / "hub.log")
    try:
        with HallClient(hub.url, hall) as client:
            log = whole_log(client)
            by_seq = {e["seq"]: e for e in log}
            assert [e["seq"] for e in log] == list(range(1, len(log) + 1))  # no gap, no duplicate

            acked_events = [e for answer in load.acked for e in answer["events"]]
            for event in acked_events:  # nothing acknowledged is lost, nothing changed
                assert by_seq[event["seq"]] == event

            calls: dict[str, int] = defaultdict(int)
            for event in log:
                if event["kind"] == "called":
                    calls[event["ticket_id"]] += 1
            assert max(calls.values()) == 1  # nobody called twice, so never to two windows

            state = client.state()
            check_state_matches_log(state, log)
            assert all(w["state"] == "open" and w["clerk_id"] == hall.clerk(w["number"]) for w in state["windows"])

            issued = [a["ticket"] for a in load.acked if "waiting_ahead" in a]
            for ticket in issued:
                assert client.ticket(ticket["id"])["number"] == ticket["number"]
            after = client.issue_ticket("A")["ticket"]["number"]
            assert after not in {e["number"] for e in log if e["kind"] == "issued"}
            assert client.call_next(1, hall.clerk(1))["seq"] > len(log)
    finally:
        hub.stop()
    check_numbers_unique(DataPaths(tmp_path / "hub").database)


def check_state_matches_log(state: dict[str, Any], log: list[dict[str, Any]]) -> None:
    """Replaying the log gives the tickets' states and the windows' current tickets that
    the restarted hub shows."""
    last: dict[str, dict[str, Any]] = {}
    current: dict[int, str | None] = {}
    for event in log:
        if event["ticket_id"] is None:
            continue
        last[event["ticket_id"]] = event
        if event["kind"] in ("called", "called_back", "recalled", "serving"):
            current[event["window"]] = event["number"]
        elif event["window"] is not None and current.get(event["window"]) == event["number"]:
            current[event["window"]] = None
    waiting = sorted(e["number"] for e in last.values() if e["state"] in QUEUED_STATES)
    assert sorted(t["number"] for t in state["waiting"]) == waiting
    for window in state["windows"]:
        assert (window["current"] or {}).get("number") == current.get(window["number"])
    assert sum(s["waiting"] for s in state["services"]) == len(waiting)
    assert all(e["state"] in FINAL_STATES or e["state"] in QUEUED_STATES or e["state"] in ("called", "serving")
               for e in last.values())


def check_numbers_unique(database: Path) -> None:
    connection = sqlite3.connect(database)
    try:
        duplicates = connection.execute(
            "SELECT number, business_date, count(*) FROM ticket GROUP BY service_id, business_date, number "
            "HAVING count(*) > 1").fetchall()
        orphans = connection.execute(
            "SELECT count(*) FROM ticket_event WHERE outbox_event_id NOT IN (SELECT event_id FROM outbox_event)"
        ).fetchone()[0]
    finally:
        connection.close()
    assert duplicates == [] and orphans == 0
