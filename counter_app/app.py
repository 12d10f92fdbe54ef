"""The composition root: settings, paths, logging, database, services, then the front-end of
the role asked for, in that order, each step logged. Nothing imports this module but the CLI."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
import time
from pathlib import Path
from dataclasses import replace

from counter_app import __version__
from counter_app.core.config import DEVICE_TOKEN_RULE, ConfigError, Settings, load_settings, options_from_table, parse_listen
from counter_app.core.logs import setup_logging
from counter_app.core.paths import DataPaths, default_config_file, default_data_dir
from counter_app.domain.errors import UserError
from counter_app.domain.receipt_numbers import incarnation_letter
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.backup import BackupFailed, scheduled_backup
from counter_app.persistence.database import (
    DatabaseUnavailable,
    is_damaged_database,
    is_environment_error,
    make_engine,
    make_session_factory,
)
from counter_app.services.billing.policy import billing_policy
from counter_app.services.branch_policy import read_policy_at_start
from counter_app.services.node import NodeDatabase, branch_loaded, open_node_database
from counter_app.services.queue import QueueSettings
from counter_app.services.restore import RestoreRefused, restore_database
from counter_app.services.seed import is_seeded, seed_demo, seed_history
from counter_app.services.status import sync_backlog
from counter_app.services.sync.enrolment import enrol
from counter_app.services.sync.files import read_credential
from counter_app.services.sync.guard import DatabaseRefused
from counter_app.services.sync.process import SyncProcess, follow_parent
from counter_app.services.sync.worker import StepResult, SyncEngine, SyncOptions, SyncThread

log = logging.getLogger("counter_app.app")
GUI_ROLES = ("counter", "kiosk", "display", "manager", "evaluator")
NO_CONFIG_ROLES = ("demo", "seed", "selfcheck")


def _fail(message: str, code: int = 2) -> int:
    if sys.stderr is not None:  # a windowed program on Windows has no console
        print(f"counter-app: {message}", file=sys.stderr)
    return code


def _config_failed(args: argparse.Namespace, error: ConfigError) -> int:
    """A configuration error: on stderr, in the log of the data folder, and for a screen role in a
    Chinese dialog (a Windows GUI program has no console to print on)."""
    try:
        paths = DataPaths(args.data_dir or default_data_dir())
        setup_logging(paths.log_file)
        log.error("configuration refused: %s", error)
    except OSError:
        pass  # the folder is unusable too: stderr and the dialog still say it
    if args.role in GUI_ROLES or args.role == "setup":
        from counter_app.gui.setup.errors import show_config_error

        show_config_error(error)
    return _fail(str(error))


def _config_file(args: argparse.Namespace) -> Path | None:
    """``--config``, else the default file if it exists; ``None`` for the built-in defaults."""
    if args.config is not None or args.role in NO_CONFIG_ROLES:
        return args.config
    default = default_config_file(args.data_dir)
    return default if default.is_file() else None


def run_role(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    config_file = _config_file(args)
    if args.role == "setup" or (config_file is None and args.role in GUI_ROLES):
        return _setup(args)
    try:
        settings = load_settings(config_file)
        options_from_table(QueueSettings, settings, "queue")  # checked at start; head office's values over it later
        billing_policy(settings)  # checked at start, read again by the payment service
    except ConfigError as error:
        return _config_failed(args, error)
    if args.role == "selfcheck":
        from counter_app.selfcheck import run

        return run(args.data_dir)
    if args.role == "demo" and getattr(args, "split", False):
        from counter_app.split_hall import run_split_demo

        return run_split_demo((args.data_dir or default_data_dir()) / "split-demo",
                              exit_when_ready=getattr(args, "exit_when_ready", False))
    paths = DataPaths(args.data_dir or default_data_dir())
    if args.role in ("backup", "restore"):
        return _backup(args, settings, paths) if args.role == "backup" else _restore(args, settings, paths)
    try:
        paths.ensure()
    except OSError as error:
        return _fail(f"cannot use the data folder {paths.root}: {error.strerror}")
    own_log = paths.log_file.with_name("sync.log") if getattr(args, "follow_parent", False) else paths.log_file
    setup_logging(own_log, console=args.role in ("hub", "hq", "seed", "report"))
    log.info("counter-app %s role=%s config=%s data=%s", __version__, args.role, settings.source, paths.root)
    try:
        settings = _listen_override(args, settings)
    except ConfigError as error:
        return _fail(str(error))
    if args.role in ("hq", "hq-admin"):  # head office has no branch database
        return _head_office(args, settings, paths)
    if args.role == "hq-console":  # talks to head office over HTTP only
        from counter_app.gui.hq_console import run_hq_console

        return run_hq_console(args, settings, paths)
    try:
        db = open_node_database(paths, settings, allow_fresh=args.role == "enrol")
    except DatabaseRefused as error:
        log.error("database refused: %s", error)
        return _fail(str(error), 3)
    except Exception as error:
        problem = _database_problem(error, paths)
        if problem is None:
            raise
        log.error("%s", problem)
        return _fail(problem, 3)
    log.info("database ready: node %s (%s %s)", db.node_id, db.branch_code, db.terminal_code)
    if db.restore_suspected and args.role != "enrol":
        print(f"counter-app: this database looks restored from an older copy ({db.restore_suspected}). It keeps "
              "working for the queue and look-ups, but taking payments is locked so that no receipt number is "
              "issued twice. Re-enrol this PC with head office (counter-app enrol --hq URL --code CODE) to get "
              "a new receipt series; head office asks back any events it lacks.", file=sys.stderr)
    try:
        return _dispatch(args, settings, paths, db, started)
    except ConfigError as error:  # a policy table only a front-end reads ([voice], [kiosk] ...)
        return _config_failed(args, error)
    finally:
        db.dispose()


def _database_problem(error: BaseException, paths: DataPaths) -> str | None:
    """One line for a database file that cannot be used (damaged, locked, read-only, disk full);
    None for anything else, which is a bug and keeps its traceback."""
    cause = error.__cause__ if isinstance(error, DatabaseUnavailable) and error.__cause__ else error
    detail = getattr(cause, "orig", None) or cause
    if is_damaged_database(cause):
        return (f"the database file {paths.database} is damaged or is not a counter-app database ({detail}); "
                f"restore it from a copy in {paths.backups} or ask IT")
    if isinstance(error, DatabaseUnavailable) or is_environment_error(cause):
        return f"the database file {paths.database} cannot be used now ({detail})"
    return None


def _dispatch(args: argparse.Namespace, settings: Settings, paths: DataPaths, db: NodeDatabase, started: float) -> int:
    if args.role == "seed":
        return _seed(args, settings, db)
    if args.role == "report":
        return _report(args, settings, db)
    if args.role == "hub-admin":
        from counter_app.hub.admin import run_admin

        return run_admin(args, db, sys.stdout)
    if args.role == "enrol":
        return _enrol(args, db)
    # [queue] and [sync] as in force today: head office's values over the file's
    queue_policy = read_policy_at_start(lambda s: options_from_table(QueueSettings, s, "queue"), settings, db.sessions)
    sync_options = read_policy_at_start(lambda s: options_from_table(SyncOptions, s, "sync"), settings, db.sessions)
    if args.role == "sync":
        return _sync(args, db, sync_options)
    sync = start_sync_worker(db, sync_options, args.config)
    try:
        return _front_end(args, settings, paths, db, started, queue_policy)
    finally:
        if sync is not None:
            sync.stop()


def _front_end(args: argparse.Namespace, settings: Settings, paths: DataPaths, db: NodeDatabase, started: float,
               queue_policy: QueueSettings) -> int:
    if args.role in GUI_ROLES and not settings.hub.token:  # shown in the dialog and the log (ConfigError)
        raise ConfigError("hub.token", DEVICE_TOKEN_RULE, "", settings.source)
    if args.role == "demo" and not is_seeded(db):
        log.info("first start: seeding demo data")
        seed_demo(db, settings)
    if args.role == "hub":
        from counter_app.hub.server import run_hub

        if not branch_loaded(db, settings.branch.code):
            log.error("branch %s has no reference data in %s", settings.branch.code, db.path)
            return _fail(f"branch {settings.branch.code} is not in this hub's database {db.path} yet (分支机构资料未载入): "
                         "enrol the hub with head office (counter-app enrol), or for a trial load demo data with "
                         f"counter-app seed --data-dir {paths.root}", 5)
        db.dispose()
        run_hub(settings, paths, queue_policy)
        return 0
    from counter_app.gui.application import run_gui

    if args.role != "demo":
        return run_gui(args, settings, paths, db, started, hub_url=settings.hub.url)
    from counter_app.hub.server import start_hub_in_thread

    from counter_app.hub.admin import enrol_demo_devices

    tokens = enrol_demo_devices(db, settings.window)  # before the hub starts: it reads them at start
    hub = start_hub_in_thread(db, settings, queue_settings=queue_policy, follow_policy=True)
    log.info("demo hub serving on %s with %d devices of its own", hub.url, len(tokens))
    try:
        return run_gui(args, settings, paths, db, started, hub_url=hub.url, tokens=tokens)
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
            thread, stop = SyncThread(engine).start(), threading.Event()
            if getattr(args, "follow_parent", False):
                follow_parent(stop)
            try:
                while not stop.wait(3600):
                    pass
            except KeyboardInterrupt:
                pass
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


def start_sync_worker(db: NodeDatabase, options: SyncOptions, config: Path | None = None) -> SyncThread | SyncProcess | None:
    """The worker of an enrolled node: a process of its own (``[sync] own_process``, the default)
    or a thread on its own connection to the database."""
    if read_credential(db.data_dir) is None:
        log.info("not enrolled with head office: no sync worker (the node works offline as before)")
        return None
    if options.own_process:
        return SyncProcess(db.data_dir, config).start()
    return start_sync_thread(db, options)


def start_sync_thread(db: NodeDatabase, options: SyncOptions) -> SyncThread:
    """The worker as a thread of this process, on its own connection to the database."""
    engine = make_engine(db.path)
    log.info("sync worker started")
    return SyncThread(SyncEngine(make_session_factory(engine), db.data_dir, options=options,
                                 on_close=engine.dispose)).start()


def _listen_override(args: argparse.Namespace, settings: Settings) -> Settings:
    """``--listen HOST:PORT`` of the hub and head-office roles wins over the configuration."""
    listen = getattr(args, "listen", None)
    if not listen:
        return settings
    host, port = parse_listen(listen)
    if args.role == "hub":
        return replace(settings, hub=replace(settings.hub, listen_host=host, listen_port=port))
    return replace(settings, hq=replace(settings.hq, listen_host=host, listen_port=port))


def _head_office(args: argparse.Namespace, settings: Settings, paths: DataPaths) -> int:
    from counter_app.hq.database import HQDatabaseUnavailable

    try:
        if args.role == "hq-admin":
            from counter_app.hq.admin import run_admin

            return run_admin(args, settings, paths.root)
        from counter_app.hq.server import run_hq

        run_hq(settings, paths.root)
        return 0
    except HQDatabaseUnavailable as error:
        return _fail(str(error), 3)


def _report(args: argparse.Namespace, settings: Settings, db: NodeDatabase) -> int:
    from counter_app.domain.errors import InvalidInput
    from counter_app.services.stats.monthly import statistics_for, write_monthly_review

    try:
        path = write_monthly_review(statistics_for(db.engine, settings, db.node_id), args.month, args.out)
    except InvalidInput as error:
        return _fail(f"{error.field}: {error.rule}")
    print(f"monthly review {args.month} written to {path}")
    return 0


def _seed(args: argparse.Namespace, settings: Settings, db: NodeDatabase) -> int:
    begun = time.perf_counter()
    if getattr(args, "reference_from", None) is not None:
        from counter_app.services.reference_copy import copy_reference

        if not args.reference_from.is_file():
            return _fail(f"--reference-from: no database file {args.reference_from}")
        try:
            counts = copy_reference(args.reference_from, db)
        except RuntimeError as error:
            return _fail(str(error))
        print(f"reference data copied from {args.reference_from}: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
        return 0
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


def _setup(args: argparse.Namespace) -> int:
    """The first-run wizard; then the role it set up, unless ``--no-start``."""
    from counter_app.gui.setup.wizard import run_setup

    data_root = args.data_dir or default_data_dir()
    target = args.config or default_config_file(args.data_dir)
    preset = getattr(args, "setup_role", None) or (args.role if args.role in GUI_ROLES else None)
    if args.role != "setup":
        log.info("no configuration file (%s): starting the set-up wizard", target)
    written = run_setup(target, data_root, preset_role=preset)
    if written is None:
        return _fail(f"no configuration written to {target}: run counter-app setup on this PC's screen, or give "
                     "--config FILE", 1)
    print(f"configuration written to {written.path}")
    if getattr(args, "no_start", False) or written.role in ("hub", "hq"):
        if written.role in ("hub", "hq"):
            print(f"start it with: counter-app {written.role} --config {written.path} (or the counter-app-{written.role} service)")
        return 0
    started = argparse.Namespace(role=written.role, config=written.path, data_dir=args.data_dir, window=None,
                                 screenshot=None, exit_when_ready=getattr(args, "exit_when_ready", False))
    return run_role(started)


def _backup(args: argparse.Namespace, settings: Settings, paths: DataPaths) -> int:
    keep = args.keep if args.keep is not None else settings.backup.keep
    folder = args.to or (Path(settings.backup.folder) if settings.backup.folder else paths.backups)
    try:
        result = scheduled_backup(paths.database, folder, keep)
    except BackupFailed as error:
        return _fail(f"backup failed: {error}", 3)
    print(f"backup {result.path} ({result.size_bytes} bytes, integrity ok); removed {len(result.pruned)} old copies, keeping {keep}")
    return 0


def _restore(args: argparse.Namespace, settings: Settings, paths: DataPaths) -> int:
    setup_logging(paths.log_file, console=True)
    try:
        result = restore_database(paths, args.backup_file, settings)
    except (RestoreRefused, BackupFailed, DatabaseUnavailable) as error:
        return _fail(f"restore refused, nothing changed: {error}", 3)
    print(f"restored {paths.database} from {result.restored_from} (schema {result.schema_of_backup} -> {result.schema_now})")
    if result.previous_copy is not None:
        print(f"the database it replaced is kept as {result.previous_copy}")
    print(f"receipts are LOCKED on node {result.node_id}: this node must re-enrol with head office before it takes "
          "payments again (counter-app enrol --hq URL --code CODE) / 收费已锁定，请重新注册本机后再收费")
    return 0
