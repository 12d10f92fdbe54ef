"""Staff events from the branches that change head office's reference data: a password a staff
member set himself at a branch (``staff.password_changed``, a first password or one reset at head
office) becomes his password at every branch of his, with ``must_change_password`` cleared, so no
other branch asks him again after its next sync. Applied in the push's own transaction; an event
that cannot be applied (not a staff member of the pushing branch, or head office reset his
password since) is kept as received and logged, and changes nothing."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Connection

from counter_app.domain.staff_rules import PASSWORD_CHANGED
from counter_app.hq.refdata import api

log = logging.getLogger(__name__)


def _text(payload: dict[str, Any], name: str) -> str | None:
    value = payload.get(name)
    return value if isinstance(value, str) and 0 < len(value) <= 200 else None


def apply_staff_events(connection: Connection, branch: str, events: list[dict[str, Any]]) -> int:
    """Apply the applied ``staff.password_changed`` events of a push from ``branch``; the number applied."""
    done = 0
    for event in events:
        if event["event_type"] != PASSWORD_CHANGED:
            continue
        payload = event["payload"]
        staff_no, new, previous = (_text(payload, n) for n in ("staff_no", "password_hash", "previous_hash"))
        if not (staff_no and new and previous and new.startswith("$argon2")):
            log.error("event %s: a password change without staff_no, password_hash or previous_hash", event["event_id"])
            continue
        change = api.password_changed_at_branch(connection, branch, staff_no, new, previous,
                                                by=f"{branch}/{event['node_id']}")
        if change is None:
            log.warning("event %s: staff %s's new password from %s not applied (not of that branch, or reset at "
                        "head office since)", event["event_id"], staff_no, branch)
            continue
        log.info("event %s: staff %s's own new password from %s published (change %s)", event["event_id"], staff_no,
                 branch, change)
        done += 1
    return done
