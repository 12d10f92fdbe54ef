"""A small head office for the sync client's tests: real HTTP on loopback, the wire contract of
SYNC_CONTRACT.md implemented faithfully (signatures, nonces, UNIQUE event_id, duplicates with
the stored result, quarantine, chain and hash checks, 413/426/403/401), and faults on demand:
drop a request, drop the response after storing, handle it twice, delay, answer 5xx, hang.

The real head-office server is built elsewhere; this one keeps its state in memory under a lock
(one push at a time, as head office's per-node lock does) and can be "restored from a backup"."""

from __future__ import annotations

import base64
import copy
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from counter_app.core import syncwire as wire


@dataclass
class Node:
    node_id: str
    secret: bytes
    branch_code: str
    terminal_code: str
    incarnation: int
    predecessors: set[str] = field(default_factory=set)
    status: str = "active"  # active | revoked | superseded


@dataclass
class HqState:
    nodes: dict[str, Node] = field(default_factory=dict)
    codes: dict[str, tuple[str, str, str, int | None]] = field(default_factory=dict)  # code -> branch, terminal, role, window
    used_codes: set[str] = field(default_factory=set)
    enrolments: dict[tuple[str, str], int] = field(default_factory=dict)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)  # event_id -> stored event + result
    chains: dict[tuple[str, str, int], str] = field(default_factory=dict)
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)  # payment id -> {receipt_no, event_id, status}
    incidents: list[tuple[str, str]] = field(default_factory=list)
    nonces: set[tuple[str, str]] = field(default_factory=set)


class FakeHq:
    def __init__(self) -> None:
        self.state = HqState()
        self.lock = threading.Lock()
        self.faults: deque[tuple[str, Any, str | None]] = deque()  # next requests' faults, in order
        self.poison: set[str] = set()  # aggregate ids head office "cannot apply"
        self.requests: list[tuple[str, int]] = []  # (path, status) of every answered request
        self.release = threading.Event()  # ends every hang
        self.clock_offset = 0
        self.duplicates = 0  # events answered "duplicate" (sent again after their first answer was lost)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> "FakeHq":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()

    # -- set-up and inspection --------------------------------------------------------------

    def add_code(self, code: str, branch: str = "B001", terminal: str = "T01", role: str = "counter",
                 window: int | None = 1) -> str:
        self.state.codes[code] = (branch, terminal, role, window)
        return code

    def fault(self, kind: str, arg: Any = None, times: int = 1, path: str | None = None) -> None:
        """The next ``times`` requests (to ``path`` only, if given) meet this fault."""
        self.faults.extend([(kind, arg, path)] * times)

    def _next_fault(self, path: str) -> tuple[str, Any]:
        with self.lock:
            for index, (kind, arg, only) in enumerate(self.faults):
                if only is None or only == path:
                    del self.faults[index]
                    return kind, arg
        return "", None

    def backup(self) -> HqState:
        with self.lock:
            return copy.deepcopy(self.state)

    def restore(self, snapshot: HqState) -> None:
        with self.lock:
            nodes = self.state.nodes  # credentials survive (they are not what a backup loses here)
            self.state = copy.deepcopy(snapshot)
            self.state.nodes = nodes

    def stored_ids(self) -> set[str]:
        with self.lock:
            return set(self.state.events)

    def max_contiguous(self, node_id: str, channel: str) -> int:
        seq = 0
        while (node_id, channel, seq + 1) in self.state.chains:
            seq += 1
        return seq

    # -- the contract ------------------------------------------------------------------------

    def enrol(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        code = body.get("code")
        if code not in self.state.codes:
            return 403, {"code": "enrol_code_unknown", "message": "unknown code", "params": {}}
        if code in self.state.used_codes:
            return 403, {"code": "enrol_code_used", "message": "code used", "params": {}}
        self.state.used_codes.add(code)
        branch, terminal, role, window = self.state.codes[code]
        incarnation = self.state.enrolments.get((branch, terminal), 0) + 1
        self.state.enrolments[(branch, terminal)] = incarnation
        secret = secrets.token_bytes(32)
        node = Node(wire.sha256_hex(secret)[:8] + "-0000-7000-8000-" + secrets.token_hex(6), secret, branch, terminal,
                    incarnation)
        for earlier in self.state.nodes.values():
            if (earlier.branch_code, earlier.terminal_code) == (branch, terminal) and earlier.status == "active":
                earlier.status = "superseded"
                node.predecessors |= {earlier.node_id, *earlier.predecessors}
        if body.get("previous_node_id"):
            node.predecessors.add(str(body["previous_node_id"]))
        self.state.nodes[node.node_id] = node
        return 200, {"node_id": node.node_id, "branch_code": branch, "terminal_code": terminal,
                     "incarnation": incarnation, "role": role, "window": window,
                     "secret": base64.b64encode(secret).decode(), "server_time": "2026-12-04T00:00:00+00:00"}

    def authenticate(self, path: str, headers: Any, raw: bytes) -> tuple[Node | None, tuple[int, dict[str, Any]] | None]:
        node = self.state.nodes.get(headers.get(wire.H_NODE, ""))
        timestamp, nonce = headers.get(wire.H_TIMESTAMP, ""), headers.get(wire.H_NONCE, "")
        if node is None or not wire.verify(node.secret, headers.get(wire.H_SIGNATURE, ""), "POST", path, timestamp,
                                           nonce, raw):
            return None, (401, {"code": "bad_signature", "message": "bad signature", "params": {}})
        if abs(time.time() + self.clock_offset - int(timestamp)) > wire.CLOCK_WINDOW_SECONDS:
            return None, (401, {"code": "stale_request", "message": "stale", "params": {}})
        if (node.node_id, nonce) in self.state.nonces:
            return None, (401, {"code": "replayed_request", "message": "replayed", "params": {}})
        self.state.nonces.add((node.node_id, nonce))
        if node.status != "active":
            return None, (403, {"code": f"node_{node.status}", "message": node.status, "params": {}})
        return node, None

    def hello(self, node: Node, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 200, {"server_time": "2026-12-04T00:00:00+00:00", "status": "ok",
                     "hq_max_seq": {ch: self.max_contiguous(node.node_id, ch) for ch in ("payments", "applications", "ops")},
                     "max_batch_events": wire.MAX_BATCH_EVENTS, "max_batch_bytes": wire.MAX_BATCH_BYTES}

    def push(self, node: Node, body: dict[str, Any], size: int) -> tuple[int, dict[str, Any]]:
        events = body.get("events") or []
        if len(events) > wire.MAX_BATCH_EVENTS or size > wire.MAX_BATCH_BYTES:
            return 413, {"code": "batch_too_large", "message": "too large",
                         "params": {"max_events": wire.MAX_BATCH_EVENTS, "max_bytes": wire.MAX_BATCH_BYTES}}
        allowed = {node.node_id, *node.predecessors}
        if any(e.get("node_id") not in allowed for e in events):
            return 403, {"code": "node_mismatch", "message": "not your events", "params": {}}
        if any(e.get("schema_version") not in wire.ACCEPTED_SCHEMA_VERSIONS for e in events):
            return 426, {"code": "upgrade_required", "message": "schema",
                         "params": {"accepted_protocols": [1], "accepted_schema_versions": [1]}}
        return 200, {"results": [self._apply(e) for e in events]}

    def _apply(self, e: dict[str, Any]) -> dict[str, Any]:
        event_id, digest = e["event_id"], e["payload_sha256"]
        stored = self.state.events.get(event_id)
        if stored is not None:
            if stored["payload_sha256"] == digest:
                self.duplicates += 1
                return {**stored["result"], "status": "duplicate"}
            self.state.incidents.append(("event_id_conflict", event_id))
            return {"event_id": event_id, "status": "quarantined", "code": "event_id_conflict", "detail": None}
        key = (e["node_id"], e["channel"], e["channel_seq"])
        code = None
        if wire.sha256_hex(wire.canonical_json(e["payload"]).encode("utf-8")) != digest:
            code = "payload_hash_mismatch"
        elif e["chain"] != wire.chain_hash(e["prev_chain"], event_id, digest) or (
                (key[0], key[1], key[2] - 1) in self.state.chains
                and self.state.chains[(key[0], key[1], key[2] - 1)] != e["prev_chain"]):
            code = "chain_broken"
            self.state.incidents.append(("chain_broken", event_id))
        elif e["aggregate_id"] in self.poison:
            code = "invalid_input"
        elif e["event_type"] in ("payment.voided", "payment.refunded"):
            original = e["payload"]["payment"].get("reverses_id")
            if original is not None and self.state.payments.get(original, {}).get("status") != "applied":
                code = "depends_on_missing"
        if code is None and e["event_type"].startswith("payment."):
            payment = e["payload"]["payment"]
            receipt_no = e["payload"]["receipt"]["receipt_no"]
            if any(p["receipt_no"] == receipt_no for p in self.state.payments.values()):
                self.state.incidents.append(("receipt_collision", receipt_no))
            self.state.payments[payment["id"]] = {"receipt_no": receipt_no, "event_id": event_id, "status": "applied"}
        result = {"event_id": event_id, "status": "quarantined" if code else "applied", "code": code, "detail": None}
        self.state.events[event_id] = {**e, "result": result}
        self.state.chains[key] = e["chain"]
        return result

    # -- HTTP --------------------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        hq = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind, arg = hq._next_fault(self.path)
                if kind == "drop_request":
                    self.close_connection = True
                    return
                if kind == "hang":
                    hq.release.wait(arg or 30)
                    self.close_connection = True
                    return
                if kind == "delay":
                    time.sleep(arg)
                if kind == "status":
                    return self._answer(arg, {"code": f"http_{arg}", "message": "injected", "params": {}},
                                        {"Retry-After": "0"} if arg in (429, 503) else {})
                status, answer = hq.handle(self.path, self.headers, raw)
                if kind == "duplicate":  # the same request handled twice (a retry that overtook)
                    status, answer = hq.handle(self.path, self.headers, raw, replay=True)
                if kind == "drop_response":
                    self.close_connection = True
                    return
                self._answer(status, answer)

            def _answer(self, status: int, answer: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(answer).encode("utf-8")
                hq.requests.append((self.path, status))
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", "Content-Length": str(len(data)),
                                    **(headers or {})}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def handle(self, path: str, headers: Any, raw: bytes, replay: bool = False) -> tuple[int, dict[str, Any]]:
        if headers.get(wire.H_PROTOCOL) != str(wire.PROTOCOL_VERSION):
            return 426, {"code": "upgrade_required", "message": "protocol", "params": {"accepted_protocols": [1]}}
        try:
            body = json.loads(raw)
        except ValueError:
            return 422, {"code": "invalid_input", "message": "not JSON", "params": {"field": "body", "rule": "JSON"}}
        with self.lock:
            if path == "/v1/enrol":
                return self.enrol(body)
            if replay:
                self.state.nonces.discard((headers.get(wire.H_NODE, ""), headers.get(wire.H_NONCE, "")))
            node, refusal = self.authenticate(path, headers, raw)
            if refusal is not None or node is None:
                return refusal or (401, {})
            if path == "/v1/sync/hello":
                return self.hello(node, body)
            if path == "/v1/sync/push":
                return self.push(node, body, len(raw))
        return 404, {"code": "not_found", "message": path, "params": {}}
