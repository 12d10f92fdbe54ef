"""Staff login: argon2id hashes, lock-out after repeated failures, every attempt audited.

The password is checked outside any transaction (argon2 takes a good part of a second and
must not hold the database's write lock, which every payment and queue command needs); the
outcome is then written in a short transaction that re-reads the account. An unknown staff
number is checked against a stand-in hash, so it costs the same time as a known one, and the
text typed as a staff number is never written anywhere unless it is a staff number.

A staff member whose password is a first one or was reset at head office (``must_change_password``)
is refused with ``must_change`` even with the right password: :meth:`AuthService.change_password`
(the current password and a new one) opens his session instead. The change is an outbox event
(``staff.password_changed``) that reaches head office, which clears the flag for every branch."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

from sqlalchemy import select, text

from counter_app.domain.errors import InvalidInput
from counter_app.domain.staff_rules import (
    PASSWORD_CHANGED,
    ROLE_OPENS,
    LockoutPolicy,
    LoginRefused,
    Role,
    hash_password,
    new_password_hash,
    verify_password,
)
from counter_app.domain.timeutil import utcnow
from counter_app.domain.typed import typed_number
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Staff
from counter_app.persistence.outbox import record_event
from counter_app.services.audit import audit
from counter_app.services.node import NodeDatabase

__all__ = ["AuthService", "LoginRefused", "StaffSession", "PASSWORD_CHANGED"]

_stand_in: list[str] = []


def _stand_in_hash() -> str:
    """An argon2id hash of a random password, for unknown staff numbers (made once)."""
    if not _stand_in:
        _stand_in.append(hash_password(secrets.token_urlsafe(16)))
    return _stand_in[0]


def typed_label(text: str) -> str:
    """What the log may say about text typed as an unknown staff number: never the text (it may
    be a password typed into the wrong field), only its length and a short salted fingerprint
    that lets repeated attempts be told apart within one run."""
    digest = hashlib.sha256(_FINGERPRINT_SALT + text.encode("utf-8")).hexdigest()[:8]
    return f"?{len(text)}:{digest}"


_FINGERPRINT_SALT = secrets.token_bytes(16)


@dataclass(frozen=True)
class StaffSession:
    staff_id: str
    staff_no: str
    name: str
    role: Role
    window: int | None
    logged_in_at: datetime

    @property
    def opens(self) -> tuple[str, ...]:
        return ROLE_OPENS[self.role]


@dataclass(frozen=True)
class _Account:
    id: str
    staff_no: str
    password_hash: str
    disabled: bool
    locked_until: datetime | None


_OPEN_GUARD = text("UPDATE ref_guard SET open = 1 WHERE id = 1")
_CLOSE_GUARD = text("UPDATE ref_guard SET open = 0 WHERE id = 1")
_OWN_PASSWORD = text("UPDATE staff SET password_hash = :h, must_change_password = 0 WHERE id = :id")


def _write_own_password(session: Any, staff_id: str, new_hash: str) -> None:
    """The one column of head office's staff data a branch writes itself: his own new password.
    The reference tables' guard (migration 0012) is opened for this statement alone, inside this
    transaction, and closed again before it commits, so no other connection sees it open."""
    connection = session.connection()
    connection.execute(_OPEN_GUARD)
    try:
        connection.execute(_OWN_PASSWORD, {"h": new_hash, "id": staff_id})
    finally:
        connection.execute(_CLOSE_GUARD)
    session.expire_all()  # the staff row as now written


class AuthService:
    def __init__(self, db: NodeDatabase, policy: LockoutPolicy = LockoutPolicy(), clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._policy = policy
        self._clock = clock

    def _account(self, staff_no: str) -> _Account | None:
        with self._db.sessions() as session:
            session.connection(execution_options={"sqlite_begin": "DEFERRED"})
            try:
                staff = session.scalars(select(Staff).where(Staff.staff_no == staff_no)).first()
                return None if staff is None else _Account(staff.id, staff.staff_no, staff.password_hash,
                                                           staff.disabled, staff.locked_until)
            finally:
                session.rollback()

    def login(self, staff_no: str, password: str, window: int | None = None, device: str = "") -> StaffSession:
        return self._enter(staff_no, password, window, device, None)

    def change_password(self, staff_no: str, password: str, new_password: str, window: int | None = None,
                        device: str = "") -> StaffSession:
        """Log in with the current ``password`` and replace it by ``new_password`` (argon2id; at
        least 6 characters, not the same again) in one transaction, with its outbox event for head
        office; the new password is checked before anything is read or written."""
        return self._enter(staff_no, password, window, device, new_password_hash(password, new_password))

    def _enter(self, staff_no: str, password: str, window: int | None, device: str,
               new_hash: str | None) -> StaffSession:
        staff_no = typed_number(staff_no or "").strip()  # an IME's full-width digits are digits
        if not staff_no:
            raise InvalidInput("staff_no", "enter your staff number", code="staff_no_required")
        if not password:
            raise InvalidInput("password", "enter your password", code="password_required")
        extra = {"device": device} if device else {}
        account = self._account(staff_no)
        # the slow part, with no transaction open; the same work whether the number is known
        matches = verify_password(account.password_hash if account else _stand_in_hash(), password)
        now = self._clock()
        node = self._db.node_id
        refusal: LoginRefused | None = None
        with unit_of_work(self._db.sessions) as session:
            staff = session.get(Staff, account.id) if account is not None else None
            if staff is None:
                audit(session, node, "login_failed", actor_label=typed_label(staff_no), window=window,
                      reason="unknown staff number", **extra)
                refusal = LoginRefused("wrong")
            elif staff.disabled:
                audit(session, node, "login_refused", actor_id=staff.id, actor_label=staff_no, window=window,
                      reason="disabled", **extra)
                refusal = LoginRefused("disabled")
            elif self._policy.is_locked(staff.locked_until, now):
                audit(session, node, "login_refused", actor_id=staff.id, actor_label=staff_no, window=window,
                      reason="locked", **extra)
                refusal = LoginRefused("locked", staff.locked_until, 0)
            elif not matches or staff.password_hash != account.password_hash:  # type: ignore[union-attr]
                staff.failed_logins, staff.locked_until = self._policy.after_failure(staff.failed_logins, now)
                audit(session, node, "login_failed", actor_id=staff.id, actor_label=staff_no, window=window,
                      reason="wrong password", **extra)
                if staff.locked_until is not None:
                    audit(session, node, "account_locked", actor_id=staff.id, actor_label=staff_no, window=window,
                          until=staff.locked_until.isoformat())
                    refusal = LoginRefused("locked", staff.locked_until, 0)
                else:
                    refusal = LoginRefused("wrong", tries_left=self._policy.tries_left(staff.failed_logins))
            elif new_hash is None and staff.must_change_password:
                staff.failed_logins, staff.locked_until = 0, None
                audit(session, node, "login_refused", actor_id=staff.id, actor_label=staff_no, window=window,
                      reason="must change password", **extra)
                refusal = LoginRefused("must_change")
            else:
                if new_hash is not None:
                    self._changed(session, staff, new_hash, window, now)
                staff.failed_logins, staff.locked_until, staff.last_login_at = 0, None, now
                audit(session, node, "login", actor_id=staff.id, actor_label=staff_no, window=window, role=staff.role,
                      **extra)
                result = StaffSession(staff.id, staff.staff_no, staff.name, Role(staff.role), window, now)
        if refusal is not None:
            raise refusal
        return result

    def _changed(self, session: Any, staff: Staff, new_hash: str, window: int | None, now: datetime) -> None:
        """The new hash in place, the flag cleared, audited, and the event head office applies
        (only over the hash it replaced: a reset at head office since then wins)."""
        previous = staff.password_hash
        _write_own_password(session, staff.id, new_hash)
        audit(session, self._db.node_id, "password_changed", actor_id=staff.id, actor_label=staff.staff_no,
              window=window)
        record_event(session, channel="ops", event_type=PASSWORD_CHANGED, aggregate_type="staff",
                     aggregate_id=staff.id, node=self._db.node_id,
                     payload={"staff_no": staff.staff_no, "password_hash": new_hash, "previous_hash": previous,
                              "changed_at": now.isoformat()})

    def logout(self, who: StaffSession) -> None:
        with unit_of_work(self._db.sessions) as session:
            audit(session, self._db.node_id, "logout", actor_id=who.staff_id, actor_label=who.staff_no, window=who.window)

    def unlock(self, staff_no: str, *, by: StaffSession | None = None, by_label: str = "") -> None:
        """Lift a lock-out before it ends: a manager's act (``by``), or IT's at the hub's
        console (``by_label``, e.g. ``hub-admin``). Audited either way."""
        if by is not None and by.role not in (Role.MANAGER, Role.ADMIN):
            raise LoginRefused("wrong", message="only a branch manager can unlock an account")
        with unit_of_work(self._db.sessions) as session:
            staff = session.scalars(select(Staff).where(Staff.staff_no == (staff_no or "").strip())).first()
            if staff is None:
                raise InvalidInput("staff_no", "the number of a staff member of this branch", code="staff_not_found")
            staff.failed_logins, staff.locked_until = 0, None
            audit(session, self._db.node_id, "account_unlocked", actor_id=by.staff_id if by else None,
                  actor_label=by.staff_no if by else by_label, window=by.window if by else None,
                  staff_no=staff.staff_no)

    def verify_manager(self, staff_no: str, password: str, *, for_action: str, requested_by: StaffSession) -> StaffSession:
        """A manager's credentials typed at the counter to authorise one action (void, refund).

        Counts towards the manager's lock-out like any login and is audited with the action."""
        manager = self.login(staff_no, password, requested_by.window)
        if manager.role not in (Role.MANAGER, Role.ADMIN):
            with unit_of_work(self._db.sessions) as session:
                audit(session, self._db.node_id, "authorisation_refused", actor_id=manager.staff_id,
                      actor_label=manager.staff_no, window=requested_by.window, action_requested=for_action)
            raise InvalidInput("manager", "only a manager can authorise this", code="manager_only_authorise")
        return manager
