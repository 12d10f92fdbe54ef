"""A branch's catalogue, its local policy tables and a new staff member, edited from the console's
API on a real head office (PostgreSQL, HTTP on loopback), then pulled by a real branch SQLite file:
each edit published through head office's publisher and audited with its operator; bad input
refused naming the field and the rule, with nothing changed; a service retired, never deleted."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Iterator

import pytest
from sqlalchemy import select

from counter_app.core.messages import render
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.staff_rules import verify_password
from counter_app.hq.console_client import ConsoleClient
from counter_app.hq.operators import add_operator
from counter_app.hq.refdata import api
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import Service, Staff, Window
from counter_app.services.sync.refdata import branch_policy, pull_all
from tests.hq.refdata_fixtures import publish_branch
from tests.hq.refdata_wire import node_call
from tests.hq.test_hq_console_reference import PASSWORD, audited



@pytest.fixture
def console(hq, hq_db) -> Iterator[ConsoleClient]:  # type: ignore[no-untyped-def]
    add_operator(hq_db.engine, "zhang.wei", PASSWORD)
    for branch in ("B001", "B002"):
        publish_branch(hq_db.engine, branch)  # service "payment" (A), window 1 serving it
    client = ConsoleClient(hq[0].url)
    client.login("zhang.wei", PASSWORD)
    yield client
    client.close()


def refused(kind: type[Exception], call, *args, **kwargs):  # type: ignore[no-untyped-def]
    with pytest.raises(kind) as caught:
        call(*args, **kwargs)
    return caught.value


SERVICE = {"code": "water_apply", "letter": "B", "name_zh": "用水报装", "name_en": "New connections",
           "daily_cap": 80, "standard_minutes": 15, "sort_order": 2}


def test_services_windows_and_a_policy_table(console: ConsoleClient, hq_db, client, make_node, node_db) -> None:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    assert [b["code"] for b in console.branches()] == ["B001", "B002"]
    before = len(api.list_current(engine, "service", "B001"))
    taken = refused(InvalidInput, console.save_service, "B001", {**SERVICE, "letter": "A"}, new=True)
    assert (taken.field, taken.code, taken.params["other"]) == ("letter", "hq_service_letter_taken", "payment")
    assert "payment" in render(taken.code, taken.params, "zh_CN")
    assert refused(NotAllowed, console.save_service, "B001", {**SERVICE, "code": "payment"}, new=True).code == "hq_service_exists"
    bad = refused(InvalidInput, console.save_service, "B001", {**SERVICE, "letter": "1"}, new=True)
    assert bad.code == "ref_field_rule" and bad.params["name"] == "service.letter"  # a capital letter A-Z
    assert len(api.list_current(engine, "service", "B001")) == before  # nothing of the refusals written
    assert console.save_service("B001", SERVICE, new=True)["new"] is True
    console.save_service("B001", {**SERVICE, "name_zh": "用水报装（新）", "daily_cap": 60}, new=False)
    console.set_service_active("B001", "payment", False)  # retired, kept with its letter
    services = {s["code"]: s for s in console.services("B001")}
    assert services["payment"]["active"] is False and services["payment"]["letter"] == "A"
    assert (services["water_apply"]["name_zh"], services["water_apply"]["daily_cap"]) == ("用水报装（新）", 60)
    assert refused(InvalidInput, console.save_service, "B001", {**SERVICE, "code": "meter", "letter": "A"},
                   new=True).code == "hq_service_letter_taken"  # a retired service keeps its letter

    assert refused(InvalidInput, console.save_window, "B001", 2, "2号窗口", True, []).code == "hq_window_no_service"
    retired = refused(InvalidInput, console.save_window, "B001", 2, "2号窗口", True, ["payment"])
    assert (retired.field, retired.code) == ("services", "hq_service_retired")
    console.save_window("B001", 2, "2号窗口", True, ["water_apply"])
    console.save_window("B001", 1, "1号窗口", False, [])  # closed: serves nothing
    assert [(w["number"], w["active"], w["services"]) for w in console.windows("B001")] == [
        (1, False, []), (2, True, ["water_apply"])]

    wrong = refused(InvalidInput, console.publish_policy, "B001", "offline", {"login_days": 400})
    assert (wrong.field, wrong.code, wrong.params["key"]) == ("values", "hq_policy_value", "offline.login_days")
    assert refused(InvalidInput, console.publish_policy, "B001", "nonsense", {"a": 1}).code == "one_of"
    assert api.list_current(engine, "policy") == []
    console.publish_policy("*", "offline", {"login_days": 14})
    console.publish_policy("B001", "offline", {"login_days": 3})
    assert [(p["bucket"], p["values"]) for p in api.list_current(engine, "policy")] == [
        ("B001", {"login_days": 3}), ("B002", {"login_days": 14})]
    history = console.policy_history("B001", "offline")
    assert [(h["payload"]["values"]["login_days"], h["published_by"]) for h in history] == [(3, "zhang.wei"), (14, "zhang.wei")]
    assert audited(hq_db) == [
        ("zhang.wei", "service_added", "B001/water_apply"), ("zhang.wei", "service_changed", "B001/water_apply"),
        ("zhang.wei", "service_retired", "B001/payment"), ("zhang.wei", "window_saved", "B001/2"),
        ("zhang.wei", "window_saved", "B001/1"), ("zhang.wei", "policy_published", "*/offline"),
        ("zhang.wei", "policy_published", "B001/offline")]

    node = make_node("B001", "counter", 2)  # the branch takes it all through its streams
    report = pull_all(node_db.sessions, node_call(client, node), "B001")
    assert report.ok and all(s.checksum_ok for s in report.streams if s.published), report
    with unit_of_work(node_db.sessions) as session:
        rows = session.execute(select(Service.code, Service.letter, Service.active).order_by(Service.code)).all()
        assert [tuple(r) for r in rows] == [("payment", "A", False), ("water_apply", "B", True)]
        assert [tuple(r) for r in session.execute(select(Window.number, Window.active).order_by(Window.number))] == [
            (1, False), (2, True)]
    assert branch_policy(node_db.sessions, "offline", {"login_days": 7}, date.today()) == {"login_days": 3}


def test_a_new_staff_member(console: ConsoleClient, hq_db, client, make_node, node_db) -> None:  # type: ignore[no-untyped-def]
    engine = hq_db.engine
    today = date.today()
    new = {"staff_no": "1003", "name": "赵敏", "role": "clerk", "branches": ["B001"], "password": "first-pw-77",
           "offline_valid_until": (today + timedelta(days=30)).isoformat()}
    short = refused(InvalidInput, console.create_staff, {**new, "password": "abc"})
    assert (short.field, short.code) == ("password", "password_short")
    past = refused(InvalidInput, console.create_staff, {**new, "offline_valid_until": today.isoformat()})
    assert (past.field, past.code) == ("offline_valid_until", "hq_offline_until_past")
    unknown = refused(InvalidInput, console.create_staff, {**new, "branches": ["B009"]})
    assert (unknown.field, unknown.code) == ("branch", "ref_branch_unknown")
    nowhere = refused(InvalidInput, console.create_staff, {**new, "branches": []})
    assert (nowhere.field, nowhere.params["name"]) == ("branches", "staff.branches")
    role = refused(InvalidInput, console.create_staff, {**new, "role": "boss"})
    assert role.code == "ref_field_rule" and role.params["name"] == "staff.role"
    assert api.list_current(engine, "staff") == []  # nothing of the refusals written
    answer = console.create_staff(new)
    assert answer["offline_valid_until"].startswith((today + timedelta(days=30)).isoformat() + "T23:59:59")
    held = api.current(engine, "staff", "1003")
    assert held["password_hash"].startswith("$argon2id$") and verify_password(held["password_hash"], "first-pw-77")
    assert "password" not in held and "first-pw-77" not in str(held)
    again = refused(NotAllowed, console.create_staff, {**new, "name": "另一人"})
    assert again.code == "hq_staff_exists" and api.current(engine, "staff", "1003")["name"] == "赵敏"
    assert [p["staff_no"] for p in console.staff()] == ["1003"]
    assert audited(hq_db) == [("zhang.wei", "staff_created", "1003")]

    node = make_node("B001", "counter", 1)
    assert pull_all(node_db.sessions, node_call(client, node), "B001").ok
    with unit_of_work(node_db.sessions) as session:
        staff = session.scalars(select(Staff).where(Staff.staff_no == "1003")).one()
        assert staff.name == "赵敏" and verify_password(staff.password_hash, "first-pw-77") and not staff.disabled
