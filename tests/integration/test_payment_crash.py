"""The counter process killed at each step of a payment (SYNC.md c.9 points 1 and 2, and during
print): after a restart either the whole payment is there with its receipt number and outbox
event, or none of it is; no receipt number is ever used twice; a payment committed but not
printed is listed as unprinted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths, install_root
from counter_app.domain.allocation import MethodPart
from counter_app.domain.receipt_numbers import parse_receipt_number
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import REPLICATED_MODELS, OutboxEvent, Payment, Receipt
from counter_app.core.crashpoints import ENV
from counter_app.services.node import open_node_database
from tests.integration.billing_fixtures import account_with_bills, clerk, counter, fingerprint

CHILD = """
import sys
from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.services.auth import AuthService
from counter_app.services.billing.payments import PaymentService
from counter_app.services.billing.receipts import ReceiptService
from counter_app.services.node import open_node_database

root, account_id, amount = sys.argv[1], sys.argv[2], int(sys.argv[3])
paths = DataPaths(__import__("pathlib").Path(root))
db = open_node_database(paths, Settings())
who = AuthService(db).login("1001", "demo1234", 1)
result = PaymentService(db, Settings()).take_payment(who, account_id, [MethodPart("cash", amount, tendered_fen=amount + 100)])
print(result.receipt_no, flush=True)
ReceiptService(db, paths, Settings()).render_and_print(result.payment_id, who)
print("printed", flush=True)
"""


def _run_child(root: Path, account_id: str, amount: int, failpoint: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if failpoint:
        env[ENV] = failpoint
    return subprocess.run([sys.executable, "-c", CHILD, str(root), account_id, str(amount)], cwd=install_root(),
                          env=env, capture_output=True, text=True, timeout=120)


def _invariants(db) -> None:  # type: ignore[no-untyped-def]
    """G5: no replicated row without its outbox event; receipt numbers unique and gap-free."""
    with db.engine.connect() as connection:
        for model in REPLICATED_MODELS:
            orphans = connection.execute(text(
                f"SELECT count(*) FROM {model.__tablename__} t LEFT JOIN outbox_event e "
                "ON e.event_id = t.outbox_event_id WHERE e.event_id IS NULL")).scalar()
            assert orphans == 0, model.__tablename__
        numbers = connection.execute(text("SELECT receipt_no FROM receipt")).scalars().all()
        assert len(numbers) == len(set(numbers))
        seqs = sorted(parse_receipt_number(n).seq for n in numbers)
        assert seqs == list(range(1, len(seqs) + 1))
        nexts = connection.execute(text("SELECT next_value FROM receipt_sequence")).scalars().all()
        assert nexts == ([len(seqs) + 1] if seqs else nexts)


@pytest.mark.parametrize("failpoint", ["before_commit", "after_local_commit_before_print", "during_print", None])
def test_a_killed_payment_is_all_there_or_not_at_all(seeded_db, data_paths, settings, failpoint) -> None:
    c = counter(seeded_db, data_paths, settings)
    view = account_with_bills(c)
    before = fingerprint(seeded_db)
    seeded_db.dispose()  # the counter process is the only one with the file open

    child = _run_child(data_paths.root, view.account_id, view.owed_fen, failpoint)
    assert child.returncode == (-9 if failpoint else 0), child.stderr[-2000:]

    db = open_node_database(data_paths, settings)  # the restart
    try:
        _invariants(db)
        c = counter(db, data_paths, settings)
        if failpoint == "before_commit":
            after = fingerprint(db)
            assert after.pop("audit_log") == before.pop("audit_log") + 1  # the child's login, not a payment
            assert after == before
            assert c.receipts.unprinted_receipts() == []
        else:
            with unit_of_work(db.sessions) as session:  # killed before it could say its number
                receipt = session.scalars(select(Receipt)).one()
                receipt_no = receipt.receipt_no
                if failpoint is None:
                    assert child.stdout.split()[0] == receipt_no
                payment = session.get(Payment, receipt.payment_id)
                assert payment is not None and payment.amount_fen == view.owed_fen
                event = session.scalars(select(OutboxEvent).where(OutboxEvent.event_id == payment.outbox_event_id)).one()
                assert event.payload["receipt"]["receipt_no"] == receipt_no
            assert c.accounts.account_view(view.account_id).bills == ()
            unprinted = [u.receipt_no for u in c.receipts.unprinted_receipts()]
            assert unprinted == ([] if failpoint is None else [receipt_no])
            if failpoint:  # the clerk prints the copy from the unprinted list
                assert c.receipts.reprint(payment.id, clerk(c)).status == "saved"
                assert c.receipts.unprinted_receipts() == []
        # the next payment takes the next number: none is used twice, none skipped
        other = c.payments.take_payment(clerk(c), view.account_id, [MethodPart("cash", 100)], bill_ids=[])
        assert parse_receipt_number(other.receipt_no).seq == (1 if failpoint == "before_commit" else 2)
        _invariants(db)
    finally:
        db.dispose()


def test_the_failpoint_hook_is_inert_without_the_variable(seeded_db, data_paths, settings) -> None:
    assert ENV not in os.environ
    c = counter(seeded_db, data_paths, settings)
    view = account_with_bills(c)
    result = c.payments.take_payment(clerk(c), view.account_id, [MethodPart("cash", view.owed_fen)])
    assert c.receipts.render_and_print(result.payment_id, clerk(c)).status == "saved"
    assert DataPaths(data_paths.root).receipts.joinpath(f"{result.receipt_no}.pdf").exists()
    assert Settings().printer.name == ""  # no printer configured: receipts are saved as PDFs
