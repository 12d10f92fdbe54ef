"""A first password (and one reset at head office) is changed before anything else (issue 10): the
flag comes down with the staff stream; a login with the right password is refused ``must_change``
and nothing opens; the change (argon2id, at least 6 characters, not the same again) logs him in and
is an event that reaches head office, which publishes the new hash with the flag cleared, so another
branch does not ask again after its next sync. Offline, the counter changes it on its own database
and pushes it later. A reset at head office since the change wins over it. Real head office
(PostgreSQL, HTTP on loopback), real branch SQLite files, the real sync engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from counter_app.domain.errors import InvalidInput
from counter_app.domain.staff_rules import LoginRefused, verify_password
from counter_app.hq.models import InboundEvent
from counter_app.hq.refdata import api
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import AuditLog, Staff
from counter_app.services.auth import AuthService
from counter_app.services.node import NodeDatabase
from counter_app.services.offline_login import OfflineLogin
from tests.hq.refdata_fixtures import password_hash, publish_branch
from tests.hq.soak_world import enrolled_counter, issue, sync_until_drained

FIRST, MINE = "first-pw-1", "mine-pw-42"


def staff_row(db: NodeDatabase, staff_no: str) -> tuple[bool, str]:
    with unit_of_work(db.sessions) as session:
        row = session.scalars(select(Staff).where(Staff.staff_no == staff_no)).one()
        return row.must_change_password, row.password_hash


def refusal(call, *args) -> Exception:  # type: ignore[no-untyped-def]
    with pytest.raises((LoginRefused, InvalidInput)) as caught:
        call(*args)
    return caught.value


def test_a_first_password_is_changed_offline_and_no_other_branch_asks_again(hq: tuple[Any, Any], hq_db,  # type: ignore[no-untyped-def]
                                                                           tmp_path: Path) -> None:
    engine = hq_db.engine
    for branch in ("B001", "B002"):
        publish_branch(engine, branch)
    api.upsert_staff(engine, staff_no="1003", name="赵敏", role="clerk", password_hash=password_hash(FIRST),
                     branches=["B001", "B002"], must_change_password=True, by="zhang.wei")
    here = enrolled_counter(tmp_path / "b001", hq[0].url, issue(engine, "B001", 1), 1)
    there = enrolled_counter(tmp_path / "b002", hq[0].url, issue(engine, "B002", 1), 1)
    try:
        assert staff_row(here, "1003")[0] is True and staff_row(there, "1003")[0] is True
        auth = AuthService(here)
        asked = refusal(auth.login, "1003", FIRST, 1)
        assert isinstance(asked, LoginRefused) and (asked.reason, asked.code) == ("must_change", "login_must_change")
        assert refusal(auth.login, "1003", "wrong-pw", 1).reason == "wrong"  # a wrong one is just wrong
        short = refusal(auth.change_password, "1003", FIRST, "abc", 1)
        assert (short.field, short.code) == ("new_password", "password_short")
        same = refusal(auth.change_password, "1003", FIRST, FIRST, 1)
        assert (same.field, same.code) == ("new_password", "password_unchanged")
        assert staff_row(here, "1003")[0] is True  # nothing changed by the refusals

        offline = OfflineLogin(here)  # the hub down: the counter changes it on its own database
        session = offline.change_password("1003", FIRST, MINE, 1)
        assert session.staff_no == "1003"
        flag, stored = staff_row(here, "1003")
        assert flag is False and verify_password(stored, MINE)
        assert auth.login("1003", MINE, 1).staff_no == "1003"
        with unit_of_work(here.sessions) as s:
            assert s.scalars(select(AuditLog.action).where(AuditLog.action == "password_changed")).all() == [
                "password_changed"]

        sync_until_drained(here, deadline_s=60.0)  # pushed; head office publishes it to both branches
        with engine.connect() as connection:
            kinds = connection.execute(select(InboundEvent.apply_status).where(
                InboundEvent.event_type == "staff.password_changed")).scalars().all()
        assert kinds == ["applied"]
        for branch in ("B001", "B002"):
            held = api.current(engine, "staff", "1003", branch)
            assert held["must_change_password"] is False and verify_password(held["password_hash"], MINE)

        before = refusal(AuthService(there).login, "1003", FIRST, 1)  # not synced yet: still asked there
        assert before.reason == "must_change"
        sync_until_drained(there, deadline_s=60.0)
        assert staff_row(there, "1003")[0] is False
        assert AuthService(there).login("1003", MINE, 1).staff_no == "1003"  # not asked again
        assert refusal(AuthService(there).login, "1003", FIRST, 1).reason == "wrong"
    finally:
        here.dispose()
        there.dispose()


def test_a_reset_at_head_office_asks_again_and_wins_over_an_older_change(hq_db) -> None:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    publish_branch(engine, "B001")
    first = password_hash(FIRST)
    api.upsert_staff(engine, staff_no="1004", name="钱进", role="clerk", password_hash=first, branches=["B001"],
                     by="zhang.wei")
    assert "must_change_password" not in api.current(engine, "staff", "1004", "B001")
    reset = password_hash("reset-pw-9")
    api.reset_staff_password(engine, "1004", reset, by="zhang.wei")
    held = api.current(engine, "staff", "1004", "B001")
    assert held["must_change_password"] is True and held["password_hash"] == reset
    late = api.password_changed_at_branch(engine, "B001", "1004", password_hash(MINE), first, by="B001/n")
    assert late is None  # changed over the hash before the reset: the reset holds
    assert api.password_changed_at_branch(engine, "B002", "1004", password_hash(MINE), reset, by="B002/n") is None
    assert api.password_changed_at_branch(engine, "B001", "1004", password_hash(MINE), reset, by="B001/n")
    assert api.current(engine, "staff", "1004", "B001")["must_change_password"] is False


def test_a_pull_before_the_push_keeps_the_password_changed_offline(hq: tuple[Any, Any], hq_db,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    """The sync pulls the staff stream before it pushes (revocations first, G17). A staff row head
    office sends meanwhile (here: his name corrected, still the first password and the flag) must
    not put back the password he changed offline: only his own change, once head office has it,
    or a reset at head office since, replaces it (head office's own rule)."""
    import time

    import httpx

    from counter_app.services.sync.files import read_credential
    from counter_app.services.sync.refdata import pull_all
    from counter_app.services.sync.transport import Answer, signed_headers

    engine = hq_db.engine
    publish_branch(engine, "B001")
    first = password_hash(FIRST)
    api.upsert_staff(engine, staff_no="1005", name="孙丽", role="clerk", password_hash=first, branches=["B001"],
                     must_change_password=True, by="zhang.wei")
    here = enrolled_counter(tmp_path / "b001", hq[0].url, issue(engine, "B001", 1), 1)
    credential = read_credential(here.data_dir)
    assert credential is not None
    web = httpx.Client(base_url=hq[0].url, timeout=30)

    def call(path: str, body: bytes) -> Answer:
        headers = signed_headers(credential.node_id, credential.secret, "POST", path, body, int(time.time()))
        answer = web.post(path, content=body, headers=headers)
        return Answer(answer.status_code, answer.json(), dict(answer.headers))

    try:
        OfflineLogin(here).change_password("1005", FIRST, MINE, 1)
        api.upsert_staff(engine, staff_no="1005", name="孙莉", role="clerk", password_hash=first, branches=["B001"],
                         must_change_password=True, by="zhang.wei")  # head office corrects his name
        assert pull_all(here.sessions, call, "B001", streams=("staff",)).ok
        flag, stored = staff_row(here, "1005")
        assert flag is False and verify_password(stored, MINE)  # his own password, not asked again
        assert AuthService(here).login("1005", MINE, 1).staff_no == "1005"
        assert refusal(AuthService(here).login, "1005", FIRST, 1).reason == "wrong"
        with unit_of_work(here.sessions) as s:
            assert s.scalars(select(Staff.name).where(Staff.staff_no == "1005")).one() == "孙莉"  # the rest came down

        sync_until_drained(here, deadline_s=60.0)  # pushed and applied: head office's row is his own now
        assert verify_password(api.current(engine, "staff", "1005", "B001")["password_hash"], MINE)
        assert verify_password(staff_row(here, "1005")[1], MINE)

        reset = password_hash("reset-pw-7")  # a reset at head office since wins at the branch
        api.reset_staff_password(engine, "1005", reset, by="zhang.wei")
        assert pull_all(here.sessions, call, "B001", streams=("staff",)).ok
        assert staff_row(here, "1005") == (True, reset)
    finally:
        web.close()
        here.dispose()
