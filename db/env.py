"""Alembic environment: batch mode on SQLite, foreign keys off while migrating, one
transaction per migration (after Prefect's migrations env)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

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
        )
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.commit()
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            _foreign_keys(connection, True)
            if broken:
                raise RuntimeError(f"migration left rows pointing at nothing: {broken[:5]}")


def _foreign_keys(connection, on: bool) -> None:  # type: ignore[no-untyped-def]
    """Batch mode rebuilds tables by copy, drop and rename, which foreign keys would refuse.
    SQLite ignores this pragma inside a transaction, so it is set on the driver's connection
    while none is open."""
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


run_migrations()
