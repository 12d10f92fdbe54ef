"""ticket.queue_service_id (the pool a ticket is in after a transfer), ticket.recall_count, and the
indexes the hub's call order needs (partial indexes over the waiting pool)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

POOL = "state IN ('waiting', 'transferred')"  # as written in counter_app.persistence.models.queue


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue_service_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("recall_count", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE ticket SET queue_service_id = service_id")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.alter_column("queue_service_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column("recall_count", existing_type=sa.Integer(), server_default=None)
        batch_op.create_foreign_key(
            batch_op.f("fk_ticket_queue_service_id_service"), "service", ["queue_service_id"], ["id"]
        )
        batch_op.create_index("ix_ticket_open", ["branch_id", "state", "queue_service_id"], unique=False)
        batch_op.create_index("ix_ticket_pool", ["queue_service_id", "priority", "queued_at", "seq"], unique=False,
                              sqlite_where=sa.text(f"{POOL} AND target_window_id IS NULL"))
        batch_op.create_index("ix_ticket_targeted", ["target_window_id", "priority", "queued_at", "seq"], unique=False,
                              sqlite_where=sa.text(f"{POOL} AND target_window_id IS NOT NULL"))


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_targeted")
        batch_op.drop_index("ix_ticket_pool")
        batch_op.drop_index("ix_ticket_open")
        batch_op.drop_constraint(batch_op.f("fk_ticket_queue_service_id_service"), type_="foreignkey")
        batch_op.drop_column("recall_count")
        batch_op.drop_column("queue_service_id")
