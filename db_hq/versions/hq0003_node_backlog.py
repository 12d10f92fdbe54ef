"""What each node last reported of its own backlog (issue 9: ``hq-admin nodes``): events not yet
sent, quarantined events, the oldest unsent payment, and when it said so. Sent by the branch in
its hello and in some pushes; head office cannot count what it has not received.

Revision ID: hq0003
Revises: hq0001
Create Date: 2026-12-04 19:15:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hq0003"
down_revision = "hq0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sync_node", sa.Column("reported_pending", sa.Integer(), nullable=True))
    op.add_column("sync_node", sa.Column("reported_quarantined", sa.Integer(), nullable=True))
    op.add_column("sync_node", sa.Column("oldest_unsent_payment_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("sync_node", sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for column in ("reported_at", "oldest_unsent_payment_at", "reported_quarantined", "reported_pending"):
        op.drop_column("sync_node", column)
