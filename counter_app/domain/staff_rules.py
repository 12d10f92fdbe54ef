"""Staff roles, password hashing and the lock-out rule."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from counter_app.domain.errors import InvalidInput, UserError


class Role(str, enum.Enum):
    CLERK = "clerk"
    BACKOFFICE = "backoffice"
    MANAGER = "manager"
    ADMIN = "admin"


#: Which front-end windows each role may open.
ROLE_OPENS: dict[Role, tuple[str, ...]] = {
    Role.CLERK: ("counter",),
    Role.BACKOFFICE: ("backoffice",),
    Role.MANAGER: ("counter", "manager", "backoffice"),
    Role.ADMIN: ("counter", "manager", "backoffice", "admin"),
}

_hasher = PasswordHasher()  # argon2id with the library's current defaults

#: Who can lift a lock-out before it ends (said to the person locked out).
UNLOCK_BY = "a branch manager (manager console, or IT: counter-app hub-admin staff-unlock STAFF_NO)"


class LoginRefused(UserError):
    """Why a login did not open anything; ``reason`` is one of ``wrong``, ``locked``, ``disabled``,
    ``must_change`` (the password was right, but it is a first one or one reset at head office:
    a new one is set before anything opens).
    ``tries_left``: wrong passwords left before the lock-out (``None`` when not known)."""

    def __init__(self, reason: str, locked_until: datetime | None = None, tries_left: int | None = None,
                 message: str = "") -> None:
        super().__init__(message or _refusal_text(reason, locked_until, tries_left), code=f"login_{reason}")
        self.reason = reason
        self.locked_until = locked_until
        self.tries_left = tries_left


def _refusal_text(reason: str, locked_until: datetime | None, tries_left: int | None) -> str:
    if reason == "locked":
        until = f" until {locked_until.isoformat(timespec='minutes')}" if locked_until else ""
        return f"locked{until}: too many wrong passwords; {UNLOCK_BY} can unlock it"
    if reason == "disabled":
        return "disabled: this account is switched off; ask a branch manager"
    if reason == "must_change":
        return "a new password must be set before logging in (a first password, or one reset at head office)"
    if tries_left is not None:
        return f"wrong staff number or password: {tries_left} {'try' if tries_left == 1 else 'tries'} left before the account locks"
    return "wrong staff number or password"


MIN_PASSWORD = 6
#: the outbox event of a password changed at a branch (head office applies it over the hash it replaced)
PASSWORD_CHANGED = "staff.password_changed"


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password", f"at least {MIN_PASSWORD} characters", code="password_short", n=MIN_PASSWORD)
    return _hasher.hash(password)


def new_password_hash(current: str, new: str) -> str:
    """The argon2id hash of a new password that replaces ``current``: the house rule (at least 6
    characters) and not the same password again."""
    if not new:
        raise InvalidInput("new_password", "enter the new password", code="password_required")
    if new == current:
        raise InvalidInput("new_password", "a password other than the current one", code="password_unchanged")
    if len(new) < MIN_PASSWORD:
        raise InvalidInput("new_password", f"at least {MIN_PASSWORD} characters", code="password_short", n=MIN_PASSWORD)
    return hash_password(new)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LockoutPolicy:
    """Five wrong passwords lock the account for fifteen minutes (settings may change both)."""

    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)

    def is_locked(self, locked_until: datetime | None, now: datetime) -> bool:
        return locked_until is not None and now < locked_until

    def tries_left(self, failures: int) -> int:
        return max(0, self.max_failures - failures)

    def after_failure(self, failures_so_far: int, now: datetime) -> tuple[int, datetime | None]:
        """New failure count and lock time after one more wrong password."""
        failures = failures_so_far + 1
        if failures >= self.max_failures:
            return 0, now + self.lock_for
        return failures, None
