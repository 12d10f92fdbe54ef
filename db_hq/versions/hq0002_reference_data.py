"""Reference data downstream: ref_stream, ref_change (gap-free change log) and ref_entity

Revision ID: hq0002
Revises: hq0001
Create Date: 2026-12-04 18:45:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "hq0002"
down_revision = "hq0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE ref_change_id_seq AS bigint START 1")
    op.create_table(
        "ref_stream",
        sa.Column("stream", sa.String(length=30), nullable=False),
        sa.Column("bucket", sa.String(length=10), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("retention_floor", sa.BigInteger(), nullable=False),
        sa.Column("head_change_id", sa.BigInteger(), nullable=False),
        sa.Column("checksum", sa.BigInteger(), nullable=False),
        sa.Column("live_count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("stream", "bucket"),
    )
    op.create_table(
        "ref_change",
        sa.Column("change_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("txn", sa.BigInteger(), nullable=False),
        sa.Column("stream", sa.String(length=30), nullable=False),
        sa.Column("bucket", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_key", sa.String(length=120), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("change_id"),
    )
    op.create_index("ix_ref_change_stream", "ref_change", ["stream", "bucket", "change_id"], unique=False)
    op.create_table(
        "ref_entity",
        sa.Column("stream", sa.String(length=30), nullable=False),
        sa.Column("bucket", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_key", sa.String(length=120), nullable=False),
        sa.Column("hq_version", sa.BigInteger(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("stream", "bucket", "entity", "entity_key"),
    )


def downgrade() -> None:
    op.drop_table("ref_entity")
    op.drop_index("ix_ref_change_stream", table_name="ref_change")
    op.drop_table("ref_change")
    op.drop_table("ref_stream")
    op.execute("DROP SEQUENCE ref_change_id_seq")
