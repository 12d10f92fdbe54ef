"""The hub's own HTTP protocol for the queue commands (``hub.protocol``), over raw sockets: answers
in request order when requests are pipelined (commands and FastAPI's routes mixed), a body that
arrives in pieces, ``Connection: close`` and HTTP/1.0, a client that leaves before its answer,
and a percent-encoded path (handed to uvicorn) answered the same. And the writer's linger:
operations arriving a moment after a commit share the next batch."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from pathlib import Path
from typing import Iterator

import pytest

from counter_app.hub.server import HubHandle, start_hub_in_thread
from counter_app.services.node import NodeDatabase
from counter_app.services.queue import QueueSettings
from tests.integration.queue_fixtures import KIOSK_TOKEN, Hall, hall_database, hub_settings

NO_RESET = QueueSettings(reset_enabled=False)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[HubHandle, Hall, NodeDatabase]]:
    node, hall = hall_database(tmp_path)
    handle = start_hub_in_thread(node, hub_settings(), queue_settings=NO_RESET)
    yield handle, hall, node
    handle.stop()
    node.dispose()


def _issue(service: str = "A", path: str = "/v1/tickets", version: str = "1.1", extra: str = "") -> bytes:
    body = json.dumps({"service": service}).encode()
    return (f"POST {path} HTTP/{version}\r\nHost: hub\r\nAuthorization: Bearer {KIOSK_TOKEN}\r\n{extra}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def _health() -> bytes:
    return f"GET /v1/health HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer {KIOSK_TOKEN}\r\n\r\n".encode()


class Reader:
    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.buffer = sock, b""

    def _more(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the hub closed the connection")
        self.buffer += chunk

    def answer(self) -> tuple[int, dict[bytes, bytes], dict]:  # type: ignore[type-arg]
        while b"\r\n\r\n" not in self.buffer:
            self._more()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:])}
        length = int(headers[b"content-length"])
        while len(self.buffer) < length:
            self._more()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return int(lines[0].split()[1]), headers, json.loads(body)

    def closed(self) -> bool:
        """Whether the hub closed the connection within a second (its keep-alive timeout is 5 s)."""
        self.sock.settimeout(1.0)
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False


def _connect(handle: HubHandle) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", handle.port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def test_pipelined_requests_are_answered_in_order(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle = hub[0]
    with _connect(handle) as sock:
        reader = Reader(sock)
        sock.sendall(_issue("A") + _health() + _issue("A") + _issue("B") + _health() + _issue("A"))
        answers = [reader.answer() for _ in range(6)]
    assert [a[0] for a in answers] == [200] * 6
    assert answers[0][2]["ticket"]["number"] == "A001"
    assert "committed_batches" in answers[1][2] and answers[1][2]["seq"] >= 1
    assert answers[2][2]["ticket"]["number"] == "A002"
    assert answers[3][2]["ticket"]["number"] == "B001"
    assert answers[4][2]["seq"] >= answers[3][2]["seq"]  # the health was read after B001 was answered
    assert answers[5][2]["ticket"]["number"] == "A003"


def test_a_body_in_pieces_connection_close_and_http_1_0(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle = hub[0]
    request = _issue("C")
    with _connect(handle) as sock:
        reader = Reader(sock)
        for piece in (request[:20], request[20:-5], request[-5:]):
            sock.sendall(piece)
            time.sleep(0.05)
        status, _, body = reader.answer()
        assert (status, body["ticket"]["number"]) == (200, "C001")
        sock.sendall(_issue("C", extra="Connection: close\r\n"))
        status, headers, body = reader.answer()
        assert (status, body["ticket"]["number"], headers[b"connection"]) == (200, "C002", b"close")
        assert reader.closed()
    with _connect(handle) as sock:
        reader = Reader(sock)
        sock.sendall(_issue("C", version="1.0"))
        status, _, body = reader.answer()
        assert (status, body["ticket"]["number"]) == (200, "C003")
        assert reader.closed()


def test_refusals_and_a_percent_encoded_path_answer_as_fastapi_does(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle = hub[0]
    with _connect(handle) as sock:
        reader = Reader(sock)
        sock.sendall(_issue("Z"))
        status, _, body = reader.answer()
        assert (status, body["code"], body["field"]) == (422, "service_not_here", "service")
        sock.sendall(_issue("A").replace(KIOSK_TOKEN.encode(), b"wrong-token-000000000"))
        status, headers, body = reader.answer()
        assert (status, body["code"], headers[b"www-authenticate"]) == (401, "hub_auth", b"Bearer")
        sock.sendall(_issue("A", path="/v1/ticket%73"))  # /v1/tickets, decoded by uvicorn
        status, _, body = reader.answer()
        assert (status, body["ticket"]["number"]) == (200, "A001")
        big = b'{"service": "A"' + b" " * 70_000 + b"}"
        sock.sendall(f"POST /v1/tickets HTTP/1.1\r\nHost: hub\r\nAuthorization: Bearer {KIOSK_TOKEN}\r\n"
                     f"Content-Length: {len(big)}\r\n\r\n".encode() + big)
        status, _, body = reader.answer()
        assert (status, body["code"]) == (413, "request_too_large")


def test_a_client_gone_before_its_answer_leaves_the_operation_and_the_hub_serving(
        hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle = hub[0]
    for _ in range(5):
        sock = _connect(handle)
        sock.sendall(_issue("D"))
        sock.close()
    with _connect(handle) as sock:
        reader = Reader(sock)
        deadline = time.monotonic() + 5
        while True:  # the five were committed (each answered into a closed socket, or not at all)
            sock.sendall(_health())
            if reader.answer()[2]["seq"] >= 5 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        sock.sendall(_issue("D"))
        status, _, body = reader.answer()
    assert (status, body["ticket"]["number"]) == (200, "D006")


def test_the_writer_lingers_for_the_callers_it_just_answered(tmp_path: Path) -> None:
    """After a commit of two operations the next batch waits for two: two callers that send
    again a moment apart share one commit (without the linger the first would go alone). Once
    one came, it waits no longer than the gap; a commit of one operation is followed by no wait."""
    from counter_app.hub.writer import LoopWriter
    from counter_app.services.queue import QueueService

    node, hall = hall_database(tmp_path)
    queue_service = QueueService(node.sessions, "B001", node_id=node.node_id)

    async def scenario() -> tuple[int, int, float]:
        writer = LoopWriter(queue_service, max_batch=64, linger=2.0, gap=0.2)
        try:
            await asyncio.gather(writer.submit(queue_service.issue_ticket, "A"),
                                 writer.submit(queue_service.issue_ticket, "A"))
            before = queue_service.committed_batches
            first = writer.enqueue(queue_service.issue_ticket, "B")
            await asyncio.sleep(0.02)  # the second caller is a moment later
            await asyncio.gather(first, writer.submit(queue_service.issue_ticket, "B"))
            merged = queue_service.committed_batches - before
            lone = queue_service.committed_batches
            began = time.monotonic()
            await writer.submit(queue_service.issue_ticket, "C")  # after a commit of two: waits for two
            await writer.submit(queue_service.issue_ticket, "C")  # after a commit of one: at once
            return merged, queue_service.committed_batches - lone, time.monotonic() - began
        finally:
            writer.close()

    merged, lone_batches, waited = asyncio.run(scenario())
    assert merged == 1  # the two operations a moment apart: one commit
    assert lone_batches == 2
    assert 0.18 <= waited < 0.6  # the first lone one waited out the gap (not the 2 s), the second not at all
    assert [e.seq for e in queue_service.events_since(0)] == list(range(1, 7))
    node.dispose()
