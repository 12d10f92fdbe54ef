"""Serving an ASGI app with uvicorn on a socket bound here (so the port is known before serving),
blocking or from a background thread (the demo and tests). Shared by the hub and head office."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one)."""
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so (else 40 ms
    # delayed-ACK stalls on every response)
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve_in_thread(config: uvicorn.Config, sock: socket.socket, name: str,
                    timeout: float) -> tuple[uvicorn.Server, threading.Thread]:
    """Serve ``config``'s app on ``sock`` from a daemon thread; returns once it serves, or raises
    RuntimeError when it did not start within ``timeout`` seconds."""
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"{name} did not start")
        time.sleep(0.01)
    return server, thread
