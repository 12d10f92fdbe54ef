"""The counter program (Hall: login, call panel, pages) when its hub goes down (issue 10 item 4),
against a real hub on loopback that is stopped, in Chinese: what cannot work without the hub or
head office says so in one sentence of the screen's language, never the HTTP client's words; a
clerk can log out, and is told the window stays open at the hub."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.core.messages import render
from counter_app.hub.server import start_hub_in_thread
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.gui.applications import IntakePage
from counter_app.gui.fees import FeePage
from counter_app.persistence.models import Application, Bill, CustomerAccount, OutboxEvent, Rating, SyncState
from counter_app.persistence.models.quality import RatingRequest
from counter_app.services.seed import DEMO_PASSWORD
from tests.gui.counter_fixtures import (  # noqa: F401
    clerk_at_window, evaluator_of, halls, hub, log_in, make_hall, window_state,
)
from tests.gui.fees_fixtures import pay_cash
from tests.gui.test_applications_gui import fill_person


def _type_login(qtbot, hall, staff_no: str) -> None:  # type: ignore[no-untyped-def]
    login = hall.login
    login.staff_no.clear()
    qtbot.keyClicks(login.staff_no, staff_no)
    qtbot.keyClicks(login.password, DEMO_PASSWORD)
    login.submit()


def test_logging_in_with_the_hub_down_says_what_is_needed_then_works_on_cached_credentials(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hall = make_hall(qtbot, seeded_db, hub, 1, role="counter")
    halls.append(hall)
    hub.stop()
    _type_login(qtbot, hall, "1001")  # this PC never heard from head office: no cached login yet
    qtbot.waitUntil(lambda: hall.login.error.text() != "", timeout=10_000)
    assert hall.login.error.text() == render("offline_login_never", {}, "zh_CN")

    with unit_of_work(seeded_db.sessions) as session:  # the PC synced with head office an hour ago
        session.add(SyncState(peer="hq", status="ok", last_success_at=utcnow(), acked_through={}, last_error=""))
    hall.login.staff_no.clear()
    counter = log_in(qtbot, hall, "1001")  # on the cached credentials
    panel = counter.call_panel
    qtbot.waitUntil(lambda: panel.message.text() == render("queue_needs_hub", {}, "zh_CN"), timeout=10_000)


def test_a_clerk_logs_out_while_the_hub_is_down_and_is_told_the_window_stays_open(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub)
    hub.stop()
    counter.log_out()
    qtbot.waitUntil(lambda: hall.login.isVisible(), timeout=10_000)
    assert counter not in hall.windows  # nobody works on under 1001's name at this PC
    assert hall.login.error.text() == render("window_left_open", {"n": 1}, "zh_CN")

    again = start_hub_in_thread(seeded_db, Settings(), port=hub.port)  # the hub is back
    try:
        assert window_state(hub, 1)["state"] == "open"  # still open under 1001 there, as he was told
        hall.login.staff_no.clear()
        counter = log_in(qtbot, hall, "1001")  # back at his window: it is his again, calling works
        qtbot.waitUntil(lambda: counter.call_panel.seat.mine and counter.call_panel.buttons["call_next"].isEnabled(),
                        timeout=10_000)
    finally:
        for thing in list(hall.windows):
            getattr(thing, "close")()
        hall.tasks.wait()
        again.stop()


def test_a_payment_taken_while_the_hub_is_down_is_rated_as_a_walk_in_at_the_counter(qtbot, halls, seeded_db, hub, caplog) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub)
    evaluator = evaluator_of(hall)
    view = evaluator.window
    hub.stop()  # no ticket can be called: the clerk serves the customer at the window without one
    page = next(counter.tabs.widget(i) for i in range(counter.tabs.count()) if isinstance(counter.tabs.widget(i), FeePage))
    counter.tabs.setCurrentWidget(page)
    with unit_of_work(seeded_db.sessions) as session:
        account_no = session.scalar(select(CustomerAccount.account_no).join(Bill, Bill.account_id == CustomerAccount.id)
                                    .where(Bill.status == "open").limit(1))
    with qtbot.waitSignal(evaluator.controller.asking, timeout=10_000):
        result = pay_cash(qtbot, page, account_no)
    assert view.page == "asking" and evaluator.controller.current.service_record == result.payment_id
    with qtbot.waitSignal(evaluator.controller.finished, timeout=10_000) as ended:
        qtbot.mouseClick(view.level_buttons[5], Qt.MouseButton.LeftButton)
    assert ended.args[0] is True
    with unit_of_work(seeded_db.sessions) as session:
        rated = session.scalars(select(Rating).where(Rating.service_record == result.payment_id)).all()
        assert [(r.level, r.ticket_id) for r in rated] == [(5, None)]
        assert session.scalar(select(OutboxEvent.event_type).where(OutboxEvent.aggregate_id == rated[0].id)) == "rating.recorded"
    qtbot.waitUntil(lambda: evaluator.controller.polls_failing >= 4, timeout=10_000)
    warned = [r for r in caplog.records if "polling failed" in r.getMessage() and r.levelname == "WARNING"]
    assert len(warned) == 1  # the evaluator says once that the hub is away, not at every poll


def test_an_application_taken_while_the_hub_is_down_is_rated_as_a_walk_in(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub)
    evaluator = evaluator_of(hall)
    hub.stop()
    page = next(counter.tabs.widget(i) for i in range(counter.tabs.count()) if isinstance(counter.tabs.widget(i), IntakePage))
    counter.tabs.setCurrentWidget(page)
    fill_person(qtbot, page)
    with qtbot.waitSignal(evaluator.controller.asking, timeout=10_000):
        with qtbot.waitSignal(page.accepted, timeout=10_000) as accepted:
            qtbot.mouseClick(page.submit_button, Qt.MouseButton.LeftButton)
    with unit_of_work(seeded_db.sessions) as session:
        application_id = session.scalar(select(Application.id).where(Application.number == accepted.args[0]))
    assert evaluator.controller.current.service_record == application_id  # the application's id, not its number
    with qtbot.waitSignal(evaluator.controller.finished, timeout=10_000):
        qtbot.mouseClick(evaluator.window.level_buttons[4], Qt.MouseButton.LeftButton)
    with unit_of_work(seeded_db.sessions) as session:
        assert session.scalars(select(Rating.level).where(Rating.service_record == application_id)).all() == [4]


def test_the_ticket_at_the_window_is_finished_here_and_the_hub_told_when_it_is_back(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub, waiting=1)
    panel, evaluator = counter.call_panel, evaluator_of(hall)
    panel.do_call_next()
    qtbot.waitUntil(lambda: panel.ticket is not None and panel.link.online, timeout=10_000)
    ticket = panel.ticket
    hub.stop()  # the customer of A001 is at the window when the hub goes down
    qtbot.waitUntil(lambda: panel.hub_away and panel.message.text() == render("queue_needs_hub", {}, "zh_CN"),
                    timeout=10_000)
    assert [name for name, button in panel.buttons.items() if button.isEnabled()] == ["finish"]
    panel.buttons["finish"].click()  # served: the next customer comes without a ticket
    assert panel.ticket is None and panel.number.text() == "—"
    assert panel.message.text() == render("ticket_finished_here", {"number": ticket.number}, "zh_CN")
    assert not panel.buttons["finish"].isEnabled()
    # its customer, still at the window, rates A001 there (the counter's rating, linked to the ticket)
    qtbot.waitUntil(lambda: evaluator.controller.current is not None, timeout=10_000)
    assert evaluator.controller.current.ticket_number == ticket.number
    with qtbot.waitSignal(evaluator.controller.finished, timeout=10_000):
        qtbot.mouseClick(evaluator.window.level_buttons[4], Qt.MouseButton.LeftButton)

    again = start_hub_in_thread(seeded_db, Settings(), port=hub.port)
    try:  # back: the panel tells the hub, and nobody is asked to rate A001 again
        qtbot.waitUntil(lambda: hall.link.client.ticket(ticket.number)["state"] == "done", timeout=15_000)
        qtbot.waitUntil(lambda: panel.ticket is None and panel.buttons["call_next"].isEnabled(), timeout=10_000)
        qtbot.wait(1500)  # the evaluator's polls
        assert evaluator.controller.current is None
        with unit_of_work(seeded_db.sessions) as session:
            assert [r.state for r in session.scalars(select(RatingRequest).where(RatingRequest.ticket_id == ticket.id))] == ["rated"]
            assert len(session.scalars(select(Rating).where(Rating.ticket_id == ticket.id)).all()) == 1
    finally:
        for thing in list(hall.windows):
            getattr(thing, "close")()
        hall.tasks.wait()
        again.stop()
