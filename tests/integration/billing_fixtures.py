"""Helpers for the fee-collection tests: the services on a seeded branch, logged-in staff, and a
fingerprint of everything money touches (to prove that a refused operation changed nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Bill, CustomerAccount
from counter_app.services.auth import AuthService, StaffSession
from counter_app.services.billing.accounts import AccountService, AccountView
from counter_app.services.billing.payments import PaymentService
from counter_app.services.billing.receipts import ReceiptService
from counter_app.services.billing.settlement import SettlementService
from counter_app.services.node import NodeDatabase
from counter_app.services.seed import DEMO_PASSWORD

MONEY_TABLES = ("payment", "payment_part", "payment_allocation", "receipt", "receipt_print", "outbox_event",
                "audit_log", "daily_settlement", "receipt_sequence")


@dataclass
class Counter:
    db: NodeDatabase
    accounts: AccountService
    payments: PaymentService
    receipts: ReceiptService
    settlement: SettlementService
    auth: AuthService


def counter(db: NodeDatabase, paths: DataPaths, settings: Settings | None = None) -> Counter:
    settings = settings or Settings()
    return Counter(db, AccountService(db), PaymentService(db, settings), ReceiptService(db, paths, settings),
                   SettlementService(db, paths), AuthService(db))


def clerk(c: Counter, staff_no: str = "1001", window: int = 1) -> StaffSession:
    return c.auth.login(staff_no, DEMO_PASSWORD, window)


def manager(c: Counter, requested_by: StaffSession) -> StaffSession:
    return c.auth.verify_manager("8001", DEMO_PASSWORD, for_action="void", requested_by=requested_by)


def account_with_bills(c: Counter, count: int = 1) -> AccountView:
    """A seeded account with at least ``count`` open bills."""
    with unit_of_work(c.db.sessions) as session:
        rows = session.execute(select(Bill.account_id).where(Bill.status == "open").group_by(Bill.account_id)
                               .having(func.count() >= count).order_by(Bill.account_id)).scalars().all()
    assert rows, "the seed has no account with that many open bills"
    return c.accounts.account_view(rows[0])


def account_without_bills(c: Counter) -> AccountView:
    with unit_of_work(c.db.sessions) as session:
        open_ids = select(Bill.account_id).where(Bill.status == "open")
        account_id = session.scalars(select(CustomerAccount.id).where(CustomerAccount.id.not_in(open_ids))
                                     .order_by(CustomerAccount.id)).first()
    assert account_id is not None
    return c.accounts.account_view(account_id)


def fingerprint(db: NodeDatabase) -> dict[str, Any]:
    """Row counts of every table money touches, the receipt sequences, bills' paid amounts and
    balances: equal before and after means nothing changed."""
    with db.engine.connect() as connection:
        print_ = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in MONEY_TABLES}
        print_["sequences"] = connection.execute(text("SELECT terminal_code, fiscal_year, next_value FROM receipt_sequence "
                                                      "ORDER BY 1, 2")).all()
        print_["bills"] = connection.execute(text("SELECT sum(paid_fen), sum(status = 'paid') FROM bill")).one()
        print_["balances"] = connection.execute(text("SELECT sum(balance_fen), count(*) FROM customer_account")).one()
    return print_
