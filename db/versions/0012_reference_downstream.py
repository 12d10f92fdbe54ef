"""Reference data from head office: hq_version on holiday and window_service; ref_policy (a
branch's policy tables from head office), ref_stage (rows of a snapshot or a page being applied),
ref_snapshot (a snapshot's progress, resumable), ref_guard; triggers that make head office's columns
of the reference tables read-only once the database holds head office's data, except to the apply
(which opens ref_guard inside its own transaction)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 19:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

#: table -> head office's columns (an UPDATE of any other column stays allowed: local effects)
GUARDED = {
    "branch": ("id", "hq_version", "code", "name", "utility_name", "timezone", "query_phone", "address"),
    "service": ("id", "hq_version", "branch_id", "code", "letter", "name_zh", "name_en", "daily_cap", "sort_order",
                "active", "standard_minutes"),
    "window": ("id", "hq_version", "branch_id", "number", "name", "active"),
    "window_service": ("window_id", "service_id", "sort_order", "hq_version"),
    "staff": ("id", "hq_version", "branch_id", "staff_no", "name", "role", "password_hash", "star_level", "disabled",
              "offline_valid_until"),
    "tariff_version": ("id", "hq_version", "code", "name", "user_type", "valid_from", "valid_to", "definition"),
    "holiday": ("day", "kind", "name", "hq_version"),
    "application_type": ("id", "hq_version", "code", "name_zh", "name_en", "definition", "active"),
    "ref_policy": ("name", "hq_version", "values"),
    "customer_account": ("id", "hq_version", "account_no", "branch_id", "holder", "address", "phone", "user_type",
                         "household_size", "status"),
    "meter": ("id", "hq_version", "account_id", "meter_no", "size_dn", "installed_on"),
    "bill": ("id", "hq_version", "account_id", "meter_id", "tariff_version_id", "period", "period_start", "period_end",
             "prev_reading", "curr_reading", "usage_m3", "amount_fen", "detail", "due_date"),
}
_WHEN = "WHEN (SELECT owned AND NOT open FROM ref_guard WHERE id = 1)"


def _raise(table: str) -> str:
    return f"SELECT RAISE(ABORT, 'ref_read_only: {table} is reference data from head office')"


def upgrade() -> None:
    with op.batch_alter_table("holiday") as batch:
        batch.add_column(sa.Column("hq_version", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("window_service") as batch:
        batch.add_column(sa.Column("hq_version", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "ref_policy",
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("hq_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_ref_policy")),
    )
    op.create_table(
        "ref_stage",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("sid", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("k1", sa.String(length=60), nullable=False),
        sa.Column("k2", sa.String(length=60), nullable=False),
        sa.Column("row_id", sa.String(length=36), nullable=False),
        sa.Column("hq_version", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("payload", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_ref_stage")),
    )
    op.create_index("ix_ref_stage_key", "ref_stage", ["sid", "entity", "k1", "k2"], unique=False)
    op.create_table(
        "ref_snapshot",
        sa.Column("sid", sa.String(length=60), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=400), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=24), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sid", name=op.f("pk_ref_snapshot")),
    )
    op.create_table(
        "ref_guard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owned", sa.Boolean(), nullable=False),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ref_guard")),
    )
    op.execute("INSERT INTO ref_guard (id, owned, open) VALUES (1, 0, 0)")
    for table, columns in GUARDED.items():
        quoted = ", ".join(f'"{c}"' for c in columns)
        op.execute(f'CREATE TRIGGER ref_ro_{table}_insert BEFORE INSERT ON "{table}" {_WHEN} BEGIN {_raise(table)}; END')
        op.execute(f'CREATE TRIGGER ref_ro_{table}_update BEFORE UPDATE OF {quoted} ON "{table}" {_WHEN} '
                   f"BEGIN {_raise(table)}; END")
        op.execute(f'CREATE TRIGGER ref_ro_{table}_delete BEFORE DELETE ON "{table}" {_WHEN} BEGIN {_raise(table)}; END')


def downgrade() -> None:
    for table in GUARDED:
        for what in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS ref_ro_{table}_{what}")
    op.drop_table("ref_guard")
    op.drop_table("ref_snapshot")
    op.drop_index("ix_ref_stage_key", table_name="ref_stage")
    op.drop_table("ref_stage")
    op.drop_table("ref_policy")
    with op.batch_alter_table("window_service") as batch:
        batch.drop_column("hq_version")
    with op.batch_alter_table("holiday") as batch:
        batch.drop_column("hq_version")
