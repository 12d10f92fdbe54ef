"""Who may talk to head office (contract §3, G16, G18): every signed endpoint refuses forged,
stale, replayed, foreign, revoked and superseded requests, and a refused push stores nothing."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import func, select

from counter_app.core import syncwire
from counter_app.hq.enrolment import issue_code, revoke
from counter_app.hq.models import InboundEvent
from tests.hq.wire import Node, enrol, signed_headers

SIGNED = ("/v1/sync/hello", "/v1/sync/push")


def body_for(node: Node, path: str) -> dict:
    if path.endswith("hello"):
        return {"node_id": node.node_id, "incarnation": node.incarnation, "app_version": "t", "schema_version": 1,
                "acked": {}}
    return {"node_id": node.node_id, "incarnation": node.incarnation, "events": [node.payment()]}


def stored(hq_db) -> int:
    with hq_db.engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(InboundEvent))


def refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["message"] and isinstance(body["params"], dict)


@pytest.mark.parametrize("path", SIGNED)
def test_a_correctly_signed_request_is_answered(make_node, client, path) -> None:
    node = make_node()
    raw, headers = node.request(path, body_for(node, path))
    assert client.post(path, content=raw, headers=headers).status_code == 200


@pytest.mark.parametrize("path", SIGNED)
def test_a_wrong_secret_or_an_unknown_node_is_a_bad_signature(make_node, client, hq_db, path) -> None:
    node = make_node()
    raw = syncwire.canonical_json(body_for(node, path)).encode()
    refused(client.post(path, content=raw, headers=signed_headers(node.node_id, b"x" * 32, path, raw)),
            401, "bad_signature")
    refused(client.post(path, content=raw, headers=signed_headers("no-such-node", node.secret, path, raw)),
            401, "bad_signature")
    _, headers = node.request(path, {**body_for(node, path), "incarnation": 7})
    refused(client.post(path, content=raw, headers=headers), 401, "bad_signature")  # body not the one signed
    other = "/v1/sync/push" if path.endswith("hello") else "/v1/sync/hello"
    raw, headers = node.request(other, body_for(node, path))
    refused(client.post(path, content=raw, headers=headers), 401, "bad_signature")  # signed for another path
    headers = {k: v for k, v in headers.items() if k != syncwire.H_SIGNATURE}
    refused(client.post(path, content=raw, headers=headers), 401, "bad_signature")
    assert stored(hq_db) == 0


@pytest.mark.parametrize("path", SIGNED)
def test_a_node_cannot_pose_as_another(make_node, client, hq_db, path) -> None:
    a, b = make_node(window=1), make_node(window=2)
    raw = syncwire.canonical_json(body_for(a, path)).encode()
    # b signs with its own secret but names a: the signature does not match a's secret
    refused(client.post(path, content=raw, headers=signed_headers(a.node_id, b.secret, path, raw)), 401, "bad_signature")
    # b signs a body about a, honestly as b: refused as another node's business
    refused(client.post(path, content=raw, headers=signed_headers(b.node_id, b.secret, path, raw)), 403, "node_mismatch")
    assert stored(hq_db) == 0


def test_a_node_cannot_push_another_nodes_events(make_node, client, hq_db) -> None:
    a, b = make_node(window=1), make_node(window=2)
    mine, foreign = b.payment(), a.payment()
    refused(b.push(client, [mine, foreign]), 403, "node_mismatch")
    assert stored(hq_db) == 0  # nothing applied, not even b's own event


@pytest.mark.parametrize("path", SIGNED)
def test_a_replayed_request_is_refused_whoever_sends_it(make_node, client, hq_db, path) -> None:
    a, b = make_node(window=1), make_node(window=2)
    raw, headers = a.request(path, body_for(a, path))
    assert client.post(path, content=raw, headers=headers).status_code == 200
    refused(client.post(path, content=raw, headers=headers), 401, "replayed_request")  # captured and sent again
    stolen = {**headers, syncwire.H_NODE: b.node_id}  # replayed by another node under its own name
    refused(client.post(path, content=raw, headers=stolen), 401, "bad_signature")


@pytest.mark.parametrize("path", SIGNED)
@pytest.mark.parametrize("beyond", [-1, 1])
def test_a_stale_or_future_timestamp_is_refused(make_node, client, hq_db, path, beyond) -> None:
    # a minute outside the window, so a slow machine between signing and checking cannot bring
    # a future stamp back inside it (301 s failed when the check came more than a second later)
    skew = beyond * (syncwire.CLOCK_WINDOW_SECONDS + 60)
    node = make_node()
    raw, headers = node.request(path, body_for(node, path), timestamp=int(time.time()) + skew)
    response = client.post(path, content=raw, headers=headers)
    refused(response, 401, "stale_request")
    assert response.json()["params"]["window_seconds"] == syncwire.CLOCK_WINDOW_SECONDS
    assert stored(hq_db) == 0


@pytest.mark.parametrize("path", [*SIGNED, "/v1/enrol"])
@pytest.mark.parametrize("protocol", [None, "2", "x"])
def test_a_missing_or_unknown_protocol_needs_an_upgrade(make_node, client, path, protocol) -> None:
    node = make_node()
    raw, headers = node.request(path, body_for(node, path))
    headers.pop(syncwire.H_PROTOCOL)
    if protocol is not None:
        headers[syncwire.H_PROTOCOL] = protocol
    response = client.post(path, content=raw, headers=headers)
    refused(response, 426, "upgrade_required")
    assert response.json()["params"] == {"accepted_protocols": [1], "accepted_schema_versions": [1]}


def test_an_unknown_schema_version_needs_an_upgrade_and_applies_nothing(make_node, client, hq_db) -> None:
    node = make_node()
    raw, headers = node.request("/v1/sync/hello", {**body_for(node, "/v1/sync/hello"), "schema_version": 2})
    refused(client.post("/v1/sync/hello", content=raw, headers=headers), 426, "upgrade_required")
    current, newer = node.payment(), node.payment()
    newer["schema_version"] = 2
    refused(node.push(client, [current, newer]), 426, "upgrade_required")
    assert stored(hq_db) == 0
    issued = issue_code(hq_db.engine, "B001", "counter", 9, 7)
    response = client.post("/v1/enrol", headers={syncwire.H_PROTOCOL: "1"},
                           json={"code": issued.code, "hostname": "h", "app_version": "t", "schema_version": 99})
    refused(response, 426, "upgrade_required")


def test_an_oversize_batch_is_refused_whole(make_node, client, hq_db) -> None:
    node = make_node()
    response = node.push(client, [node.payment() for _ in range(syncwire.MAX_BATCH_EVENTS + 1)])
    refused(response, 413, "batch_too_large")
    assert response.json()["params"] == {"max_events": 200, "max_bytes": 256 * 1024}
    big = node.payment()
    big["payload"]["note"] = "x" * syncwire.MAX_BATCH_BYTES
    refused(node.push(client, [big]), 413, "batch_too_large")
    assert stored(hq_db) == 0
    assert node.push(client, [node.payment() for _ in range(syncwire.MAX_BATCH_EVENTS)]).status_code == 200


@pytest.mark.parametrize("path", SIGNED)
def test_a_revoked_node_is_refused(make_node, client, hq_db, path) -> None:
    node = make_node()
    assert revoke(hq_db.engine, node.node_id, "PC stolen")
    raw, headers = node.request(path, body_for(node, path))
    refused(client.post(path, content=raw, headers=headers), 403, "node_revoked")
    assert stored(hq_db) == 0


@pytest.mark.parametrize("path", SIGNED)
def test_a_superseded_node_is_refused_and_its_successor_delivers_its_events(make_node, client, hq_db, path) -> None:
    old = make_node(window=4)
    pending = old.payment()
    issued = issue_code(hq_db.engine, "B001", "counter", 4, 7)
    new = Node.from_enrolment(enrol(client, issued.code, previous=old.node_id))
    assert (new.terminal_code, new.incarnation) == ("T04", 2)
    raw, headers = old.request(path, body_for(old, path))
    refused(client.post(path, content=raw, headers=headers), 403, "node_superseded")
    # the restored database's old pending events go up under the new credential (contract §2)
    response = new.push(client, [pending])
    assert [r["status"] for r in response.json()["results"]] == ["applied"]
    # but not the events of another terminal's node
    other = make_node(window=5)
    refused(new.push(client, [other.payment()]), 403, "node_mismatch")


def test_health_needs_no_credential(client) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["X-Correlation-Id"]
