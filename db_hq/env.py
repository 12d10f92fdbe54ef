"""Alembic environment of head office's PostgreSQL (the branch's SQLite has its own in ``db/``).
One transaction per migration, under an advisory lock so two head-office processes starting at
once migrate one after the other."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from counter_app.hq.models import HQBase

config = context.config
target_metadata = HQBase.metadata

#: pg_advisory_lock key held while migrating (any constant no other code uses)
MIGRATION_LOCK = 0x68715F6D6967  # "hq_mig"


def run_migrations() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("give alembic an engine (counter_app.hq.database) or sqlalchemy.url")
        engine = create_engine(url)
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
        connection.commit()
        try:
            context.configure(connection=connection, target_metadata=target_metadata,
                              transaction_per_migration=True, compare_type=True)
            with context.begin_transaction():
                context.run_migrations()
            connection.commit()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
            connection.commit()


run_migrations()
