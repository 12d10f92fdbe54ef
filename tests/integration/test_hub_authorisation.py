"""Who may do what at the hub: every endpoint against every device role, over the real app on
loopback (served with the command fast path and without it), then staff sessions, revocation
and ratings. The expected matrix is written out here from the design, not read from the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from counter_app.hub.server import HubHandle, start_hub_in_thread
from counter_app.services.node import NodeDatabase
from tests.integration.queue_fixtures import (
    DISPLAY_TOKEN,
    KIOSK_TOKEN,
    MANAGER,
    TEST_PASSWORD,
    TOKEN,
    Hall,
    clerk_no,
    counter_token,
    evaluator_token,
    hall_database,
    hub_settings,
)

HTTP = httpx.Client(timeout=10)  # one connection pool: a new connection per request costs a delayed ACK each
ROLES = ("kiosk", "display", "counter", "evaluator", "manager")
TOKENS = {"kiosk": KIOSK_TOKEN, "display": DISPLAY_TOKEN, "counter": counter_token(1),
          "evaluator": evaluator_token(1), "manager": TOKEN}
WINDOW_COMMANDS = ("open", "pause", "resume", "close", "call-next", "recall", "start", "finish", "no-show", "hold",
                   "recycle", "call-back", "call-specific", "transfer")
K, D, C, E, M = ROLES
READERS = {K, D, C, M}
#: (method, path, body, the roles that may) - the design of issue 9, item 3
MATRIX: list[tuple[str, str, Any, set[str]]] = [
    ("GET", "/v1/health", None, {K, D, C, E, M}),
    ("POST", "/v1/tickets", {"service": "A"}, {K}),
    ("GET", "/v1/tickets/A001", None, READERS),
    ("GET", "/v1/waiting-counts", None, READERS),
    ("GET", "/v1/state", None, {K, D, C, E, M}),
    ("GET", "/v1/events?after=0", None, {K, D, C, E, M}),
    *[("POST", f"/v1/windows/1/{command}", {"ticket": "A001"} if command in ("call-back", "call-specific") else {},
       {C, M}) for command in WINDOW_COMMANDS],
    ("POST", "/v1/tickets/A001/cancel", {}, {C, M}),
    ("POST", "/v1/day/reset", {}, {M}),
    ("POST", "/v1/sessions", {"staff_no": "1001", "password": "not-the-password", "window": 1}, {C, M}),
    ("DELETE", "/v1/sessions/current", None, {C, M}),
    ("POST", "/v1/windows/1/ratings", {"ticket": "A001"}, {E}),
    ("GET", "/v1/windows/1/ratings/pending", None, {E}),
    ("POST", "/v1/windows/1/ratings/no-such-request/answer", {"level": 5}, {E}),
    ("POST", "/v1/windows/1/ratings/no-such-request/decline", {}, {E}),
]


@pytest.fixture(autouse=True, scope="module")
def _close_http() -> Iterator[None]:
    yield
    HTTP.close()


@pytest.fixture(params=[True, False], ids=["fast-path", "fastapi-only"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[HubHandle, Hall, NodeDatabase]]:
    node, hall = hall_database(tmp_path)
    handle = start_hub_in_thread(node, hub_settings(), fast_path=request.param)
    yield handle, hall, node
    handle.stop()
    node.dispose()


def headers(role: str, session: str | None = None) -> dict[str, str]:
    given = {"Authorization": f"Bearer {TOKENS[role]}"}
    if session:
        given["X-Staff-Session"] = session
    return given


def log_in(url: str, role: str, staff_no: str, window: int | None = 1) -> str:
    answer = HTTP.post(f"{url}/v1/sessions", json={"staff_no": staff_no, "password": TEST_PASSWORD, "window": window},
                        headers=headers(role))
    assert answer.status_code == 200, answer.text
    return answer.json()["session"]


def denied(answer: httpx.Response) -> bool:
    """Refused for who is asking (not for what was asked: a wrong password is a 401 of its own)."""
    return answer.status_code == 403 or (answer.status_code == 401 and answer.json()["field"] in ("device", "session"))


def seq(url: str) -> int:
    return HTTP.get(f"{url}/v1/state", headers=headers("display")).json()["seq"]


def test_every_endpoint_against_every_device_role(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle, hall, _ = hub
    url = handle.url
    HTTP.post(f"{url}/v1/tickets", json={"service": "A"}, headers=headers("kiosk")).raise_for_status()
    sessions = {"counter": log_in(url, "counter", clerk_no(1)), "manager": log_in(url, "manager", MANAGER)}
    refused, allowed = [], []
    for method, path, body, may in MATRIX:
        for role in ROLES:
            before = seq(url)
            answer = HTTP.request(method, f"{url}{path}", json=body, headers=headers(role, sessions.get(role)))
            outcome = (method, path, role, answer.status_code)
            if role in may:
                allowed.append(outcome)
                assert not denied(answer), (outcome, answer.text)
            else:
                refused.append(outcome)
                assert answer.status_code == 403, (outcome, answer.text)
                assert answer.json()["field"] == "device" and role in answer.json()["message"]
                assert seq(url) == before, outcome  # a refusal changes nothing
            if path == "/v1/sessions/current" and role in may:  # logged out: in again for the next rows
                sessions[role] = log_in(url, role, clerk_no(1) if role == "counter" else MANAGER)
    assert len(allowed) + len(refused) == len(MATRIX) * len(ROLES)
    for role in ROLES:  # the event stream: every enrolled device may follow it
        with connect(f"{url.replace('http', 'ws')}/v1/stream?after=0", additional_headers=headers(role)) as ws:
            assert '"kind"' in str(ws.recv(timeout=5))


def test_an_unknown_or_missing_device_token_is_refused_everywhere(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    url = hub[0].url
    for given in ({}, {"Authorization": "Bearer demo-device-token"}, {"Authorization": TOKEN}):
        for method, path, body, _ in MATRIX:
            answer = HTTP.request(method, f"{url}{path}", json=body, headers=given)
            assert answer.status_code == 401 and answer.json()["field"] == "device", (method, path)
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{url.replace('http', 'ws')}/v1/stream?after=0&token=demo-device-token")
    assert refused.value.response.status_code == 401


def test_window_commands_need_a_session_for_that_window_from_that_device(
        hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    """Issue 9: a kiosk's token opened window 1 under clerk 1001 and ran the manager's reset."""
    handle, hall, _ = hub
    url = handle.url
    open_1 = f"{url}/v1/windows/1/open"
    assert HTTP.post(open_1, json={"clerk_id": hall.clerk(1)}, headers=headers("kiosk")).status_code == 403
    assert HTTP.post(f"{url}/v1/day/reset", json={"clerk_id": hall.manager},
                      headers=headers("kiosk")).status_code == 403
    no_session = HTTP.post(open_1, json={"clerk_id": hall.clerk(1)}, headers=headers("counter"))
    assert no_session.status_code == 401 and no_session.json()["field"] == "session"
    assert HTTP.post(f"{url}/v1/windows/2/open", json={}, headers=headers("counter")).status_code == 403
    session = log_in(url, "counter", clerk_no(1))
    other_clerk = HTTP.post(open_1, json={"clerk_id": hall.clerk(2)}, headers=headers("counter", session))
    assert other_clerk.status_code == 403 and other_clerk.json()["field"] == "clerk_id"
    opened = HTTP.post(open_1, json={}, headers=headers("counter", session))
    assert opened.status_code == 200 and opened.json()["window"]["clerk_id"] == hall.clerk(1)  # the session's clerk
    # the session is the counter's own: another device presenting it gets nothing
    assert HTTP.post(open_1, json={}, headers=headers("manager", session)).status_code == 403
    at_two = HTTP.post(f"{url}/v1/sessions", json={"staff_no": clerk_no(2), "password": TEST_PASSWORD, "window": 2},
                        headers=headers("counter"))
    assert at_two.status_code == 403 and at_two.json()["field"] == "window"
    # a clerk's session cannot run the manager's reset, even on the manager's console
    clerk_on_console = log_in(url, "manager", clerk_no(3), window=3)
    reset = HTTP.post(f"{url}/v1/day/reset", json={}, headers=headers("manager", clerk_on_console))
    assert reset.status_code == 403 and reset.json()["field"] == "session"
    manager = log_in(url, "manager", MANAGER, window=None)
    assert HTTP.post(f"{url}/v1/day/reset", json={}, headers=headers("manager", manager)).status_code == 200


def test_a_wrong_password_at_the_hub_says_how_many_tries_are_left(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    url = hub[0].url
    body = {"staff_no": clerk_no(1), "password": "wrong-password", "window": 1}
    answers = [HTTP.post(f"{url}/v1/sessions", json=body, headers=headers("counter")) for _ in range(5)]
    assert [a.status_code for a in answers] == [401] * 5
    assert [a.json()["tries_left"] for a in answers] == [4, 3, 2, 1, 0]
    assert answers[-1].json()["reason"] == "locked" and "branch manager" in answers[-1].json()["message"]
    assert answers[-1].json()["locked_until"] is not None
    right = HTTP.post(f"{url}/v1/sessions", json={**body, "password": TEST_PASSWORD}, headers=headers("counter"))
    assert right.status_code == 401 and right.json()["reason"] == "locked"
