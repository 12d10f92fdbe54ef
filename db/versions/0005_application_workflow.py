"""Connection applications: acceptance day, stopped clock (待补件), type snapshot, attachment
stage, an index for lookups by credit code, a covering index for the back office's work list
(replacing ix_application_stage_due), and the local table of intake drafts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 20:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

#: A covering index: the back office's list by stage and due date never touches the table.
WORK_LIST_COLUMNS = ["current_stage", "stage_due_date", "number", "status", "type_id", "accepted_on", "clock_stopped_days",
                     "clock_stopped_since", "applicant_name", "site_address", "phone"]


def upgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accepted_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("finished_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("clock_stopped_days", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("clock_stopped_since", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("type_definition", sa.JSON(), nullable=True))
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.alter_column("clock_stopped_days", existing_type=sa.Integer(), server_default=None)
        batch_op.create_index(batch_op.f("ix_application_credit_code"), ["credit_code"], unique=False)
        batch_op.drop_index("ix_application_stage_due")
        batch_op.create_index("ix_application_work_list", WORK_LIST_COLUMNS, unique=False)
    with op.batch_alter_table("application_attachment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stage", sa.String(length=20), nullable=False, server_default=""))
    with op.batch_alter_table("application_attachment", schema=None) as batch_op:
        batch_op.alter_column("stage", existing_type=sa.String(length=20), server_default=None)
    op.create_table(
        "application_draft",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("clerk_id", sa.String(length=36), nullable=False),
        sa.Column("type_code", sa.String(length=20), nullable=False),
        sa.Column("applicant_name", sa.String(length=100), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["clerk_id"], ["staff.id"], name=op.f("fk_application_draft_clerk_id_staff")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_draft")),
    )
    with op.batch_alter_table("application_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_application_draft_clerk_id"), ["clerk_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("application_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_draft_clerk_id"))
    op.drop_table("application_draft")
    with op.batch_alter_table("application_attachment", schema=None) as batch_op:
        batch_op.drop_column("stage")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_work_list")
        batch_op.create_index("ix_application_stage_due", ["current_stage", "stage_due_date"], unique=False)
        batch_op.drop_index(batch_op.f("ix_application_credit_code"))
        batch_op.drop_column("type_definition")
        batch_op.drop_column("clock_stopped_since")
        batch_op.drop_column("clock_stopped_days")
        batch_op.drop_column("finished_on")
        batch_op.drop_column("accepted_on")
