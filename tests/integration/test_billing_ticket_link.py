"""A payment is tied to the hub's current ticket even when the counter's own database has never
seen that ticket (the hub owns tickets; a counter PC keeps its own database)."""

import pytest
from sqlalchemy import select

from counter_app.domain.allocation import MethodPart
from counter_app.domain.errors import InvalidInput
from counter_app.domain.ids import new_id
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Payment, Ticket
from tests.integration.billing_fixtures import account_with_bills, clerk, counter


def test_payment_keeps_a_ticket_id_the_counter_does_not_hold(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    who = clerk(c)
    view = account_with_bills(c)
    bill_ids = [bill.bill_id for bill in view.bills]
    quote = c.payments.quote(view.account_id, bill_ids)
    hub_ticket = new_id()
    result = c.payments.take_payment(who, view.account_id, [MethodPart("cash", quote.to_pay_fen, tendered_fen=quote.to_pay_fen)],
                                     bill_ids=bill_ids, expected_due_fen=quote.due_fen, ticket_id=hub_ticket)
    with unit_of_work(seeded_db.sessions) as session:
        assert session.get(Ticket, hub_ticket) is None
        assert session.scalars(select(Payment.ticket_id).where(Payment.id == result.payment_id)).one() == hub_ticket


def test_a_ticket_id_must_look_like_one(seeded_db, data_paths) -> None:
    c = counter(seeded_db, data_paths)
    view = account_with_bills(c)
    bill_ids = [bill.bill_id for bill in view.bills]
    quote = c.payments.quote(view.account_id, bill_ids)
    with pytest.raises(InvalidInput) as info:
        c.payments.take_payment(clerk(c), view.account_id, [MethodPart("cash", quote.to_pay_fen, tendered_fen=quote.to_pay_fen)],
                                bill_ids=bill_ids, expected_due_fen=quote.due_fen, ticket_id="A012")
    assert info.value.field == "ticket"
