"""Bills paid at other windows: hub_bill_payment and hub_bill_incident at the hub, bill_report
at a counter with its own database (local, not replicated, never deleted)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 18:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_bill_payment",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("bill_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reverses_id", sa.String(length=36), nullable=True),
        sa.Column("principal_fen", sa.Integer(), nullable=False),
        sa.Column("settled", sa.Boolean(), nullable=False),
        sa.Column("window", sa.Integer(), nullable=True),
        sa.Column("terminal_code", sa.String(length=10), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=False),
        sa.Column("taken_offline", sa.Boolean(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_bill_payment")),
        sa.UniqueConstraint("payment_id", "bill_id", name=op.f("uq_hub_bill_payment_payment_id_bill_id")),
    )
    op.create_index(op.f("ix_hub_bill_payment_payment_id"), "hub_bill_payment", ["payment_id"], unique=False)
    op.create_index(op.f("ix_hub_bill_payment_bill_id"), "hub_bill_payment", ["bill_id"], unique=False)
    op.create_index(op.f("ix_hub_bill_payment_reverses_id"), "hub_bill_payment", ["reverses_id"], unique=False)
    op.create_table(
        "hub_bill_incident",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bill_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("other_payment_id", sa.String(length=36), nullable=False),
        sa.Column("window", sa.Integer(), nullable=True),
        sa.Column("other_window", sa.Integer(), nullable=True),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_bill_incident")),
        sa.UniqueConstraint("bill_id", "payment_id", name=op.f("uq_hub_bill_incident_bill_id_payment_id")),
    )
    op.create_index(op.f("ix_hub_bill_incident_bill_id"), "hub_bill_incident", ["bill_id"], unique=False)
    op.create_table(
        "bill_report",
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("taken_offline", sa.Boolean(), nullable=False),
        sa.Column("reported_at", sa.DateTime(), nullable=True),
        sa.Column("result", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_bill_report")),
    )
    op.create_index(op.f("ix_bill_report_reported_at"), "bill_report", ["reported_at"], unique=False)


def downgrade() -> None:
    op.drop_table("bill_report")
    op.drop_table("hub_bill_incident")
    op.drop_table("hub_bill_payment")
