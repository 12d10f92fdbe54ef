"""A counter PC's work, as a process of its own for the multi-process tests: open the counter's
own database (its TOML and folder), log a clerk in on its cached credentials, pay ``--payments``
open bills through the hub's check (refused when another window settled one, taken against the
PC's own bills when the hub is down), report every payment the hub has not had, and print a JSON
summary. ``--shared BILL``: pay that bill first (two windows paying one bill while offline)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import select

from counter_app.core.config import load_settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import NotAllowed
from counter_app.hub.client import HubClient
from counter_app.persistence.models import Bill
from counter_app.services.auth import AuthService
from counter_app.services.billing.hub_desk import BillDesk, BillReporter
from counter_app.services.billing.payments import PaymentService
from counter_app.services.node import open_node_database
from counter_app.services.seed import DEMO_PASSWORD


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--payments", type=int, default=0)
    parser.add_argument("--shared", default="")
    args = parser.parse_args(argv)
    settings = load_settings(args.config)
    db = open_node_database(DataPaths(args.data_dir), settings)
    client = HubClient(settings.hub.url, settings.hub.token, timeout=2.0)
    desk = BillDesk(db, client)
    payments = PaymentService(db, settings, reporter=BillReporter(desk))
    clerk = AuthService(db).login(f"100{settings.window}", DEMO_PASSWORD, settings.window)
    taken, refused, offline = [], 0, 0
    with db.sessions() as session:  # this window's half of the open bills, plus the shared one first
        bills = session.execute(select(Bill.id, Bill.account_id, Bill.amount_fen - Bill.paid_fen, Bill.status)
                                .order_by(Bill.id)).all()
    mine = [b[:3] for i, b in enumerate(bills) if i % 2 == settings.window % 2 and b[3] == "open" and b[0] != args.shared]
    mine = [b[:3] for b in bills if b[0] == args.shared and b[3] == "open"] + mine
    for bill_id, account_id, owed in mine[:args.payments]:
        try:
            result = payments.take_payment(clerk, account_id, [MethodPart("cash", owed, tendered_fen=owed)],
                                           bill_ids=[bill_id])
        except NotAllowed:
            refused += 1
            continue
        offline += desk.online is False
        taken.append(result.receipt_no)
    reported = desk.report_pending()
    print(json.dumps({"taken": taken, "refused": refused, "offline": offline, "sent": reported.sent,
                      "left": reported.left, "conflicts": reported.conflicts}), flush=True)
    client.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
