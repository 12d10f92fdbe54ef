"""Enrolment codes (one-time, hashed, expiring) and what ``POST /v1/enrol`` hands out."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from counter_app.core import syncwire
from counter_app.domain.timeutil import utcnow
from counter_app.hq.enrolment import code_hash, issue_code, list_nodes, terminal_code
from counter_app.hq.errors import HQError
from counter_app.hq.models import EnrolCode, SyncNode
from tests.hq.wire import Node, enrol


def try_enrol(client, code: str):
    return client.post("/v1/enrol", headers={syncwire.H_PROTOCOL: "1"},
                       json={"code": code, "hostname": "pc-7", "app_version": "1.0", "schema_version": 1,
                             "previous_node_id": None})


@pytest.mark.parametrize(("role", "window", "expected"), [
    ("counter", 3, "T03"), ("hub", None, "H01"), ("kiosk", None, "K01"), ("kiosk", 2, "K02"),
    ("display", None, "D01"), ("evaluator", 12, "E12")])
def test_terminal_codes_follow_the_contract(role, window, expected) -> None:
    assert terminal_code(role, window) == expected


@pytest.mark.parametrize(("role", "window", "field"), [
    ("counter", None, "window"), ("evaluator", None, "window"), ("hub", 2, "window"), ("counter", 100, "window"),
    ("cashier", 1, "role")])
def test_impossible_terminals_are_refused_with_the_field(role, window, field) -> None:
    with pytest.raises(HQError) as caught:
        terminal_code(role, window)
    assert caught.value.params["field"] == field


def test_a_code_enrols_one_node_once_and_is_stored_only_hashed(hq_db, client) -> None:
    issued = issue_code(hq_db.engine, "B017", "counter", 3, 7)
    answer = try_enrol(client, issued.code.lower().replace("-", " "))  # typed by hand: case and spaces forgiven
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["branch_code"], body["terminal_code"], body["incarnation"], body["role"], body["window"]) == \
        ("B017", "T03", 1, "counter", 3)
    assert len(base64.b64decode(body["secret"])) == 32
    with hq_db.engine.connect() as connection:
        dump = connection.execute(text("SELECT row_to_json(e)::text FROM enrol_code e")).scalars().all()
        row = connection.execute(select(EnrolCode)).first()
    assert issued.code.replace("-", "") not in "".join(dump) and issued.code not in "".join(dump)
    assert row.code_sha256 == code_hash(issued.code) and row.used_by_node == body["node_id"]
    again = try_enrol(client, issued.code)
    assert again.status_code == 403 and again.json()["code"] == "enrol_code_used"


def test_unknown_and_expired_codes_are_refused(hq_db, client) -> None:
    response = try_enrol(client, "AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 403 and response.json()["code"] == "enrol_code_unknown"
    old = issue_code(hq_db.engine, "B001", "hub", None, 1, now=utcnow() - timedelta(days=2))
    response = try_enrol(client, old.code)
    assert response.status_code == 403 and response.json()["code"] == "enrol_code_expired"
    with hq_db.engine.connect() as connection:
        assert connection.scalar(select(SyncNode.node_id)) is None


def test_a_bad_enrolment_request_names_the_field(hq_db, client) -> None:
    response = client.post("/v1/enrol", headers={syncwire.H_PROTOCOL: "1"}, json={"code": "x", "hostname": ""})
    assert response.status_code == 422 and response.json()["params"]["field"] == "hostname"


def test_re_enrolment_supersedes_and_counts_incarnations(hq_db, client) -> None:
    nodes = [Node.from_enrolment(enrol(client, issue_code(hq_db.engine, "B001", "counter", 2, 7).code))
             for _ in range(3)]
    assert [n.incarnation for n in nodes] == [1, 2, 3]
    assert len({n.node_id for n in nodes}) == 3
    listed = {n.node_id: n for n in list_nodes(hq_db.engine)}
    assert [listed[n.node_id].status for n in nodes] == ["superseded", "superseded", "active"]
    with hq_db.engine.connect() as connection:
        predecessors = dict(connection.execute(select(SyncNode.node_id, SyncNode.predecessor_id)).all())
    assert predecessors[nodes[2].node_id] == nodes[1].node_id and predecessors[nodes[0].node_id] is None
    # another terminal of the same branch starts its own count
    other = Node.from_enrolment(enrol(client, issue_code(hq_db.engine, "B001", "counter", 5, 7).code))
    assert (other.terminal_code, other.incarnation) == ("T05", 1)


def test_the_node_list_shows_contact_lag_gaps_and_quarantine(hq_db, client, make_node) -> None:
    node = make_node()
    events = [node.payment(i + 1) for i in range(4)]
    events[1]["payload"]["payment"]["amount_fen"] = 7  # hash mismatch: quarantined
    node.push(client, [events[0], events[1], events[3]])  # 3 missing
    row = next(n for n in list_nodes(hq_db.engine) if n.node_id == node.node_id)
    assert (row.events, row.gaps, row.quarantined) == (3, 1, 1)
    assert row.last_seen_at is not None and row.lag_seconds is not None and 0 <= row.lag_seconds < 60
