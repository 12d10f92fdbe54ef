"""Reference data from a later day (issue 10): head office's console publishes a new service, a
window's services, a service's retirement and a policy table "from" a business day; the branch
(real SQLite, the real pull over HTTP from a real head office on PostgreSQL) holds them from its
next sync but applies them on that day only — the queue (kiosk, display, windows) reads them by
its own business day, so a branch offline at midnight changes all the same. A day already past is
refused, naming the field, with nothing published. The day is passed in (a fake clock), never slept."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

from counter_app.core.config import Settings, options_from_table
from counter_app.core.messages import render
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hq.console_client import ConsoleClient
from counter_app.hq.operators import add_operator
from counter_app.hq.refdata import api
from counter_app.services.branch_policy import read_policy
from counter_app.services.offline_login import offline_policy
from counter_app.services.queue import QueueService, QueueSettings
from counter_app.services.status import window_info
from counter_app.services.sync.refdata import branch_policy, pull_all
from tests.hq.refdata_fixtures import publish_branch
from tests.hq.refdata_wire import node_call
from tests.hq.test_hq_console_reference import PASSWORD

ZONE = ZoneInfo("Asia/Shanghai")
NEW = {"code": "water_apply", "letter": "B", "name_zh": "用水报装", "name_en": "New connections",
       "daily_cap": 80, "standard_minutes": 15, "sort_order": 2}


@pytest.fixture
def console(hq, hq_db) -> Iterator[ConsoleClient]:  # type: ignore[no-untyped-def]
    add_operator(hq_db.engine, "zhang.wei", PASSWORD)
    publish_branch(hq_db.engine, "B001")  # service "payment" (A), window 1 serving it
    client = ConsoleClient(hq[0].url)
    client.login("zhang.wei", PASSWORD)
    yield client
    client.close()


def today() -> date:
    return datetime.now(ZONE).date()


def at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), ZONE)


def refused(call, *args, **kwargs) -> InvalidInput:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    return caught.value


def test_a_past_day_is_refused_naming_the_field(console: ConsoleClient, hq_db) -> None:  # type: ignore[no-untyped-def]
    yesterday = (today() - timedelta(days=1)).isoformat()
    before = api.list_current(hq_db.engine, "service", "B001")
    calls = [(console.save_service, ("B001", NEW), {"new": True}),
             (console.set_service_active, ("B001", "payment", False), {}),
             (console.save_window, ("B001", 1, "1号窗口", True, ["payment"]), {}),
             (console.publish_policy, ("B001", "offline", {"login_days": 3}), {})]
    for call, args, kwargs in calls:
        error = refused(call, *args, **kwargs, valid_from=yesterday)
        assert (error.field, error.code, error.params["day"]) == ("valid_from", "ref_from_past", yesterday)
        assert "valid_from" in render(error.code, error.params, "en") and "生效日期" in render(error.code, error.params, "zh_CN")
    assert refused(console.save_service, "B001", NEW, new=True, valid_from="2027-13-01").field == "valid_from"
    assert api.list_current(hq_db.engine, "service", "B001") == before
    assert api.list_current(hq_db.engine, "policy") == []


def test_a_service_and_a_window_from_a_later_day(console: ConsoleClient, hq_db, client, make_node,  # type: ignore[no-untyped-def]
                                                 node_db) -> None:
    day = today() + timedelta(days=5)
    answer = console.save_service("B001", NEW, new=True, valid_from=day.isoformat())
    assert answer["valid_from"] == day.isoformat()
    console.save_window("B001", 1, "1号窗口", True, ["payment", "water_apply"], valid_from=day.isoformat())
    early = refused(console.save_window, "B001", 1, "1号窗口", True, ["water_apply"])  # not begun today
    assert (early.field, early.code) == ("services", "hq_service_retired")
    retire = day + timedelta(days=2)
    console.set_service_active("B001", "payment", False, valid_from=retire.isoformat())
    console.save_service("B001", {**NEW, "daily_cap": 40}, new=False, valid_from=retire.isoformat())
    letter = refused(console.save_service, "B001", {**NEW, "letter": "C"}, new=False, valid_from=retire.isoformat())
    assert letter.field == "letter"  # a letter changes at once, never from a day
    payment = api.current(hq_db.engine, "service", "payment", "B001")
    assert payment["active"] is True and payment["dated"] == [{"from": retire.isoformat(), "active": False}]

    assert pull_all(node_db.sessions, node_call(client, make_node("B001", "counter", 1)), "B001").ok
    now = [at_noon(day - timedelta(days=1))]
    queue = QueueService(node_db.sessions, "B001", clock=lambda: now[0])

    def hall() -> tuple[list[tuple[str, bool, int]], tuple[str, ...]]:
        snapshot = queue.snapshot()
        window = next(w for w in snapshot.windows if w.number == 1)
        return [(s.letter, s.active, s.daily_cap) for s in snapshot.services], window.services

    assert hall() == ([("A", True, 999)], ("A",))  # the day before: no trace of B
    assert window_info(node_db, 1, clock=lambda: now[0]).services == (("A", "缴费", "Payments"),)  # the counter's line
    with pytest.raises(InvalidInput) as not_here:
        queue.issue_ticket("B")
    assert not_here.value.code == "service_not_here"
    now[0] = at_noon(day)  # the same queue, a day later: read again, no sync in between
    assert hall() == ([("A", True, 999), ("B", True, 80)], ("A", "B"))
    assert [s[0] for s in window_info(node_db, 1, clock=lambda: now[0]).services] == ["A", "B"]
    assert queue.issue_ticket("B").ticket.number.startswith("B")
    now[0] = at_noon(retire)
    assert hall() == ([("A", False, 999), ("B", True, 40)], ("A", "B"))
    with pytest.raises(NotAllowed) as closed:
        queue.issue_ticket("A")
    assert closed.value.code == "service_closed"


def test_a_policy_table_from_a_later_day(console: ConsoleClient, client, make_node, node_db) -> None:  # type: ignore[no-untyped-def]
    day = today() + timedelta(days=3)
    console.publish_policy("B001", "offline", {"login_days": 3}, valid_from=day.isoformat())
    console.publish_policy("B001", "offline", {"login_days": 10})  # now: the entry from the later day is kept
    assert pull_all(node_db.sessions, node_call(client, make_node("B001", "counter", 1)), "B001").ok
    local = Settings()
    before, on = day - timedelta(days=1), day

    def days(d: date) -> int:
        return read_policy(offline_policy, local, node_db.sessions, d).login_days

    assert (days(before), days(on)) == (10, 3)
    assert branch_policy(node_db.sessions, "offline", {}, before) == {"login_days": 10}
    assert branch_policy(node_db.sessions, "offline", {}, on) == {"login_days": 3}


def test_the_hub_s_queue_table_follows_the_day(console: ConsoleClient, client, make_node, node_db) -> None:  # type: ignore[no-untyped-def]
    day = today() + timedelta(days=2)
    console.publish_policy("B001", "queue", {"recall_cap": 1}, valid_from=day.isoformat())
    assert pull_all(node_db.sessions, node_call(client, make_node("B001", "counter", 1)), "B001").ok
    local = Settings()
    now = [at_noon(day - timedelta(days=1))]

    def queue_on(d: date) -> QueueSettings:
        return read_policy(lambda s: options_from_table(QueueSettings, s, "queue"), local, node_db.sessions, d)

    queue = QueueService(node_db.sessions, "B001", QueueSettings(recall_cap=3), clock=lambda: now[0],
                         policy_on=queue_on)  # as the hub builds it (create_hub_app(follow_policy=True))
    assert queue.follow_policy() and queue.settings.recall_cap == 3  # the day before: the file's
    assert not queue.follow_policy()  # the same day: not read again
    now[0] = at_noon(day)  # midnight passed, no sync in between
    assert queue.follow_policy() and queue.settings.recall_cap == 1
    fixed = QueueService(node_db.sessions, "B001", QueueSettings(recall_cap=3), clock=lambda: now[0])
    assert not fixed.follow_policy() and fixed.settings.recall_cap == 3  # without policy_on: as given
