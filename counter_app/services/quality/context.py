"""What the quality services share: the database, who this node is, the branch's clock,
zone and calendar, the rating policy, and the outbox step every replicated write takes."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Callable, Iterator
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import new_id
from counter_app.domain.ratings import RatingPolicy
from counter_app.domain.timeutil import business_day, utcnow
from counter_app.domain.workdays import WorkCalendar
from counter_app.persistence.models import Holiday, Replicated, Staff, Window
from counter_app.persistence.outbox import record_event

MANAGER_ROLES = ("manager", "admin")


@dataclass
class QualityContext:
    sessions: sessionmaker[Session]
    node_id: str
    zone: ZoneInfo
    policy: RatingPolicy = field(default_factory=RatingPolicy)
    clock: Callable[[], datetime] = utcnow

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A consistent read that does not take the write lock."""
        with self.sessions() as session:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            try:
                yield session
            finally:
                session.rollback()

    def today(self, now: datetime | None = None) -> date:
        return business_day(now or self.clock(), self.zone)

    def day_bounds(self, start: date, end: date) -> tuple[datetime, datetime]:
        """UTC instants of the start of local day ``start`` and the end of local day ``end``."""
        if end < start:
            raise InvalidInput("end", "the last day of a period is not before its first", code="period_order")
        first = datetime.combine(start, time(0), self.zone)
        after = datetime.combine(end + timedelta(days=1), time(0), self.zone)
        return first, after

    def calendar(self, session: Session) -> WorkCalendar:
        """The branch's working days: weekdays, less holidays, plus 调休 make-up days."""
        return WorkCalendar.from_exceptions(session.execute(select(Holiday.day, Holiday.kind)))

    def publish(self, session: Session, row: Replicated, event_type: str, payload: dict[str, Any]) -> None:
        """Carry a new or changed replicated row upstream in this transaction; a new row is
        added to the session here, once its outbox event exists (the payload gets its ``id``)."""
        if row.id is None:
            row.id = new_id()
        event = record_event(session, channel="ops", event_type=event_type, aggregate_type=type(row).__tablename__,
                             aggregate_id=row.id, payload={"id": row.id, **payload}, node=self.node_id)
        row.outbox_event_id = event.event_id
        session.add(row)

    # --- look-ups shared by the services ------------------------------------------------------

    def window(self, session: Session, number: int) -> Window:
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidInput("window", "a window number", code="window_number")
        window = session.scalars(select(Window).where(Window.number == number)).first()
        if window is None:
            raise InvalidInput("window", f"there is no window {number} at this branch", code="window_not_here", n=number)
        return window

    def staff(self, session: Session, staff_id: str, field_name: str = "staff_id") -> Staff:
        staff = session.get(Staff, staff_id) if isinstance(staff_id, str) and staff_id else None
        if staff is None:
            raise InvalidInput(field_name, "no such staff member", code="staff_not_found")
        if staff.disabled:
            raise NotAllowed(f"the staff account {staff.staff_no} is disabled", code="staff_disabled_no", staff_no=staff.staff_no)
        return staff

    def manager(self, session: Session, staff_id: str) -> Staff:
        staff = self.staff(session, staff_id)
        if staff.role not in MANAGER_ROLES:
            raise NotAllowed("only a manager may do this", code="manager_only")
        return staff


def text_field(value: object, name: str, limit: int, required: bool = True) -> str:
    """A trimmed text of at most ``limit`` characters; names the field when it is not."""
    if not isinstance(value, str):
        raise InvalidInput(name, "text", code="text_expected")
    text = value.strip()
    if required and not text:
        raise InvalidInput(name, "must not be empty", code="not_empty")
    if len(text) > limit:
        raise InvalidInput(name, f"at most {limit} characters", code="max_chars", n=limit)
    return text
