"""Serving an ASGI app with uvicorn on a socket bound here (so the port is known before serving),
blocking or from a background thread (the demo and tests). Shared by the hub and head office.
Also :func:`end_process`, the one way a parent stops a child process it started."""

from __future__ import annotations

import logging
import signal
import socket
import subprocess
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import uvicorn

log = logging.getLogger(__name__)


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
    import uvicorn  # here: end_process's callers (the window's sync process) need no web server

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


def end_process(process: subprocess.Popen, timeout: float = 10.0, sig: int | None = signal.SIGTERM,
                kill_wait: float = 10.0, name: str = "") -> int:
    """Stop a child process: send it ``sig`` (None: none, the caller already told it to end, e.g.
    by closing its standard input), wait up to ``timeout`` seconds, then kill -9 it and wait up
    to ``kill_wait`` more. One that has already ended is only reaped. Then the pipes this side
    holds to it are closed. Returns its exit code (negative: the signal that ended it)."""
    if process.poll() is None:
        if sig is not None:
            process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("%s (process %d) did not end within %g s: killed", name or "a child", process.pid, timeout)
            process.kill()
    code = process.wait(kill_wait)
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            try:
                stream.close()
            except OSError:  # a broken pipe on flushing what it never read
                pass
    return code
