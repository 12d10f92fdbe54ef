"""Staff login: argon2id hashes, lock-out after repeated failures, every attempt audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import select

from counter_app.domain.errors import InvalidInput, UserError
from counter_app.domain.staff_rules import ROLE_OPENS, LockoutPolicy, Role, verify_password
from counter_app.domain.timeutil import utcnow
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Staff
from counter_app.services.audit import audit
from counter_app.services.node import NodeDatabase


class LoginRefused(UserError):
    """Why a login did not open anything; ``reason`` is one of ``wrong``, ``locked``, ``disabled``."""

    def __init__(self, reason: str, locked_until: datetime | None = None) -> None:
        super().__init__(reason, code=f"login_{reason}")
        self.reason = reason
        self.locked_until = locked_until


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


class AuthService:
    def __init__(self, db: NodeDatabase, policy: LockoutPolicy = LockoutPolicy(), clock: Callable[[], datetime] = utcnow) -> None:
        self._db = db
        self._policy = policy
        self._clock = clock

    def login(self, staff_no: str, password: str, window: int | None = None) -> StaffSession:
        staff_no = (staff_no or "").strip()
        if not staff_no:
            raise InvalidInput("staff_no", "enter your staff number", code="staff_no_required")
        if not password:
            raise InvalidInput("password", "enter your password", code="password_required")
        now = self._clock()
        refusal: LoginRefused | None = None
        with unit_of_work(self._db.sessions) as session:
            staff = session.scalars(select(Staff).where(Staff.staff_no == staff_no)).first()
            node = self._db.node_id
            if staff is None:
                audit(session, node, "login_failed", actor_label=staff_no, window=window, reason="unknown staff number")
                refusal = LoginRefused("wrong")
            elif staff.disabled:
                audit(session, node, "login_refused", actor_id=staff.id, actor_label=staff_no, window=window, reason="disabled")
                refusal = LoginRefused("disabled")
            elif self._policy.is_locked(staff.locked_until, now):
                audit(session, node, "login_refused", actor_id=staff.id, actor_label=staff_no, window=window, reason="locked")
                refusal = LoginRefused("locked", staff.locked_until)
            elif not verify_password(staff.password_hash, password):
                staff.failed_logins, staff.locked_until = self._policy.after_failure(staff.failed_logins, now)
                audit(session, node, "login_failed", actor_id=staff.id, actor_label=staff_no, window=window, reason="wrong password")
                if staff.locked_until is not None:
                    audit(session, node, "account_locked", actor_id=staff.id, actor_label=staff_no, window=window,
                          until=staff.locked_until.isoformat())
                    refusal = LoginRefused("locked", staff.locked_until)
                else:
                    refusal = LoginRefused("wrong")
            else:
                staff.failed_logins, staff.locked_until, staff.last_login_at = 0, None, now
                audit(session, node, "login", actor_id=staff.id, actor_label=staff_no, window=window, role=staff.role)
                result = StaffSession(staff.id, staff.staff_no, staff.name, Role(staff.role), window, now)
        if refusal is not None:
            raise refusal
        return result

    def logout(self, who: StaffSession) -> None:
        with unit_of_work(self._db.sessions) as session:
            audit(session, self._db.node_id, "logout", actor_id=who.staff_id, actor_label=who.staff_no, window=who.window)

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
