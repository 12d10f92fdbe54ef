"""What the counter's status bar shows about this node: pending sync, oldest pending event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import OutboxEvent, Service, Window, WindowService
from counter_app.services.node import NodeDatabase


@dataclass(frozen=True)
class SyncBacklog:
    pending: int
    quarantined: int
    oldest_pending_at: datetime | None


@dataclass(frozen=True)
class WindowInfo:
    number: int
    name: str
    services: tuple[tuple[str, str, str], ...]  # (letter, 中文, English) in calling order


def sync_backlog(db: NodeDatabase) -> SyncBacklog:
    with unit_of_work(db.sessions) as session:
        rows = dict(session.execute(select(OutboxEvent.state, func.count()).group_by(OutboxEvent.state)).all())
        oldest = session.scalar(select(func.min(OutboxEvent.created_at)).where(OutboxEvent.state == "pending"))
    return SyncBacklog(rows.get("pending", 0), rows.get("quarantined", 0), oldest)


def window_info(db: NodeDatabase, number: int) -> WindowInfo | None:
    with unit_of_work(db.sessions) as session:
        window = session.scalars(select(Window).where(Window.number == number)).first()
        if window is None:
            return None
        services = session.execute(
            select(Service.letter, Service.name_zh, Service.name_en)
            .join(WindowService, WindowService.service_id == Service.id)
            .where(WindowService.window_id == window.id)
            .order_by(WindowService.sort_order)
        ).all()
        return WindowInfo(window.number, window.name, tuple(tuple(row) for row in services))
