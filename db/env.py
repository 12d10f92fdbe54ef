"""Alembic environment: batch mode on SQLite, foreign keys off while migrating and checked
before each migration commits, one transaction per migration (after Prefect's migrations env)."""

from __future__ import annotations

import sqlite3

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.exc import IntegrityError

from counter_app.persistence.migrate import include_name
from counter_app.persistence.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("give alembic an engine (counter_app.persistence.migrate) or sqlalchemy.url")
        engine = create_engine(url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _foreign_keys(connection, False)
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            transaction_per_migration=True,
            compare_type=True,
            include_name=include_name,
            on_version_apply=_foreign_keys_hold if sqlite else (),
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.commit()
            _foreign_keys(connection, True)


def _foreign_keys_hold(ctx, **_step) -> None:  # type: ignore[no-untyped-def]
    """Run inside each migration's transaction, before it commits: with foreign keys off while
    tables are rebuilt, a migration that left a row pointing at nothing is rolled back whole."""
    broken = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise IntegrityError("PRAGMA foreign_key_check", None,
                             sqlite3.IntegrityError(f"FOREIGN KEY constraint failed: {broken[:5]}"))


def _foreign_keys(connection, on: bool) -> None:  # type: ignore[no-untyped-def]
    """Batch mode rebuilds tables by copy, drop and rename, which foreign keys would refuse.
    SQLite ignores this pragma inside a transaction, so it is set on the driver's connection
    while none is open."""
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


run_migrations()
