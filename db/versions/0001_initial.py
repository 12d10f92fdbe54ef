"""initial schema: the whole domain

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 16:15:45.514529
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op



revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('application_type',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name_zh', sa.String(length=50), nullable=False),
    sa.Column('name_en', sa.String(length=50), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_type')),
    sa.UniqueConstraint('code', name=op.f('uq_application_type_code'))
    )
    op.create_table('branch',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('utility_name', sa.String(length=100), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('query_phone', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_branch')),
    sa.UniqueConstraint('code', name=op.f('uq_branch_code'))
    )
    op.create_table('holiday',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_holiday'))
    )
    op.create_table('node_identity',
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('branch_code', sa.String(length=10), nullable=False),
    sa.Column('terminal_code', sa.String(length=10), nullable=False),
    sa.Column('incarnation', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(), nullable=False),
    sa.Column('receipts_locked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('node_id', name=op.f('pk_node_identity'))
    )
    op.create_table('outbox_event',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('channel_seq', sa.Integer(), nullable=False),
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('aggregate_type', sa.String(length=30), nullable=False),
    sa.Column('aggregate_id', sa.String(length=36), nullable=False),
    sa.Column('schema_version', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('payload_sha256', sa.String(length=64), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.Column('result', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox_event')),
    sa.UniqueConstraint('channel', 'channel_seq', name=op.f('uq_outbox_event_channel_channel_seq')),
    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_event_id'))
    )
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_event_aggregate_id'), ['aggregate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_event_state'), ['state'], unique=False)

    op.create_table('receipt_sequence',
    sa.Column('terminal_code', sa.String(length=10), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('next_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('terminal_code', 'fiscal_year', name=op.f('pk_receipt_sequence'))
    )
    op.create_table('sync_cursor',
    sa.Column('stream', sa.String(length=40), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('cursor', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('stream', name=op.f('pk_sync_cursor'))
    )
    op.create_table('sync_state',
    sa.Column('peer', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('last_hello_at', sa.DateTime(), nullable=True),
    sa.Column('last_success_at', sa.DateTime(), nullable=True),
    sa.Column('acked_through', sa.JSON(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('peer', name=op.f('pk_sync_state'))
    )
    op.create_table('tariff_version',
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('user_type', sa.String(length=20), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_version')),
    sa.UniqueConstraint('code', 'valid_from', name=op.f('uq_tariff_version_code_valid_from'))
    )
    op.create_table('customer_account',
    sa.Column('account_no', sa.String(length=20), nullable=False),
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('holder', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('user_type', sa.String(length=20), nullable=False),
    sa.Column('household_size', sa.Integer(), nullable=False),
    sa.Column('balance_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_customer_account_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_account')),
    sa.UniqueConstraint('account_no', name=op.f('uq_customer_account_account_no'))
    )
    with op.batch_alter_table('customer_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_account_holder'), ['holder'], unique=False)

    op.create_table('service',
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('letter', sa.String(length=1), nullable=False),
    sa.Column('name_zh', sa.String(length=50), nullable=False),
    sa.Column('name_en', sa.String(length=50), nullable=False),
    sa.Column('daily_cap', sa.Integer(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('standard_minutes', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_service_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service')),
    sa.UniqueConstraint('branch_id', 'code', name=op.f('uq_service_branch_id_code')),
    sa.UniqueConstraint('branch_id', 'letter', name=op.f('uq_service_branch_id_letter'))
    )
    op.create_table('staff',
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('staff_no', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('star_level', sa.Integer(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('offline_valid_until', sa.DateTime(), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_staff_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff')),
    sa.UniqueConstraint('staff_no', name=op.f('uq_staff_staff_no'))
    )
    op.create_table('window',
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_window_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_window')),
    sa.UniqueConstraint('branch_id', 'number', name=op.f('uq_window_branch_id_number'))
    )
    op.create_table('application',
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('type_id', sa.String(length=36), nullable=False),
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('applicant_kind', sa.String(length=10), nullable=False),
    sa.Column('applicant_name', sa.String(length=100), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('contact', sa.String(length=50), nullable=False),
    sa.Column('site_address', sa.String(length=200), nullable=False),
    sa.Column('account_id', sa.String(length=36), nullable=True),
    sa.Column('requested_size', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('current_stage', sa.String(length=20), nullable=False),
    sa.Column('stage_due_date', sa.Date(), nullable=True),
    sa.Column('notes', sa.String(length=1000), nullable=False),
    sa.Column('clerk_id', sa.String(length=36), nullable=False),
    sa.Column('window_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['customer_account.id'], name=op.f('fk_application_account_id_customer_account')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_application_branch_id_branch')),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_application_clerk_id_staff')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_application_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['type_id'], ['application_type.id'], name=op.f('fk_application_type_id_application_type')),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], name=op.f('fk_application_window_id_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application')),
    sa.UniqueConstraint('number', name=op.f('uq_application_number'))
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_id_number'), ['id_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_outbox_event_id'), ['outbox_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_phone'), ['phone'], unique=False)
        batch_op.create_index('ix_application_stage_due', ['current_stage', 'stage_due_date'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=True),
    sa.Column('actor_label', sa.String(length=50), nullable=False),
    sa.Column('window_number', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff.id'], name=op.f('fk_audit_log_actor_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('daily_settlement',
    sa.Column('clerk_id', sa.String(length=36), nullable=False),
    sa.Column('window_id', sa.String(length=36), nullable=True),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('totals', sa.JSON(), nullable=False),
    sa.Column('expected_cash_fen', sa.Integer(), nullable=False),
    sa.Column('counted_cash_fen', sa.Integer(), nullable=False),
    sa.Column('difference_fen', sa.Integer(), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_daily_settlement_clerk_id_staff')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_daily_settlement_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], name=op.f('fk_daily_settlement_window_id_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_settlement')),
    sa.UniqueConstraint('clerk_id', 'business_date', name=op.f('uq_daily_settlement_clerk_id_business_date'))
    )
    with op.batch_alter_table('daily_settlement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_daily_settlement_outbox_event_id'), ['outbox_event_id'], unique=False)

    op.create_table('meter',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('meter_no', sa.String(length=30), nullable=False),
    sa.Column('size_dn', sa.Integer(), nullable=False),
    sa.Column('installed_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['customer_account.id'], name=op.f('fk_meter_account_id_customer_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meter')),
    sa.UniqueConstraint('meter_no', name=op.f('uq_meter_meter_no'))
    )
    with op.batch_alter_table('meter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meter_account_id'), ['account_id'], unique=False)

    op.create_table('ticket',
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=8), nullable=False),
    sa.Column('priority', sa.String(length=12), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=True),
    sa.Column('window_id', sa.String(length=36), nullable=True),
    sa.Column('clerk_id', sa.String(length=36), nullable=True),
    sa.Column('call_count', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.Column('target_window_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_ticket_branch_id_branch')),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_ticket_clerk_id_staff')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_ticket_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_ticket_service_id_service')),
    sa.ForeignKeyConstraint(['target_window_id'], ['window.id'], name=op.f('fk_ticket_target_window_id_window')),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], name=op.f('fk_ticket_window_id_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket')),
    sa.UniqueConstraint('branch_id', 'service_id', 'business_date', 'seq', name=op.f('uq_ticket_branch_id_service_id_business_date_seq'))
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_outbox_event_id'), ['outbox_event_id'], unique=False)
        batch_op.create_index('ix_ticket_waiting', ['branch_id', 'business_date', 'state', 'priority', 'queued_at'], unique=False)

    op.create_table('window_service',
    sa.Column('window_id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_window_service_service_id_service')),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], name=op.f('fk_window_service_window_id_window')),
    sa.PrimaryKeyConstraint('window_id', 'service_id', name=op.f('pk_window_service'))
    )
    op.create_table('application_attachment',
    sa.Column('application_id', sa.String(length=36), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_attachment_application_id_application')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_application_attachment_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_attachment'))
    )
    with op.batch_alter_table('application_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_attachment_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_attachment_outbox_event_id'), ['outbox_event_id'], unique=False)

    op.create_table('application_document',
    sa.Column('application_id', sa.String(length=36), nullable=False),
    sa.Column('doc_code', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_document_application_id_application')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_application_document_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_document'))
    )
    with op.batch_alter_table('application_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_document_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_document_outbox_event_id'), ['outbox_event_id'], unique=False)

    op.create_table('application_stage_event',
    sa.Column('application_id', sa.String(length=36), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('result', sa.String(length=500), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('staff_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_stage_event_application_id_application')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_application_stage_event_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_application_stage_event_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_stage_event'))
    )
    with op.batch_alter_table('application_stage_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_stage_event_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_stage_event_outbox_event_id'), ['outbox_event_id'], unique=False)

    op.create_table('bill',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('meter_id', sa.String(length=36), nullable=False),
    sa.Column('tariff_version_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('prev_reading', sa.Integer(), nullable=False),
    sa.Column('curr_reading', sa.Integer(), nullable=False),
    sa.Column('usage_m3', sa.Integer(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('paid_fen', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('hq_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['customer_account.id'], name=op.f('fk_bill_account_id_customer_account')),
    sa.ForeignKeyConstraint(['meter_id'], ['meter.id'], name=op.f('fk_bill_meter_id_meter')),
    sa.ForeignKeyConstraint(['tariff_version_id'], ['tariff_version.id'], name=op.f('fk_bill_tariff_version_id_tariff_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bill')),
    sa.UniqueConstraint('account_id', 'period', name=op.f('uq_bill_account_id_period'))
    )
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bill_account_id'), ['account_id'], unique=False)

    op.create_table('payment',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('reverses_id', sa.String(length=36), nullable=True),
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('branch_id', sa.String(length=36), nullable=False),
    sa.Column('window_id', sa.String(length=36), nullable=True),
    sa.Column('clerk_id', sa.String(length=36), nullable=False),
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('late_fee_fen', sa.Integer(), nullable=False),
    sa.Column('to_balance_fen', sa.Integer(), nullable=False),
    sa.Column('from_balance_fen', sa.Integer(), nullable=False),
    sa.Column('tendered_fen', sa.Integer(), nullable=False),
    sa.Column('change_fen', sa.Integer(), nullable=False),
    sa.Column('balance_after_fen', sa.Integer(), nullable=False),
    sa.Column('authorised_by', sa.String(length=36), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['customer_account.id'], name=op.f('fk_payment_account_id_customer_account')),
    sa.ForeignKeyConstraint(['authorised_by'], ['staff.id'], name=op.f('fk_payment_authorised_by_staff')),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_payment_branch_id_branch')),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_payment_clerk_id_staff')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_payment_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['reverses_id'], ['payment.id'], name=op.f('fk_payment_reverses_id_payment')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_payment_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], name=op.f('fk_payment_window_id_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment'))
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_business_date'), ['business_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_outbox_event_id'), ['outbox_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_reverses_id'), ['reverses_id'], unique=False)

    op.create_table('rating',
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('service_record', sa.String(length=36), nullable=True),
    sa.Column('window_id', sa.String(length=36), nullable=False),
    sa.Column('clerk_id', sa.String(length=36), nullable=False),
    sa.Column('service_id', sa.String(length=36), nullable=True),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('device', sa.String(length=40), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('rated_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_rating_clerk_id_staff')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_rating_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_rating_service_id_service')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_rating_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], name=op.f('fk_rating_window_id_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating')),
    sa.UniqueConstraint('service_record', name=op.f('uq_rating_service_record')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_rating_ticket_id'))
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_clerk_id'), ['clerk_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_outbox_event_id'), ['outbox_event_id'], unique=False)

    op.create_table('ticket_event',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.String(length=36), nullable=True),
    sa.Column('window_id', sa.String(length=36), nullable=True),
    sa.Column('clerk_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_ticket_event_clerk_id_staff')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_ticket_event_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_ticket_event_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], name=op.f('fk_ticket_event_window_id_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_event')),
    sa.UniqueConstraint('seq', name=op.f('uq_ticket_event_seq'))
    )
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_event_outbox_event_id'), ['outbox_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ticket_event_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('window_state',
    sa.Column('window_id', sa.String(length=36), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('clerk_id', sa.String(length=36), nullable=True),
    sa.Column('current_ticket_id', sa.String(length=36), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_window_state_clerk_id_staff')),
    sa.ForeignKeyConstraint(['current_ticket_id'], ['ticket.id'], name=op.f('fk_window_state_current_ticket_id_ticket')),
    sa.ForeignKeyConstraint(['window_id'], ['window.id'], name=op.f('fk_window_state_window_id_window')),
    sa.PrimaryKeyConstraint('window_id', name=op.f('pk_window_state'))
    )
    op.create_table('payment_allocation',
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.Column('bill_id', sa.String(length=36), nullable=False),
    sa.Column('principal_fen', sa.Integer(), nullable=False),
    sa.Column('late_fee_fen', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['bill.id'], name=op.f('fk_payment_allocation_bill_id_bill')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_payment_allocation_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_payment_allocation_payment_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_allocation'))
    )
    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_allocation_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocation_outbox_event_id'), ['outbox_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocation_payment_id'), ['payment_id'], unique=False)

    op.create_table('payment_part',
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('amount_fen', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_payment_part_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_payment_part_payment_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_part'))
    )
    with op.batch_alter_table('payment_part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_part_outbox_event_id'), ['outbox_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_part_payment_id'), ['payment_id'], unique=False)

    op.create_table('rating_followup',
    sa.Column('rating_id', sa.String(length=36), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_rating_followup_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['rating_id'], ['rating.id'], name=op.f('fk_rating_followup_rating_id_rating')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_followup')),
    sa.UniqueConstraint('rating_id', name=op.f('uq_rating_followup_rating_id'))
    )
    with op.batch_alter_table('rating_followup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_followup_outbox_event_id'), ['outbox_event_id'], unique=False)

    op.create_table('receipt',
    sa.Column('payment_id', sa.String(length=36), nullable=False),
    sa.Column('receipt_no', sa.String(length=40), nullable=False),
    sa.Column('layout', sa.String(length=8), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_receipt_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_receipt_payment_id_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_receipt_payment_id')),
    sa.UniqueConstraint('receipt_no', name=op.f('uq_receipt_receipt_no'))
    )
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_outbox_event_id'), ['outbox_event_id'], unique=False)

    op.create_table('inquiry',
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('customer', sa.String(length=100), nullable=False),
    sa.Column('contact', sa.String(length=50), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('owner_id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('followup_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['followup_id'], ['rating_followup.id'], name=op.f('fk_inquiry_followup_id_rating_followup')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_inquiry_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['staff.id'], name=op.f('fk_inquiry_owner_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry'))
    )
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_outbox_event_id'), ['outbox_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_owner_id'), ['owner_id'], unique=False)

    op.create_table('rating_followup_step',
    sa.Column('followup_id', sa.String(length=36), nullable=False),
    sa.Column('step', sa.String(length=12), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('staff_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['followup_id'], ['rating_followup.id'], name=op.f('fk_rating_followup_step_followup_id_rating_followup')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_rating_followup_step_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_rating_followup_step_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_followup_step'))
    )
    with op.batch_alter_table('rating_followup_step', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_followup_step_followup_id'), ['followup_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_followup_step_outbox_event_id'), ['outbox_event_id'], unique=False)

    op.create_table('receipt_print',
    sa.Column('receipt_id', sa.String(length=36), nullable=False),
    sa.Column('clerk_id', sa.String(length=36), nullable=False),
    sa.Column('is_copy', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('detail', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['clerk_id'], ['staff.id'], name=op.f('fk_receipt_print_clerk_id_staff')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_receipt_print_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['receipt_id'], ['receipt.id'], name=op.f('fk_receipt_print_receipt_id_receipt')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_print'))
    )
    with op.batch_alter_table('receipt_print', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_print_outbox_event_id'), ['outbox_event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_receipt_print_receipt_id'), ['receipt_id'], unique=False)

    op.create_table('inquiry_event',
    sa.Column('inquiry_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('from_staff_id', sa.String(length=36), nullable=False),
    sa.Column('to_staff_id', sa.String(length=36), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=36), nullable=False),
    sa.Column('outbox_event_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['from_staff_id'], ['staff.id'], name=op.f('fk_inquiry_event_from_staff_id_staff')),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiry.id'], name=op.f('fk_inquiry_event_inquiry_id_inquiry')),
    sa.ForeignKeyConstraint(['outbox_event_id'], ['outbox_event.event_id'], name=op.f('fk_inquiry_event_outbox_event_id_outbox_event'), initially='DEFERRED', deferrable=True),
    sa.ForeignKeyConstraint(['to_staff_id'], ['staff.id'], name=op.f('fk_inquiry_event_to_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_event'))
    )
    with op.batch_alter_table('inquiry_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_event_inquiry_id'), ['inquiry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_event_outbox_event_id'), ['outbox_event_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('inquiry_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_event_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_inquiry_event_inquiry_id'))

    op.drop_table('inquiry_event')
    with op.batch_alter_table('receipt_print', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_print_receipt_id'))
        batch_op.drop_index(batch_op.f('ix_receipt_print_outbox_event_id'))

    op.drop_table('receipt_print')
    with op.batch_alter_table('rating_followup_step', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_followup_step_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_rating_followup_step_followup_id'))

    op.drop_table('rating_followup_step')
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_owner_id'))
        batch_op.drop_index(batch_op.f('ix_inquiry_outbox_event_id'))

    op.drop_table('inquiry')
    with op.batch_alter_table('receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_outbox_event_id'))

    op.drop_table('receipt')
    with op.batch_alter_table('rating_followup', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_followup_outbox_event_id'))

    op.drop_table('rating_followup')
    with op.batch_alter_table('payment_part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_part_payment_id'))
        batch_op.drop_index(batch_op.f('ix_payment_part_outbox_event_id'))

    op.drop_table('payment_part')
    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_allocation_payment_id'))
        batch_op.drop_index(batch_op.f('ix_payment_allocation_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_payment_allocation_bill_id'))

    op.drop_table('payment_allocation')
    op.drop_table('window_state')
    with op.batch_alter_table('ticket_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ticket_event_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_ticket_event_outbox_event_id'))

    op.drop_table('ticket_event')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_rating_clerk_id'))

    op.drop_table('rating')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_reverses_id'))
        batch_op.drop_index(batch_op.f('ix_payment_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_payment_business_date'))
        batch_op.drop_index(batch_op.f('ix_payment_account_id'))

    op.drop_table('payment')
    with op.batch_alter_table('bill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bill_account_id'))

    op.drop_table('bill')
    with op.batch_alter_table('application_stage_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_stage_event_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_application_stage_event_application_id'))

    op.drop_table('application_stage_event')
    with op.batch_alter_table('application_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_document_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_application_document_application_id'))

    op.drop_table('application_document')
    with op.batch_alter_table('application_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_attachment_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_application_attachment_application_id'))

    op.drop_table('application_attachment')
    op.drop_table('window_service')
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_waiting')
        batch_op.drop_index(batch_op.f('ix_ticket_outbox_event_id'))

    op.drop_table('ticket')
    with op.batch_alter_table('meter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meter_account_id'))

    op.drop_table('meter')
    with op.batch_alter_table('daily_settlement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_settlement_outbox_event_id'))

    op.drop_table('daily_settlement')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_stage_due')
        batch_op.drop_index(batch_op.f('ix_application_phone'))
        batch_op.drop_index(batch_op.f('ix_application_outbox_event_id'))
        batch_op.drop_index(batch_op.f('ix_application_id_number'))

    op.drop_table('application')
    op.drop_table('window')
    op.drop_table('staff')
    op.drop_table('service')
    with op.batch_alter_table('customer_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_account_holder'))

    op.drop_table('customer_account')
    op.drop_table('tariff_version')
    op.drop_table('sync_state')
    op.drop_table('sync_cursor')
    op.drop_table('receipt_sequence')
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_event_state'))
        batch_op.drop_index(batch_op.f('ix_outbox_event_aggregate_id'))

    op.drop_table('outbox_event')
    op.drop_table('node_identity')
    op.drop_table('holiday')
    op.drop_table('branch')
    op.drop_table('application_type')
