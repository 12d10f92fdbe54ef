"""Head office's own Alembic environment (``db_hq/``) on a real PostgreSQL, and its settings."""

from __future__ import annotations

import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from counter_app.core.config import ConfigError, settings_from_dict
from counter_app.hq.database import current_revision, head_revision, make_engine, psycopg_url, upgrade
from counter_app.hq.models import HQBase
from tests.hq.conftest import database_url


def test_two_processes_migrating_at_once_leave_one_schema_equal_to_the_models(pg_server: str) -> None:
    admin = create_engine(psycopg_url(pg_server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE hq_fresh"))
    url = database_url(pg_server, "hq_fresh")
    script = "import sys; from counter_app.hq.database import make_engine, upgrade; upgrade(make_engine(sys.argv[1]))"
    processes = [subprocess.Popen([sys.executable, "-c", script, url], stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    outcomes = [(p.wait(120), p.stderr.read()) for p in processes]
    for process in processes:
        process.stderr.close()
    assert outcomes == [(0, ""), (0, "")]
    engines = [make_engine(url, pool_size=1)]
    assert current_revision(engines[0]) == head_revision(engines[0]) == "hq0002"
    with engines[0].connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), HQBase.metadata) == []
    for engine in engines:
        engine.dispose()
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE hq_fresh WITH (FORCE)"))
    admin.dispose()


def test_head_office_settings_are_checked() -> None:
    settings = settings_from_dict({"hq": {"enrol_code_days": 14, "listen_port": 9000,
                                          "database": {"url": "postgresql://hq:pw@db.example:5432/hq"}}})
    assert settings.hq.enrol_code_days == 14 and settings.hq.database.url.endswith("/hq")
    assert settings_from_dict({}).hq.database.url == ""  # embedded PostgreSQL
    for bad, key in [({"enrol_code_days": 0}, "hq.enrol_code_days"), ({"database": {"url": "mysql://x"}}, "hq.database.url"),
                     ({"database": {"host": "x"}}, "hq.database.host"), ({"database": "x"}, "hq.database")]:
        with pytest.raises(ConfigError) as caught:
            settings_from_dict({"hq": bad})
        assert caught.value.key == key
