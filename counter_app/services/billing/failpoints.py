"""Named crash points for the process-level crash tests (SYNC.md c.14 item 3).

``COUNTER_APP_FAILPOINT=before_commit`` (or ``after_commit_before_print``, ``during_print``)
makes the process die on the spot, as a power cut or ``kill -9`` would, when it reaches that
point. Unset, a failpoint costs one dictionary lookup.
"""

from __future__ import annotations

import os

ENV = "COUNTER_APP_FAILPOINT"
POINTS = ("before_commit", "after_commit_before_print", "during_print")


def failpoint(name: str) -> None:
    if os.environ.get(ENV) == name:
        os._exit(137)
