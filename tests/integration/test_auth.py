from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from counter_app.domain.errors import InvalidInput
from counter_app.domain.staff_rules import Role
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import AuditLog, Staff
from counter_app.services.auth import AuthService, LoginRefused
from counter_app.services.seed import DEMO_PASSWORD


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


def actions(db) -> list[str]:
    with unit_of_work(db.sessions) as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.at, AuditLog.id)))


def test_login_opens_what_the_role_allows(seeded_db) -> None:
    auth = AuthService(seeded_db)
    clerk = auth.login("1001", DEMO_PASSWORD, window=3)
    manager = auth.login("8001", DEMO_PASSWORD)
    assert (clerk.name, clerk.role, clerk.window, clerk.opens) == ("李娜", Role.CLERK, 3, ("counter",))
    assert "manager" in manager.opens
    assert actions(seeded_db) == ["login", "login"]


def test_five_wrong_passwords_lock_for_fifteen_minutes(seeded_db) -> None:
    clock = Clock()
    auth = AuthService(seeded_db, clock=clock)
    for _ in range(4):
        with pytest.raises(LoginRefused) as info:
            auth.login("1002", "wrong-password")
        assert info.value.reason == "wrong"
    with pytest.raises(LoginRefused) as info:
        auth.login("1002", "wrong-password")
    assert info.value.reason == "locked"
    assert info.value.locked_until == clock.now + timedelta(minutes=15)
    clock.now += timedelta(minutes=14, seconds=59)
    with pytest.raises(LoginRefused, match="locked"):
        auth.login("1002", DEMO_PASSWORD)  # even the right password while locked
    clock.now += timedelta(seconds=1)
    assert auth.login("1002", DEMO_PASSWORD).staff_no == "1002"
    log = actions(seeded_db)
    assert log.count("login_failed") == 5
    assert log.count("account_locked") == 1
    assert log.count("login_refused") == 1
    assert log[-1] == "login"
    with unit_of_work(seeded_db.sessions) as session:
        staff = session.scalars(select(Staff).where(Staff.staff_no == "1002")).one()
        assert (staff.failed_logins, staff.locked_until) == (0, None)


def test_a_success_resets_the_count(seeded_db) -> None:
    auth = AuthService(seeded_db)
    for _ in range(4):
        with pytest.raises(LoginRefused):
            auth.login("1003", "nope-nope")
    auth.login("1003", DEMO_PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginRefused, match="wrong"):
            auth.login("1003", "nope-nope")


def test_unknown_and_disabled_accounts(seeded_db) -> None:
    auth = AuthService(seeded_db)
    with pytest.raises(LoginRefused, match="wrong"):
        auth.login("7777", DEMO_PASSWORD)
    with unit_of_work(seeded_db.sessions) as session:
        session.scalars(select(Staff).where(Staff.staff_no == "1004")).one().disabled = True
    with pytest.raises(LoginRefused, match="disabled"):
        auth.login("1004", DEMO_PASSWORD)
    with pytest.raises(InvalidInput) as info:
        auth.login("  ", DEMO_PASSWORD)
    assert info.value.field == "staff_no"
    with pytest.raises(InvalidInput) as info:
        auth.login("1001", "")
    assert info.value.field == "password"


def test_passwords_never_stored_or_logged_in_clear(seeded_db, data_paths) -> None:
    from counter_app.core.logs import setup_logging

    setup_logging(data_paths.log_file)
    auth = AuthService(seeded_db)
    with pytest.raises(LoginRefused):
        auth.login("1005", "Secret-typo-9")
    auth.login("1005", DEMO_PASSWORD)
    import logging

    logging.getLogger("counter_app.test").info("password=%s token: %s", "Secret-typo-9", "abc123token")
    for handler in logging.getLogger("counter_app").handlers:
        handler.flush()
    text = data_paths.log_file.read_text(encoding="utf-8")
    assert "op=login" in text and "clerk=1005" in text
    assert "Secret-typo-9" not in text and DEMO_PASSWORD not in text and "abc123token" not in text
    raw = seeded_db.path.read_bytes() + seeded_db.path.with_name(seeded_db.path.name + "-wal").read_bytes()
    assert b"Secret-typo-9" not in raw and DEMO_PASSWORD.encode() not in raw
    with unit_of_work(seeded_db.sessions) as session:
        assert session.scalars(select(Staff.password_hash)).first().startswith("$argon2id$")


def test_manager_authorisation(seeded_db) -> None:
    auth = AuthService(seeded_db)
    clerk = auth.login("1001", DEMO_PASSWORD, window=1)
    assert auth.verify_manager("8001", DEMO_PASSWORD, for_action="void", requested_by=clerk).role == Role.MANAGER
    with pytest.raises(InvalidInput, match="only a manager"):
        auth.verify_manager("1002", DEMO_PASSWORD, for_action="void", requested_by=clerk)
    assert "authorisation_refused" in actions(seeded_db)
