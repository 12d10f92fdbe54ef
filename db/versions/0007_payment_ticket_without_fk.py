"""payment.ticket_id without a foreign key: the hub owns tickets, a counter's database need not
hold them (a payment at a counter with its own database was refused while a ticket was current)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 17:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint("fk_payment_ticket_id_ticket", type_="foreignkey")
        batch_op.create_index(batch_op.f("ix_payment_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_ticket_id"))
        batch_op.create_foreign_key("fk_payment_ticket_id_ticket", "ticket", ["ticket_id"], ["id"])
