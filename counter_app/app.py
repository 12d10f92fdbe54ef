"""The composition root: settings, paths, logging, database, services, then the front-end of
the role asked for, in that order, each step logged. Nothing imports this module but the CLI."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from counter_app import __version__
from counter_app.core.config import ConfigError, Settings, load_settings, options_from_table
from counter_app.core.logs import setup_logging
from counter_app.core.paths import DataPaths, default_data_dir
from counter_app.domain.errors import UserError
from counter_app.domain.receipt_numbers import incarnation_letter
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import DatabaseUnavailable, make_engine, make_session_factory
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.queue import QueueSettings
from counter_app.services.seed import is_seeded, seed_demo, seed_history
from counter_app.services.status import sync_backlog
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.files import read_credential
from counter_app.services.sync.guard import DatabaseRefused
from counter_app.services.sync.worker import StepResult, SyncEngine, SyncOptions, SyncThread

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
    setup_logging(paths.log_file, console=args.role in ("hub", "hq", "seed"))
    log.info("counter-app %s role=%s config=%s data=%s", __version__, args.role, settings.source, paths.root)
    try:
        db = open_node_database(paths, settings, allow_fresh=args.role == "enrol")
    except DatabaseRefused as error:
        log.error("database refused: %s", error)
        return _fail(str(error), 3)
    except DatabaseUnavailable as error:
        return _fail(f"{error} (file {paths.database})", 3)
    log.info("database ready: node %s (%s %s)", db.node_id, db.branch_code, db.terminal_code)
    if db.restore_suspected and args.role != "enrol":
        print(f"counter-app: this database looks restored from an older copy ({db.restore_suspected}). It keeps "
              "working for the queue and look-ups, but taking payments is locked so that no receipt number is "
              "issued twice. Re-enrol this PC with head office (counter-app enrol --hq URL --code CODE) to get "
              "a new receipt series; head office asks back any events it lacks.", file=sys.stderr)
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
    if args.role == "enrol":
        return _enrol(args, db)
    sync_options = options_from_table(SyncOptions, settings, "sync")
    if args.role == "sync":
        return _sync(args, db, sync_options)
    sync = start_sync_thread(db, sync_options)
    try:
        return _front_end(args, settings, paths, db, started, queue_policy)
    finally:
        if sync is not None:
            sync.stop()


def _front_end(args: argparse.Namespace, settings: Settings, paths: DataPaths, db: NodeDatabase, started: float,
               queue_policy: QueueSettings) -> int:
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


def _enrol(args: argparse.Namespace, db: NodeDatabase) -> int:
    try:
        credential = enrol(db.sessions, db.data_dir, args.hq, args.code)
    except UserError as error:
        return _fail(str(error))
    print(f"enrolled: node {credential.node_id}, branch {credential.branch_code}, terminal {credential.terminal_code}, "
          f"incarnation {credential.incarnation} (receipts {credential.branch_code}-{credential.terminal_code}"
          f"{incarnation_letter(credential.incarnation)}-…); credential in {db.data_dir}")
    return 0


def _sync(args: argparse.Namespace, db: NodeDatabase, options: SyncOptions) -> int:
    engine = SyncEngine(db.sessions, db.data_dir, options=options)
    try:
        if args.once:
            result = engine.drain()
        else:
            thread = SyncThread(engine).start()
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                thread.stop()
                result = thread.last or StepResult("ok", False)
    finally:
        engine.close()
    report = sync_backlog(db).as_json(utcnow())
    if result.error and not report["last_error"]:
        report["last_error"] = result.error
    print(json.dumps(report, ensure_ascii=False, indent=1))
    if result.retryable:
        return 1  # something transient is left: run again later (the app's worker retries by itself)
    return 2 if report["pending"] else 0  # 2: events wait on a person (enrolment, re-enrolment, upgrade)


def start_sync_thread(db: NodeDatabase, options: SyncOptions) -> SyncThread | None:
    """The worker runs on its own connection to the database, for an enrolled node only."""
    if read_credential(db.data_dir) is None:
        log.info("not enrolled with head office: no sync worker (the node works offline as before)")
        return None
    engine = make_engine(db.path)
    log.info("sync worker started")
    return SyncThread(SyncEngine(make_session_factory(engine), db.data_dir, options=options,
                                 on_close=engine.dispose)).start()


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
