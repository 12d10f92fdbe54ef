"""The manager's follow-up list and the 首问负责 log, driven by clicks (pytest-qt, offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter_app.gui.qtapp import install_translations
from counter_app.gui.quality import FollowUpList, InquiryLog
from counter_app.gui.tasks import TaskRunner
from tests.integration.quality_fixtures import SCREEN, RatingHall, rating_hall


@pytest.fixture
def hall(qapp, seeded_db):  # type: ignore[no-untyped-def]
    translators = install_translations(qapp, "zh_CN")
    yield rating_hall(seeded_db)
    for translator in translators:
        qapp.removeTranslator(translator)


@pytest.fixture
def tasks():  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    yield runner
    runner.wait()


def test_manager_records_the_three_steps_then_closes(qtbot, hall: RatingHall, tasks) -> None:  # type: ignore[no-untyped-def]
    ticket = hall.serve(1)
    request = hall.quality.ratings.request_for_ticket(ticket.id, 1, hall.clerk(1), SCREEN)
    hall.quality.ratings.submit(request.id, 1, ("attitude",), SCREEN)
    view = FollowUpList(hall.quality, tasks, hall.manager, hall.quality.context.zone)
    qtbot.addWidget(view)
    view.refresh()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    assert view.table.item(0, 4).text() == "非常不满意" and view.table.item(0, 5).text() == "态度"
    assert view.table.item(0, 7).text() == "待记录：核实、整改、回访"
    view.table.selectRow(0)
    assert not view.close_button.isEnabled()
    assert view.missing.text() == "结案前还需记录：核实、整改、回访"
    view.outcome.setText("已处理")
    view.close_followup()  # even if asked to, the service refuses
    qtbot.waitUntil(lambda: view.error.text() != "", timeout=5000)
    assert view.error.text() == "结案前还需记录：核实、整改、回访"
    qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.error.text() == "请先填写内容再记录。", timeout=5000)
    for index, text in enumerate(("调阅录像，属实", "服务规范培训", "电话回访，客户认可")):
        assert view.step_kind.currentIndex() == index  # the next missing step is offered
        view.step_text.setPlainText(text)
        qtbot.mouseClick(view.record_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda n=index: view.steps.count() == n + 1, timeout=5000)
    assert view.close_button.isEnabled() and view.table.item(0, 7).text() == "可结案"
    view.outcome.setText("整改到位")
    qtbot.mouseClick(view.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=5000)
    assert hall.quality.followups.listing("all")[0].status == "closed"


def test_inquiry_logged_with_field_named_errors_then_handed_over(qtbot, hall: RatingHall, tasks) -> None:  # type: ignore[no-untyped-def]
    view = InquiryLog(hall.quality, tasks, hall.clerk(1), hall.quality.context.zone, window=1)
    qtbot.addWidget(view)
    view.refresh()
    view.topic.setText("水压低")
    qtbot.mouseClick(view.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.error.text() != "", timeout=5000)
    assert view.error.text() == "客户：请填写"
    view.customer.setText("王先生")
    view.kind.setCurrentIndex(1)
    view.text.setPlainText("三楼水压低")
    qtbot.mouseClick(view.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    assert [view.table.item(0, c).text() for c in (0, 1, 3, 4)] == ["投诉", "王先生", "李娜", "李娜"]
    view.table.selectRow(0)
    view.colleague.setCurrentIndex(view.colleague.findText("王芳 1002"))
    view.note.setText("管网问题，转王芳")
    qtbot.mouseClick(view.hand_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1 and view.table.item(0, 3).text() == "王芳", timeout=5000)
    view.table.selectRow(0)
    view.answer.setText("已答复")
    qtbot.mouseClick(view.answer_button, Qt.MouseButton.LeftButton)  # 李娜 no longer owns it
    qtbot.waitUntil(lambda: view.error.text() != "", timeout=5000)
    assert view.error.text() == "只有当前负责人或主任可以办理。"


def test_the_lists_fill_when_shown_without_pressing_refresh(qtbot, hall: RatingHall, tasks) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: the follow-up list opened empty until 刷新 was pressed."""
    ticket = hall.serve(1)
    request = hall.quality.ratings.request_for_ticket(ticket.id, 1, hall.clerk(1), SCREEN)
    hall.quality.ratings.submit(request.id, 2, ("waiting",), SCREEN)
    hall.quality.inquiries.log("complaint", "王先生", "", "水压低", "三楼水压低", hall.clerk(1), window=1)
    followups = FollowUpList(hall.quality, tasks, hall.manager, hall.quality.context.zone)
    qtbot.addWidget(followups)
    followups.show()
    qtbot.waitUntil(lambda: followups.table.rowCount() == 1, timeout=5000)
    inquiries = InquiryLog(hall.quality, tasks, hall.clerk(1), hall.quality.context.zone, window=1)
    qtbot.addWidget(inquiries)
    inquiries.show()
    qtbot.waitUntil(lambda: inquiries.table.rowCount() == 1, timeout=5000)
