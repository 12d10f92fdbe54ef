"""Staff roles, password hashing and the lock-out rule."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from counter_app.domain.errors import InvalidInput


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


def hash_password(password: str) -> str:
    if len(password) < 6:
        raise InvalidInput("password", "at least 6 characters", code="password_short", n=6)
    return _hasher.hash(password)


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

    def after_failure(self, failures_so_far: int, now: datetime) -> tuple[int, datetime | None]:
        """New failure count and lock time after one more wrong password."""
        failures = failures_so_far + 1
        if failures >= self.max_failures:
            return 0, now + self.lock_for
        return failures, None
