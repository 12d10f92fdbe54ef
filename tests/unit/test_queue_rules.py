"""Queue policy rules, without a database: numbers, states, call order, recall cap, estimates."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain import queue_rules as rules
from counter_app.domain.errors import InvalidInput, NotAllowed

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def cand(tid: str, service: str, minutes: int, priority: str = "normal", target: str | None = None, seq: int = 1) -> rules.Candidate:
    return rules.Candidate(tid, priority, service, target, T0 + timedelta(minutes=minutes), seq)


# --- numbers ---------------------------------------------------------------------------------

def test_numbers_are_letter_and_three_digits_and_count_up() -> None:
    assert rules.next_number("A", None, 999) == (1, "A001")
    assert rules.next_number("A", 11, 999) == (12, "A012")
    assert rules.next_number("D", 998, 999) == (999, "D999")


def test_past_999_is_refused_unless_wider_numbers_are_configured() -> None:
    with pytest.raises(NotAllowed, match="999"):
        rules.next_number("A", 999, 5000)
    assert rules.next_number("A", 999, 5000, rules.NumberPolicy(widen=True)) == (1000, "A1000")
    assert rules.next_number("A", 999, 5000, rules.NumberPolicy(digits=4)) == (1000, "A1000")
    assert rules.format_number("B", 7, rules.NumberPolicy(digits=4)) == "B0007"


def test_daily_cap_refuses_clearly() -> None:
    assert rules.next_number("C", 49, 50) == (50, "C050")
    with pytest.raises(NotAllowed, match="daily limit of 50"):
        rules.next_number("C", 50, 50)


def test_number_parsing_and_letters() -> None:
    assert rules.parse_number("A012") == ("A", 12)
    assert rules.parse_number(" b1000 ") == ("B", 1000)
    for bad in ("", "12", "AA12", "A12", "A-12", None):
        with pytest.raises(InvalidInput) as caught:
            rules.parse_number(bad)  # type: ignore[arg-type]
        assert caught.value.field == "ticket"
    with pytest.raises(InvalidInput):
        rules.check_letter("a")
    with pytest.raises(InvalidInput) as caught:
        rules.check_priority("vip")
    assert caught.value.field == "priority"


@given(st.integers(min_value=0, max_value=998))
def test_numbers_never_repeat_within_a_day(last: int) -> None:
    seq, number = rules.next_number("A", last, 999)
    assert seq == last + 1 and rules.parse_number(number) == ("A", seq)


# --- states ------------------------------------------------------------------------------------

def test_transitions_follow_the_table() -> None:
    assert rules.next_state("waiting", "call") == "called"
    assert rules.next_state("transferred", "call") == "called"
    assert rules.next_state("called", "start") == "serving"
    assert rules.next_state("serving", "finish") == "done"
    assert rules.next_state("called", "no_show") == "no_show"
    assert rules.next_state("no_show", "recycle") == "waiting"
    assert rules.next_state("serving", "hold") == "held"
    assert rules.next_state("held", "call_back") == "called"
    assert rules.next_state("serving", "transfer") == "transferred"
    for state in rules.OPEN_STATES:
        assert rules.next_state(state, "clear") == "cleared"


@pytest.mark.parametrize("state,action", [
    ("waiting", "finish"), ("serving", "no_show"), ("done", "call"), ("held", "call"), ("cleared", "recycle"),
    ("waiting", "recall"), ("serving", "recycle"), ("done", "clear"), ("cancelled", "cancel"),
])
def test_forbidden_transitions_are_refused_with_the_number(state: str, action: str) -> None:
    with pytest.raises(NotAllowed, match="A007"):
        rules.next_state(state, action, "A007")


def test_outcomes_only_for_final_states() -> None:
    assert [rules.outcome_of(s) for s in rules.STATES] == [None] * 5 + ["done", "no_show", "cancelled", "cleared"]
    assert set(rules.STATES) == rules.OPEN_STATES | rules.FINAL_STATES


# --- call order ----------------------------------------------------------------------------------

def test_green_channel_first_then_service_order_then_arrival() -> None:
    pool = [cand("a1", "A", 0), cand("c1", "C", -5), cand("a2", "A", 3, "green"), cand("c2", "C", 1, "green")]
    assert rules.pick_next(pool, "w1", ["A", "C"]).ticket_id == "a2"  # type: ignore[union-attr]
    assert rules.pick_next(pool, "w1", ["C", "A"]).ticket_id == "c2"  # type: ignore[union-attr]
    normal = [c for c in pool if c.priority == "normal"]
    assert rules.pick_next(normal, "w1", ["A", "C"]).ticket_id == "a1"  # type: ignore[union-attr]
    assert rules.pick_next(normal, "w1", ["A", "C"], service_first=False).ticket_id == "c1"  # type: ignore[union-attr]


def test_tickets_sent_to_a_window_come_first_and_only_there() -> None:
    pool = [cand("a1", "A", 0), cand("d1", "D", 5, target="w1"), cand("b1", "B", -9, target="w2")]
    assert rules.pick_next(pool, "w1", ["A"]).ticket_id == "d1"  # type: ignore[union-attr]
    assert rules.pick_next(pool, "w3", ["A", "B"]).ticket_id == "a1"  # type: ignore[union-attr]
    assert rules.pick_next(pool, "w3", ["C"]) is None


def test_same_arrival_time_breaks_on_sequence() -> None:
    pool = [cand("x", "A", 0, seq=9), cand("y", "A", 0, seq=3)]
    assert rules.pick_next(pool, "w", ["A"]).ticket_id == "y"  # type: ignore[union-attr]


candidates = st.lists(
    st.builds(cand, st.uuids().map(str), st.sampled_from("ABCD"), st.integers(-60, 60),
              st.sampled_from(rules.PRIORITIES), st.sampled_from([None, None, None, "w1", "w2"]),
              st.integers(1, 999)),
    max_size=30, unique_by=lambda c: c.ticket_id)


@settings(max_examples=200)
@given(candidates, st.permutations("ABCD").map(lambda p: list(p[:2])), st.booleans())
def test_the_head_of_each_pool_is_enough(pool: list[rules.Candidate], order: list[str], service_first: bool) -> None:
    """The hub asks the database only for the head of each (pool, priority); the call order
    over those heads must equal the call order over the whole pool."""
    full = rules.pick_next(pool, "w1", order, service_first)
    heads: dict[tuple[str | None, str, str], rules.Candidate] = {}
    for c in pool:
        key = (c.target_window_id, c.service_id if c.target_window_id is None else "*", c.priority)
        if key not in heads or (c.queued_at, c.seq) < (heads[key].queued_at, heads[key].seq):
            heads[key] = c
    assert rules.pick_next(heads.values(), "w1", order, service_first) == full
    if full is not None:
        assert rules.eligible(full, "w1", order)
        better = [c for c in pool if rules.eligible(c, "w1", order) and c.priority == "green"]
        assert full.priority == "green" or not better


# --- recall, estimates, day rules --------------------------------------------------------------

def test_recall_is_capped() -> None:
    assert rules.check_recall(0, 3, "A001") == 1
    assert rules.check_recall(2, 3, "A001") == 3
    with pytest.raises(NotAllowed, match="A001 has been recalled 3 times"):
        rules.check_recall(3, 3, "A001")


def test_wait_estimate_shares_people_ahead_among_open_windows() -> None:
    assert rules.estimate_wait_minutes(0, 5, 2) == 0
    assert rules.estimate_wait_minutes(3, 5, 1) == 15
    assert rules.estimate_wait_minutes(3, 5, 2) == 8
    assert rules.estimate_wait_minutes(4, 5, 0) == 20  # nobody open yet: as if one window


def test_people_ahead_of_a_green_ticket_are_only_green_ones() -> None:
    assert rules.priorities_ahead_of("green") == ("green",)
    assert rules.priorities_ahead_of("normal") == ("green", "normal")


def test_call_back_only_the_same_day() -> None:
    rules.check_same_day(date(2026, 3, 2), date(2026, 3, 2), "A001")
    with pytest.raises(NotAllowed, match="only today's"):
        rules.check_same_day(date(2026, 3, 1), date(2026, 3, 2), "A001")


def test_reset_runs_once_a_day_after_its_time() -> None:
    today = date(2026, 3, 2)
    evening = datetime(2026, 3, 2, 23, 5)
    assert rules.reset_due(evening, today, time(23, 0), None)
    assert rules.reset_due(evening, today, time(23, 0), date(2026, 3, 1))
    assert not rules.reset_due(evening, today, time(23, 0), today)
    assert not rules.reset_due(datetime(2026, 3, 2, 22, 59), today, time(23, 0), None)


def test_open_condition_of_the_ticket_index_names_the_open_states() -> None:
    """The partial index of open tickets (and the queries that must use it) says OPEN_STATES literally."""
    from counter_app.persistence.models.queue import OPEN_CONDITION

    assert OPEN_CONDITION == "state IN (" + ", ".join(f"'{s}'" for s in sorted(rules.OPEN_STATES)) + ")"
