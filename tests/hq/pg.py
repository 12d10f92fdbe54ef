"""An embedded PostgreSQL for tests and the long runs: one server, a migrated template database,
and a fresh copy of the template per test (or per simulated history)."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from counter_app.hq.database import make_engine, psycopg_url, start_embedded, upgrade

TEMPLATE = "hq_template"
_numbers = itertools.count(1)


def database_url(server_uri: str, name: str) -> str:
    base, _, query = server_uri.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def start_with_template(pgdata: Path) -> tuple[Any, str]:
    """Start the embedded server on ``pgdata`` and migrate the template; (handle, its address)."""
    server = start_embedded(pgdata)
    uri = server.get_uri()
    admin = create_engine(psycopg_url(uri), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    template = make_engine(database_url(uri, TEMPLATE), pool_size=1)
    upgrade(template)
    template.dispose()
    admin.dispose()
    return server, uri


def new_database(server_uri: str, prefix: str = "hq_test") -> str:
    """A migrated database of its own (a copy of the template); its address."""
    name = f"{prefix}_{os.getpid()}_{next(_numbers)}"
    admin = create_engine(psycopg_url(server_uri), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
    admin.dispose()
    return database_url(server_uri, name)


def drop_database(server_uri: str, url: str) -> None:
    name = url.partition("?")[0].rsplit("/", 1)[1]
    admin = create_engine(psycopg_url(server_uri), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()
