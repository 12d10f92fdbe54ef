"""customer_account_fts: a trigram full-text index over 户号, holder and address

An FTS5 external-content table on ``customer_account`` (its rowid), kept in step by triggers, so
a fragment of a name or an address is found among a million accounts in milliseconds. The
trigram tokenizer indexes every 3-character substring, which suits Chinese (no spaces to split
on). Balance updates do not touch the index (the update trigger fires only for the three indexed
columns).

The virtual table and its shadow tables are not in the models; db/env.py leaves them out of
autogenerate. A later migration that rebuilds ``customer_account`` (batch mode copies the
table, which drops its triggers and renumbers rowids) must recreate the triggers and run
``INSERT INTO customer_account_fts(customer_account_fts) VALUES('rebuild')``:
:func:`counter_app.services.billing.accounts.rebuild_search_index` does the rebuild.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:00:00
"""
from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_COLUMNS = "account_no, holder, address"
_OLD = "old.account_no, old.holder, old.address"
_NEW = "new.account_no, new.holder, new.address"


def upgrade() -> None:
    op.execute(f"CREATE VIRTUAL TABLE customer_account_fts USING fts5({_COLUMNS}, "
               "content='customer_account', content_rowid='rowid', tokenize='trigram')")
    op.execute(f"""CREATE TRIGGER customer_account_fts_ai AFTER INSERT ON customer_account BEGIN
        INSERT INTO customer_account_fts(rowid, {_COLUMNS}) VALUES (new.rowid, {_NEW});
    END""")
    op.execute(f"""CREATE TRIGGER customer_account_fts_ad AFTER DELETE ON customer_account BEGIN
        INSERT INTO customer_account_fts(customer_account_fts, rowid, {_COLUMNS}) VALUES ('delete', old.rowid, {_OLD});
    END""")
    op.execute(f"""CREATE TRIGGER customer_account_fts_au AFTER UPDATE OF {_COLUMNS} ON customer_account BEGIN
        INSERT INTO customer_account_fts(customer_account_fts, rowid, {_COLUMNS}) VALUES ('delete', old.rowid, {_OLD});
        INSERT INTO customer_account_fts(rowid, {_COLUMNS}) VALUES (new.rowid, {_NEW});
    END""")
    op.execute("INSERT INTO customer_account_fts(customer_account_fts) VALUES ('rebuild')")


def downgrade() -> None:
    for trigger in ("customer_account_fts_au", "customer_account_fts_ad", "customer_account_fts_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS customer_account_fts")
