"""Named crash points for the process-level crash tests (SYNC.md c.9 and c.14 item 3).

``COUNTER_APP_CRASH_AT=name`` kills the process (SIGKILL, as ``kill -9`` or a power cut would:
no ``finally``, no flush, no atexit) the first time it reaches the point ``name``;
``name:n`` the n-th time. Unset, a crash point costs one dictionary lookup.

The points, in the order a payment travels:

=================================  ============================================================
``before_commit``                  fee service, the payment's transaction written, not committed
``after_local_commit_before_print``  fee service, committed, receipt not printed (c.9 #2)
``during_print``                   receipt service, the print begun
``after_hello_before_push``        sync worker, ``hello`` answered, nothing pushed yet
``hq_before_commit``               head office, a batch applied in its transaction (c.9 #3)
``after_hq_commit_before_response``  head office, committed, no answer sent (c.9 #4)
``after_response_before_ack``      sync worker, answer received, acknowledgement not stored (#5)
``during_ack``                     sync worker, acknowledgements written, not committed
=================================  ============================================================
"""

from __future__ import annotations

import os
import signal

ENV = "COUNTER_APP_CRASH_AT"
POINTS = ("before_commit", "after_local_commit_before_print", "during_print", "after_hello_before_push",
          "hq_before_commit", "after_hq_commit_before_response", "after_response_before_ack", "during_ack")
_hits: dict[str, int] = {}


def crash_point(name: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] >= (int(nth) if nth.isdigit() else 1):
        kill_self()


def kill_self() -> None:
    """Die at once, as ``kill -9`` would (Windows has no SIGKILL: exit code 137 without clean-up)."""
    sigkill = getattr(signal, "SIGKILL", None)
    if sigkill is not None:
        os.kill(os.getpid(), sigkill)
    os._exit(137)
