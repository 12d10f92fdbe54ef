"""The clerk's day on the counter's home page, on a real seeded database: today's takings as the
daily settlement counts them, receipts never printed, applications accepted, and the window's
applications that need someone (late or nearly due, waiting for documents), no other window's."""

from __future__ import annotations

from datetime import timedelta

from counter_app.domain.allocation import MethodPart
from counter_app.domain.applications import WAITING_DOCS
from counter_app.domain.timeutil import utcnow
from counter_app.services.applications import ApplicationService
from counter_app.services.clerk_day import clerk_day
from tests.integration.billing_fixtures import account_with_bills, clerk, counter
from tests.integration.test_applications_service import person_form


def test_the_day_counts_takings_unprinted_receipts_and_the_windows_applications(seeded_db, data_paths) -> None:  # type: ignore[no-untyped-def]
    c = counter(seeded_db, data_paths)
    me, other = clerk(c, "1001", 1), clerk(c, "1002", 2)
    before = clerk_day(seeded_db, me, data_paths)
    paid = []
    for _ in range(2):
        view = account_with_bills(c)
        paid.append(c.payments.take_payment(me, view.account_id, [MethodPart("cash", view.owed_fen, tendered_fen=view.owed_fen)],
                                            bill_ids=[b.bill_id for b in view.bills], expected_due_fen=view.owed_fen))
    c.receipts.render_and_print(paid[0].payment_id, me)  # saved as PDF: printed; the second never was

    applications = ApplicationService(seeded_db, data_paths)
    waiting = applications.submit(person_form(applications, missing=("id_card",)), me).number
    elsewhere = applications.submit(person_form(applications, missing=("id_card",)), other).number
    weeks_ago = ApplicationService(seeded_db, data_paths, clock=lambda: utcnow() - timedelta(days=40))
    late = weeks_ago.submit(person_form(weeks_ago), me).number

    day = clerk_day(seeded_db, me, data_paths)
    assert day.takings.payments.count == before.takings.payments.count + 2
    assert day.takings.payments.amount_fen == before.takings.payments.amount_fen + sum(p.total_fen for p in paid)
    assert day.takings.expected_cash_fen == before.takings.expected_cash_fen + sum(p.total_fen for p in paid)
    assert day.unprinted == before.unprinted + 1 and not day.settled_today
    assert day.accepted_today == before.accepted_today + 1  # the late one was accepted 40 days ago
    reasons = {f.item.number: f.reason for f in day.follow_up}
    assert reasons[late] == "late" and reasons[waiting] == "documents"
    assert day.follow_up[0].reason == "late" and day.follow_up_total >= 2
    assert all(f.item.status == WAITING_DOCS for f in day.follow_up if f.reason == "documents")
    assert elsewhere not in reasons  # window 2's, not this window's

    c.settlement.settle_day(me, day.takings.expected_cash_fen)  # 日结: what he takes now counts towards tomorrow
    settled = clerk_day(seeded_db, me, data_paths)
    assert settled.settled_today and settled.takings.business_date == day.today + timedelta(days=1)
    assert settled.takings.payments.count == 0
