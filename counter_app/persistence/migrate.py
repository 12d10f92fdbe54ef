"""Bring a node's database to the current schema at start, with a copy taken first."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

from counter_app import __version__
from counter_app.core.paths import migrations_dir
from counter_app.persistence.backup import copy_database
from counter_app.persistence.database import DatabaseUnavailable

log = logging.getLogger(__name__)

#: SQLite full-text indexes (virtual tables and their shadow tables) are made by migrations, not models.
FTS_TABLES = ("customer_account_fts",)


def include_name(name: str | None, type_: str, parent_names: dict[str, str | None]) -> bool:
    """Alembic's comparison filter: leave the migration-made full-text tables out."""
    if type_ == "table" and name is not None:
        return not any(name == t or name.startswith(t + "_") for t in FTS_TABLES)
    return True


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


class SchemaTooNew(DatabaseUnavailable):
    """The database was written by a newer program: opening it could lose what that version added."""


def check_not_newer(engine: Engine, db_file: Path) -> None:
    """Refuse a database whose schema this program does not know (written by a newer version)."""
    current = current_revision(engine)
    if current is None:
        return
    scripts = ScriptDirectory.from_config(alembic_config(engine))
    try:
        known = scripts.get_revision(current) is not None
    except CommandError:
        known = False
    if not known:
        raise SchemaTooNew(
            f"the database {db_file} has schema {current}, newer than this program (counter-app {__version__}, "
            f"schema {scripts.get_current_head()}); it was not changed. Install the counter-app version that "
            f"wrote it or a newer one, or restore a backup made by this version (counter-app restore FILE)")


def backup_database(db_file: Path, backups: Path, label: str) -> Path:
    """A consistent, integrity-checked copy through SQLite's online backup API (safe with WAL)."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return copy_database(db_file, backups / f"{db_file.stem}-{stamp}-before-{label}.sqlite3")


def upgrade(engine: Engine, db_file: Path, backups: Path) -> str | None:
    """Apply every pending migration. Returns the backup file made, if any was needed."""
    check_not_newer(engine, db_file)
    current, head = current_revision(engine), head_revision(engine)
    if current == head:
        log.info("database %s at schema %s", db_file, head)
        return None
    backup = None
    if current is not None:
        backup = str(backup_database(db_file, backups, f"{current}-to-{head}"))
        log.info("database copied to %s before migrating", backup)
    log.info("migrating %s from %s to %s", db_file, current, head)
    command.upgrade(alembic_config(engine), "head")
    return backup
