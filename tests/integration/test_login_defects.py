"""Issue 13's login defects, each with a test that failed before its fix: the warning before the
lock-out, a password typed into the staff-number field, the write lock held while argon2 runs,
and an unknown staff number answered faster than a known one."""

from __future__ import annotations

import logging
import sqlite3
import statistics
import threading
import time

import pytest
from sqlalchemy import select

from counter_app.core.logs import setup_logging
from counter_app.domain.staff_rules import LoginRefused
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import AuditLog
from counter_app.services.auth import AuthService
from counter_app.services.seed import DEMO_PASSWORD


def test_each_wrong_password_says_how_many_tries_are_left_and_the_lock_says_who_can_unlock(seeded_db) -> None:
    auth = AuthService(seeded_db)
    left = []
    for _ in range(4):
        with pytest.raises(LoginRefused) as info:
            auth.login("1002", "wrong-password")
        left.append(info.value.tries_left)
        assert info.value.reason == "wrong"
    assert left == [4, 3, 2, 1]
    assert "1 try left" in str(info.value)
    with pytest.raises(LoginRefused) as info:
        auth.login("1002", "wrong-password")
    assert info.value.reason == "locked" and info.value.tries_left == 0
    assert "branch manager" in str(info.value) and "staff-unlock" in str(info.value)
    manager = auth.login("8001", DEMO_PASSWORD)
    auth.unlock("1002", by=manager)
    assert auth.login("1002", DEMO_PASSWORD).staff_no == "1002"
    with unit_of_work(seeded_db.sessions) as session:
        unlock = session.scalars(select(AuditLog).where(AuditLog.action == "account_unlocked")).one()
    assert unlock.actor_label == "8001" and unlock.detail["staff_no"] == "1002"


def test_a_clerk_cannot_unlock(seeded_db) -> None:
    auth = AuthService(seeded_db)
    clerk = auth.login("1001", DEMO_PASSWORD)
    with pytest.raises(LoginRefused, match="only a branch manager"):
        auth.unlock("1002", by=clerk)


def test_a_password_typed_into_the_staff_number_field_is_never_logged_or_audited(seeded_db, data_paths) -> None:
    setup_logging(data_paths.log_file)
    auth = AuthService(seeded_db)
    typed = "Xq7-mysecret"
    with pytest.raises(LoginRefused):
        auth.login(typed, "whatever-1")
    for handler in logging.getLogger("counter_app").handlers:
        handler.flush()
    assert typed not in data_paths.log_file.read_text(encoding="utf-8")
    with unit_of_work(seeded_db.sessions) as session:
        rows = list(session.scalars(select(AuditLog).where(AuditLog.action == "login_failed")))
    assert len(rows) == 1
    assert typed not in repr((rows[0].actor_label, rows[0].detail))
    assert rows[0].detail["reason"] == "unknown staff number"
    raw = seeded_db.path.read_bytes() + seeded_db.path.with_name(seeded_db.path.name + "-wal").read_bytes()
    assert typed.encode() not in raw


def _longest_lock(db_path, stop: threading.Event) -> float:
    """The longest stretch during which another connection could not take the write lock."""
    probe = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    longest, locked_since = 0.0, None
    try:
        while not stop.is_set():
            now = time.perf_counter()
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                if locked_since is not None:
                    longest = max(longest, now - locked_since)
                    locked_since = None
            except sqlite3.OperationalError:
                locked_since = locked_since if locked_since is not None else now
            time.sleep(0.001)
    finally:
        probe.close()
    return longest


def test_a_login_does_not_hold_the_write_lock_while_argon2_runs(seeded_db) -> None:
    auth = AuthService(seeded_db)
    auth.login("1003", DEMO_PASSWORD)  # warm up
    started = time.perf_counter()
    with pytest.raises(LoginRefused):
        auth.login("1003", "wrong-password")
    one_login = time.perf_counter() - started
    stop = threading.Event()
    result: list[float] = []
    prober = threading.Thread(target=lambda: result.append(_longest_lock(seeded_db.path, stop)))
    prober.start()
    try:
        for attempt in ("wrong-1", "wrong-2", DEMO_PASSWORD):
            try:
                auth.login("1003", attempt)
            except LoginRefused:
                pass
    finally:
        stop.set()
        prober.join()
    assert result[0] < one_login / 3, (result[0], one_login)


def _timed(auth: AuthService, staff_no: str) -> float:
    started = time.perf_counter()
    with pytest.raises(LoginRefused):
        auth.login(staff_no, "wrong-password")
    return time.perf_counter() - started


def test_an_unknown_staff_number_costs_as_much_as_a_known_one(seeded_db) -> None:
    auth = AuthService(seeded_db)
    _timed(auth, "7777")  # the first unknown number may pay for making the stand-in hash
    known = statistics.median(_timed(auth, n) for n in ("1004", "1005", "1006"))
    unknown = statistics.median(_timed(auth, n) for n in ("7771", "7772", "7773"))
    assert unknown > known * 0.6, (unknown, known)
