"""Queue policy as plain rules: ticket numbers, call order, ticket states, recall cap, wait
estimates and the end-of-day reset. No database, no Qt: the hub's queue service asks these.

Ticket states (one at a time, the last four are outcomes and final):

- ``waiting``: in the pool of its service since it was issued (or recycled);
- ``transferred``: back in the pool after a transfer, for another service or one window,
  still with its original arrival time;
- ``called``: called to a window (``call_count`` and ``recall_count`` say how often);
- ``serving``: the clerk started serving;
- ``held``: parked by a clerk (missing documents ...) to be called back the same day;
- ``done``, ``no_show``, ``cancelled``, ``cleared`` (closed by the end-of-day reset).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Iterable, Sequence

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.typed import typed_number

STATES = ("waiting", "transferred", "called", "serving", "held", "done", "no_show", "cancelled", "cleared")
FINAL_STATES = frozenset({"done", "no_show", "cancelled", "cleared"})
OPEN_STATES = frozenset(STATES) - FINAL_STATES
QUEUED_STATES = frozenset({"waiting", "transferred"})  # in the pool, callable
AT_WINDOW_STATES = frozenset({"called", "serving"})  # the current ticket of a window

PRIORITIES = ("green", "normal")  # 绿色通道 first, then everyone else
WINDOW_STATES = ("closed", "open", "paused")

#: action -> {state before: state after}
TRANSITIONS: dict[str, dict[str, str]] = {
    "call": {"waiting": "called", "transferred": "called"},
    "recall": {"called": "called"},
    "start": {"called": "serving"},
    "finish": {"called": "done", "serving": "done"},
    "no_show": {"called": "no_show"},
    "recycle": {"called": "waiting", "no_show": "waiting"},
    "hold": {"called": "held", "serving": "held"},
    "call_back": {"held": "called"},
    "transfer": {"called": "transferred", "serving": "transferred"},
    "cancel": {"waiting": "cancelled", "transferred": "cancelled", "called": "cancelled", "held": "cancelled"},
    "clear": {state: "cleared" for state in STATES if state not in FINAL_STATES},
}

_STATE_WORDS = {
    "waiting": "waiting", "transferred": "waiting after a transfer", "called": "called",
    "serving": "being served", "held": "on hold", "done": "already finished",
    "no_show": "marked as no-show", "cancelled": "cancelled", "cleared": "cleared at end of day",
}


def next_state(state: str, action: str, number: str = "the ticket") -> str:
    """The state a ticket goes to under ``action``, or :class:`NotAllowed` saying why not."""
    moves = TRANSITIONS.get(action)
    if moves is None:
        raise ValueError(f"unknown queue action {action!r}")
    if state not in moves:
        raise NotAllowed(f"cannot {action.replace('_', ' ')} {number}: it is {_STATE_WORDS.get(state, state)}", code="ticket_state", number=number, action=action, state=state)
    return moves[state]


def outcome_of(state: str) -> str | None:
    """The outcome recorded with a final state; ``None`` while the ticket is open."""
    return state if state in FINAL_STATES else None


# --- ticket numbers -------------------------------------------------------------------------

_LETTER = re.compile(r"[A-Z]")
_NUMBER = re.compile(r"([A-Z])([0-9]{3,7})")
MAX_NUMBER_LENGTH = 8


@dataclass(frozen=True)
class NumberPolicy:
    """How numbers are written: ``digits`` after the letter; past 10**digits - 1 either refuse
    or widen (A999, A1000 ...), when the branch's caller hardware can show it."""

    digits: int = 3
    widen: bool = False


def check_letter(letter: str) -> str:
    if not isinstance(letter, str) or not _LETTER.fullmatch(letter):
        raise InvalidInput("service", "a service letter is one capital letter A-Z", code="service_letter")
    return letter


def format_number(letter: str, seq: int, policy: NumberPolicy = NumberPolicy()) -> str:
    check_letter(letter)
    if seq < 1:
        raise ValueError("ticket sequence starts at 1")
    text = f"{letter}{seq:0{policy.digits}d}"
    if len(text) > MAX_NUMBER_LENGTH:
        raise NotAllowed(f"ticket numbers of service {letter} are used up for today", code="ticket_numbers_used_up", service=letter)
    return text


def next_number(letter: str, last_seq: int | None, daily_cap: int, policy: NumberPolicy = NumberPolicy()) -> tuple[int, str]:
    """The next (sequence, number) of a service today, given the last sequence issued.

    Refuses past the service's daily cap, and past the widest number the policy allows; a
    number is never reused, because the sequence only grows within a business day."""
    seq = (last_seq or 0) + 1
    if seq > daily_cap:
        raise NotAllowed(f"service {letter} has reached its daily limit of {daily_cap} tickets", code="service_daily_limit", service=letter, cap=daily_cap)
    if seq >= 10 ** policy.digits and not policy.widen:
        raise NotAllowed(f"service {letter} has issued all {10 ** policy.digits - 1} numbers for today", code="ticket_numbers_used_up", service=letter)
    return seq, format_number(letter, seq, policy)


def parse_number(text: str) -> tuple[str, int]:
    """``"A012"`` -> ``("A", 12)`` (typed in any width: NFKC); anything else is invalid input naming the field."""
    match = _NUMBER.fullmatch(typed_number(text).strip().upper()) if isinstance(text, str) else None
    if match is None:
        raise InvalidInput("ticket", "a ticket number is a service letter and 3 or more digits, e.g. A012", code="ticket_number_form")
    return match.group(1), int(match.group(2))


def check_priority(priority: str) -> str:
    if priority not in PRIORITIES:
        raise InvalidInput("priority", "one of " + ", ".join(PRIORITIES), code="one_of", choices=", ".join(PRIORITIES))
    return priority


# --- call order -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """What the call order needs to know of a ticket in the pool."""

    ticket_id: str
    priority: str
    service_id: str  # the service whose pool it is in (after a transfer: the new one)
    target_window_id: str | None
    queued_at: datetime  # arrival; kept across transfers
    seq: int


def call_order_key(candidate: Candidate, window_id: str, service_order: Sequence[str], service_first: bool = True) -> tuple[int, int, datetime, int]:
    """Sort key of a ticket for one window: 绿色通道 first; then, with ``service_first``, the
    window's services in its configured order (tickets transferred to this very window before
    any), each in arrival order; without it, arrival order across the window's services with
    the configured order only breaking ties."""
    priority_rank = PRIORITIES.index(candidate.priority) if candidate.priority in PRIORITIES else len(PRIORITIES)
    if candidate.target_window_id == window_id:
        service_rank = -1
    else:
        service_rank = service_order.index(candidate.service_id)
    if service_first:
        return (priority_rank, service_rank, candidate.queued_at, candidate.seq)
    return (priority_rank, 0, candidate.queued_at, service_rank * 10**9 + candidate.seq)


def eligible(candidate: Candidate, window_id: str, service_order: Sequence[str]) -> bool:
    """A window may call tickets of its services not aimed at another window, and tickets
    transferred to it whatever their service."""
    if candidate.target_window_id is not None:
        return candidate.target_window_id == window_id
    return candidate.service_id in service_order


def pick_next(candidates: Iterable[Candidate], window_id: str, service_order: Sequence[str], service_first: bool = True) -> Candidate | None:
    """The ticket a window calls next, or ``None`` when nobody is waiting for it."""
    pool = [c for c in candidates if eligible(c, window_id, service_order)]
    if not pool:
        return None
    return min(pool, key=lambda c: call_order_key(c, window_id, service_order, service_first))


def priorities_ahead_of(priority: str) -> tuple[str, ...]:
    """Which priorities already in the pool are called before a new ticket of ``priority``."""
    check_priority(priority)
    return PRIORITIES[: PRIORITIES.index(priority) + 1]


# --- recall, hold, estimates, reset ---------------------------------------------------------


def check_recall(recall_count: int, cap: int, number: str) -> int:
    """The recall count after one more recall, or :class:`NotAllowed` past the cap."""
    if recall_count >= cap:
        raise NotAllowed(f"{number} has been recalled {recall_count} times, the limit; mark it as no-show or hold it", code="recall_limit", number=number, count=recall_count)
    return recall_count + 1


CLOSE_REASON_MAX = 200


def check_close_reason(reason: object) -> str:
    """Why a manager force-closes a window: said in words, for the log and the clerk."""
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise InvalidInput("reason", "say why the window is closed", code="close_reason_needed")
    if len(text) > CLOSE_REASON_MAX:
        raise InvalidInput("reason", f"at most {CLOSE_REASON_MAX} characters", code="max_chars", n=CLOSE_REASON_MAX)
    return text


def check_same_day(ticket_day: date, today: date, number: str) -> None:
    """Held tickets are called back only on the day they were issued."""
    if ticket_day != today:
        raise NotAllowed(f"{number} was issued on {ticket_day.isoformat()}; only today's tickets can be called back", code="call_back_today", number=number, day=ticket_day.isoformat())


def estimate_wait_minutes(ahead: int, minutes_per_ticket: int, open_windows: int) -> int:
    """Whole minutes until a new ticket is likely called: the people ahead shared among the
    open windows serving its service (at least one), each taking the service's standard time."""
    if ahead <= 0:
        return 0
    return math.ceil(ahead * max(minutes_per_ticket, 0) / max(open_windows, 1))


def reset_due(local_now: datetime, today: date, reset_time: time, last_reset_day: date | None) -> bool:
    """Whether the end-of-day reset of ``today`` should run now (at most once a day)."""
    if last_reset_day is not None and last_reset_day >= today:
        return False
    return local_now.time() >= reset_time
