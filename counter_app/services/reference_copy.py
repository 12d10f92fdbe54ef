"""A counter's reference data copied from another node's database file, in one transaction:
branch, services, windows, staff (with their argon2 hashes), tariffs, accounts, meters, bills,
application types and holidays, with the ids they have there. This stands in for the download
from head office (issue 10 item 1) where a branch is tried out without it: ``counter-app demo
--split`` and the multi-process tests seed each counter from the hub's seeded file this way.
The target's own identity, outbox and facts are not touched; a target that already holds a
branch is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Base, Branch, Holiday, Reference
from counter_app.services.node import NodeDatabase

REFERENCE_TABLES = tuple(table.name for table in Base.metadata.sorted_tables
                         if any(m.class_.__tablename__ == table.name and issubclass(m.class_, Reference)
                                for m in Base.registry.mappers)
                         or table.name in (Holiday.__tablename__, "window_service"))


def copy_reference(source: Path, target: NodeDatabase) -> dict[str, int]:
    """Copy the reference tables of the database file ``source`` into ``target``; rows per table."""
    with unit_of_work(target.sessions) as session:
        if session.scalar(select(func.count()).select_from(Branch)):
            raise RuntimeError(f"{target.path} already holds a branch; copy reference data only into an empty one")
    counts: dict[str, int] = {}
    connection = sqlite3.connect(target.path, isolation_level=None, timeout=30)
    try:
        connection.execute("ATTACH DATABASE ? AS source", (str(source),))
        connection.execute("BEGIN IMMEDIATE")
        for name in REFERENCE_TABLES:
            columns = ", ".join(f'"{c.name}"' for c in Base.metadata.tables[name].columns)
            done = connection.execute(f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM source."{name}"')
            counts[name] = done.rowcount
        connection.execute("COMMIT")
    finally:
        connection.close()
    return counts
