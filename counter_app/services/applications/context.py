"""What every application operation needs: the node's database, its data folder, the branch's
clock, who may do what, and the outbox event that carries each change upstream."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from counter_app.core.paths import DataPaths
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.staff_rules import Role
from counter_app.domain.timeutil import branch_zone, business_day, utcnow
from counter_app.domain.applications import ApplicationTypeDefinition
from counter_app.persistence.models import Application, ApplicationDocument, ApplicationType, Branch
from counter_app.persistence.outbox import RecordedEvent, record_event
from counter_app.services.applications.forms import AttachmentRef
from counter_app.services.auth import StaffSession
from counter_app.services.node import NodeDatabase

BACK_OFFICE_ROLES = (Role.BACKOFFICE, Role.MANAGER, Role.ADMIN)
TYPE_EDITOR_ROLES = (Role.MANAGER, Role.ADMIN)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024


@dataclass
class ApplicationContext:
    db: NodeDatabase
    paths: DataPaths
    clock: Callable[[], datetime] = utcnow
    _zone: ZoneInfo | None = field(default=None, repr=False)

    def zone(self, session: Session) -> ZoneInfo:
        if self._zone is None:
            name = session.scalar(select(Branch.timezone).where(Branch.code == self.db.branch_code))
            self._zone = branch_zone(name or "Asia/Shanghai")
        return self._zone

    def today(self, session: Session) -> date:
        return business_day(self.clock(), self.zone(session))

    @property
    def slips_folder(self) -> Path:
        folder = self.paths.receipts / "applications"
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def require_role(who: StaffSession, roles: tuple[Role, ...], doing: str) -> None:
    if who.role not in roles:
        raise NotAllowed(f"{doing} is for back office staff or a manager", code="backoffice_only", doing=doing)


def publish(session: Session, ctx: ApplicationContext, application: Application, event_type: str,
            new_rows: list[Any], **payload: Any) -> RecordedEvent:
    """One outbox event for this change, carrying the application's current state; it is set on
    the application and on every new replicated row, which are added to the session only now
    (a row without its event id must never reach a flush)."""
    state = {column.name: _plain(getattr(application, column.key)) for column in Application.__table__.columns
             if column.name not in ("outbox_event_id", "type_definition")}
    event = record_event(session, channel="applications", event_type=event_type, aggregate_type="application",
                         aggregate_id=application.id, payload={"application": state, **payload}, node=ctx.db.node_id)
    for row in (application, *new_rows):
        if row.node_id is None:
            row.node_id = ctx.db.node_id
        row.outbox_event_id = event.event_id
    session.add(application)
    session.add_all(new_rows)
    session.flush()
    return event


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def attachment_path(paths: DataPaths, sha256: str) -> Path:
    return paths.attachments / sha256[:2] / sha256


def store_attachment(paths: DataPaths, source: Path) -> AttachmentRef:
    """Copy a scan or photo under ``attachments/<ab>/<sha256>`` (once per content) and return its reference."""
    source = Path(source)
    if not source.is_file():
        raise InvalidInput("attachments", f"{source.name}: file not found", code="file_not_found", file=source.name)
    size = source.stat().st_size
    if size == 0:
        raise InvalidInput("attachments", f"{source.name}: the file is empty", code="file_empty", file=source.name)
    if size > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("attachments", f"{source.name}: larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB", code="file_too_large", file=source.name, n=MAX_ATTACHMENT_BYTES // (1024 * 1024))
    digest = hashlib.sha256()
    with source.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    sha = digest.hexdigest()
    target = attachment_path(paths, sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out, source.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return AttachmentRef(source.name[:200], sha, size)


def load_application(session: Session, number: str) -> tuple[Application, ApplicationTypeDefinition]:
    """The application with this number and the type definition it was accepted under."""
    application = session.scalars(select(Application).where(Application.number == (number or "").strip().upper())).first()
    if application is None:
        raise InvalidInput("number", "no application has this number", code="application_not_found")
    type_row = session.get(ApplicationType, application.type_id)
    assert type_row is not None
    data = application.type_definition or type_row.definition
    return application, ApplicationTypeDefinition.from_dict(type_row.code, type_row.name_zh, type_row.name_en, data)


def document_states(session: Session, application_id: str) -> dict[str, str]:
    """Each document's latest state; earlier rows stay as the record of what was handed in when."""
    rows = session.execute(select(ApplicationDocument.doc_code, ApplicationDocument.state)
                           .where(ApplicationDocument.application_id == application_id)
                           .order_by(ApplicationDocument.at, literal_column("application_document.rowid")))
    return {code: state for code, state in rows}
