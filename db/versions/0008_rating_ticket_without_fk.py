"""rating.ticket_id and rating_request.ticket_id without a foreign key: the hub owns tickets, a
counter's database need not hold them (every rating asked for at a counter with its own database
was refused); rating_request.finished_at records when the rated service finished.

``rating`` is rebuilt in batch mode, which drops the triggers of migration 0006 with the old
table: they are made again here, word for word, so a stored rating still cannot be edited or
deleted. One rating per ticket id stays (uq_rating_ticket_id).

Foreign keys are enforced while this runs (the environment's ``PRAGMA foreign_keys=OFF`` comes
after SQLAlchemy's BEGIN, where SQLite ignores it), and ``rating`` is a parent: rating_request
and rating_followup rows point at it, so batch mode's ``DROP TABLE rating`` would fail on any
database that holds ratings. So the ratings are kept aside in a temporary table, the checks are
deferred to COMMIT (``PRAGMA defer_foreign_keys``), batch mode rebuilds the emptied table, and the
same rows go back in: every reference resolves again before COMMIT checks it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 09:00:00
"""
from __future__ import annotations

from typing import Callable

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: As in 0006: what a stored rating says; a re-applied identical row (replication) passes.
RATING_FACTS = ("ticket_id", "service_record", "window_id", "clerk_id", "service_id", "level", "reasons", "device",
                "requested_at", "rated_at")


def _drop_rating_triggers() -> None:
    op.execute("DROP TRIGGER IF EXISTS rating_never_deleted")
    op.execute("DROP TRIGGER IF EXISTS rating_never_edited")


def _create_rating_triggers() -> None:
    """The triggers of 0006, the same SQL."""
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in RATING_FACTS)
    op.execute(f"CREATE TRIGGER rating_never_edited BEFORE UPDATE ON rating WHEN {changed} "
               "BEGIN SELECT RAISE(ABORT, 'a rating is never edited'); END")
    op.execute("CREATE TRIGGER rating_never_deleted BEFORE DELETE ON rating "
               "BEGIN SELECT RAISE(ABORT, 'a rating is never deleted'); END")


def _rebuild_rating(change: Callable[[BatchOperations], None]) -> None:
    """Change ``rating`` in batch mode with its rows kept aside (see the module's note) and its
    triggers made again."""
    op.execute("PRAGMA defer_foreign_keys = ON")  # until this migration's COMMIT
    _drop_rating_triggers()
    columns = [row[1] for row in op.get_bind().exec_driver_sql("PRAGMA table_info(rating)")]
    listed = ", ".join(f'"{c}"' for c in columns)
    op.execute("DROP TABLE IF EXISTS temp.rating_kept_0008")
    op.execute(f"CREATE TEMP TABLE rating_kept_0008 AS SELECT {listed} FROM rating")
    op.execute("DELETE FROM rating")  # no trigger now; the references it breaks are deferred
    with op.batch_alter_table("rating", schema=None) as batch_op:
        change(batch_op)
    op.execute(f"INSERT INTO rating ({listed}) SELECT {listed} FROM temp.rating_kept_0008")
    op.execute("DROP TABLE temp.rating_kept_0008")
    _create_rating_triggers()


def upgrade() -> None:
    with op.batch_alter_table("rating_request", schema=None) as batch_op:
        batch_op.drop_constraint("fk_rating_request_ticket_id_ticket", type_="foreignkey")
        batch_op.add_column(sa.Column("finished_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_rating_request_ticket_id"), ["ticket_id"], unique=False)
    _rebuild_rating(lambda batch_op: batch_op.drop_constraint("fk_rating_ticket_id_ticket", type_="foreignkey"))


def downgrade() -> None:
    _rebuild_rating(lambda batch_op: batch_op.create_foreign_key("fk_rating_ticket_id_ticket", "ticket",
                                                                 ["ticket_id"], ["id"]))
    with op.batch_alter_table("rating_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rating_request_ticket_id"))
        batch_op.drop_column("finished_at")
        batch_op.create_foreign_key("fk_rating_request_ticket_id_ticket", "ticket", ["ticket_id"], ["id"])
