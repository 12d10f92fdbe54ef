"""Applications seen at every window of a branch whose counters each keep their own database:
``hub_application`` at the hub (the branch-wide read copy, one row per application, replaced
only by a newer copy from the counter that took it; ``hub_application_action``, documents handed in
at another window until that counter has them) and ``hub_report_cursor`` at a counter (how
far its outbox has been reported to the hub).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 13:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_application",
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("credit_code", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("account_no", sa.String(length=30), nullable=False),
        sa.Column("window", sa.Integer(), nullable=True),
        sa.Column("terminal_code", sa.String(length=10), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("as_of", sa.DateTime(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("copy", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_hub_application")),
    )
    for column in ("number", "id_number", "credit_code", "phone"):
        op.create_index(op.f(f"ix_hub_application_{column}"), "hub_application", [column], unique=False)
    op.create_table(
        "hub_application_action",
        sa.Column("action_id", sa.String(length=36), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("owner_terminal", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("result", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("action_id", name=op.f("pk_hub_application_action")),
    )
    for column in ("application_id", "owner_terminal", "state"):
        op.create_index(op.f(f"ix_hub_application_action_{column}"), "hub_application_action", [column], unique=False)
    op.create_table(
        "hub_report_cursor",
        sa.Column("stream", sa.String(length=20), nullable=False),
        sa.Column("through_seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("stream", name=op.f("pk_hub_report_cursor")),
    )


def downgrade() -> None:
    op.drop_table("hub_report_cursor")
    op.drop_table("hub_application_action")
    op.drop_table("hub_application")
