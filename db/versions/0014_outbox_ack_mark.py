"""The outbox's acknowledgement mark: one row per channel, ``outbox_ack.through_seq``, instead of
an UPDATE of every acknowledged event row.

Marking 200 event rows acknowledged after each push rewrote 200 rows of 1-2 KB (and their index
entries) under SQLite's one write lock, and a payment at the window waited behind it (p99 of
commit + receipt 8 → 99 ms while a backlog drained). Now an acknowledgement moves the channel's mark
(a few bytes); an event of a channel is delivered when its ``seq`` is at or below the mark, or
when its own ``state`` says so (``quarantined``, and ``acked`` for rows acknowledged one by one:
rows of older releases, an answer that skipped an event). Events above the mark with state
``pending`` are what is left to send.

The index ``(channel, state, seq)`` answers "pending above the mark" from the index alone, for the
worker's batches and the status bar's counts.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-04 18:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

CHANNELS = ("payments", "applications", "ops")


def upgrade() -> None:
    op.create_table(
        "outbox_ack",
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("through_seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_outbox_ack")),
    )
    for channel in CHANNELS:  # below the first pending event every row is delivered already
        op.execute(sa.text(
            "INSERT INTO outbox_ack (channel, through_seq) VALUES (:channel, coalesce("
            "(SELECT min(seq) - 1 FROM outbox_event WHERE channel = :channel AND state = 'pending'), "
            "(SELECT max(seq) FROM outbox_event WHERE channel = :channel), 0))").bindparams(channel=channel))
    op.create_index("ix_outbox_event_channel_state_seq", "outbox_event", ["channel", "state", "seq"])


def downgrade() -> None:
    op.drop_index("ix_outbox_event_channel_state_seq", table_name="outbox_event")
    op.execute("UPDATE outbox_event SET state = 'acked', result = 'acked (mark)' WHERE state = 'pending' AND seq <= "
               "(SELECT through_seq FROM outbox_ack WHERE outbox_ack.channel = outbox_event.channel)")
    op.drop_table("outbox_ack")
