"""Real Alembic upgrades on real SQLite files."""

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.persistence.database import make_engine
from counter_app.persistence.migrate import alembic_config, current_revision, head_revision, include_name, upgrade
from counter_app.persistence.models import Base, Staff
from counter_app.services.node import open_node_database


def test_upgrade_from_empty_matches_the_models(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "n.sqlite3")
    assert upgrade(engine, tmp_path / "n.sqlite3", tmp_path / "backups") is None  # nothing to copy yet
    assert current_revision(engine) == head_revision(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    engine.dispose()


def test_one_head_and_a_linear_history() -> None:
    script = ScriptDirectory.from_config(alembic_config(make_engine(Path(":memory:"))))
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None


def test_data_survives_every_migration_and_a_copy_is_taken_first(tmp_path: Path) -> None:
    db_file = tmp_path / "old.sqlite3"
    engine = make_engine(db_file)
    script = ScriptDirectory.from_config(alembic_config(engine))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    command.upgrade(alembic_config(engine), revisions[0])
    now = datetime(2026, 1, 1, 8, 0)
    raw = sqlite3.connect(db_file)
    with raw:
        raw.execute("INSERT INTO branch (id, code, name, utility_name, timezone, query_phone, address, hq_version) "
                    "VALUES ('b1', 'B001', '城东营业厅', '示范水司', 'Asia/Shanghai', '', '', 1)")
        raw.execute("INSERT INTO staff (id, branch_id, staff_no, name, role, password_hash, star_level, disabled, "
                    "failed_logins, hq_version) VALUES ('s1', 'b1', '1001', '李娜', 'clerk', 'h', 4, 0, 0, 1)")
        raw.execute("INSERT INTO outbox_event (event_id, channel, channel_seq, event_type, aggregate_type, aggregate_id, "
                    "schema_version, payload, payload_sha256, node_id, created_at, state, result) "
                    "VALUES ('e1', 'ops', 1, 't', 'x', 'x', 1, '{}', '0', 'n', ?, 'pending', '')", (now.isoformat(" "),))
    raw.close()
    for revision in revisions[1:]:
        command.upgrade(alembic_config(engine), revision)
    engine.dispose()
    # and the start-up path copies before migrating a database that is behind
    engine = make_engine(db_file)
    command.downgrade(alembic_config(engine), revisions[-2]) if len(revisions) > 1 else None
    backup = upgrade(engine, db_file, tmp_path / "backups")
    assert backup is not None and Path(backup).exists()
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT staff_no, name FROM staff").fetchall() == [("1001", "李娜")]
    copy.close()
    db = open_node_database(DataPaths(tmp_path / "x"), Settings())  # a fresh one still opens fine
    db.dispose()
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        staff = session.scalars(select(Staff)).one()
        assert (staff.staff_no, staff.name, staff.star_level, staff.last_login_at) == ("1001", "李娜", 4, None)
        assert session.execute(select(Base.metadata.tables["outbox_event"].c.event_id)).scalar_one() == "e1"
    engine.dispose()


def test_pragmas_make_commits_durable(node_db) -> None:
    with node_db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10000


def test_utc_is_stored_and_naive_times_refused(node_db) -> None:
    import pytest
    from sqlalchemy.exc import StatementError

    from counter_app.persistence.database import unit_of_work
    from counter_app.persistence.models import AuditLog

    with unit_of_work(node_db.sessions) as session:
        session.add(AuditLog(node_id="n", at=datetime(2026, 1, 1, 16, 0, tzinfo=timezone.utc), action="x"))
    with unit_of_work(node_db.sessions) as session:
        assert session.scalars(select(AuditLog)).one().at == datetime(2026, 1, 1, 16, 0, tzinfo=timezone.utc)
    with pytest.raises(StatementError, match="naive"):
        with unit_of_work(node_db.sessions) as session:
            session.add(AuditLog(node_id="n", at=datetime(2026, 1, 1), action="y"))


def test_tables_rebuilt_by_later_migrations_keep_their_money_rows(seeded_db, data_paths) -> None:
    """Batch mode copies, drops and renames a table: with payments pointing at bills and
    allocations pointing at payments, that only works with foreign keys off while migrating."""
    from counter_app.domain.allocation import MethodPart
    from tests.integration.billing_fixtures import account_with_bills, clerk, counter

    c = counter(seeded_db, data_paths)
    view = account_with_bills(c)
    bill_ids = [bill.bill_id for bill in view.bills]
    quote = c.payments.quote(view.account_id, bill_ids)
    paid = c.payments.take_payment(clerk(c), view.account_id, [MethodPart("cash", quote.to_pay_fen, tendered_fen=quote.to_pay_fen)],
                                   bill_ids=bill_ids, expected_due_fen=quote.due_fen)
    config = alembic_config(seeded_db.engine)
    command.downgrade(config, "0006")  # 0007 rebuilt `payment`; going back rebuilds it again
    command.upgrade(config, "head")
    with seeded_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        rows = connection.exec_driver_sql(
            "SELECT r.receipt_no, (SELECT count(*) FROM payment_allocation a WHERE a.payment_id = p.id) "
            "FROM payment p JOIN receipt r ON r.payment_id = p.id WHERE p.id = ?", (paid.payment_id,)).fetchall()
    assert rows == [(paid.receipt_no, len(paid.allocations))]
