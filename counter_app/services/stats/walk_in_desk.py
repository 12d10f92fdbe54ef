"""A counter with its own database tells the hub its walk-in services (``services.stats.walk_ins``)
so the branch manager's statistics, counted at the hub, include them: :meth:`WalkInDesk.report_pending`
makes the rows from the counter's own records, then sends those the hub has not acknowledged
(and ratings given since), oldest first, until the hub stops answering; run in the background by
``services.billing.hub_desk.BillReporter`` (after each payment or application, and every few
seconds, so a morning without the hub reaches it once it is back). The hub keeps each once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import or_, select, update

from counter_app.domain.errors import UserError
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.models import WalkInService
from counter_app.protocol.walk_ins import WalkIn, WalkInsAnswer, WalkInsIn
from counter_app.services.background import BackgroundReporter
from counter_app.services.node import NodeDatabase
from counter_app.services.stats.walk_ins import collect

log = logging.getLogger(__name__)


class HubWalkIns(Protocol):
    """What the desk needs of the hub (``HubClient`` has it)."""

    def report_walk_ins(self, report: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class WalkInRound:
    sent: int
    left: int
    error: str = ""


_FIELDS = ("id", "kind", "branch_id", "window_id", "clerk_id", "business_date", "at", "rating_id", "rating_level")


class WalkInDesk:
    def __init__(self, db: NodeDatabase, hub: HubWalkIns, window: int | None = None) -> None:
        self._db, self._hub, self._window = db, hub, window
        self.online: bool | None = None

    def _unsent(self):  # type: ignore[no-untyped-def]
        W = WalkInService
        return or_(W.reported_at.is_(None), (W.rating_id.is_not(None)) & (W.rating_reported.is_(False)))

    def pending(self) -> int:
        with self._db.sessions() as session:
            return len(session.scalars(select(WalkInService.id).where(self._unsent())).all())

    def report_pending(self, limit: int = 200) -> WalkInRound:
        collect(self._db.engine, self._db.node_id)
        sent = 0
        while True:
            with self._db.sessions() as session:
                rows = session.execute(select(*(getattr(WalkInService, f) for f in _FIELDS))
                                       .where(self._unsent(), WalkInService.node_id == self._db.node_id)
                                       .order_by(WalkInService.at, WalkInService.id).limit(limit)).all()
            if not rows:
                return WalkInRound(sent, 0)
            services = [WalkIn(**dict(zip(_FIELDS, row))) for row in rows]
            body = WalkInsIn(node_id=self._db.node_id, window=self._window, services=services)
            try:
                WalkInsAnswer.model_validate(self._hub.report_walk_ins(body.model_dump(mode="json")))
            except UserError as error:
                if self.online is not False:
                    log.warning("the hub does not take walk-in services now (%s): they are sent when it does", error)
                self.online = False
                return WalkInRound(sent, self.pending(), str(error))
            self.online = True
            self._acknowledged(services)
            sent += len(services)
            if len(rows) < limit:
                return WalkInRound(sent, self.pending())

    def _acknowledged(self, services: list[WalkIn]) -> None:
        now = utcnow()
        with self._db.engine.begin() as conn:
            W = WalkInService.__table__
            ids = [s.id for s in services]
            conn.execute(update(W).where(W.c.id.in_(ids), W.c.reported_at.is_(None)).values(reported_at=now))
            rated = [s.id for s in services if s.rating_id is not None]
            if rated:
                conn.execute(update(W).where(W.c.id.in_(rated)).values(rating_reported=True))


class WalkInReporter(BackgroundReporter):
    """Reports in the background: every ``interval`` s and when kicked (the hub back)."""

    def __init__(self, desk: WalkInDesk, interval: float = 5.0) -> None:
        super().__init__(desk.report_pending, name="walk-in-reporter", what="reporting walk-in services to the hub",
                         interval=interval)
        self.desk = desk
