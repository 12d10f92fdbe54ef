"""Reference data of applications: the types and the holiday calendar, read and (for a manager)
changed; the demo seed installs the defaults."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.domain.applications import ApplicationTypeDefinition
from counter_app.domain.workdays import WorkCalendar
from counter_app.persistence.models import ApplicationType, Holiday
from counter_app.services.applications.catalogue import DEFAULT_TYPES
from counter_app.services.applications.holidays import holiday_calendar_2026_2027


@dataclass(frozen=True)
class TypeInfo:
    id: str
    definition: ApplicationTypeDefinition
    active: bool

    @property
    def code(self) -> str:
        return self.definition.code


def load_calendar(session: Session) -> WorkCalendar:
    return WorkCalendar.from_exceptions(session.execute(select(Holiday.day, Holiday.kind)))


def load_types(session: Session, *, active_only: bool = False) -> list[TypeInfo]:
    query = select(ApplicationType).order_by(ApplicationType.code)
    if active_only:
        query = query.where(ApplicationType.active.is_(True))
    order = {code: n for n, (code, *_rest) in enumerate(DEFAULT_TYPES)}
    rows = sorted(session.scalars(query), key=lambda row: (order.get(row.code, len(order)), row.code))
    return [TypeInfo(row.id, definition_of(row), row.active) for row in rows]


def definition_of(row: ApplicationType) -> ApplicationTypeDefinition:
    return ApplicationTypeDefinition.from_dict(row.code, row.name_zh, row.name_en, row.definition)


def install_default_types(session: Session) -> int:
    """Add the default types whose codes are not there yet; returns how many were added."""
    present = set(session.scalars(select(ApplicationType.code)))
    added = 0
    for code, zh, en, data in DEFAULT_TYPES:
        if code not in present:
            definition = ApplicationTypeDefinition.from_dict(code, zh, en, data)
            session.add(ApplicationType(code=code, name_zh=zh, name_en=en, definition=definition.to_dict(),
                                        active=True, hq_version=1))
            added += 1
    session.flush()
    return added


def install_holiday_calendar(session: Session) -> int:
    """Add the 2026-2027 holidays and make-up days not yet in the calendar; returns how many."""
    present = set(session.scalars(select(Holiday.day)))
    rows = [Holiday(day=day, kind=kind, name=name) for day, kind, name in holiday_calendar_2026_2027() if day not in present]
    session.add_all(rows)
    session.flush()
    return len(rows)


def seed_application_reference(session: Session) -> None:
    """Default application types and the holiday calendar, in the caller's transaction (demo seed)."""
    install_default_types(session)
    install_holiday_calendar(session)


def store_definition(session: Session, definition: ApplicationTypeDefinition, *, active: bool = True) -> ApplicationType:
    """Replace a type's definition (validated by the domain); applications already accepted keep
    the definition they were accepted under."""
    row = session.scalars(select(ApplicationType).where(ApplicationType.code == definition.code)).first()
    if row is None:
        row = ApplicationType(code=definition.code, hq_version=0)
        session.add(row)
    row.name_zh, row.name_en = definition.name_zh, definition.name_en
    row.definition, row.active = definition.to_dict(), active
    session.flush()
    return row
