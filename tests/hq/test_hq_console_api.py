"""The head-office console's API on a real head office (real PostgreSQL, real HTTP on loopback),
through the console's own client: operators log in (lock-out, disabled), every act needs a live
session and is audited with the operator's id, refusals come with codes that have words."""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest
from sqlalchemy import func, select

from counter_app.core import syncwire
from counter_app.core.messages import render
from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hq.console_client import ConsoleClient
from counter_app.hq.errors import ConsoleSessionEnded
from counter_app.hq.models import HQAudit, InboundEvent
from counter_app.hq.operators import add_operator, set_disabled
from tests.hq.wire import enrol

PASSWORD = "s3cret-pass"


@pytest.fixture
def console(hq, hq_db) -> Iterator[ConsoleClient]:  # type: ignore[no-untyped-def]
    add_operator(hq_db.engine, "zhang.wei", PASSWORD)
    client = ConsoleClient(hq[0].url)
    yield client
    client.close()


def audit_rows(hq_db) -> list[tuple[str | None, str, str, str]]:  # type: ignore[no-untyped-def]
    with hq_db.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(select(HQAudit.operator_id, HQAudit.actor_label, HQAudit.action,
                                                            HQAudit.entity_id).order_by(HQAudit.id))]


def test_login_locks_after_five_wrong_passwords_and_a_disabled_operator_is_refused(console, hq_db) -> None:
    for left in (4, 3, 2, 1):
        with pytest.raises(NotAllowed) as wrong:
            console.login("zhang.wei", "not-it")
        assert wrong.value.code == "hq_login_tries_left" and wrong.value.params == {"n": left}
    with pytest.raises(NotAllowed) as locked:
        console.login("zhang.wei", "not-it")
    assert locked.value.code == "hq_login_locked" and "锁定至" in render(locked.value.code, locked.value.params, "zh_CN")
    with pytest.raises(NotAllowed) as still:
        console.login("zhang.wei", PASSWORD)  # the right password does not open a locked account
    assert still.value.code == "hq_login_locked"
    with pytest.raises(NotAllowed) as unknown:
        console.login("nobody", PASSWORD)
    assert unknown.value.code == "hq_login_wrong"
    with pytest.raises(InvalidInput) as empty:
        console.login("  ", PASSWORD)
    assert empty.value.field == "name"
    add_operator(hq_db.engine, "li.na", PASSWORD)
    set_disabled(hq_db.engine, "li.na", True)
    with pytest.raises(NotAllowed) as disabled:
        console.login("li.na", PASSWORD)
    assert disabled.value.code == "hq_login_disabled"
    actions = [(label, action) for _, label, action, _ in audit_rows(hq_db)]
    assert actions.count(("zhang.wei", "login_failed")) == 5 and ("zhang.wei", "operator_locked") in actions
    assert ("zhang.wei", "login_refused") in actions and ("?6", "login_failed") in actions  # the unknown name not kept
    assert ("li.na", "login_refused") in actions


def test_every_call_needs_a_live_session_in_the_shared_error_shape(console, client: httpx.Client, hq_db) -> None:
    answer = client.get("/v1/console/nodes", headers={syncwire.H_PROTOCOL: "1"})
    assert answer.status_code == 401 and answer.json()["code"] == "hq_session_ended" and "params" in answer.json()
    console.login("zhang.wei", PASSWORD)
    assert console.me()["name"] == "zhang.wei"
    token = console.token
    console.logout()
    console.token = token  # an ended session stays ended
    with pytest.raises(ConsoleSessionEnded):
        console.nodes()
    assert console.token == ""
    console.login("zhang.wei", PASSWORD)
    set_disabled(hq_db.engine, "zhang.wei", True)  # switching an operator off ends their sessions
    with pytest.raises(ConsoleSessionEnded):
        console.me()
    bad = client.post("/v1/console/login", json={"name": 5}, headers={syncwire.H_PROTOCOL: "1"})
    assert bad.status_code == 422 and bad.json()["code"] == "request_invalid" and bad.json()["field"] == "name"


def test_an_issued_code_enrols_a_node_that_the_list_then_shows(console, client: httpx.Client, hq_db) -> None:
    console.login("zhang.wei", PASSWORD)
    issued = console.issue_code("B017", "counter", 3, 7)
    assert issued["terminal_code"] == "T03" and len(issued["code"]) == 19
    enrolled = enrol(client, issued["code"], "window-3-pc")
    nodes = console.nodes()
    assert [(n["node_id"], n["branch_code"], n["terminal_code"], n["hostname"], n["quarantined"]) for n in nodes] == [
        (enrolled["node_id"], "B017", "T03", "window-3-pc", 0)]
    assert nodes[0]["last_seen_at"] is None and "pending" in nodes[0] and "oldest_unsent_payment_at" in nodes[0]
    operator_id = console.operator["id"]
    assert (operator_id, "zhang.wei", "enrol_code_issued", "B017/T03") in audit_rows(hq_db)
    for args, field, code in [(("b17", "counter", 3, 7), "branch", "branch_code_form"),
                              (("B017", "printer", 3, 7), "role", "one_of"),
                              (("B017", "counter", None, 7), "window", "hq_window_required"),
                              (("B017", "hub", 2, 7), "window", "hq_hub_no_window"),
                              (("B017", "counter", 100, 7), "window", "whole_number_range"),
                              (("B017", "kiosk", 1, 91), "days", "whole_number_range")]:
        with pytest.raises(InvalidInput) as refused:
            console.issue_code(*args)
        assert (refused.value.field, refused.value.code) == (field, code)
        assert render(refused.value.code, refused.value.params, "zh_CN") != refused.value.code


def test_quarantined_events_are_reapplied_or_rejected_never_deleted(console, make_node, client, hq_db) -> None:
    node = make_node()
    payment = node.payment(800)
    void = node.payment(-800, kind="void", reverses_id=payment["payload"]["payment"]["id"])
    broken = node.payment(5)
    broken["payload"]["payment"]["amount_fen"] = 7  # edited after hashing
    node.push(client, [void, broken])
    console.login("zhang.wei", PASSWORD)
    held = {q["event_id"]: q["error_code"] for q in console.quarantine()}
    assert held == {void["event_id"]: "depends_on_missing", broken["event_id"]: "payload_hash_mismatch"}
    assert console.nodes()[0]["quarantined"] == 2
    with pytest.raises(NotAllowed) as refused:
        console.resolve(void["event_id"], "reapply", "paper receipt seen")
    assert refused.value.code == "hq_reapply_refused" and refused.value.params["why"] == "depends_on_missing"
    with pytest.raises(InvalidInput) as no_reason:
        console.resolve(broken["event_id"], "reject", "  ")
    assert no_reason.value.code == "hq_reason_required"
    assert console.resolve(broken["event_id"], "reject", "edited at the branch")["status"] == "rejected"
    with pytest.raises(NotAllowed) as again:
        console.resolve(broken["event_id"], "reapply", "changed my mind")
    assert again.value.code == "hq_event_resolved" and render("hq_event_resolved", again.value.params, "zh_CN").endswith(
        "（当前：已拒绝）。")
    with pytest.raises(InvalidInput):
        console.resolve("no-such-event", "reject", "x")
    node.push(client, [payment])  # head office books the void after its payment by itself
    assert console.quarantine() == []
    with hq_db.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(InboundEvent)) == 3
        resolved_by = connection.scalar(select(InboundEvent.resolved_by).where(InboundEvent.event_id == broken["event_id"]))
    assert resolved_by == "zhang.wei"
    assert (console.operator["id"], "zhang.wei", "event_rejected", broken["event_id"]) in audit_rows(hq_db)
    assert [a["action"] for a in console.audit()][:2] == ["event_rejected", "login"]


def test_sessions_end_when_unused_and_a_lock_out_ends_by_itself(hq_db) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from counter_app.domain.timeutil import utcnow
    from counter_app.hq.operators import SESSION_IDLE, login, session_operator

    engine = hq_db.engine
    add_operator(engine, "zhang.wei", PASSWORD)
    start = utcnow()
    done = login(engine, "zhang.wei", PASSWORD, now=start)
    with engine.begin() as connection:
        assert session_operator(connection, done.token, start + SESSION_IDLE - timedelta(minutes=1)).name == "zhang.wei"
    with engine.begin() as connection:  # used a minute before: the idle time counts from then
        assert session_operator(connection, done.token, start + 2 * SESSION_IDLE - timedelta(minutes=3)).name == "zhang.wei"
    with pytest.raises(ConsoleSessionEnded), engine.begin() as connection:
        session_operator(connection, done.token, start + 4 * SESSION_IDLE)
    for _ in range(5):
        with pytest.raises(NotAllowed):
            login(engine, "zhang.wei", "not-it", now=start)
    with pytest.raises(NotAllowed) as locked:
        login(engine, "zhang.wei", PASSWORD, now=start + timedelta(minutes=14))
    assert locked.value.code == "hq_login_locked"
    assert login(engine, "zhang.wei", PASSWORD, now=start + timedelta(minutes=16)).operator.name == "zhang.wei"


def test_a_node_is_revoked_from_the_console_with_a_reason(console, make_node, client, hq_db) -> None:  # type: ignore[no-untyped-def]
    node = make_node()
    console.login("zhang.wei", PASSWORD)
    with pytest.raises(InvalidInput) as no_reason:
        console.revoke(node.node_id, " ")
    assert no_reason.value.code == "hq_reason_required"
    with pytest.raises(InvalidInput) as unknown:
        console.revoke("no-such-node", "stolen")
    assert unknown.value.code == "hq_node_unknown"
    assert console.revoke(node.node_id, "PC stolen")["status"] == "revoked"
    assert [n["status"] for n in console.nodes()] == ["revoked"]
    assert node.hello(client).json()["code"] == "node_revoked"  # the node's next request is refused
    assert (console.operator["id"], "zhang.wei", "node_revoked", node.node_id) in audit_rows(hq_db)
