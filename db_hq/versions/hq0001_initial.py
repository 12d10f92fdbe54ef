"""Head office initial: nodes, enrolment codes, inbound events, payments, incidents

Revision ID: hq0001
Revises: (none)
Create Date: 2026-12-04 15:24:43.345907
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


from sqlalchemy.dialects import postgresql

revision = 'hq0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enrol_code',
    sa.Column('code_sha256', sa.String(length=64), nullable=False),
    sa.Column('branch_code', sa.String(length=10), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('window', sa.Integer(), nullable=True),
    sa.Column('terminal_code', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_node', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('code_sha256')
    )
    op.create_table('node_channel_progress',
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('max_contiguous_seq', sa.BigInteger(), nullable=False),
    sa.Column('max_seen_seq', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('node_id', 'channel')
    )
    op.create_table('receipt_claim',
    sa.Column('receipt_no', sa.String(length=40), nullable=False),
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('receipt_no')
    )
    op.create_table('request_nonce',
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('node_id', 'nonce')
    )
    op.create_index(op.f('ix_request_nonce_seen_at'), 'request_nonce', ['seen_at'], unique=False)
    op.create_table('sync_incident',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('payload_sha256', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('evidence', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_sync_incident_once', 'sync_incident', ['kind', 'event_id', 'payload_sha256'], unique=True)
    op.create_table('sync_node',
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('branch_code', sa.String(length=10), nullable=False),
    sa.Column('terminal_code', sa.String(length=8), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('window', sa.Integer(), nullable=True),
    sa.Column('incarnation', sa.Integer(), nullable=False),
    sa.Column('secret', sa.LargeBinary(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('predecessor_id', sa.String(length=36), nullable=True),
    sa.Column('reported_previous_id', sa.String(length=36), nullable=True),
    sa.Column('hostname', sa.String(length=255), nullable=False),
    sa.Column('app_version', sa.String(length=40), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_lag_seconds', sa.Double(), nullable=True),
    sa.Column('reported_acked', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.PrimaryKeyConstraint('node_id')
    )
    op.create_index('ix_sync_node_terminal', 'sync_node', ['branch_code', 'terminal_code', 'incarnation'], unique=True)
    op.create_table('inbound_event',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('channel_seq', sa.BigInteger(), nullable=False),
    sa.Column('event_type', sa.String(length=64), nullable=False),
    sa.Column('aggregate_type', sa.String(length=64), nullable=False),
    sa.Column('aggregate_id', sa.String(length=64), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('payload_sha256', sa.String(length=64), nullable=False),
    sa.Column('prev_chain', sa.String(length=64), nullable=False),
    sa.Column('chain', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_by', sa.String(length=36), nullable=False),
    sa.Column('apply_status', sa.String(length=12), nullable=False),
    sa.Column('error_code', sa.String(length=40), nullable=True),
    sa.Column('error_detail', sa.Text(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['node_id'], ['sync_node.node_id'], ),
    sa.PrimaryKeyConstraint('event_id')
    )
    op.create_index('ix_inbound_event_aggregate', 'inbound_event', ['aggregate_type', 'aggregate_id'], unique=False)
    op.create_index('ix_inbound_event_quarantine', 'inbound_event', ['apply_status'], unique=False, postgresql_where="apply_status = 'quarantined'")
    op.create_index('ix_inbound_event_seq', 'inbound_event', ['node_id', 'channel', 'channel_seq'], unique=False)
    op.create_table('hq_payment',
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('branch_code', sa.String(length=10), nullable=False),
    sa.Column('terminal_code', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reverses_id', sa.String(length=36), nullable=True),
    sa.Column('receipt_no', sa.String(length=40), nullable=False),
    sa.Column('account_no', sa.String(length=40), nullable=True),
    sa.Column('business_date', sa.String(length=10), nullable=True),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('late_fee_fen', sa.BigInteger(), nullable=False),
    sa.Column('to_balance_fen', sa.BigInteger(), nullable=False),
    sa.Column('from_balance_fen', sa.BigInteger(), nullable=False),
    sa.Column('clerk_no', sa.String(length=20), nullable=True),
    sa.Column('window_number', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['inbound_event.event_id'], ),
    sa.PrimaryKeyConstraint('payment_id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index(op.f('ix_hq_payment_node_id'), 'hq_payment', ['node_id'], unique=False)
    op.create_index(op.f('ix_hq_payment_receipt_no'), 'hq_payment', ['receipt_no'], unique=False)
    op.create_index(op.f('ix_hq_payment_reverses_id'), 'hq_payment', ['reverses_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_hq_payment_reverses_id'), table_name='hq_payment')
    op.drop_index(op.f('ix_hq_payment_receipt_no'), table_name='hq_payment')
    op.drop_index(op.f('ix_hq_payment_node_id'), table_name='hq_payment')
    op.drop_table('hq_payment')
    op.drop_index('ix_inbound_event_seq', table_name='inbound_event')
    op.drop_index('ix_inbound_event_quarantine', table_name='inbound_event', postgresql_where="apply_status = 'quarantined'")
    op.drop_index('ix_inbound_event_aggregate', table_name='inbound_event')
    op.drop_table('inbound_event')
    op.drop_index('ix_sync_node_terminal', table_name='sync_node')
    op.drop_table('sync_node')
    op.drop_index('ix_sync_incident_once', table_name='sync_incident')
    op.drop_table('sync_incident')
    op.drop_index(op.f('ix_request_nonce_seen_at'), table_name='request_nonce')
    op.drop_table('request_nonce')
    op.drop_table('receipt_claim')
    op.drop_table('node_channel_progress')
    op.drop_table('enrol_code')
