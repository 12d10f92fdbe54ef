"""The counter program (Hall: login, call panel, pages) when its hub goes down (issue 10 item 4),
against a real hub on loopback that is stopped, in Chinese: what cannot work without the hub or
head office says so in one sentence of the screen's language, never the HTTP client's words; a
clerk can log out, and is told the window stays open at the hub."""

from __future__ import annotations

from counter_app.core.config import Settings
from counter_app.core.messages import render
from counter_app.hub.server import start_hub_in_thread
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import SyncState
from counter_app.services.seed import DEMO_PASSWORD
from tests.gui.counter_fixtures import clerk_at_window, halls, hub, log_in, make_hall, window_state  # noqa: F401


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
