"""Running the hub: blocking under ``counter-app hub``, in a thread for the demo and tests,
or as ``python -m counter_app.hub.server --data-dir DIR --port N`` for process-level tests."""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from counter_app.core.config import ConfigError, Settings, load_settings
from counter_app.core.paths import DataPaths
from counter_app.core.serving import bind, serve_in_thread
from counter_app.domain.errors import UserError
from counter_app.hub.app import create_hub_app
from counter_app.hub.fastpath import CommandFastPath
from counter_app.hub.protocol import command_protocol
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.queue import QueueSettings

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


def serving_app(app: FastAPI, fast_path: bool = True) -> Any:
    """What uvicorn runs: the hub app behind the queue commands' fast path (see ``fastpath``)."""
    return CommandFastPath(app) if fast_path else app


def _config(app: FastAPI, host: str, fast_path: bool) -> uvicorn.Config:
    """uvicorn's settings; with the fast path, its HTTP protocol answers the queue commands
    itself (``hub.protocol``) and the app is behind the ASGI fast path for the rest."""
    return uvicorn.Config(serving_app(app, fast_path), host=host, log_level="warning", access_log=False,  # type: ignore[arg-type]
                          lifespan="on", ws="websockets-sansio", timeout_graceful_shutdown=2,
                          http=command_protocol(app.state.hub) if fast_path else "httptools")


def run_hub(settings: Settings, paths: DataPaths, queue_settings: QueueSettings | None = None,
            on_listening: object = None, fast_path: bool = True) -> None:
    """Open the database and serve until interrupted (Ctrl+C / SIGTERM); the ``[queue]`` table
    follows head office's dated values from day to day."""
    node = open_node_database(paths, settings)
    try:
        app = create_hub_app(node, settings, queue_settings, follow_policy=True)
        app.state.hub.queue.branch_zone()  # NotAllowed before listening when the branch is not in this database
        sock = bind(settings.hub.listen_host, settings.hub.listen_port)
        host, port = sock.getsockname()[:2]
        log.info("hub listening on %s:%s, database %s", host, port, node.path)
        if callable(on_listening):
            on_listening(host, port)
        # everything loaded so far lives as long as the process: keep it out of the collector's
        # full passes, which otherwise stall every request now and then
        gc.collect()
        gc.freeze()
        uvicorn.Server(_config(app, settings.hub.listen_host, fast_path)).run(sockets=[sock])
    finally:
        node.dispose()


@dataclass
class HubHandle:
    """A hub serving from a background thread on loopback."""

    url: str
    port: int
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def start_hub_in_thread(node_db: NodeDatabase, settings: Settings, port: int = 0,
                        queue_settings: QueueSettings | None = None, timeout: float = 10.0,
                        fast_path: bool = True, follow_policy: bool = False) -> HubHandle:
    """Serve ``node_db`` on 127.0.0.1 (a free port unless given) until ``handle.stop()``."""
    app = create_hub_app(node_db, settings, queue_settings, follow_policy=follow_policy)
    sock = bind(LOOPBACK, port)
    actual = sock.getsockname()[1]
    server, thread = serve_in_thread(_config(app, LOOPBACK, fast_path), sock, f"hub-{actual}", timeout)
    return HubHandle(f"http://{LOOPBACK}:{actual}", actual, server, thread)


def with_queue_flags(settings: Settings, args: argparse.Namespace) -> Settings:
    """``settings`` with the command line's queue flags written into the installation's ``[queue]``
    table, so they hold on every business day the hub follows (head office's dated values are read
    over that table each day; flags passed beside it were dropped at the first new reading)."""
    flags: dict[str, Any] = {}
    if args.max_batch is not None:
        flags["max_batch"] = args.max_batch
    if args.no_reset:
        flags["reset_enabled"] = False
    if args.widen_numbers:
        flags["widen_numbers"] = True
    if not flags:
        return settings
    return replace(settings, policy={**settings.policy, "queue": {**settings.table("queue"), **flags}})


def main_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m counter_app.hub.server``."""
    parser = argparse.ArgumentParser(prog="python -m counter_app.hub.server", description="Run the branch hub.")
    parser.add_argument("--config", type=Path, help="TOML configuration (default: built-in demo settings)")
    parser.add_argument("--data-dir", type=Path, required=True, help="folder of the hub's database")
    parser.add_argument("--host", default=None, help="address to listen on (default: hub.listen_host)")
    parser.add_argument("--port", type=int, default=None, help="port (0: a free one; default: hub.listen_port)")
    parser.add_argument("--max-batch", type=int, default=None, help="group commit size (1: one transaction each)")
    parser.add_argument("--no-reset", action="store_true", help="switch the end-of-day reset off")
    parser.add_argument("--widen-numbers", action="store_true", help="go on past 999 (A1000) instead of refusing")
    parser.add_argument("--no-fast-path", action="store_true", help="serve every request through FastAPI (to measure)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = main_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings(args.config)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    hub = replace(settings.hub, **{k: v for k, v in (("listen_host", args.host), ("listen_port", args.port),
                                                      ) if v is not None})
    settings = with_queue_flags(replace(settings, role="hub", hub=hub), args)

    def announce(host: str, port: int) -> None:
        print(f"HUB LISTENING http://{host}:{port}", flush=True)

    try:
        run_hub(settings, DataPaths(args.data_dir), on_listening=announce, fast_path=not args.no_fast_path)
    except UserError as error:  # e.g. the branch is not in this database
        print(f"hub: {error}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
