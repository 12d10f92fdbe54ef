"""The customer's evaluator window (pytest-qt, offscreen): a service finished through the real
queue is rated by a tap; the two lowest levels ask for reasons; no tap in time is "not rated"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from counter_app.core.config import EvaluatorSettings, Settings
from counter_app.gui.evaluator import Evaluator, open_evaluator
from counter_app.gui.qtapp import install_translations
from counter_app.gui.tasks import TaskRunner
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Rating
from tests.gui.hall_fixtures import RunningHub, hub  # noqa: F401
from tests.integration.queue_fixtures import hub_settings
from tests.integration.quality_fixtures import SCREEN, RatingHall, rating_hall

SETTINGS = Settings(window=1, evaluator=EvaluatorSettings(mode="screen", timeout_seconds=30))


@pytest.fixture
def hall(seeded_db) -> RatingHall:  # type: ignore[no-untyped-def]
    return rating_hall(seeded_db, SETTINGS)


@pytest.fixture
def evaluator(qtbot, qapp, hall):  # type: ignore[no-untyped-def]
    translators = install_translations(qapp, "zh_CN")
    tasks = TaskRunner()
    hall.queue.open_window(1, hall.clerk(1))
    opened = open_evaluator(hall.db, SETTINGS, tasks, quality=hall.quality)
    assert opened is not None and opened.window is not None
    qtbot.addWidget(opened.window)
    yield opened
    opened.close()
    tasks.wait()
    for translator in translators:
        qapp.removeTranslator(translator)


def stored(hall: RatingHall, ticket_id: str) -> list[Rating]:
    with unit_of_work(hall.db.sessions) as session:
        return list(session.scalars(select(Rating).where(Rating.ticket_id == ticket_id)))


def finish_and_ask(qtbot, hall: RatingHall, evaluator: Evaluator) -> str:  # type: ignore[no-untyped-def]
    """The clerk finishes a service; the hub's "done" event reaches the evaluator."""
    ticket = hall.serve(1)
    event = {"kind": "done", "window": 1, "ticket_id": ticket.id, "clerk_id": hall.clerk(1), "number": ticket.number,
             "data": {}}
    with qtbot.waitSignal(evaluator.controller.asking, timeout=5000):
        evaluator.on_hub_event(event)
    return ticket.id


def test_idle_shows_the_clerk_and_the_window(qtbot, evaluator) -> None:  # type: ignore[no-untyped-def]
    view = evaluator.window
    qtbot.waitUntil(lambda: view.clerk_name.text() == "李娜", timeout=5000)
    assert view.page == "idle"
    assert view.window_title.text() == "1号窗口"
    assert view.staff_no.text() == "工号：1001"
    assert set(view.star_line.text()) <= {"★", "☆"} and len(view.star_line.text()) == 5
    assert not view.avatar.has_photo and view.avatar.isVisibleTo(view)  # initials, no photo on file


def test_customer_rates_a_finished_service_by_tapping(qtbot, hall, evaluator) -> None:  # type: ignore[no-untyped-def]
    view = evaluator.window
    ticket_id = finish_and_ask(qtbot, hall, evaluator)
    assert view.page == "asking"
    assert view.question.text() == "请您对本次服务进行评价"
    assert [b.text().split("\n")[1] for b in view.level_buttons.values()] == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert min(b.height() for b in view.level_buttons.values()) >= 100  # a finger, at arm's length
    with qtbot.waitSignal(evaluator.controller.finished, timeout=5000) as ended:
        qtbot.mouseClick(view.level_buttons[5], Qt.MouseButton.LeftButton)
    assert ended.args[0] is True
    assert view.page == "thanks" and view.thanks.text() == "谢谢您的评价！"
    [rating] = stored(hall, ticket_id)
    assert (rating.level, rating.device, rating.clerk_id) == (5, SCREEN, hall.clerk(1))
    qtbot.mouseClick(view.level_buttons[1], Qt.MouseButton.LeftButton)  # a second tap counts for nothing
    qtbot.wait(200)
    assert [r.level for r in stored(hall, ticket_id)] == [5]
    assert evaluator.status[0] == f"已收到评价：{rating.ticket_number}"  # the clerk sees that, not the level


def test_the_two_lowest_levels_ask_for_reasons(qtbot, hall, evaluator) -> None:  # type: ignore[no-untyped-def]
    view = evaluator.window
    ticket_id = finish_and_ask(qtbot, hall, evaluator)
    assert not view.reason_panel.isVisible()
    qtbot.mouseClick(view.level_buttons[2], Qt.MouseButton.LeftButton)
    assert view.reason_panel.isVisible()
    assert [b.property("label") for b in view.reason_buttons.values()] == ["态度", "效率", "业务不熟", "等候时间长", "其他"]
    assert stored(hall, ticket_id) == []  # nothing sent before the customer says so
    qtbot.mouseClick(view.reason_buttons["waiting"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.reason_buttons["efficiency"], Qt.MouseButton.LeftButton)
    assert view.reason_buttons["waiting"].text() == "✓ 等候时间长"
    with qtbot.waitSignal(evaluator.controller.finished, timeout=5000):
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    [rating] = stored(hall, ticket_id)
    assert (rating.level, rating.reasons) == (2, ["efficiency", "waiting"])
    assert [f.rating.ticket_id for f in hall.quality.followups.listing("open")] == [ticket_id]


def test_a_basic_level_is_sent_at_once_without_reasons(qtbot, hall, evaluator) -> None:  # type: ignore[no-untyped-def]
    ticket_id = finish_and_ask(qtbot, hall, evaluator)
    with qtbot.waitSignal(evaluator.controller.finished, timeout=5000):
        qtbot.mouseClick(evaluator.window.level_buttons[3], Qt.MouseButton.LeftButton)
    assert not evaluator.window.reason_panel.isVisible()
    assert [(r.level, r.reasons) for r in stored(hall, ticket_id)] == [(3, [])]


def test_no_tap_in_time_records_not_rated_and_returns_to_idle(qtbot, hall, evaluator) -> None:  # type: ignore[no-untyped-def]
    view = evaluator.window
    ticket_id = finish_and_ask(qtbot, hall, evaluator)
    qtbot.waitUntil(lambda: "剩余 30 秒" in view.ticket_line.text(), timeout=3000)
    hall.clock.advance(seconds=31)
    with qtbot.waitSignal(evaluator.controller.finished, timeout=5000) as ended:
        pass
    assert ended.args[0] is False
    assert view.page == "idle"
    [rating] = stored(hall, ticket_id)
    assert (rating.level, rating.rated_at) == (None, None)
    assert evaluator.status == (f"未评价：{rating.ticket_number}", "warn")
    qtbot.mouseClick(view.level_buttons[5], Qt.MouseButton.LeftButton)  # too late: nothing happens
    qtbot.wait(200)
    assert [r.level for r in stored(hall, ticket_id)] == [None]


def test_events_of_other_windows_or_automatic_closes_ask_nothing(qtbot, hall, evaluator) -> None:  # type: ignore[no-untyped-def]
    ticket = hall.serve(1)
    for event in ({"kind": "done", "window": 2, "ticket_id": ticket.id, "clerk_id": hall.clerk(1)},
                  {"kind": "done", "window": 1, "ticket_id": ticket.id, "clerk_id": hall.clerk(1), "data": {"auto": True}},
                  {"kind": "called", "window": 1, "ticket_id": ticket.id, "clerk_id": hall.clerk(1)}):
        evaluator.on_hub_event(event)
    qtbot.wait(1000)
    assert evaluator.window.page == "idle" and hall.quality.ratings.pending(1) is None


def test_the_clerk_finishing_at_a_real_hub_opens_the_rating(qtbot, qapp, hub: RunningHub) -> None:  # noqa: F811
    """End to end: the counter's finish goes to the hub; its event reaches the evaluator, which
    asks; the customer's tap is stored against that ticket."""
    settings = Settings(window=1, branch=hub_settings().branch, evaluator=EvaluatorSettings(mode="screen"))
    link = hub.link()
    tasks = TaskRunner()
    evaluator = open_evaluator(hub.node, settings, tasks, hub_events=link.event)
    assert evaluator is not None and evaluator.window is not None
    qtbot.addWidget(evaluator.window)
    link.start_stream()
    try:
        hub.open(1)
        hub.issue("A")
        hub.call(1)
        hub.client.start_service(1, hub.hall.clerk(1))
        with qtbot.waitSignal(evaluator.controller.asking, timeout=10_000) as asked:
            finished = hub.client.finish(1, hub.hall.clerk(1))
        request = asked.args[0]
        assert request.ticket_number == "A001" and request.device == SCREEN
        with qtbot.waitSignal(evaluator.controller.finished, timeout=5000):
            qtbot.mouseClick(evaluator.window.level_buttons[4], Qt.MouseButton.LeftButton)
        with unit_of_work(hub.node.sessions) as session:
            rating = session.scalars(select(Rating)).one()
        assert (rating.ticket_id, rating.level, rating.clerk_id) == (finished["ticket"]["id"], 4, hub.hall.clerk(1))
    finally:
        evaluator.close()
        tasks.wait()


def test_two_negative_ratings_in_a_row_are_both_sent(qtbot, hall, evaluator) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: after the first rating the 提交评价 button stayed disabled, so the next complaint
    timed out as "not rated"."""
    view = evaluator.window
    for level, reason in ((2, "waiting"), (1, "attitude")):
        ticket_id = finish_and_ask(qtbot, hall, evaluator)
        qtbot.mouseClick(view.level_buttons[level], Qt.MouseButton.LeftButton)
        assert view.reason_panel.isVisible()
        qtbot.mouseClick(view.reason_buttons[reason], Qt.MouseButton.LeftButton)
        assert view.send_button.isEnabled() and all(b.isEnabled() for b in view.level_buttons.values())
        with qtbot.waitSignal(evaluator.controller.finished, timeout=5000) as ended:
            qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
        assert ended.args[0] is True
        assert [(r.level, r.reasons) for r in stored(hall, ticket_id)] == [(level, [reason])]
