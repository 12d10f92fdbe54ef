"""The ticket an application was taken for: ``application.ticket_id`` (the hub's ticket the clerk
was serving at intake; none for a walk-in). An application taken for a called ticket is part of
that service: rated once at the ticket's finish and counted with the ticket, not again as a
walk-in. Applications accepted before this revision keep none (each was counted as a walk-in).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 18:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.add_column(sa.Column("ticket_id", sa.String(length=36), nullable=True))
        batch.create_index(batch.f("ix_application_ticket_id"), ["ticket_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("application") as batch:
        batch.drop_index(batch.f("ix_application_ticket_id"))
        batch.drop_column("ticket_id")
