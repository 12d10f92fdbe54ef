"""Queue policy a branch may configure, in one typed place with its defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal

from counter_app.domain.errors import InvalidInput
from counter_app.domain.queue_rules import NumberPolicy


@dataclass(frozen=True)
class QueueSettings:
    """How the hub runs the queue of its branch.

    - ``recall_cap``: recalls allowed after a call before the clerk must decide (no-show/hold).
    - ``call_next_with_open``: when a window calls next while its ticket is still open,
      ``"finish"`` closes that ticket as done first, ``"refuse"`` refuses the call.
    - ``service_first``: after 绿色通道, call the window's services in its configured order
      (arrival order within each); ``False``: arrival order across them.
    - ``recycle_to_back``: a recycled ticket queues again from now (``False``: keeps its place).
    - ``call_resumes_paused``: pressing call on a paused window resumes it (else refused).
    - ``number_digits`` / ``widen_numbers``: A001..A999, then refuse, or go on with A1000.
    - ``reset_enabled`` / ``reset_time``: the end-of-day reset (branch local time) that clears
      open tickets; earlier days' open tickets are cleared whenever the hub finds them.
    - ``recent_calls``: how many calls the state snapshot lists.
    - ``max_batch``: operations arriving together are committed together, up to this many
      (group commit: one fsync for all); 1 gives every operation its own transaction.
    """

    recall_cap: int = 3
    call_next_with_open: Literal["finish", "refuse"] = "finish"
    service_first: bool = True
    recycle_to_back: bool = True
    call_resumes_paused: bool = True
    number_digits: int = 3
    widen_numbers: bool = False
    reset_enabled: bool = True
    reset_time: time = time(23, 0)
    recent_calls: int = 10
    max_batch: int = 64

    def __post_init__(self) -> None:
        if not 0 <= self.recall_cap <= 99:
            raise InvalidInput("queue.recall_cap", "a whole number from 0 to 99", code="whole_number_range", min=0, max=99)
        if self.call_next_with_open not in ("finish", "refuse"):
            raise InvalidInput("queue.call_next_with_open", "finish or refuse", code="one_of", choices="finish, refuse")
        if not 3 <= self.number_digits <= 6:
            raise InvalidInput("queue.number_digits", "a whole number from 3 to 6", code="whole_number_range", min=3, max=6)
        if not 1 <= self.max_batch <= 1000:
            raise InvalidInput("queue.max_batch", "a whole number from 1 to 1000", code="whole_number_range", min=1, max=1000)
        if not 1 <= self.recent_calls <= 100:
            raise InvalidInput("queue.recent_calls", "a whole number from 1 to 100", code="whole_number_range", min=1, max=100)

    @property
    def number_policy(self) -> NumberPolicy:
        return NumberPolicy(digits=self.number_digits, widen=self.widen_numbers)
