"""``counter-app restore FILE``: put a backup back as this node's database, safely.

The backup is checked (integrity, schema not newer than the program) before anything changes; the
database in place is copied into ``backups/`` first and never deleted; the restored database is
migrated like any other; and the receipt guard is armed (``node_identity.receipts_locked``): a
restored node may have handed out receipt numbers after the backup was taken, so it issues none
until it has re-enrolled with head office (``counter-app enrol``), which gives it a new incarnation.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.persistence.backup import BackupFailed, copy_database, integrity_problems
from counter_app.persistence.database import make_engine, unit_of_work
from counter_app.persistence.migrate import backup_database, check_not_newer, current_revision
from counter_app.persistence.models import NodeIdentity
from counter_app.services.node import open_node_database

log = logging.getLogger(__name__)


class RestoreRefused(Exception):
    """Nothing was changed; the message says why."""


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous_copy: Path | None
    schema_of_backup: str | None
    schema_now: str | None
    node_id: str


def _program_is_running(db_file: Path) -> bool:
    """True when another connection has the database open (the program is running). In WAL mode
    even an exclusive transaction lets readers be, but leaving WAL needs the file to oneself."""
    connection = sqlite3.connect(db_file, timeout=0.5, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE").fetchall()
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        connection.close()


def restore_database(paths: DataPaths, backup_file: Path, settings: Settings) -> RestoreResult:
    """Replace the node's database with ``backup_file`` and arm the receipt guard."""
    backup_file = backup_file.resolve()
    problems = integrity_problems(backup_file)
    if problems:
        raise RestoreRefused(f"the backup {backup_file} is not sound: {'; '.join(problems[:5])}")
    paths.ensure()
    database = paths.database
    if database.exists() and _program_is_running(database):
        raise RestoreRefused(f"{database} is in use: stop counter-app on this PC (and its service) first")
    staged = database.with_name(database.name + ".restoring")
    try:
        copy_database(backup_file, staged)
        engine = make_engine(staged)
        try:
            check_not_newer(engine, backup_file)
            schema_of_backup = current_revision(engine)
        finally:
            engine.dispose()
        if schema_of_backup is None:
            raise RestoreRefused(f"{backup_file} is not a counter-app database (no schema version in it)")
    except (BackupFailed, RestoreRefused):
        staged.unlink(missing_ok=True)
        raise
    except Exception as error:  # SchemaTooNew and kin: nothing changed, say why
        staged.unlink(missing_ok=True)
        raise RestoreRefused(str(error)) from None
    previous = None
    if database.exists():
        previous = backup_database(database, paths.backups, "restore")
        for leftover in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
            leftover.unlink(missing_ok=True)
    staged.replace(database)
    node = open_node_database(paths, settings)  # migrates a backup from an older version (copy first)
    try:
        with unit_of_work(node.sessions) as session:
            session.execute(update(NodeIdentity).values(receipts_locked=True))
        schema_now = current_revision(node.engine)
    finally:
        node.dispose()
    log.warning("database restored from %s (schema %s, now %s); previous database kept as %s; receipts locked "
                "until node %s re-enrols", backup_file, schema_of_backup, schema_now, previous, node.node_id)
    return RestoreResult(backup_file, previous, schema_of_backup, schema_now, node.node_id)
