"""Who holds a window and what leaving it takes (issue 13: the panel showed 窗口已开启 with live
buttons for a window open under another clerk)."""

from __future__ import annotations

from counter_app.domain.window_seat import Seat


def test_a_window_open_under_another_clerk_offers_nothing() -> None:
    seat = Seat("open", "clerk-1001", "manager-8001")
    assert seat.taken and not seat.mine
    assert not any(seat.enabled("called").values())
    assert seat.leaving("called") == ()


def test_my_open_window_follows_the_ticket() -> None:
    seat = Seat("open", "me", "me")
    live = seat.enabled("serving")
    assert live["finish"] and live["hold"] and not live["recall"] and live["call_next"] and live["open_close"]
    assert not seat.enabled(None)["finish"]


def test_leaving_holds_the_ticket_at_the_window_then_closes() -> None:
    assert Seat("paused", "me", "me").leaving("serving") == ("hold", "close_window")
    assert Seat("open", "me", "me").leaving(None) == ("close_window",)
    assert Seat("closed", None, "me").leaving(None) == ()
    assert Seat("closed", None, "me").enabled(None) == {**{k: False for k in Seat("closed", None, "me").enabled(None)},
                                                         "open_close": True}
