"""Statistics facts: stats_day, stats_ticket and stats_segment (derived from ticket_event per
business day, local, not replicated); an index on rating.requested_at (ratings counted by period)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 16:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_day",
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("branch_id", "business_date", name=op.f("pk_stats_day")),
    )
    op.create_table(
        "stats_ticket",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=36), nullable=False),
        sa.Column("wait_s", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("transferred", sa.Integer(), nullable=False),
        sa.Column("first_clerk_id", sa.String(length=36), nullable=True),
        sa.Column("first_window_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_stats_ticket")),
    )
    op.create_index("ix_stats_ticket_day", "stats_ticket", ["business_date", "branch_id"], unique=False)
    op.create_table(
        "stats_segment",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("clerk_id", sa.String(length=36), nullable=True),
        sa.Column("window_id", sa.String(length=36), nullable=True),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("ended", sa.String(length=12), nullable=True),
        sa.Column("handle_s", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", "part", name=op.f("pk_stats_segment")),
    )
    op.create_index("ix_stats_segment_day", "stats_segment", ["business_date", "branch_id"], unique=False)
    op.create_index("ix_rating_requested_at", "rating", ["requested_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_rating_requested_at", table_name="rating")
    op.drop_index("ix_stats_segment_day", table_name="stats_segment")
    op.drop_table("stats_segment")
    op.drop_index("ix_stats_ticket_day", table_name="stats_ticket")
    op.drop_table("stats_ticket")
    op.drop_table("stats_day")
