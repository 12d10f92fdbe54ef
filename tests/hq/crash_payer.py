"""A window taking payments, as its own process for the kill -9 runs:
``python -m tests.hq.crash_payer DATA_DIR``, then one command a line on stdin:

- ``pay AMOUNT``: a prepayment through the real fee service, then its receipt printed (saved);
  answers ``paid PAYMENT_ID RECEIPT_NO`` once both are done;
- ``void PAYMENT_ID``: voided with a manager's authorisation; answers ``voided VOID_ID RECEIPT_NO``
  (or ``refused CODE`` when the rules refuse it).

Whatever ``COUNTER_APP_CRASH_AT`` names kills it on the way; what it answered is what the
cashier saw as done."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import UserError
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import CustomerAccount
from counter_app.services.auth import AuthService
from counter_app.services.billing.payments import PaymentService
from counter_app.services.billing.receipts import ReceiptService
from counter_app.services.node import open_node_database
from counter_app.services.seed import DEMO_PASSWORD


def main(root: str) -> int:
    paths = DataPaths(Path(root))
    settings = Settings()
    db = open_node_database(paths, settings)
    auth, payments, receipts = AuthService(db), PaymentService(db, settings), ReceiptService(db, paths, settings)
    clerk = auth.login("1001", DEMO_PASSWORD, 1)
    with unit_of_work(db.sessions) as session:
        account = session.scalars(select(CustomerAccount.id).order_by(CustomerAccount.id)).first()
    print("ready", flush=True)
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "pay":
            paid = payments.take_payment(clerk, account, [MethodPart("cash", int(arg))], bill_ids=[])
            receipts.render_and_print(paid.payment_id, clerk)
            print(f"paid {paid.payment_id} {paid.receipt_no}", flush=True)
        elif command == "void":
            try:
                manager = auth.verify_manager("8001", DEMO_PASSWORD, for_action="void", requested_by=clerk)
                voided = payments.void_payment(arg, clerk, manager, "金额录错")
            except UserError as error:
                print(f"refused {getattr(error, 'code', '')}", flush=True)
                continue
            print(f"voided {voided.payment_id} {voided.receipt_no}", flush=True)
        elif command == "quit":
            break
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
