"""Application rules without a database: types as data, the checklist, stage moves, the
stopped clock, promised dates and the due state."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from counter_app.domain.applications import (
    AMBER, COMPANY, DONE, GREEN, MISSING, NOT_APPLICABLE, OPEN, PERSON, RECEIVED, RED, STOPPED, WAITING_DOCS,
    ApplicationTypeDefinition, application_number, check_documents, check_move, due_state, elapsed_working_days,
    is_application_number, next_stage, next_step, promised_schedule, resumed_due, stopped_working_days,
)
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.workdays import WorkCalendar
from counter_app.services.applications.catalogue import DEFAULT_TYPES, default_definitions
from counter_app.services.applications.holidays import holiday_calendar_2026_2027

CALENDAR = WorkCalendar.from_exceptions((d, k) for d, k, _n in holiday_calendar_2026_2027())
TYPES = {d.code: d for d in default_definitions()}
NEW = TYPES["new"]
SEVEN = ("accept", "survey", "plan", "charge", "build", "inspect", "connect")


def test_the_five_default_types_with_their_stages() -> None:
    assert [t.name_zh for t in default_definitions()] == ["用水报装", "户表改造", "增容/减容", "水表移位", "过户/更名"]
    assert NEW.stage_codes == SEVEN
    assert [s.name_zh for s in NEW.stages] == ["受理", "现场勘查", "方案答复", "收费", "施工", "验收", "通水"]
    assert "charge" not in TYPES["renovation"].stage_codes and not TYPES["renovation"].fee_items
    assert TYPES["transfer"].stage_codes == ("accept", "settle", "transfer")
    assert NEW.fee_total_fen == 36000


def test_a_definition_survives_its_json() -> None:
    for code, zh, en, data in DEFAULT_TYPES:
        definition = ApplicationTypeDefinition.from_dict(code, zh, en, data)
        assert ApplicationTypeDefinition.from_dict(code, zh, en, definition.to_dict()) == definition


@pytest.mark.parametrize("change, words", [
    (lambda d: replace(d, stages=()), "at least one stage"),
    (lambda d: replace(d, stages=d.stages[1:]), "first stage"),
    (lambda d: replace(d, stages=d.stages + d.stages[-1:]), "unique"),
    (lambda d: replace(d, stages=(replace(d.stages[0], limit_days=-1),) + d.stages[1:]), "whole number of working days"),
    (lambda d: replace(d, fee_items=(replace(d.fee_items[0], amount_fen=-5),)), "not negative"),
    (lambda d: replace(d, fee_items=()), "go together"),
    (lambda d: replace(d, documents=(replace(d.documents[0], applies_to=("robot",)),)), "person and/or company"),
    (lambda d: replace(d, stages=d.stages[:1] + (replace(d.stages[1], code="Survey!"),) + d.stages[2:]), "lower-case"),
])
def test_a_manager_cannot_save_a_broken_type(change, words: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        change(NEW)
    assert words in caught.value.rule


def test_malformed_json_names_the_type() -> None:
    with pytest.raises(InvalidInput) as caught:
        ApplicationTypeDefinition.from_dict("x", "某", "X", {"stages": [{"code": "accept"}]})
    assert caught.value.field == "application_type.x"


def _states(kind: str, **overrides: str) -> dict[str, str]:
    states = {d.code: (RECEIVED if d.required else NOT_APPLICABLE) for d in NEW.documents_for(kind)}
    states.update(overrides)
    return states


def test_checklist_sorts_documents_and_lists_every_missing_one() -> None:
    result = check_documents(NEW, PERSON, _states(PERSON, id_card=MISSING, property=MISSING))
    assert [d.code for d in result.missing] == ["id_card", "property"]
    assert not result.complete
    assert "licence" not in [d.code for d in result.received + result.not_applicable]  # company papers not asked of a person
    assert check_documents(NEW, COMPANY, _states(COMPANY)).complete


def test_checklist_rules() -> None:
    with pytest.raises(InvalidInput, match="cannot be not applicable"):
        check_documents(NEW, PERSON, _states(PERSON, id_card=NOT_APPLICABLE))
    with pytest.raises(InvalidInput, match="tick received"):
        states = _states(PERSON)
        del states["property"]
        check_documents(NEW, PERSON, states)
    with pytest.raises(InvalidInput, match="not a document"):
        check_documents(NEW, PERSON, _states(PERSON, licence=RECEIVED))


def test_stages_go_forward_one_at_a_time_with_a_result() -> None:
    assert check_move(NEW, OPEN, "accept", "survey", result="资料齐全") == "forward"
    assert check_move(NEW, OPEN, "connect", None, result="已通水") == "finish"
    assert next_stage(NEW, "connect") is None
    with pytest.raises(NotAllowed, match="cannot be skipped"):
        check_move(NEW, OPEN, "accept", "plan", result="跳过勘查")
    with pytest.raises(NotAllowed, match="cannot be skipped"):
        check_move(NEW, OPEN, "inspect", None, result="直接办结")
    with pytest.raises(InvalidInput, match="record the result"):
        check_move(NEW, OPEN, "accept", "survey", result="  ")


def test_going_back_needs_a_reason() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_move(NEW, OPEN, "build", "survey")
    assert caught.value.field == "reason"
    assert check_move(NEW, OPEN, "build", "survey", reason="现场管位与方案不符，需重新勘查") == "back"
    with pytest.raises(NotAllowed, match="already"):
        check_move(NEW, OPEN, "build", "build", reason="x")
    with pytest.raises(InvalidInput):
        check_move(NEW, OPEN, "build", "demolish", reason="x")


@pytest.mark.parametrize("status, words", [(WAITING_DOCS, "clock is stopped"), (DONE, "finished"), ("withdrawn", "withdrawn")])
def test_nothing_moves_while_waiting_for_documents_or_after_the_end(status: str, words: str) -> None:
    with pytest.raises(NotAllowed, match=words):
        check_move(NEW, status, "accept", "survey", result="ok")


def test_promised_dates_follow_each_other_in_working_days() -> None:
    # accepted Friday 2026-09-25 (中秋, a holiday itself) just before the National Day week
    schedule = promised_schedule(NEW, CALENDAR, date(2026, 9, 25))
    assert [s.code for s in schedule] == list(SEVEN)
    assert [s.due for s in schedule] == [
        date(2026, 9, 28),  # 受理 1
        date(2026, 9, 30),  # 现场勘查 2: 29, 30
        date(2026, 10, 9),  # 方案答复 2: 8, 9
        date(2026, 10, 10),  # 收费 1: the make-up Saturday
        date(2026, 10, 16),  # 施工 5: 12 .. 16
        date(2026, 10, 19),  # 验收 1
        date(2026, 10, 20),  # 通水 1
    ]
    later = promised_schedule(NEW, CALENDAR, date(2026, 10, 9), "charge")
    assert [s.code for s in later] == ["charge", "build", "inspect", "connect"]


def test_the_clock_stops_while_documents_are_missing() -> None:
    accepted, due = date(2026, 11, 2), date(2026, 11, 3)  # Monday, 受理 due Tuesday
    stopped_since, resumed = date(2026, 11, 2), date(2026, 11, 9)  # a week later
    assert stopped_working_days(CALENDAR, stopped_since, resumed) == 5
    assert resumed_due(CALENDAR, due, stopped_since, resumed) == date(2026, 11, 10)
    assert resumed_due(CALENDAR, due, stopped_since, stopped_since) == due
    # while stopped, elapsed days do not grow
    assert elapsed_working_days(CALENDAR, accepted, date(2026, 11, 6), stopped_since=stopped_since) == 0
    # after resuming, only the days it ran count
    assert elapsed_working_days(CALENDAR, accepted, date(2026, 11, 11), stopped_days=5) == 2
    assert elapsed_working_days(CALENDAR, accepted, date(2026, 12, 31), finished_on=date(2026, 11, 20)) == 14


def test_due_state_colours() -> None:
    due = date(2026, 10, 9)  # a Friday
    assert due_state(CALENDAR, due, date(2026, 9, 29), OPEN) == GREEN
    assert due_state(CALENDAR, due, date(2026, 9, 30), OPEN) == GREEN  # 8 and 9 still to go
    assert due_state(CALENDAR, due, date(2026, 10, 3), OPEN) == GREEN  # in the holiday week: the 8th and 9th still to go
    assert due_state(CALENDAR, due, date(2026, 10, 8), OPEN) == AMBER  # due on the next working day
    assert due_state(CALENDAR, due, due, OPEN) == AMBER  # due today
    assert due_state(CALENDAR, due, date(2026, 10, 10), OPEN) == RED
    assert due_state(CALENDAR, due, date(2026, 10, 10), WAITING_DOCS) == STOPPED
    assert due_state(CALENDAR, due, date(2026, 10, 10), DONE) == "done"
    assert due_state(CALENDAR, None, date(2026, 10, 10), OPEN) == "none"


def test_application_numbers() -> None:
    number = application_number("B001", "T02", date(2026, 11, 23), 7)
    assert number == "BZ-B001-T02-20261123-0007"
    assert is_application_number(number.lower())
    assert not is_application_number("B001-T02-20261123-0007")
    with pytest.raises(ValueError):
        application_number("B001", "T02", date(2026, 11, 23), 0)


def test_next_step_tells_the_customer_what_to_do() -> None:
    missing = [d for d in NEW.documents if d.code in ("id_card", "property")]
    step = next_step(NEW, WAITING_DOCS, "accept", missing)
    assert "申请人身份证" in step.text_zh and "不动产权证书" in step.text_zh
    assert "缴纳" in next_step(NEW, OPEN, "charge").text_zh
    assert next_step(NEW, DONE, "connect").text_zh.startswith("已办结")
