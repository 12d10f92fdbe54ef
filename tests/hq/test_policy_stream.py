"""Head office's ``policy`` stream read by the branch's policy readers (issue 10 item 1): a dated
value published at head office (real PostgreSQL, the real pull over HTTP) changes what the branch
does (real SQLite) from that business day on, after a sync; before that day, and where head
office published nothing, the installation's TOML holds. A value the reader refuses keeps the
TOML's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from counter_app.core.config import Settings
from counter_app.domain.errors import NotAllowed
from counter_app.domain.timeutil import branch_zone, business_day, utcnow
from counter_app.hq.refdata import api
from counter_app.services.billing.policy import billing_policy
from counter_app.services.branch_policy import in_force, read_policy
from counter_app.services.offline_login import OfflineLogin, offline_policy
from counter_app.services.quality import rating_policy
from counter_app.services.sync.refdata import pull_all
from tests.hq.refdata_fixtures import password_hash, publish_branch
from tests.hq.refdata_wire import node_call

TOML = {"offline": {"login_days": 14}, "quality": {"timeout_seconds": 30}}


def test_in_force_takes_the_latest_entry_of_each_key_on_or_before_the_day() -> None:
    from datetime import date
    values = {"a": 1, "b": 2, "dated": [{"from": "2027-03-01", "a": 3}, {"from": "2027-01-01", "a": 2, "b": 5}]}
    assert in_force(values, date(2026, 12, 31)) == {"a": 1, "b": 2}
    assert in_force(values, date(2027, 1, 1)) == {"a": 2, "b": 5}
    assert in_force(values, date(2027, 3, 1)) == {"a": 3, "b": 5}


def test_a_dated_policy_from_head_office_changes_the_branch_from_that_day(hq_db, client, make_node,  # type: ignore[no-untyped-def]
                                                                         node_db, settings: Settings) -> None:
    engine = hq_db.engine
    publish_branch(engine)
    api.upsert_staff(engine, staff_no="1001", name="李娜", role="clerk", password_hash=password_hash("pw-1001"),
                     branches=["B001"], by="test")  # no validity of his own: the branch's login_days count
    call = node_call(client, make_node("B001", "counter", 1))
    assert pull_all(node_db.sessions, call, "B001").ok
    local = replace(settings, policy=TOML)
    zone = branch_zone(local.branch.timezone)
    now = utcnow()
    soon, later = now + timedelta(days=3), now + timedelta(days=6)  # the new rule holds from 5 days on

    def login_at(moment):  # type: ignore[no-untyped-def]
        return OfflineLogin(node_db, offline_policy(local), clock=lambda: moment, settings=local).login("1001", "pw-1001", 1)

    def on(reader, moment):  # type: ignore[no-untyped-def]
        return read_policy(reader, local, node_db.sessions, business_day(moment, zone))

    assert login_at(later).staff_no == "1001"  # head office published nothing: the TOML's 14 days
    change_day = business_day(now + timedelta(days=5), zone)
    api.set_policy_from(engine, "B001", "offline", change_day, {"login_days": 2}, by="test")
    api.set_policy_from(engine, "B001", "quality", change_day, {"timeout_seconds": 45}, by="test")
    assert on(offline_policy, later).login_days == 14  # published, but not here until the next sync
    assert pull_all(node_db.sessions, call, "B001").ok

    assert login_at(soon).staff_no == "1001"  # before the day: still 14 days
    with pytest.raises(NotAllowed, match="offline login ended"):
        login_at(later)  # from the day on: 2 days after the last contact
    assert (on(offline_policy, soon).login_days, on(offline_policy, later).login_days) == (14, 2)
    assert (on(rating_policy, soon).timeout_seconds, on(rating_policy, later).timeout_seconds) == (30, 45)
    assert on(billing_policy, later) == billing_policy(local)  # nothing published for [billing]: the TOML's

    api.set_policy_from(engine, "B001", "offline", change_day + timedelta(days=10), {"login_days": 500}, by="test")
    assert pull_all(node_db.sessions, call, "B001").ok
    far = now + timedelta(days=16)
    assert on(offline_policy, far).login_days == 14  # 500 is refused (0 to 90): the TOML's, logged
    assert on(offline_policy, later).login_days == 2  # the earlier entry is kept
