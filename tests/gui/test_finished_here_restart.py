"""The ticket at the window when the hub went down, finished there (issue 10 item 4): the finish
is kept in the counter's database, so a counter restarted before the hub is back does not show
the ticket again, tells the hub once when it is back, and its evaluator asks nobody to rate it at
the hub. A real hub on loopback, stopped and started again; the counter's real SQLite file."""

from __future__ import annotations

from sqlalchemy import select

from counter_app.core.config import Settings
from counter_app.gui.call_panel import CallPanel
from counter_app.hub.server import start_hub_in_thread
from counter_app.persistence.models import TicketFinishedHere
from counter_app.services.queue.finished_here import FinishedHere
from tests.gui.counter_fixtures import clerk_at_window, halls, hub  # noqa: F401


def test_a_finish_at_the_window_survives_a_restart_and_the_hub_is_told_once(qtbot, halls, seeded_db, hub) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    hall, counter = clerk_at_window(qtbot, halls, seeded_db, hub, waiting=1)
    panel = counter.call_panel
    panel.do_call_next()
    qtbot.waitUntil(lambda: panel.ticket is not None and panel.link.online, timeout=10_000)
    ticket = panel.ticket
    hub.stop()
    qtbot.waitUntil(lambda: panel.hub_away, timeout=10_000)
    panel.buttons["finish"].click()
    assert panel.ticket is None

    # the program restarts before the hub is back: the old panel's memory is gone
    hall.link.online_changed.disconnect(panel._on_online)
    hall.link.event.disconnect(panel._on_event)
    again = CallPanel(hall.link, panel.session, 1, FinishedHere(seeded_db.sessions))
    qtbot.addWidget(again)
    told_evaluator: list[str] = []
    again.finished_here.connect(told_evaluator.append)  # as Hall.open_counter connects the evaluator
    qtbot.waitUntil(lambda: told_evaluator == [ticket.id], timeout=5000)
    assert again.untold == {ticket.id: ticket.number} and again.number.text() == "—"

    back = start_hub_in_thread(seeded_db, Settings(), port=hub.port)
    try:
        qtbot.waitUntil(lambda: hall.link.client.ticket(ticket.number)["state"] == "done", timeout=15_000)
        qtbot.waitUntil(lambda: again.untold == {} and again.buttons["call_next"].isEnabled(), timeout=10_000)
        assert again.ticket is None and again.number.text() == "—"  # never shown again
        with seeded_db.sessions() as session:
            row = session.get(TicketFinishedHere, ticket.id)
            assert row is not None and row.told_at is not None and row.number == ticket.number
        assert FinishedHere(seeded_db.sessions).untold(1) == []  # the next start tells nothing again
    finally:
        for thing in list(hall.windows):
            getattr(thing, "close")()
        hall.tasks.wait()
        back.stop()
