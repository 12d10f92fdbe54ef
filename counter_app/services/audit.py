"""The audit log: one row for each thing a person did that anyone may later ask about."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from counter_app.core.logs import log_operation
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import AuditLog


def audit(
    session: Session,
    node_id: str,
    action: str,
    *,
    actor_id: str | None = None,
    actor_label: str = "",
    window: int | None = None,
    entity: str = "",
    entity_id: str = "",
    **detail: Any,
) -> AuditLog:
    """Add an audit row to the caller's transaction and write the matching operations log line."""
    row = AuditLog(
        node_id=node_id,
        at=utcnow(),
        actor_id=actor_id,
        actor_label=actor_label,
        window_number=window,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
    )
    session.add(row)
    log_operation(action, clerk=actor_label or actor_id, window=window, entity=entity or "-", id=entity_id or "-")
    return row
