"""``counter-app hq-admin import``: accounts and bills from CSV into head office's reference data,
each bad row reported with its line, field and rule, the good ones published in one change set."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import text

from counter_app.cli import main
from counter_app.hq.refdata import api
from tests.hq.refdata_fixtures import TARIFF, publish_branch

ACCOUNTS = """account_no,holder,address,user_type,meter_no,phone,balance_fen
1000000001,张三,示范市城东区1号,residential,M1,13800000000,0
1000000002,李四,示范市城东区2号,residential,M2,,150
1000000003,王五,示范市城东区3号,industrial,M3,,0
1000000001,张三,示范市城东区1号,residential,M9,,0
1000000004,赵六,示范市城东区4号,residential,M4,,abc
"""
BILLS = """account_no,period,tariff_code,period_start,period_end,prev_reading,curr_reading,amount_fen,due_date
1000000001,2026-10,RES,2026-10-01,2026-10-31,100,112,4567,2026-11-25
1000000002,2026-10,RES,2026-10-01,2026-10-31,200,230,9999,2026-11-25
1000000002,2026-10,RES,2026-10-01,2026-10-31,200,230,9999,2026-11-25
1000000009,2026-10,RES,2026-10-01,2026-10-31,1,2,100,2026-11-25
1000000001,2026-11,RES,2026-11-01,2026-11-30,112,110,100,2026-12-25
1000000001,2025-12,RES,2025-12-01,2025-12-31,90,100,100,2026-01-25
1000000001,2026-13,RES,2026-12-01,2026-12-31,112,120,100,2027-01-25
"""


@pytest.fixture
def admin(hq_url: str, tmp_path: Path, capsys):
    config = tmp_path / "hq.toml"
    config.write_text(f'[hq.database]\nurl = "{hq_url}"\n', encoding="utf-8")

    def run(*args: str) -> tuple[int, str, str]:
        logger = logging.getLogger("counter_app")
        saved = (list(logger.handlers), logger.propagate, logger.level)
        try:
            code = main(["hq-admin", "--config", str(config), "--data-dir", str(tmp_path / "d"), *args])
        finally:
            for handler in logger.handlers:
                if handler not in saved[0]:
                    handler.close()
            logger.handlers[:], logger.propagate, logger.level = saved
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_import_reports_each_rejected_row_and_publishes_the_others(admin, hq_db, tmp_path: Path) -> None:
    publish_branch(hq_db.engine)
    api.publish_tariff_version(hq_db.engine, code="RES", name="居民", user_type="residential", valid_from="2026-01-01",
                               definition=TARIFF, by="t")
    (tmp_path / "a.csv").write_text(ACCOUNTS, encoding="utf-8")
    (tmp_path / "b.csv").write_text(BILLS, encoding="utf-8")
    code, out, err = admin("import", "--branch", "B001", "--accounts", str(tmp_path / "a.csv"), "--bills",
                           str(tmp_path / "b.csv"), "--rejected", str(tmp_path / "rejected.csv"))
    assert code == 1, err
    assert "imported 2 accounts and 2 bills" in out
    expected = [
        "a.csv:4  user_type: one of residential, non_residential",
        "a.csv:5  account_no: once in the file",
        "a.csv:6  balance_fen: a whole number (fen for amounts)",
        "b.csv:4  period: one bill per account and period in the file",
        "b.csv:5  account_no: an account of B001 (in the accounts file or at head office)",
        "b.csv:6  curr_reading: not below prev_reading",
        "b.csv:7  tariff_code: a tariff published at head office and in force on 2025-12-01",
        "b.csv:8  period: a month yyyy-mm",
    ]
    for line in expected:
        assert line in out, (line, out)
    assert "bills" in err  # the progress bar's last line
    assert len((tmp_path / "rejected.csv").read_text(encoding="utf-8").splitlines()) == 1 + len(expected)
    with hq_db.engine.connect() as c:
        held = c.execute(text("SELECT entity, count(*) FROM ref_entity WHERE bucket = 'B001' AND stream = "
                              "'accounts_bills' GROUP BY entity ORDER BY entity")).all()
        txns = c.execute(text("SELECT count(DISTINCT txn) FROM ref_change WHERE stream = 'accounts_bills'")).scalar()
    assert held == [("bill", 2), ("customer_account", 2), ("meter", 2)] and txns == 1
    assert api.current(hq_db.engine, "bill", "1000000002|2026-10")["tariff_valid_from"] == "2026-01-01"


def test_an_unknown_branch_or_a_file_without_the_columns_changes_nothing(admin, hq_db, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("account_no,holder\n1,x\n", encoding="utf-8")
    code, _, err = admin("import", "--branch", "B404", "--accounts", str(tmp_path / "a.csv"))
    assert code == 2 and "B404" in err
    publish_branch(hq_db.engine)
    code, _, err = admin("import", "--branch", "B001", "--accounts", str(tmp_path / "a.csv"))
    assert code == 2 and "the header lacks address, user_type, meter_no" in err
    with hq_db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM ref_change WHERE stream = 'accounts_bills'")).scalar() == 0
