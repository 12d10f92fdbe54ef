"""hub_device and hub_staff_session: per-device credentials issued by the hub and staff
sessions opened at the hub (replaces the branch's one shared hub token)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 15:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_device",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("window_number", sa.Integer(), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(50), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_by", sa.String(50), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_device")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hub_device_token_hash")),
    )
    op.create_table(
        "hub_staff_session",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("staff_id", sa.String(36), nullable=False),
        sa.Column("window_number", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("ended_reason", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["device_id"], ["hub_device.id"], name=op.f("fk_hub_staff_session_device_id_hub_device")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], name=op.f("fk_hub_staff_session_staff_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_staff_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_hub_staff_session_token_hash")),
    )
    with op.batch_alter_table("hub_staff_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hub_staff_session_device_id"), ["device_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hub_staff_session_staff_id"), ["staff_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hub_staff_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hub_staff_session_staff_id"))
        batch_op.drop_index(batch_op.f("ix_hub_staff_session_device_id"))
    op.drop_table("hub_staff_session")
    op.drop_table("hub_device")
