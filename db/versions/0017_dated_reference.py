"""Reference data ahead of its day, and a password to change (issue 10).

* ``service.in_use_from``: the business day a service begins (NULL: it is in use); before that
  day the queue shows no trace of it;
* ``service.dated`` and ``window.dated``: head office's changes from a day on (JSON list of
  ``{"from": day, field: value}``, ``domain.dated``), applied by the queue on their day — also
  when the branch is offline at midnight;
* ``staff.must_change_password``: a first password, or one reset at head office, that its owner
  changes before doing anything else (at the branch too, offline: not a guarded column).

The read-only triggers of 0012 on ``service`` and ``window`` are made again with the new columns
among head office's.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 08:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


_WHEN = "WHEN (SELECT owned AND NOT open FROM ref_guard WHERE id = 1)"
SERVICE = ("id", "hq_version", "branch_id", "code", "letter", "name_zh", "name_en", "daily_cap", "sort_order", "active",
           "standard_minutes")
WINDOW = ("id", "hq_version", "branch_id", "number", "name", "active")


def _guard_updates(table: str, columns: tuple[str, ...]) -> None:
    quoted = ", ".join(f'"{c}"' for c in columns)
    op.execute(f"DROP TRIGGER IF EXISTS ref_ro_{table}_update")
    op.execute(f'CREATE TRIGGER ref_ro_{table}_update BEFORE UPDATE OF {quoted} ON "{table}" {_WHEN} '
               f"BEGIN SELECT RAISE(ABORT, 'ref_read_only: {table} is reference data from head office'); END")


def upgrade() -> None:
    with op.batch_alter_table("service") as batch:
        batch.add_column(sa.Column("in_use_from", sa.String(10), nullable=True))
        batch.add_column(sa.Column("dated", sa.JSON(), nullable=True))
    with op.batch_alter_table("window") as batch:
        batch.add_column(sa.Column("dated", sa.JSON(), nullable=True))
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default="0"))
    _guard_updates("service", (*SERVICE, "in_use_from", "dated"))
    _guard_updates("window", (*WINDOW, "dated"))


def downgrade() -> None:
    _guard_updates("service", SERVICE)
    _guard_updates("window", WINDOW)
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("must_change_password")
    with op.batch_alter_table("window") as batch:
        batch.drop_column("dated")
    with op.batch_alter_table("service") as batch:
        batch.drop_column("dated")
        batch.drop_column("in_use_from")
