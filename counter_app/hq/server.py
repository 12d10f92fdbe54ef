"""Running head office: blocking under ``counter-app hq``, in a thread for tests, or as
``python -m counter_app.hq.server --data-dir DIR [--database-url URL] [--listen HOST:PORT]``
for process-level tests (it prints ``HQ LISTENING http://host:port`` once serving)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import uvicorn

from counter_app.core.config import ConfigError, HQDatabaseSettings, Settings, load_settings, parse_listen
from counter_app.core.serving import bind, serve_in_thread
from counter_app.hq.app import create_hq_app
from counter_app.hq.database import HQDatabase, open_hq_database

log = logging.getLogger(__name__)


def _config(app: object, host: str) -> uvicorn.Config:
    config = uvicorn.Config(app, host=host, log_level="warning", access_log=False,  # type: ignore[arg-type]
                            lifespan="off", timeout_graceful_shutdown=5)
    return config


def run_hq(settings: Settings, data_dir: Path, on_listening: Callable[[str, int], None] | None = None) -> None:
    """Connect, migrate and serve until interrupted (Ctrl+C / SIGTERM)."""
    db = open_hq_database(settings, data_dir)
    try:
        sock = bind(settings.hq.listen_host, settings.hq.listen_port)
        host, port = sock.getsockname()[:2]
        log.info("head office listening on %s:%s (%s PostgreSQL)", host, port,
                 "embedded" if db.embedded is not None else "configured")
        if on_listening is not None:
            on_listening(host, port)
        if threading.current_thread() is threading.main_thread():
            # uvicorn re-raises SIGTERM after its graceful shutdown; exiting through Python (not the
            # default handler) lets the embedded PostgreSQL be stopped on the way out
            signal.signal(signal.SIGTERM, _exit_quietly)
        uvicorn.Server(_config(create_hq_app(db), settings.hq.listen_host)).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        db.dispose()
        log.info("head office stopped")


def _exit_quietly(signum: int, frame: object) -> None:
    raise SystemExit(0)


@dataclass
class HQHandle:
    """Head office serving from a background thread on loopback."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def start_hq_in_thread(db: HQDatabase, timeout: float = 10.0) -> HQHandle:
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    server, thread = serve_in_thread(_config(create_hq_app(db), "127.0.0.1"), sock, f"hq-{port}", timeout)
    return HQHandle(f"http://127.0.0.1:{port}", server, thread)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m counter_app.hq.server", description="Run head office.")
    parser.add_argument("--config", type=Path, help="TOML configuration (default: built-in settings)")
    parser.add_argument("--data-dir", type=Path, required=True, help="folder of the embedded PostgreSQL and logs")
    parser.add_argument("--database-url", default=None, help="PostgreSQL address (default: [hq.database] url)")
    parser.add_argument("--listen", default="127.0.0.1:0", help="HOST:PORT (port 0: a free one)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args.config)
        host, port = parse_listen(args.listen)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    hq = replace(settings.hq, listen_host=host, listen_port=port)
    if args.database_url:
        hq = replace(hq, database=HQDatabaseSettings(url=args.database_url))
    settings = replace(settings, role="hq", hq=hq)

    def announce(bound_host: str, bound_port: int) -> None:
        print(f"HQ LISTENING http://{bound_host}:{bound_port}", flush=True)

    run_hq(settings, args.data_dir, on_listening=announce)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
