"""Service quality: the local rating_request table (the time window a finished service opens
for its rating), ticket number and call time on a rating, closing of follow-ups, the first
receiver, window and closing time of an inquiry; and triggers that keep a stored rating's
facts from being changed or the rating deleted

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 21:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


#: What a stored rating says; a re-applied identical row (replication) passes, a change does not.
#: A later migration that rebuilds ``rating`` in batch mode loses these triggers: make them again.
RATING_FACTS = ("ticket_id", "service_record", "window_id", "clerk_id", "service_id", "level", "reasons", "device",
                "requested_at", "rated_at")


def upgrade() -> None:
    op.create_table(
        "rating_request",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("window_id", sa.String(length=36), nullable=False),
        sa.Column("clerk_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=True),
        sa.Column("service_record", sa.String(length=36), nullable=True),
        sa.Column("service_id", sa.String(length=36), nullable=True),
        sa.Column("ticket_number", sa.String(length=8), nullable=False),
        sa.Column("device", sa.String(length=40), nullable=False),
        sa.Column("called_at", sa.DateTime(), nullable=True),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("rating_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["clerk_id"], ["staff.id"], name=op.f("fk_rating_request_clerk_id_staff")),
        sa.ForeignKeyConstraint(["rating_id"], ["rating.id"], name=op.f("fk_rating_request_rating_id_rating")),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"], name=op.f("fk_rating_request_service_id_service")),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], name=op.f("fk_rating_request_ticket_id_ticket")),
        sa.ForeignKeyConstraint(["window_id"], ["window.id"], name=op.f("fk_rating_request_window_id_window")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_request")),
    )
    with op.batch_alter_table("rating_request", schema=None) as batch_op:
        batch_op.create_index("ix_rating_request_window_state", ["window_id", "state"], unique=False)

    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_by_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("window_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_inquiry_received_by_id_staff"), "staff", ["received_by_id"], ["id"])
        batch_op.create_foreign_key(batch_op.f("fk_inquiry_window_id_window"), "window", ["window_id"], ["id"])

    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ticket_number", sa.String(length=8), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("called_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.alter_column("ticket_number", existing_type=sa.String(length=8), server_default=None)

    with op.batch_alter_table("rating_followup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("resolution", sa.String(length=12), nullable=False, server_default=""))
    with op.batch_alter_table("rating_followup", schema=None) as batch_op:
        batch_op.alter_column("resolution", existing_type=sa.String(length=12), server_default=None)

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in RATING_FACTS)
    op.execute(f"CREATE TRIGGER rating_never_edited BEFORE UPDATE ON rating WHEN {changed} "
               "BEGIN SELECT RAISE(ABORT, 'a rating is never edited'); END")
    op.execute("CREATE TRIGGER rating_never_deleted BEFORE DELETE ON rating "
               "BEGIN SELECT RAISE(ABORT, 'a rating is never deleted'); END")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS rating_never_deleted")
    op.execute("DROP TRIGGER IF EXISTS rating_never_edited")
    with op.batch_alter_table("rating_followup", schema=None) as batch_op:
        batch_op.drop_column("resolution")
        batch_op.drop_column("closed_at")
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_column("called_at")
        batch_op.drop_column("ticket_number")
    with op.batch_alter_table("inquiry", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_inquiry_window_id_window"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_inquiry_received_by_id_staff"), type_="foreignkey")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("window_id")
        batch_op.drop_column("received_by_id")
    with op.batch_alter_table("rating_request", schema=None) as batch_op:
        batch_op.drop_index("ix_rating_request_window_state")
    op.drop_table("rating_request")
