"""What the counter's status bar (and ``counter-app sync``) shows about this node's sync with
head office: online or not, last success, pending events, the oldest unsent payment, quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import select

from counter_app.persistence.database import unit_of_work
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import Branch, NodeIdentity, SyncState, Window
from counter_app.services.billing.ledger import read_session
from counter_app.services.node import NodeDatabase
from counter_app.services.queue.reference import ReferenceCache
from counter_app.services.sync import outbox_store as store


@dataclass(frozen=True)
class SyncBacklog:
    pending: int
    quarantined: int
    oldest_pending_at: datetime | None
    oldest_pending_payment_at: datetime | None = None
    enrolled: bool = False
    status: str = "never"  # sync_state.status: ok | offline | stalled | reenrol_required | upgrade_required ...
    last_success_at: datetime | None = None
    last_error: str = ""
    receipts_locked: bool = False

    @property
    def online(self) -> bool:
        return self.enrolled and self.status == "ok"

    def oldest_payment_age_s(self, now: datetime) -> float | None:
        if self.oldest_pending_payment_at is None:
            return None
        return max(0.0, (now - self.oldest_pending_payment_at).total_seconds())

    def health(self, now: datetime, alarm_s: float) -> tuple[str, str]:
        """(``ok`` | ``warn`` | ``bad``, what to tell the clerk: ``not_enrolled`` | ``locked`` |
        ``reenrol`` | ``upgrade`` | ``quarantined`` | ``late`` | ``offline`` | ``sending`` | ``synced``)."""
        age = self.oldest_payment_age_s(now)
        if self.receipts_locked:
            return "bad", "locked"
        if not self.enrolled:
            return "warn", "not_enrolled"
        if self.status == "reenrol_required":
            return "bad", "reenrol"
        if self.status == "upgrade_required":
            return "bad", "upgrade"
        if self.quarantined:
            return "bad", "quarantined"
        if age is not None and age > alarm_s:
            return "bad", "late"
        if not self.online:
            return "warn", "offline"
        return ("warn", "sending") if self.pending else ("ok", "synced")

    def as_json(self, now: datetime) -> dict[str, object]:
        age = self.oldest_payment_age_s(now)
        return {"enrolled": self.enrolled, "online": self.online,
                "last_success_at": self.last_success_at.isoformat() if self.last_success_at else None,
                "pending": self.pending, "oldest_pending_payment_age_s": round(age, 1) if age is not None else None,
                "quarantined": self.quarantined, "status": self.status, "last_error": self.last_error,
                "receipts_locked": self.receipts_locked}


@dataclass(frozen=True)
class WindowInfo:
    number: int
    name: str
    services: tuple[tuple[str, str, str], ...]  # (letter, 中文, English) in calling order


def sync_backlog(db: NodeDatabase) -> SyncBacklog:
    with read_session(db.sessions) as session:
        pending, quarantined, oldest, oldest_payment = store.backlog(session)
        identity = session.scalars(select(NodeIdentity)).first()
        state = session.get(SyncState, "hq")
    return SyncBacklog(pending, quarantined, oldest, oldest_payment,
                       bool(identity and identity.hq_url), state.status if state else "never",
                       state.last_success_at if state else None, state.last_error if state else "",
                       bool(identity and identity.receipts_locked))


def window_info(db: NodeDatabase, number: int, clock: Callable[[], datetime] = utcnow) -> WindowInfo | None:
    """The window and the services it calls today, as the queue reads them (head office's changes
    from a day on applied on that business day: ``services.queue.reference``)."""
    with unit_of_work(db.sessions) as session:
        branch = session.scalar(select(Branch.code).join(Window, Window.branch_id == Branch.id)
                                .where(Window.number == number).limit(1))
        if branch is None:
            return None
        ref = ReferenceCache(branch, clock=clock).get(session)
    window = ref.window_by_number(number)
    if window is None:
        return None
    services = (ref.services[sid] for sid in window.services)
    return WindowInfo(window.number, window.name, tuple((s.letter, s.name_zh, s.name_en) for s in services))
