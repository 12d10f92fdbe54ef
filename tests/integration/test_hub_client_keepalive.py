"""Issue 13: the counter's hub field flipped to red 无法连接 for seconds while idle. The status
probe (every 5 s) met the hub's keep-alive timeout (5 s): a request sent on a connection the
server was closing at that moment fails at once, though the hub is fine. A real socket server on
loopback plays that server: it answers one request, then closes the kept-alive connection when
the next request arrives."""

from __future__ import annotations

import socket
import threading

import pytest

from counter_app.hub.client import HubClient, HubUnavailable

OK = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 15\r\n\r\n{\"status\":\"ok\"}"


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return b""
        data += chunk
    return data


class ClosingServer:
    """Answers the first request of each connection; closes it on the second unanswered."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(5)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        for _ in range(3):
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                if _read_request(conn):
                    conn.sendall(OK)
                    _read_request(conn)  # the next request on this connection: closed unanswered

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def server():  # type: ignore[no-untyped-def]
    running = ClosingServer()
    yield running
    running.close()


def test_a_read_on_a_connection_the_hub_just_closed_is_sent_again(server: ClosingServer) -> None:
    with HubClient(server.url, "token") as client:
        assert client.health() == {"status": "ok"}
        assert client.health() == {"status": "ok"}  # the kept-alive connection died: a new one answers
    assert server.connections == 2


def test_a_hub_that_is_really_gone_is_still_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with HubClient(f"http://127.0.0.1:{port}", "token") as client, pytest.raises(HubUnavailable):
        client.health()
