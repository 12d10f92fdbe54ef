"""Head-office console: operators (argon2id, lock-out), their sessions, the head-office audit

Revision ID: hq0004
Revises: hq0002
Create Date: 2026-12-04 18:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = 'hq0004'
down_revision = 'hq0003'
branch_labels = None
depends_on = None

STAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table('hq_operator',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', STAMP, nullable=True),
    sa.Column('created_at', STAMP, nullable=False),
    sa.Column('last_login_at', STAMP, nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('hq_console_session',
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=False),
    sa.Column('created_at', STAMP, nullable=False),
    sa.Column('last_used_at', STAMP, nullable=False),
    sa.Column('expires_at', STAMP, nullable=False),
    sa.Column('ended_at', STAMP, nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['hq_operator.id'], ),
    sa.PrimaryKeyConstraint('token_sha256')
    )
    op.create_index(op.f('ix_hq_console_session_operator_id'), 'hq_console_session', ['operator_id'], unique=False)
    op.create_table('hq_audit',
    sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
    sa.Column('at', STAMP, nullable=False),
    sa.Column('operator_id', sa.String(length=36), nullable=True),
    sa.Column('actor_label', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_hq_audit_at'), 'hq_audit', ['at'], unique=False)
    op.create_index(op.f('ix_hq_audit_operator_id'), 'hq_audit', ['operator_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_hq_audit_operator_id'), table_name='hq_audit')
    op.drop_index(op.f('ix_hq_audit_at'), table_name='hq_audit')
    op.drop_table('hq_audit')
    op.drop_index(op.f('ix_hq_console_session_operator_id'), table_name='hq_console_session')
    op.drop_table('hq_console_session')
    op.drop_table('hq_operator')
