"""The network between a branch's real sync engine and the real head office, with faults on
demand (SYNC.md c.14 item 2): each fault applies to the next request of that node (to that
path, when one is given).

- ``drop_request``: never reaches head office; ``drop_response``: head office committed, the
  answer is lost; ``status_after``: committed, then a proxy answers 502 instead;
- ``duplicate``: the very same bytes arrive twice (the copy must be refused as a replay and
  change nothing); ``concurrent``: a second worker of the node sends the same batch, newly
  signed, at the same moment (c.9 #6: applied once between them);
- ``delay``; ``status``: 500/503/429 without reaching head office;
- ``hang`` / ``hang_after``: connected and never answered, before or after head office
  committed; the clock jumps past the watchdog's limit so the watchdog tears the client down;
- ``crash_after_response``: the answer arrives and the branch dies before storing it (c.9 #5).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import datetime
from typing import Any, Callable

import httpx

from counter_app.domain.timeutil import utcnow
from counter_app.services.sync.files import read_credential
from counter_app.services.sync.transport import Answer, HttpxTransport, TransportError, signed_headers

FAULTS = ("drop_request", "drop_response", "status_after", "duplicate", "concurrent", "delay", "status",
          "hang", "hang_after", "crash_after_response")


class BranchCrash(Exception):
    """The branch process died here (raised through the engine to the simulation)."""


class SimClock:
    """Real wall time (head office checks request timestamps); a monotonic clock that a hang
    pushes past the watchdog's limit instead of the test sleeping through it."""

    def __init__(self) -> None:
        self.skew = 0.0

    def now(self) -> datetime:
        return utcnow()

    def monotonic(self) -> float:
        return time.monotonic() + self.skew


class FaultyTransport:
    """One node's link to head office. ``base_url()`` names head office now (it moves when
    head office restarts); ``faults`` are taken from the left, one per request."""

    def __init__(self, base_url: Callable[[], str], data_dir: Any, clock: SimClock, stall_s: float) -> None:
        self.base_url, self.data_dir, self.clock, self.stall_s = base_url, data_dir, clock, stall_s
        self.faults: deque[tuple[str, Any, str | None]] = deque()  # (kind, argument, only this path)
        self.pushes: list[bytes] = []  # every push body sent, for replays
        self._inner: HttpxTransport | None = None
        self._inner_url = ""
        self._released = threading.Event()
        self.seen: dict[str, int] = {}

    def _real(self) -> HttpxTransport:
        url = self.base_url()
        if self._inner is None or self._inner_url != url:
            if self._inner is not None:
                self._inner.close()
            self._inner, self._inner_url = HttpxTransport(url, connect_timeout=5, read_timeout=30), url
        return self._inner

    def _hang(self) -> None:
        released = self._released = threading.Event()
        self.clock.skew += self.stall_s + 1.0  # the watchdog sees the limit passed at its next look
        released.wait(10.0)
        raise TransportError("injected: connection accepted, never answered")

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Answer:
        kind, arg = self._next_fault(path)
        self.seen[kind] = self.seen.get(kind, 0) + 1
        if path.endswith("/push"):
            self.pushes.append(body)
        if kind == "drop_request":
            raise TransportError("injected: request lost")
        if kind == "status":
            return Answer(arg, {"code": f"http_{arg}", "message": "injected"}, {"retry-after": "0"})
        if kind == "hang":
            self._hang()
        if kind == "delay":
            time.sleep(arg)
        copy: list[Answer] = []
        racer = None
        if kind == "concurrent":
            racer = threading.Thread(target=lambda: copy.append(self.resend(path, body)))
            racer.start()
        answer = self._real().post(path, body, headers)
        if racer is not None:
            racer.join(30)
            _applied_once(answer, copy[0])
        if kind == "duplicate":  # the network delivers the same request again: a replay, refused
            again = self._real().post(path, body, headers)
            assert (again.status, again.body.get("code")) == (401, "replayed_request"), (again.status, again.body)
        if kind == "drop_response":
            raise TransportError("injected: answer lost after head office committed")
        if kind == "status_after":
            return Answer(502, {"code": "http_502", "message": "injected by a proxy"})
        if kind == "hang_after":
            self._hang()
        if kind == "crash_after_response":
            raise BranchCrash()
        return answer

    def _next_fault(self, path: str) -> tuple[str, Any]:
        for index, (kind, arg, only) in enumerate(self.faults):
            if only is None or only == path:
                del self.faults[index]
                return kind, arg
        return "", None

    def resend(self, path: str, body: bytes) -> Answer:
        """``body`` again under a fresh signature, as another worker of the node would send it."""
        credential = read_credential(self.data_dir)
        assert credential is not None
        headers = signed_headers(credential.node_id, credential.secret, "POST", path, body, int(time.time()))
        with httpx.Client(base_url=self.base_url(), timeout=30) as client:
            response = client.post(path, content=body, headers=headers)
        return Answer(response.status_code, response.json())

    def reset(self) -> None:
        self._released.set()
        if self._inner is not None:
            self._inner.reset()

    def close(self) -> None:
        """The engine is done with it (a crash, the end): the next engine starts a new client."""
        self._released.set()
        if self._inner is not None:
            self._inner.close()
            self._inner = None


def _applied_once(first: Answer, second: Answer) -> None:
    """Two workers sent one batch at once: no event applied by both (G2, c.9 #6)."""
    if first.status != 200 or second.status != 200:
        return  # one of them was refused (busy, 503): nothing to compare
    statuses: dict[str, list[str]] = {}
    for answer in (first, second):
        for result in answer.body.get("results", []):
            statuses.setdefault(result["event_id"], []).append(result["status"])
    twice = [e for e, s in statuses.items() if s.count("applied") > 1]
    assert not twice, f"G2: events applied by both workers: {twice[:5]}"
