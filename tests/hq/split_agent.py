"""A counter PC's work, as a process of its own for the multi-process tests: open the counter's
own database (its TOML and folder), log a clerk in on its cached credentials, pay ``--payments``
open bills through the hub's check (refused when another window settled one, taken against the
PC's own bills when the hub is down), report every payment the hub has not had, and print a JSON
summary. ``--shared BILL``: pay that bill first (two windows paying one bill while offline).

For the morning without the hub (tests/hq/test_hub_down_morning.py): ``--gui-login`` logs the
clerk in as the counter's login screen does (at the hub, else on the PC's cached credentials),
``--try-login NO`` tries another staff member's login that way and prints the refusal's code,
``--applications N`` takes N connection applications (报装) at the window, ``--rate`` has the
customer rate each payment as a walk-in service (no ticket) on the window's evaluator. Every
application the hub has not had is reported to it (as the program's ``ApplicationReporter``
does); ``--find-all`` then looks up the applicant's ID number as the status lookup does and
prints how many applications of this window and of the other windows it shows, or why not."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import select

from counter_app.core.config import load_settings
from counter_app.core.paths import DataPaths
from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import NotAllowed, UserError
from counter_app.hub.client import HubClient, HubUnavailable
from counter_app.persistence.models import Bill
from counter_app.services.applications.branch_desk import ApplicationDesk, ApplicationReporter
from counter_app.services.applications.service import ApplicationService
from counter_app.services.auth import AuthService, StaffSession
from counter_app.services.billing.hub_desk import BillDesk, BillReporter
from counter_app.services.billing.payments import PaymentService
from counter_app.services.node import NodeDatabase, open_node_database
from counter_app.services.offline_login import OfflineLogin, hub_or_offline
from counter_app.services.quality import QualityService, evaluator_device
from counter_app.services.seed import DEMO_PASSWORD


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--payments", type=int, default=0)
    parser.add_argument("--shared", default="")
    parser.add_argument("--gui-login", action="store_true")
    parser.add_argument("--try-login", default="")
    parser.add_argument("--applications", type=int, default=0)
    parser.add_argument("--rate", action="store_true")
    parser.add_argument("--find-all", action="store_true")
    args = parser.parse_args(argv)
    settings = load_settings(args.config)
    db = open_node_database(DataPaths(args.data_dir), settings)
    client = HubClient(settings.hub.url, settings.hub.token, timeout=2.0)
    desk = BillDesk(db, client)
    payments = PaymentService(db, settings, reporter=BillReporter(desk))
    login = _LoginScreen(db, settings, client)
    staff_no = f"100{settings.window}"
    clerk = login.check(staff_no, settings.window) if args.gui_login else AuthService(db).login(staff_no, DEMO_PASSWORD, settings.window)
    extra: dict[str, object] = {"login": login.how}
    if args.try_login:
        try:
            login.check(args.try_login, settings.window)
            extra["try_login"] = "ok"
        except UserError as error:
            extra["try_login"] = error.code
    quality = QualityService(db, settings)
    device = evaluator_device(settings) or ""
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
        if args.rate:  # the customer rates the service on the window's evaluator: a walk-in, no ticket
            asked = quality.ratings.request_for_walk_in(result.payment_id, settings.window, clerk.staff_id, device)
            quality.ratings.submit(asked.id, 5 - len(taken) % 2, (), device)
    service = ApplicationService(db, DataPaths(args.data_dir))
    extra["applications"] = [service.submit(_form(db), clerk).number for _ in range(args.applications)]
    extra.update(_applications_at_the_hub(service, client, args.find_all))
    sent = conflicts = 0
    while True:  # as the program's reporter does, round after round (each at most 100 reports)
        reported = desk.report_pending()
        sent, conflicts = sent + reported.sent, conflicts + reported.conflicts
        if not reported.sent or not reported.left:
            break
    print(json.dumps({"taken": taken, "refused": refused, "offline": offline, "sent": sent,
                      "left": reported.left, "conflicts": conflicts, **extra}), flush=True)
    client.close()
    db.dispose()
    return 0


class _LoginScreen:
    """The counter's login as its screen does it (``gui.application``): at the hub while it
    answers, else on this PC's cached credentials; ``how`` says which was used."""

    def __init__(self, db: NodeDatabase, settings, client: HubClient) -> None:  # type: ignore[no-untyped-def]
        from counter_app.gui.login import login_at_hub  # the screen's own check (imports Qt)

        self.how = "local"
        screen = self

        class Cached(OfflineLogin):
            def login(self, staff_no: str, password: str, window: int | None = None) -> StaffSession:
                screen.how = "offline"
                return super().login(staff_no, password, window)

        def at_hub(staff_no: str, password: str, window: int | None) -> StaffSession:
            self.how = "hub"
            return login_at_hub(client)(staff_no, password, window)

        self._check = hub_or_offline(at_hub, Cached(db, settings=settings), HubUnavailable)

    def check(self, staff_no: str, window: int) -> StaffSession:
        return self._check(staff_no, DEMO_PASSWORD, window)


def _applications_at_the_hub(service: ApplicationService, client: HubClient, find_all: bool) -> dict[str, object]:
    from tests.integration.test_applications_service import PERSON_ID

    desk = ApplicationDesk(service.ctx, client)
    service.report_to(ApplicationReporter(desk))  # not started: reported here, once
    desk.report_pending()
    answer: dict[str, object] = {"applications_left": desk.pending()}
    if find_all:
        found = service.lookup_anywhere(PERSON_ID)
        answer["found"] = [sum(not h.elsewhere for h in found.hits), sum(h.elsewhere for h in found.hits),
                           found.unseen.code if found.unseen else ""]
    return answer


def _form(db: NodeDatabase):  # type: ignore[no-untyped-def]
    """A complete application of a person for a new connection (报装), every required document received."""
    from tests.integration.test_applications_service import person_form

    return person_form(ApplicationService(db))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
