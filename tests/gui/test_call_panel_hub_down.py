"""The call panel of a counter whose hub goes down (issue 10 item 4), against a real hub on
loopback that is stopped and started again: the clerk reads one sentence saying calling needs the
queue server and what still works at the window (never the HTTP client's words), the queue keys
are off while the hub is away, and when it is back the waiting ticket is called once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from counter_app.core.config import Settings
from counter_app.core.messages import render
from counter_app.hub.server import start_hub_in_thread
from tests.gui.test_call_panel import hub, make_panel, panel, press  # noqa: F401


def test_with_the_hub_down_the_panel_says_what_calling_needs_and_what_still_works(qtbot, seeded_db, hub, panel) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    press(qtbot, panel, Qt.Key.Key_F10)
    qtbot.waitUntil(lambda: panel.window_state == "open", timeout=5000)
    hub.kiosk.issue_ticket("A")
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 1 and panel.link.online, timeout=5000)
    port = hub.port
    hub.stop()
    sentence = render("queue_needs_hub", {}, "en")
    qtbot.waitUntil(lambda: panel.hub_away and panel.message.text() == sentence, timeout=10_000)  # said as the link drops
    assert not any(button.isEnabled() for button in panel.buttons.values())
    panel.message.clear()
    panel.do_call_next()  # a key pressed all the same: the same sentence, not the client's error
    qtbot.waitUntil(lambda: panel.message.text() != "", timeout=10_000)
    assert panel.message.text() == sentence
    assert "Errno" not in sentence and "http" not in sentence and "payments" in sentence

    again = start_hub_in_thread(seeded_db, Settings(), port=port)
    try:
        qtbot.waitUntil(lambda: panel.buttons["call_next"].isEnabled(), timeout=15_000)
        assert panel.message.text() == ""
        press(qtbot, panel, Qt.Key.Key_F1)
        qtbot.waitUntil(lambda: panel.ticket is not None, timeout=5000)
        assert panel.number.text() == "A001" and panel.ticket.call_count == 1
    finally:
        panel.link.close()
        again.stop()
