"""Sync with head office (issue 9): the outbox hash chain, numbering per node, receipt series per
incarnation, enrolment fields, and triggers that make every fact money or a rating touched
append-only.

* ``outbox_event.prev_chain`` / ``chain``: each node's events form one chain per channel
  (``core.syncwire.chain_hash``); rows already there are chained here in ``channel_seq`` order.
  ``channel_seq`` is numbered per (node, channel): a re-enrolled node (new node id) starts its own
  series at 1, as head office counts it (UNIQUE(node_id, channel, channel_seq)).
* ``receipt_sequence`` gets ``incarnation`` in its key: a new incarnation is a new receipt series.
* ``node_identity.hq_url``: the head office this node was enrolled with ('' = not enrolled).
* Triggers: UPDATE of a protected column or DELETE raises ``RAISE(ABORT, ...)``. What legitimately
  changes stays writable: an outbox event's delivery state (state, acked_at, result), a ticket's
  queue state, a ticket event's pointer to the outbox event of its batch.

A later migration that rebuilds one of these tables in batch mode drops its triggers with it and
must make them again (:func:`create_triggers` takes the table names).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 15:40:00
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

#: Tables whose rows are never changed at all once written.
FROZEN = ("payment", "payment_part", "payment_allocation", "receipt", "receipt_print", "daily_settlement",
          "audit_log", "rating_followup_step")
#: Tables where some columns are facts and the others are state.
PROTECTED_COLUMNS = {
    "outbox_event": ("event_id", "node_id", "channel", "channel_seq", "event_type", "aggregate_type", "aggregate_id",
                     "schema_version", "payload", "payload_sha256", "created_at", "prev_chain", "chain"),
    "ticket": ("id", "node_id", "branch_id", "service_id", "business_date", "seq", "number", "issued_at"),
    "ticket_event": ("id", "node_id", "seq", "ticket_id", "window_id", "clerk_id", "kind", "at", "data"),
    "rating": ("ticket_number", "called_at"),  # the other facts of a rating: triggers of 0006/0008
}
#: Tables whose rows are never deleted (``rating`` has its own trigger since 0006).
NEVER_DELETED = FROZEN + ("outbox_event", "ticket", "ticket_event")


def _trigger_names(table: str) -> tuple[str, str]:
    return f"{table}_append_only_update", f"{table}_append_only_delete"


def create_triggers(tables: tuple[str, ...] = FROZEN + tuple(PROTECTED_COLUMNS)) -> None:
    for table in tables:
        on_update, on_delete = _trigger_names(table)
        if table in FROZEN:
            op.execute(f"CREATE TRIGGER {on_update} BEFORE UPDATE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'a {table} row is a fact: it is never edited'); END")
        else:
            changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in PROTECTED_COLUMNS[table])
            op.execute(f"CREATE TRIGGER {on_update} BEFORE UPDATE ON {table} WHEN {changed} "
                       f"BEGIN SELECT RAISE(ABORT, 'the facts of a {table} row are never edited'); END")
        if table in NEVER_DELETED:
            op.execute(f"CREATE TRIGGER {on_delete} BEFORE DELETE ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, 'a {table} row is never deleted'); END")


def drop_triggers(tables: tuple[str, ...] = FROZEN + tuple(PROTECTED_COLUMNS)) -> None:
    for table in tables:
        for name in _trigger_names(table):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _chain_existing_events() -> None:
    bind = op.get_bind()
    rows = bind.exec_driver_sql("SELECT seq, node_id, channel, event_id, payload_sha256 FROM outbox_event "
                                "ORDER BY node_id, channel, channel_seq").fetchall()
    heads: dict[tuple[str, str], str] = {}
    updates = []
    for seq, node, channel, event_id, digest in rows:
        previous = heads.get((node, channel), "")
        chain = hashlib.sha256(f"{previous}{event_id}{digest}".encode("utf-8")).hexdigest()
        updates.append((previous, chain, seq))
        heads[(node, channel)] = chain
    if updates:
        bind.exec_driver_sql("UPDATE outbox_event SET prev_chain = ?, chain = ? WHERE seq = ?", updates)


def upgrade() -> None:
    op.execute("PRAGMA defer_foreign_keys = ON")  # outbox_event is every fact's parent; see 0008's note
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_chain", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("chain", sa.String(length=64), nullable=False, server_default=""))
        batch_op.drop_constraint("uq_outbox_event_channel_channel_seq", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_outbox_event_node_id_channel_channel_seq"),
                                          ["node_id", "channel", "channel_seq"])
    _chain_existing_events()
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.alter_column("prev_chain", server_default=None)
        batch_op.alter_column("chain", server_default=None)
    with op.batch_alter_table("node_identity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hq_url", sa.String(length=200), nullable=False, server_default=""))
    op.create_table(
        "receipt_sequence_0009",
        sa.Column("terminal_code", sa.String(length=10), nullable=False),
        sa.Column("incarnation", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("terminal_code", "incarnation", "fiscal_year", name=op.f("pk_receipt_sequence")),
    )
    op.execute("INSERT INTO receipt_sequence_0009 (terminal_code, incarnation, fiscal_year, next_value) "
               "SELECT terminal_code, coalesce((SELECT max(incarnation) FROM node_identity), 1), fiscal_year, next_value "
               "FROM receipt_sequence")
    op.drop_table("receipt_sequence")
    op.rename_table("receipt_sequence_0009", "receipt_sequence")
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.create_table(
        "receipt_sequence_0009",
        sa.Column("terminal_code", sa.String(length=10), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("terminal_code", "fiscal_year", name=op.f("pk_receipt_sequence")),
    )
    op.execute("INSERT INTO receipt_sequence_0009 (terminal_code, fiscal_year, next_value) "
               "SELECT terminal_code, fiscal_year, max(next_value) FROM receipt_sequence GROUP BY 1, 2")
    op.drop_table("receipt_sequence")
    op.rename_table("receipt_sequence_0009", "receipt_sequence")
    with op.batch_alter_table("node_identity", schema=None) as batch_op:
        batch_op.drop_column("hq_url")
    op.execute("PRAGMA defer_foreign_keys = ON")
    with op.batch_alter_table("outbox_event", schema=None) as batch_op:
        batch_op.drop_constraint("uq_outbox_event_node_id_channel_channel_seq", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_outbox_event_channel_channel_seq"), ["channel", "channel_seq"])
        batch_op.drop_column("chain")
        batch_op.drop_column("prev_chain")
