"""Alembic environment: batch mode on SQLite, foreign keys off while migrating, one
transaction per migration (after Prefect's migrations env)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

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
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF") if connection.dialect.name == "sqlite" else None
        connection.commit()
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
        if connection.dialect.name == "sqlite":
            connection.commit()
            connection.execute(text("PRAGMA foreign_keys=ON"))
            connection.commit()


run_migrations()
