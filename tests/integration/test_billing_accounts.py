"""Finding accounts (户号, meter, name, address, scanned bill) through the real FTS5 index, and
the account view with tier breakdown and late fee."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from counter_app.domain.errors import InvalidInput
from counter_app.domain.ids import new_id
from counter_app.persistence.database import make_engine, unit_of_work
from counter_app.persistence.migrate import upgrade
from counter_app.persistence.models import Base, Bill, CustomerAccount, TariffVersion
from counter_app.services.billing.accounts import account_no_from_scan, check_account_no
from counter_app.services.seed import RESIDENTIAL
from tests.integration.billing_fixtures import account_with_bills, counter


def _some_account(db) -> CustomerAccount:  # type: ignore[no-untyped-def]
    with unit_of_work(db.sessions) as session:
        return session.scalars(select(CustomerAccount).where(CustomerAccount.user_type == "residential")
                               .order_by(CustomerAccount.account_no).offset(7)).first()


def test_find_by_account_no_meter_name_address_and_scan(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    account = _some_account(seeded_db)
    [hit] = c.accounts.search(account.account_no)
    assert (hit.account_id, hit.matched) == (account.id, "account_no") and hit.meter_nos
    assert c.accounts.search(hit.meter_nos[0])[0].account_id == account.id
    assert c.accounts.search(hit.meter_nos[0].lower(), kind="meter")[0].matched == "meter"
    assert account.id in {h.account_id for h in c.accounts.search(account.holder, kind="name", limit=200)}
    assert all(h.holder.startswith(account.holder[0]) for h in c.accounts.search(account.holder[0]))
    fragment = account.address[6:14]  # the middle of the address, e.g. 人民路123号1
    found = c.accounts.search(fragment, kind="address", limit=200)
    assert found and all(fragment in h.address for h in found)
    assert account.id in {h.account_id for h in found} or len(found) == 200
    both = c.accounts.search(f"{account.holder} {account.address[6:11]}", limit=200)
    assert account.id in {h.account_id for h in both}
    for scanned in (f"户号:{account.account_no};期间:2026-10;金额:63.84", f"https://pay.example/b?acct={account.account_no}&x=1",
                    f"SWB-{account.account_no}-202610-6384", f"{account.account_no}"):
        assert c.accounts.lookup_account_no(scanned).account_id == account.id, scanned
    assert c.accounts.search("１０００" + account.account_no[4:])[0].account_id == account.id  # full-width digits
    assert c.accounts.search("") == [] and c.accounts.search("   ") == []
    assert c.accounts.search("没有这个地址的路") == []


def test_account_numbers_are_checked() -> None:
    assert check_account_no(" 1000000123 ") == "1000000123"
    for bad in ("", "123", "10000001234", "10000O0123", "1000-000-12"):
        with pytest.raises(InvalidInput) as raised:
            check_account_no(bad)
        assert raised.value.field == "account_no"
    assert account_no_from_scan("acct=1000000123&amt=100") == "1000000123"
    assert account_no_from_scan("1000000123 and 1000000124") is None  # ambiguous: not guessed
    assert account_no_from_scan("no number") is None


def test_the_index_follows_inserts_updates_and_deletes(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    account = _some_account(seeded_db)
    with unit_of_work(seeded_db.sessions) as session:
        session.get(CustomerAccount, account.id).holder = "欧阳娜娜"
        session.add(CustomerAccount(id=new_id(), account_no="1999999999", branch_id=account.branch_id, holder="司马光明",
                                    address="示范市城西区光明大道8号", user_type="residential", balance_fen=0))
    assert [h.account_id for h in c.accounts.search("欧阳娜", kind="name")] == [account.id]
    assert account.id not in {h.account_id for h in c.accounts.search(account.holder, kind="name", limit=200)}
    assert [h.account_no for h in c.accounts.search("光明大道")] == ["1999999999"]
    with unit_of_work(seeded_db.sessions) as session:
        session.execute(text("DELETE FROM customer_account WHERE account_no = '1999999999'"))
    assert c.accounts.search("光明大道") == []


def test_the_view_explains_bills_with_tiers_and_late_fee(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    view = account_with_bills(c)
    bill = view.bills[0]
    assert bill.lines and sum(line.amount_fen for line in bill.lines) == bill.amount_fen
    assert bill.late_fee is None and bill.late_fee_owed_fen == 0  # the seeded tariff has no late-fee rule
    with unit_of_work(seeded_db.sessions) as session:
        version = TariffVersion(code="RES-LATE", name="居民（违约金）", user_type="residential", valid_from=date(2020, 1, 1),
                                definition={**RESIDENTIAL, "late_fee": {"daily_rate": 5, "cap": "bill", "grace_days": 2}})
        session.add(version)
        session.flush()
        session.get(Bill, bill.bill_id).tariff_version_id = version.id
    as_of = bill.due_date + timedelta(days=12)
    later = c.accounts.account_view(view.account_id, as_of=as_of)
    fee = later.bills[0].late_fee
    assert fee is not None and fee.days == 10
    assert later.bills[0].late_fee_owed_fen == (bill.principal_owed_fen * 50 + 500) // 1000
    assert later.owed_fen == view.owed_fen + later.bills[0].late_fee_owed_fen
    capped = c.accounts.account_view(view.account_id, as_of=bill.due_date + timedelta(days=2000))
    assert capped.bills[0].late_fee_owed_fen == bill.amount_fen and capped.bills[0].late_fee.capped
    assert [b.period for b in later.bills] == sorted(b.period for b in later.bills)
    with pytest.raises(InvalidInput) as unknown:
        c.accounts.account_view("no-such-account")
    assert unknown.value.field == "account_no"


def test_the_models_match_the_schema_but_for_the_search_index(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "n.sqlite3")
    upgrade(engine, tmp_path / "n.sqlite3", tmp_path / "backups")
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    search = [d for d in diff if d[0] == "remove_table" and d[1].name.startswith("customer_account_fts")]
    assert {d[1].name for d in search} >= {"customer_account_fts"}
    assert [d for d in diff if d not in search] == []
