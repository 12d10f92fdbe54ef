"""Staff login at a counter with its own database when the hub cannot be reached (issue 10
item 4, SYNC.md c.7 "Staff accounts", G14, G17).

The hub checks passwords when it answers. When it does not, the counter checks the staff
member's argon2 hash in its OWN staff table (delivered from head office), with the lock-out
and the audit of :class:`~counter_app.services.auth.AuthService`, as long as the credential's
offline validity lasts: the staff member's own ``offline_valid_until`` when head office gave
one, else ``[offline] login_days`` after this PC last heard from head office. A staff member
disabled at head office is refused as soon as the branch has synced the change (``disabled``
in the local table): G17."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import func, select

from counter_app.core.config import Settings, options_from_table
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.timeutil import branch_zone, business_day, utcnow
from counter_app.persistence.models import Staff, SyncCursor, SyncState
from counter_app.services.auth import AuthService, StaffSession
from counter_app.services.branch_policy import read_policy
from counter_app.services.node import NodeDatabase

log = logging.getLogger(__name__)

Check = Callable[[str, str, "int | None"], StaffSession]
Change = Callable[[str, str, str, "int | None"], StaffSession]


@dataclass(frozen=True)
class OfflinePolicy:
    """``[offline]`` in the installation's TOML.

    - ``login_days``: how long after this PC last heard from head office its staff may log in
      with cached credentials when the hub is down (a staff member's own ``offline_valid_until``
      from head office wins where it is set)."""

    login_days: int = 14

    def __post_init__(self) -> None:
        if not 0 <= self.login_days <= 90:
            raise InvalidInput("login_days", "a whole number of days from 0 to 90", code="whole_number_range",
                               min=0, max=90)


def offline_policy(settings: Settings) -> OfflinePolicy:
    return options_from_table(OfflinePolicy, settings, "offline")


def last_head_office_contact(db: NodeDatabase) -> datetime | None:
    """When this PC last heard from head office: a successful sync, or reference data applied."""
    with db.sessions() as session:
        synced = session.scalar(select(func.max(SyncState.last_success_at)))
        applied = session.scalar(select(func.max(SyncCursor.updated_at)))
        session.rollback()
    known = [moment for moment in (synced, applied) if moment is not None]
    return max(known) if known else None


def valid_until(staff_until: datetime | None, contact: datetime | None, policy: OfflinePolicy) -> datetime | None:
    """The end of a credential's offline validity; None: it never had one on this PC."""
    if staff_until is not None:
        return staff_until
    return None if contact is None else contact + timedelta(days=policy.login_days)


class OfflineLogin:
    """Checks a login against this PC's own staff table, within the offline validity."""

    def __init__(self, db: NodeDatabase, policy: OfflinePolicy = OfflinePolicy(),
                 clock: Callable[[], datetime] = utcnow, *, settings: Settings | None = None) -> None:
        """``settings``: read ``[offline]`` at each login, head office's values in force that
        business day over the TOML's (``services.branch_policy``); else ``policy`` holds."""
        self._db = db
        self._policy = policy
        self._settings = settings
        self._clock = clock
        self._auth = AuthService(db, clock=clock)

    def login(self, staff_no: str, password: str, window: int | None = None) -> StaffSession:
        self._within_validity(staff_no)
        session_ = self._auth.login(staff_no, password, window, device="offline")
        log.warning("staff %s logged in OFFLINE (the hub cannot be reached) at window %s", session_.staff_no, window)
        return session_

    def change_password(self, staff_no: str, password: str, new_password: str, window: int | None = None) -> StaffSession:
        """A first (or reset) password changed on this PC while the hub is down: the new hash here
        at once, its event pushed to head office with this PC's others (``AuthService.change_password``)."""
        self._within_validity(staff_no)
        session_ = self._auth.change_password(staff_no, password, new_password, window, device="offline")
        log.warning("staff %s changed his password OFFLINE at window %s", session_.staff_no, window)
        return session_

    def _within_validity(self, staff_no: str) -> None:
        with self._db.sessions() as session:
            staff = session.scalars(select(Staff).where(Staff.staff_no == (staff_no or "").strip())).first()
            staff_until = staff.offline_valid_until if staff is not None else None
            session.rollback()
        if staff is not None:  # an unknown number goes on to the usual (timed, audited) refusal
            until = valid_until(staff_until, last_head_office_contact(self._db), self._policy_now())
            if until is None:
                raise NotAllowed("no offline login on this PC yet: connect to the hub", code="offline_login_never")
            if self._clock() >= until:
                raise NotAllowed(f"offline login ended on {until:%Y-%m-%d}", code="offline_login_expired",
                                 until=f"{until:%Y-%m-%d %H:%M}")


    def _policy_now(self) -> OfflinePolicy:
        if self._settings is None:
            return self._policy
        day = business_day(self._clock(), branch_zone(self._settings.branch.timezone))
        return read_policy(offline_policy, self._settings, self._db.sessions, day)


def hub_or_offline(hub_check: Check, offline: OfflineLogin, unavailable: type[Exception]) -> Check:
    """The hub's login while it answers; this PC's own check when it cannot be reached
    (``unavailable``: the client's error for that)."""

    def check(staff_no: str, password: str, window: int | None) -> StaffSession:
        try:
            return hub_check(staff_no, password, window)
        except unavailable as error:
            log.warning("hub unavailable for the login (%s): checking cached credentials", error)
            return offline.login(staff_no, password, window)

    return check


def hub_or_offline_change(hub_change: Change, offline: OfflineLogin, unavailable: type[Exception]) -> Change:
    """:func:`hub_or_offline` for a password change."""

    def change(staff_no: str, password: str, new_password: str, window: int | None) -> StaffSession:
        try:
            return hub_change(staff_no, password, new_password, window)
        except unavailable as error:
            log.warning("hub unavailable for the password change (%s): changing it on this PC", error)
            return offline.change_password(staff_no, password, new_password, window)

    return change

