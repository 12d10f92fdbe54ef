"""Fewer ticket indexes to rewrite on every call and finish.

Calling a ticket and finishing it rewrote its entries in ``ix_ticket_waiting`` and
``ix_ticket_open``, which both had ``state`` in their key (a delete and an insert at each change
of state, and an entry kept for every ticket ever served).

Now:

* ``ix_ticket_day`` ``(branch_id, business_date)`` finds a day's tickets (statistics); no
  column of it ever changes, so it is written once, when the ticket is issued;
* ``ix_ticket_open`` holds the open tickets alone (partial: ``state IN (open states)``), in
  arrival order: the snapshot, the end-of-day reset and its check read it; a finished ticket
  leaves it, so it stays as small as the hall.

``ix_ticket_outbox_event_id`` stays although nothing reads tickets by it: a batch's rows point at
its outbox event before the event is written, and writing it, SQLite looks for those rows (the
deferred foreign key's pending violations): without the index, a scan of every ticket per batch.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 05:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

OPEN_CONDITION = "state IN ('called', 'held', 'serving', 'transferred', 'waiting')"


def upgrade() -> None:
    op.drop_index("ix_ticket_waiting", table_name="ticket")
    op.drop_index("ix_ticket_open", table_name="ticket")
    op.create_index("ix_ticket_day", "ticket", ["branch_id", "business_date"])
    op.create_index("ix_ticket_open", "ticket", ["branch_id", "queued_at"], sqlite_where=sa.text(OPEN_CONDITION))


def downgrade() -> None:
    op.drop_index("ix_ticket_open", table_name="ticket")
    op.drop_index("ix_ticket_day", table_name="ticket")
    op.create_index("ix_ticket_open", "ticket", ["branch_id", "state", "queue_service_id"])
    op.create_index("ix_ticket_waiting", "ticket", ["branch_id", "business_date", "state", "priority", "queued_at"])
