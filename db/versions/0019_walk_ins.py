"""Walk-in services and tickets finished at a window while the hub was down (issue 10 item 4):
``walk_in_service`` (at a counter: made from its own ticketless payments and applications and
marked when the hub has them; at the hub: every counter's, for the manager's statistics) and
``ticket_finished_here`` (a counter's finish the hub has not been told yet, across restarts).
Local tables: not replicated, never deleted.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 13:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "walk_in_service",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("node_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("branch_id", sa.String(length=36), nullable=False),
        sa.Column("window_id", sa.String(length=36), nullable=True),
        sa.Column("clerk_id", sa.String(length=36), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("rating_id", sa.String(length=36), nullable=True),
        sa.Column("rating_level", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=True),
        sa.Column("rating_reported", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_walk_in_service")),
    )
    op.create_index(op.f("ix_walk_in_service_clerk_id"), "walk_in_service", ["clerk_id"], unique=False)
    op.create_index(op.f("ix_walk_in_service_business_date"), "walk_in_service", ["business_date"], unique=False)
    op.create_index(op.f("ix_walk_in_service_reported_at"), "walk_in_service", ["reported_at"], unique=False)
    op.create_table(
        "ticket_finished_here",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=10), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("clerk_id", sa.String(length=36), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("told_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("ticket_id", name=op.f("pk_ticket_finished_here")),
    )
    op.create_index(op.f("ix_ticket_finished_here_window"), "ticket_finished_here", ["window"], unique=False)


def downgrade() -> None:
    op.drop_table("ticket_finished_here")
    op.drop_table("walk_in_service")
