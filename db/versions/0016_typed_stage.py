"""Typed staging tables for the big reference entities (issue 10: a first snapshot of 200,000
accounts and 2.4 million bills): ``ref_stage_customer_account``, ``ref_stage_meter`` and
``ref_stage_bill`` hold a staged row's payload fields as columns (``refstreams.COLUMNS``) instead of
its JSON text in ``ref_stage``: head office sends them as columns, and the swap reads columns
instead of extracting fifteen fields from JSON per bill. Columns are BLOB (no type affinity): a value is
kept as received and takes the live table's type when it is written there, as ``json_extract``'s
value did. ``detail`` holds the field's JSON text.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 08:30:00
"""
from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

#: entity -> payload fields (the same as ``refstreams.COLUMNS`` at this revision: a migration keeps its own copy)
TYPED = {
    "customer_account": ("holder", "address", "phone", "user_type", "household_size", "balance_fen", "status"),
    "meter": ("account_no", "size_dn", "installed_on"),
    "bill": ("meter_no", "tariff_code", "tariff_valid_from", "period_start", "period_end", "prev_reading",
             "curr_reading", "usage_m3", "amount_fen", "detail", "due_date", "paid_fen", "status"),
}


def upgrade() -> None:
    for entity, fields in TYPED.items():
        columns = ", ".join(f'"{f}" BLOB' for f in fields)
        op.execute(f"CREATE TABLE ref_stage_{entity} (seq INTEGER NOT NULL, sid VARCHAR(60) NOT NULL, "
                   "k1 VARCHAR(60) NOT NULL, k2 VARCHAR(60) NOT NULL, row_id VARCHAR(36) NOT NULL, "
                   f"hq_version INTEGER NOT NULL, op VARCHAR(8) NOT NULL, {columns}, "
                   f"CONSTRAINT pk_ref_stage_{entity} PRIMARY KEY (seq))")
        op.execute(f"CREATE INDEX ix_ref_stage_{entity}_key ON ref_stage_{entity} (sid, k1, k2)")


def downgrade() -> None:
    for entity in TYPED:
        op.execute(f"DROP INDEX ix_ref_stage_{entity}_key")
        op.execute(f"DROP TABLE ref_stage_{entity}")
