"""Named crash points for the process-level crash tests (SYNC.md c.14 item 3).

``COUNTER_APP_FAILPOINT=before_commit`` (or ``after_commit_before_print`` alias
``after_local_commit_before_print``, ``during_print``, and in the sync worker
``after_response_before_ack``) makes the process die on the spot, as a power cut or ``kill -9``
would, when it reaches that point. ``FAILPOINT`` works as well. Unset, a failpoint costs two
dictionary lookups.
"""

from __future__ import annotations

import os

ENV = "COUNTER_APP_FAILPOINT"
SHORT_ENV = "FAILPOINT"
POINTS = ("before_commit", "after_commit_before_print", "during_print", "after_response_before_ack")
ALIASES = {"after_commit_before_print": "after_local_commit_before_print"}


def failpoint(name: str) -> None:
    wanted = os.environ.get(ENV) or os.environ.get(SHORT_ENV)
    if wanted is not None and (wanted == name or wanted == ALIASES.get(name)):
        os._exit(137)
