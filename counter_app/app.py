"""The composition root: settings, paths, logging, database, services, then the front-end of
the role asked for, in that order, each step logged. Nothing imports this module but the CLI."""

from __future__ import annotations

import argparse
import logging
import sys
import time

from counter_app import __version__
from counter_app.core.config import ConfigError, Settings, load_settings, options_from_table
from counter_app.core.logs import setup_logging
from counter_app.core.paths import DataPaths, default_data_dir
from counter_app.persistence.database import DatabaseUnavailable
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.queue import QueueSettings
from counter_app.services.seed import is_seeded, seed_demo, seed_history

log = logging.getLogger("counter_app.app")


def _fail(message: str, code: int = 2) -> int:
    print(f"counter-app: {message}", file=sys.stderr)
    return code


def run_role(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        settings = load_settings(args.config)
        queue_policy = options_from_table(QueueSettings, settings, "queue")
    except ConfigError as error:
        return _fail(str(error))
    if args.role == "selfcheck":
        from counter_app.selfcheck import run

        return run(args.data_dir)
    paths = DataPaths(args.data_dir or default_data_dir())
    try:
        paths.ensure()
    except OSError as error:
        return _fail(f"cannot use the data folder {paths.root}: {error.strerror}")
    setup_logging(paths.log_file, console=args.role in ("hub", "hq", "seed", "report"))
    log.info("counter-app %s role=%s config=%s data=%s", __version__, args.role, settings.source, paths.root)
    try:
        db = open_node_database(paths, settings)
    except DatabaseUnavailable as error:
        return _fail(f"{error} (file {paths.database})", 3)
    log.info("database ready: node %s (%s %s)", db.node_id, db.branch_code, db.terminal_code)
    try:
        return _dispatch(args, settings, paths, db, started, queue_policy)
    except ConfigError as error:  # a policy table only a front-end reads ([voice], [kiosk] ...)
        return _fail(str(error))
    finally:
        db.dispose()


def _dispatch(args: argparse.Namespace, settings: Settings, paths: DataPaths, db: NodeDatabase, started: float,
              queue_policy: QueueSettings) -> int:
    if args.role == "seed":
        return _seed(args, settings, db)
    if args.role == "report":
        return _report(args, settings, db)
    if args.role == "demo" and not is_seeded(db):
        log.info("first start: seeding demo data")
        seed_demo(db, settings)
    if args.role == "hub":
        from counter_app.hub.server import run_hub

        db.dispose()
        run_hub(settings, paths, queue_policy)
        return 0
    if args.role == "hq":
        return _fail("the head-office server is not part of this release yet", 4)
    from counter_app.gui.application import run_gui

    if args.role != "demo":
        return run_gui(args, settings, paths, db, started, hub_url=settings.hub.url)
    from counter_app.hub.server import start_hub_in_thread

    hub = start_hub_in_thread(db, settings, queue_settings=queue_policy)
    log.info("demo hub serving on %s", hub.url)
    try:
        return run_gui(args, settings, paths, db, started, hub_url=hub.url)
    finally:
        hub.stop()


def _report(args: argparse.Namespace, settings: Settings, db: NodeDatabase) -> int:
    from counter_app.domain.errors import InvalidInput
    from counter_app.services.stats.monthly import statistics_for, write_monthly_review

    try:
        path = write_monthly_review(statistics_for(db.engine, settings), args.month, args.out)
    except InvalidInput as error:
        return _fail(f"{error.field}: {error.rule}")
    print(f"monthly review {args.month} written to {path}")
    return 0


def _seed(args: argparse.Namespace, settings: Settings, db: NodeDatabase) -> int:
    if args.accounts < 0 or args.months < 0 or args.days < 0:
        return _fail("--accounts, --months and --days must not be negative")
    begun = time.perf_counter()
    if not is_seeded(db):
        summary = seed_demo(db, settings, accounts=args.accounts, months=args.months)
        print(f"seeded {summary.accounts} accounts, {summary.bills} bills, {summary.staff} staff")
    else:
        print("the branch is already seeded; adding history only")
    if args.days:
        tickets = seed_history(db, days=args.days, tickets_per_day=args.tickets_per_day)
        print(f"seeded {tickets} tickets over {args.days} days")
    print(f"done in {time.perf_counter() - begun:.1f} s: {db.path}")
    return 0
