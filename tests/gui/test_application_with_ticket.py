"""A payment or an application taken for the customer of a called ticket is part of that ticket's service: it
is tied to the ticket, the customer rates the ticket once at its finish (not the application as
well), and the manager's statistics do not count it a second time as a walk-in (无号服务).
Before, every application counted as a walk-in and the evaluator asked for a rating of it while
the ticket was still being served; and a payment at a window serving a called ticket failed
(the fee page read the call panel's ticket as a dict: AttributeError), which only a test with a
stand-in dict ticket had covered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from counter_app.gui.applications import IntakePage
from counter_app.gui.fees import FeePage
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Application, Bill, CustomerAccount, Payment, WalkInService
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.stats.walk_ins import collect
from tests.gui.counter_fixtures import clerk_at_window, evaluator_of, halls, hub  # noqa: F401
from tests.gui.fees_fixtures import pay_cash
from tests.gui.test_applications_gui import fill_person


def test_an_application_for_a_called_ticket_is_tied_to_it_and_not_a_walk_in(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub, waiting=1)
    panel, evaluator = counter.call_panel, evaluator_of(hall)
    panel.do_call_next()
    qtbot.waitUntil(lambda: panel.ticket is not None, timeout=10_000)
    ticket_id = panel.ticket.id
    page = next(counter.tabs.widget(i) for i in range(counter.tabs.count()) if isinstance(counter.tabs.widget(i), IntakePage))
    counter.tabs.setCurrentWidget(page)
    fill_person(qtbot, page)
    with qtbot.waitSignal(page.accepted, timeout=10_000) as accepted:
        qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    hall.tasks.wait()
    qtbot.wait(300)  # the evaluator's request, if it made one, has been written by now
    with unit_of_work(seeded_db.sessions) as session:
        application = session.scalars(select(Application).where(Application.number == accepted.args[0])).one()
        assert application.ticket_id == ticket_id
        assert session.scalars(select(RatingRequest).where(RatingRequest.service_record == application.id)).all() == []
    assert evaluator.controller.current is None  # the customer is asked once, at the ticket's finish
    collect(seeded_db.engine, seeded_db.node_id)
    with unit_of_work(seeded_db.sessions) as session:
        assert session.get(WalkInService, application.id) is None  # counted with its ticket, not again

    panel.buttons["finish"].click()  # the ticket's finish asks for its one rating
    qtbot.waitUntil(lambda: evaluator.controller.current is not None, timeout=10_000)
    assert evaluator.controller.current.ticket_id == ticket_id


def test_a_payment_for_a_called_ticket_is_tied_to_it_and_rated_with_it(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub, waiting=1)
    panel, evaluator = counter.call_panel, evaluator_of(hall)
    panel.do_call_next()
    qtbot.waitUntil(lambda: panel.ticket is not None, timeout=10_000)
    page = next(counter.tabs.widget(i) for i in range(counter.tabs.count()) if isinstance(counter.tabs.widget(i), FeePage))
    counter.tabs.setCurrentWidget(page)
    with unit_of_work(seeded_db.sessions) as session:
        account_no = session.scalar(select(CustomerAccount.account_no).join(Bill, Bill.account_id == CustomerAccount.id)
                                    .where(Bill.status == "open").limit(1))
    result = pay_cash(qtbot, page, account_no)
    hall.tasks.wait()
    qtbot.wait(300)
    with unit_of_work(seeded_db.sessions) as session:
        assert session.get(Payment, result.payment_id).ticket_id == panel.ticket.id
        assert session.scalars(select(RatingRequest).where(RatingRequest.service_record == result.payment_id)).all() == []
    assert evaluator.controller.current is None
