"""The hub's device credentials and staff sessions.

Each kiosk, display, window screen, counter, evaluator and manager console of the branch gets
its own random token from the hub (``counter-app hub-admin device-add``), bound to a role and,
for counters and evaluators, to one window. Only the SHA-256 of a token is stored (tokens are
256-bit random, so a fast hash is enough); the token is shown once. A staff session is opened
at the hub from a counter device for its window after the hub checked the password; its token
too is kept only as a hash. Revoking a device ends its sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterator

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import HubDevice, HubStaffSession, Staff, Window
from counter_app.services.audit import audit
from counter_app.services.node import NodeDatabase

#: What a device is for; see ``counter_app.hub.auth`` for what each may do.
DEVICE_ROLES = ("kiosk", "display", "counter", "evaluator", "manager")
#: Roles that act for one window and must name it.
WINDOW_ROLES = ("counter", "evaluator")
#: Roles that may name a window (a display bound to a window is that window's screen).
MAY_HAVE_WINDOW = ("counter", "evaluator", "display", "manager")
_NAME = re.compile(r"[A-Za-z0-9_.\-]{1,32}")
TOKEN_PREFIX = "cad1_"


def token_hash(token: str | bytes) -> str:
    return hashlib.sha256(token if isinstance(token, bytes) else token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class DeviceView:
    id: str
    name: str
    role: str
    window: int | None
    created_at: datetime
    created_by: str
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class IssuedDevice:
    device: DeviceView
    token: str  # shown once; the hub keeps only its hash


@dataclass(frozen=True)
class SessionView:
    id: str
    device_id: str
    staff_id: str
    staff_no: str
    name: str
    role: str  # the staff member's role (clerk, manager ...)
    window: int | None
    started_at: datetime


def _view(row: HubDevice) -> DeviceView:
    return DeviceView(row.id, row.name, row.role, row.window_number, row.created_at, row.created_by, row.revoked_at)


class DeviceRegistry:
    def __init__(self, db: NodeDatabase, clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._clock = clock

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A read that does not take the write lock (the hub refreshes its view twice a second)."""
        with self._db.sessions() as session:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            try:
                yield session
            finally:
                session.rollback()

    # --- devices -------------------------------------------------------------------------------

    def add(self, role: str, window: int | None = None, name: str = "", by: str = "hub-admin") -> IssuedDevice:
        """Enrol one device; its token is in the answer and nowhere else."""
        if role not in DEVICE_ROLES:
            raise InvalidInput("role", f"one of {', '.join(DEVICE_ROLES)}", code="one_of", choices=", ".join(DEVICE_ROLES))
        if window is not None and (isinstance(window, bool) or not isinstance(window, int) or not 1 <= window <= 999):
            raise InvalidInput("window", "a window number from 1 to 999", code="whole_number_range", min=1, max=999)
        if role in WINDOW_ROLES and window is None:
            raise InvalidInput("window", f"a {role} acts for one window: give --window N", code="device_needs_window", role=role)
        if role not in MAY_HAVE_WINDOW and window is not None:
            raise InvalidInput("window", f"a {role} serves the whole hall: no window", code="device_no_window", role=role)
        name = name or f"{role}{'-W%02d' % window if window else ''}-{secrets.token_hex(2)}"
        if not _NAME.fullmatch(name):
            raise InvalidInput("name", "1 to 32 letters, digits, '-', '_' or '.'", code="device_name_form")
        token = new_token()
        with unit_of_work(self._db.sessions) as session:
            if window is not None and session.scalar(select(Window.id).where(Window.number == window)) is None:
                raise InvalidInput("window", f"a window of this branch (there is no window {window})", code="window_not_here", n=window)
            if session.scalar(select(HubDevice.id).where(HubDevice.name == name)) is not None:
                raise InvalidInput("name", f"a name no other device has ({name} is taken)", code="device_name_taken", name=name)
            row = HubDevice(name=name, role=role, window_number=window, token_hash=token_hash(token),
                            created_at=self._clock(), created_by=by[:50])
            session.add(row)
            session.flush()
            audit(session, self._db.node_id, "device_enrolled", actor_label=by[:50], window=window,
                  entity="hub_device", entity_id=row.id, role=role, name=name)
            return IssuedDevice(_view(row), token)

    def list(self, include_revoked: bool = True) -> list[DeviceView]:
        with self._read() as session:
            query = select(HubDevice).order_by(HubDevice.created_at, HubDevice.name)
            if not include_revoked:
                query = query.where(HubDevice.revoked_at.is_(None))
            return [_view(row) for row in session.scalars(query)]

    def revoke(self, reference: str, by: str = "hub-admin") -> DeviceView:
        """Revoke a device by its name or id (or an unambiguous start of its id); its staff
        sessions end with it. A running hub stops accepting it within its refresh interval."""
        now = self._clock()
        with unit_of_work(self._db.sessions) as session:
            rows = list(session.scalars(select(HubDevice).where(
                (HubDevice.name == reference) | (HubDevice.id == reference))))
            if not rows and len(reference) >= 6:
                rows = list(session.scalars(select(HubDevice).where(HubDevice.id.startswith(reference))))
            if len(rows) != 1:
                raise InvalidInput("device", "the name or id of one enrolled device (see device-list)", code="device_unknown")
            row = rows[0]
            if row.revoked_at is not None:
                raise NotAllowed(f"device {row.name} was already revoked at {row.revoked_at.isoformat()}", code="device_revoked_already", name=row.name)
            row.revoked_at, row.revoked_by = now, by[:50]
            session.execute(update(HubStaffSession).where(HubStaffSession.device_id == row.id,
                                                           HubStaffSession.ended_at.is_(None))
                            .values(ended_at=now, ended_reason="device_revoked"))
            audit(session, self._db.node_id, "device_revoked", actor_label=by[:50], window=row.window_number,
                  entity="hub_device", entity_id=row.id, role=row.role, name=row.name)
            return _view(row)

    def active(self) -> list[tuple[str, DeviceView]]:
        """(token hash, device) of every device not revoked: what the hub accepts."""
        with self._read() as session:
            return [(row.token_hash, _view(row)) for row in session.scalars(
                select(HubDevice).where(HubDevice.revoked_at.is_(None)))]

    # --- staff sessions ------------------------------------------------------------------------

    def open_session(self, device_id: str, staff_id: str, window: int | None) -> tuple[str, SessionView]:
        """A new session (token, view) for a staff member the caller has just authenticated."""
        token = new_token()
        with unit_of_work(self._db.sessions) as session:
            staff = session.get(Staff, staff_id)
            if staff is None:
                raise InvalidInput("staff_no", "a staff member of this branch", code="staff_not_found")
            session.execute(update(HubStaffSession).where(  # one session per device and window
                HubStaffSession.device_id == device_id, HubStaffSession.ended_at.is_(None),
                HubStaffSession.window_number.is_(None) if window is None else HubStaffSession.window_number == window)
                .values(ended_at=self._clock(), ended_reason="replaced"))
            row = HubStaffSession(token_hash=token_hash(token), device_id=device_id, staff_id=staff_id,
                                  window_number=window, started_at=self._clock())
            session.add(row)
            session.flush()
            return token, SessionView(row.id, device_id, staff.id, staff.staff_no, staff.name, staff.role, window,
                                      row.started_at)

    def end_session(self, session_id: str, reason: str = "logout") -> None:
        with unit_of_work(self._db.sessions) as session:
            session.execute(update(HubStaffSession).where(HubStaffSession.id == session_id,
                                                           HubStaffSession.ended_at.is_(None))
                            .values(ended_at=self._clock(), ended_reason=reason))

    def active_sessions(self) -> list[tuple[str, SessionView]]:
        """(token hash, session) of every session not ended, of a device not revoked and a
        staff member not disabled."""
        with self._read() as session:
            rows = session.execute(
                select(HubStaffSession, Staff)
                .join(Staff, Staff.id == HubStaffSession.staff_id)
                .join(HubDevice, HubDevice.id == HubStaffSession.device_id)
                .where(HubStaffSession.ended_at.is_(None), HubDevice.revoked_at.is_(None),
                       Staff.disabled.is_(False))).all()
            return [(s.token_hash, SessionView(s.id, s.device_id, staff.id, staff.staff_no, staff.name, staff.role,
                                               s.window_number, s.started_at)) for s, staff in rows]
