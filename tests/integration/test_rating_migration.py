"""Migration 0008 on a real SQLite file: ratings keep the hub's ticket id without a foreign key,
one per ticket id, and the rebuilt ``rating`` table gets back the triggers of 0006 word for word,
so a stored rating is still never edited or deleted."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy.exc import IntegrityError

from counter_app.domain.ids import new_id
from counter_app.persistence.database import make_engine
from counter_app.persistence.migrate import alembic_config

TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'rating' ORDER BY name"


def foreign_keys(raw: sqlite3.Connection, table: str) -> set[tuple[str, str]]:
    return {(row[3], row[2]) for row in raw.execute(f"PRAGMA foreign_key_list({table})")}


def insert_rating(raw: sqlite3.Connection, rating_id: str, ticket_id: str, level: int | None = 4) -> None:
    raw.execute(
        "INSERT INTO rating (id, node_id, outbox_event_id, ticket_id, service_record, window_id, clerk_id, "
        "service_id, level, reasons, device, requested_at, rated_at, ticket_number, called_at) "
        "VALUES (?, 'n', 'e1', ?, NULL, 'w1', 's1', NULL, ?, '[]', 'screen:W01', "
        "'2026-11-27 02:01:30.000000', '2026-11-27 02:01:36.000000', 'A001', NULL)", (rating_id, ticket_id, level))


@pytest.fixture
def at_0007(tmp_path: Path) -> Path:
    """A database at 0007 holding a rating with its request and its follow-up: ``rating`` is a
    parent, and foreign keys are enforced while migrating."""
    db_file = tmp_path / "old.sqlite3"
    engine = make_engine(db_file)
    command.upgrade(alembic_config(engine), "0007")
    engine.dispose()
    raw = sqlite3.connect(db_file)
    raw.execute("PRAGMA foreign_keys=ON")
    with raw:
        raw.execute("INSERT INTO branch (id, code, name, utility_name, timezone, query_phone, address, hq_version) "
                    "VALUES ('b1', 'B001', '城东营业厅', '示范水司', 'Asia/Shanghai', '', '', 1)")
        raw.execute("INSERT INTO staff (id, branch_id, staff_no, name, role, password_hash, star_level, disabled, "
                    "failed_logins, hq_version) VALUES ('s1', 'b1', '1001', '李娜', 'clerk', 'h', 4, 0, 0, 1)")
        raw.execute("INSERT INTO window (id, branch_id, number, name, active, hq_version) "
                    "VALUES ('w1', 'b1', 1, '1号窗口', 1, 1)")
        raw.execute("INSERT INTO outbox_event (event_id, channel, channel_seq, event_type, aggregate_type, "
                    "aggregate_id, schema_version, payload, payload_sha256, node_id, created_at, state, result) "
                    "VALUES ('e1', 'ops', 1, 't', 'x', 'x', 1, '{}', '0', 'n', '2026-11-27 02:01:36.000000', "
                    "'pending', '')")
        # a ticket id without its row, as the hub's tickets will be: 0007 itself would refuse it, so its
        # check is waived here (turning defer_foreign_keys off again drops the counted violations)
        raw.execute("PRAGMA defer_foreign_keys=ON")
        insert_rating(raw, "r-before", new_id(), level=2)
        raw.execute("INSERT INTO rating_request (id, window_id, clerk_id, ticket_id, ticket_number, device, "
                    "requested_at, expires_at, state, rating_id) SELECT 'q1', window_id, clerk_id, ticket_id, "
                    "'A001', device, requested_at, requested_at, 'rated', id FROM rating")
        raw.execute("INSERT INTO rating_followup (id, node_id, outbox_event_id, rating_id, deadline, status, "
                    "opened_at, resolution) VALUES ('f1', 'n', 'e1', 'r-before', '2026-12-02', 'open', "
                    "'2026-11-27 02:01:36.000000', '')")
        raw.execute("PRAGMA defer_foreign_keys=OFF")
    raw.close()
    return db_file


def upgrade_to(db_file: Path, revision: str) -> None:
    engine = make_engine(db_file)
    command.upgrade(alembic_config(engine), revision)
    engine.dispose()


def test_ratings_keep_a_ticket_id_the_database_does_not_hold(at_0007: Path) -> None:
    raw = sqlite3.connect(at_0007)
    before = raw.execute(TRIGGERS).fetchall()
    assert [name for name, _ in before] == ["rating_never_deleted", "rating_never_edited"]
    assert ("ticket_id", "ticket") in foreign_keys(raw, "rating")
    raw.close()

    upgrade_to(at_0007, "0008")

    raw = sqlite3.connect(at_0007)
    raw.execute("PRAGMA foreign_keys=ON")
    assert raw.execute(TRIGGERS).fetchall() == before  # made again, the same SQL
    assert ("ticket_id", "ticket") not in foreign_keys(raw, "rating")
    assert ("ticket_id", "ticket") not in foreign_keys(raw, "rating_request")
    assert ("window_id", "window") in foreign_keys(raw, "rating")  # the reference data stays bound
    assert raw.execute("SELECT level, ticket_number FROM rating").fetchall() == [(2, "A001")]  # data kept
    assert raw.execute("SELECT id, rating_id, finished_at FROM rating_request").fetchall() == [("q1", "r-before", None)]
    assert raw.execute("SELECT id, rating_id FROM rating_followup").fetchall() == [("f1", "r-before")]
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []  # every reference resolves
    columns = {row[1] for row in raw.execute("PRAGMA table_info(rating_request)")}
    assert "finished_at" in columns
    hub_ticket = new_id()  # a ticket only the hub holds: accepted with foreign keys enforced
    insert_rating(raw, "r-after", hub_ticket)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed: rating.ticket_id"):
        insert_rating(raw, "r-again", hub_ticket)
    raw.commit()
    for sql in ("UPDATE rating SET level = 5", "UPDATE rating SET ticket_id = 'other'",
                "UPDATE rating SET reasons = '[\"attitude\"]', rated_at = NULL", "DELETE FROM rating",
                "DELETE FROM rating WHERE id = 'r-before'"):
        with pytest.raises(sqlite3.IntegrityError, match="a rating is never"):
            raw.execute(sql)
    raw.execute("UPDATE rating SET level = level")  # the same facts again (replication) pass
    assert raw.execute("SELECT id, level FROM rating ORDER BY id").fetchall() == [("r-after", 4), ("r-before", 2)]
    raw.close()


def test_a_downgrade_gives_back_the_foreign_keys_and_keeps_the_triggers(tmp_path: Path) -> None:
    db_file = tmp_path / "empty.sqlite3"
    upgrade_to(db_file, "0007")
    raw = sqlite3.connect(db_file)
    before = raw.execute(TRIGGERS).fetchall()
    raw.close()
    upgrade_to(db_file, "0008")
    engine = make_engine(db_file)
    command.downgrade(alembic_config(engine), "0007")
    engine.dispose()
    raw = sqlite3.connect(db_file)
    assert raw.execute(TRIGGERS).fetchall() == before
    assert ("ticket_id", "ticket") in foreign_keys(raw, "rating")
    assert ("ticket_id", "ticket") in foreign_keys(raw, "rating_request")
    raw.close()


def test_no_downgrade_while_a_rating_holds_a_ticket_only_the_hub_knows(at_0007: Path) -> None:
    """0007's foreign key cannot hold such a rating, and a rating is never changed to fit: the
    downgrade is refused as a whole, and the ratings and their triggers stay as they were."""
    upgrade_to(at_0007, "0008")
    engine = make_engine(at_0007)
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        command.downgrade(alembic_config(engine), "0007")
    engine.dispose()
    raw = sqlite3.connect(at_0007)
    assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0008",)]
    assert raw.execute("SELECT id, level FROM rating").fetchall() == [("r-before", 2)]
    assert [name for name, _ in raw.execute(TRIGGERS)] == ["rating_never_deleted", "rating_never_edited"]
    assert ("ticket_id", "ticket") not in foreign_keys(raw, "rating")
    raw.close()
