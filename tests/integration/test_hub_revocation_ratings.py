"""Revocation takes effect at once (requests and open event streams), a logout ends the
session, and ratings come only from the enrolled evaluator of the window, for a ticket the hub
itself finished there (the review of issue 9: a clerk's process rated as ``screen:W02``, a
made-up ``done`` event was rated, a rewritten event time passed the freshness check)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from sqlalchemy import select
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import new_id
from counter_app.hub.client import HubAuthError, HubClient, HubForbidden, SessionEnded
from counter_app.hub.server import HubHandle, start_hub_in_thread
from counter_app.persistence.database import unit_of_work
from counter_app.persistence.models import AuditLog, HubStaffSession, Rating
from counter_app.services.devices import DeviceRegistry
from counter_app.services.node import NodeDatabase
from tests.integration.queue_fixtures import (
    DISPLAY_TOKEN,
    KIOSK_TOKEN,
    TEST_PASSWORD,
    Hall,
    clerk_no,
    counter_token,
    evaluator_token,
    hall_database,
    hub_settings,
)


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[HubHandle, Hall, NodeDatabase]]:
    node, hall = hall_database(tmp_path)
    handle = start_hub_in_thread(node, hub_settings())
    yield handle, hall, node
    handle.stop()
    node.dispose()


def until(check, seconds: float = 5.0) -> float:  # type: ignore[no-untyped-def]
    """Seconds until ``check()`` holds (fails the test after ``seconds``)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < seconds, "did not happen in time"
        time.sleep(0.02)
    return time.monotonic() - started


def device_named(node: NodeDatabase, role: str, window: int | None = None) -> str:
    return next(d.name for d in DeviceRegistry(node).list() if (d.role, d.window) == (role, window))


def test_a_revoked_device_stops_at_once_and_its_stream_is_closed(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle, hall, node = hub
    display = HubClient(handle.url, DISPLAY_TOKEN)
    kiosk = HubClient(handle.url, KIOSK_TOKEN)
    kiosk.issue_ticket("A")
    with connect(f"{handle.url.replace('http', 'ws')}/v1/stream?after=0",
                 additional_headers={"Authorization": f"Bearer {DISPLAY_TOKEN}"}) as ws:
        assert '"issued"' in str(ws.recv(timeout=5))
        before = display.state()["seq"]
        DeviceRegistry(node).revoke(device_named(node, "display"), by="test")  # as hub-admin does
        took = until(lambda: _refused(display))
        assert took < 2.0
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)  # the open stream was closed, not left running
    assert kiosk.issue_ticket("A")["seq"] == before + 1  # the others go on
    display.close()
    kiosk.close()


def _refused(client: HubClient) -> bool:
    try:
        client.state()
    except HubAuthError:
        return True
    return False


def test_revoking_a_counter_ends_its_clerks_session_and_logout_ends_it_at_once(
        hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle, hall, node = hub
    counter = HubClient(handle.url, counter_token(1))
    counter.login(clerk_no(1), TEST_PASSWORD, 1)
    counter.open_window(1, None)
    counter.logout(1)
    counter.sessions[1] = "cad1_forged-or-old-session-token"
    with pytest.raises(SessionEnded):
        counter.pause_window(1, None)
    counter.login(clerk_no(1), TEST_PASSWORD, 1)
    counter.pause_window(1, None)
    DeviceRegistry(node).revoke(device_named(node, "counter", 1), by="test")
    until(lambda: _refused(counter))
    with pytest.raises(HubAuthError):
        counter.resume_window(1, None)
    with unit_of_work(node.sessions) as session:
        ends = sorted(s.ended_reason for s in session.scalars(select(HubStaffSession)))
        actions = list(session.scalars(select(AuditLog.action)))
    assert ends == ["device_revoked", "logout"]
    assert actions.count("login") == 2 and "logout" in actions and "device_revoked" in actions
    counter.close()


def finished_at(client: HubClient, window: int) -> dict:
    """A ticket taken, called, served and finished at ``window`` by its clerk, via the hub."""
    with HubClient(client.url, KIOSK_TOKEN) as kiosk:
        kiosk.issue_ticket("A")
    client.open_window(window, None)
    ticket = client.call_next(window, None)["ticket"]
    client.start_service(window, None)
    client.finish(window, None)
    return ticket


@pytest.fixture
def counters(hub: tuple[HubHandle, Hall, NodeDatabase]) -> Iterator[dict[int, HubClient]]:
    handle = hub[0]
    clients = {w: HubClient(handle.url, counter_token(w)) for w in (1, 2)}
    for window, client in clients.items():
        client.login(clerk_no(window), TEST_PASSWORD, window)
    yield clients
    for client in clients.values():
        client.close()


def test_only_the_windows_evaluator_rates_a_service_the_hub_finished(
        hub: tuple[HubHandle, Hall, NodeDatabase], counters: dict[int, HubClient]) -> None:
    handle, hall, node = hub
    ticket = finished_at(counters[1], 1)
    evaluator = HubClient(handle.url, evaluator_token(1))
    other_evaluator = HubClient(handle.url, evaluator_token(2))
    with pytest.raises(HubForbidden):  # the clerk's own counter cannot ask for or give a rating
        counters[1]._call("POST", "/v1/windows/1/ratings", {"ticket": ticket["id"]})
    with pytest.raises(HubForbidden):  # nor can another window's evaluator
        other_evaluator.ask_rating(1, ticket["id"])
    with pytest.raises(InvalidInput, match="ticket"):  # a made-up ticket id: no such ticket at the hub
        evaluator.ask_rating(1, new_id())
    request = evaluator.ask_rating(1, ticket["id"])
    assert (request["ticket_number"], request["clerk_id"], request["device"]) == (ticket["number"], hall.clerk(1),
                                                                                   "screen:W01")
    assert evaluator.pending_rating(1)["id"] == request["id"]
    with pytest.raises(HubForbidden):
        counters[1]._call("POST", f"/v1/windows/1/ratings/{request['id']}/answer", {"level": 5})
    with pytest.raises(NotAllowed, match="only from the evaluator"):  # the pad kind is another device
        evaluator.answer_rating(1, request["id"], 5, kind="pad")
    notice = evaluator.answer_rating(1, request["id"], 4)
    assert notice["rated"] and notice["ticket_number"] == ticket["number"]
    with pytest.raises(NotAllowed, match="already been rated"):
        evaluator.answer_rating(1, request["id"], 1, ["attitude"])
    with unit_of_work(node.sessions) as session:
        [rating] = session.scalars(select(Rating)).all()
    assert (rating.ticket_id, rating.level, rating.device, rating.clerk_id) == (ticket["id"], 4, "screen:W01",
                                                                                hall.clerk(1))
    evaluator.close()
    other_evaluator.close()


def test_a_ticket_not_finished_at_that_window_is_not_rated_whatever_the_caller_says(
        hub: tuple[HubHandle, Hall, NodeDatabase], counters: dict[int, HubClient]) -> None:
    handle, hall, node = hub
    at_two = finished_at(counters[2], 2)
    evaluator = HubClient(handle.url, evaluator_token(1))
    with pytest.raises(NotAllowed, match="not served by this clerk at window 1"):
        evaluator.ask_rating(1, at_two["id"])
    with HubClient(handle.url, KIOSK_TOKEN) as kiosk:
        kiosk.issue_ticket("A")
    serving = counters[1].open_window(1, None) and counters[1].call_next(1, None)["ticket"]
    counters[1].start_service(1, None)
    # what the caller claims about the service is not read: only the hub's own ticket row and its done event
    answer = evaluator._http.post("/v1/windows/1/ratings", json={
        "ticket": serving["id"], "kind": "screen", "state": "done", "at": "2026-12-04T00:00:00+00:00"})
    assert answer.status_code == 409 and "not a finished service" in answer.json()["message"]
    with unit_of_work(node.sessions) as session:
        assert session.scalars(select(Rating)).all() == []
    evaluator.close()
    with httpx.Client() as anonymous:
        assert anonymous.get(f"{handle.url}/v1/health").status_code == 401


def test_a_database_read_begun_before_a_login_or_logout_does_not_undo_it(tmp_path: Path) -> None:
    """The hub re-reads its devices twice a second; a read that began before a login or a logout
    committed must neither drop the new session nor bring the ended one back."""
    from counter_app.hub.auth import HubAuth

    node, hall = hall_database(tmp_path)
    registry = DeviceRegistry(node)
    auth = HubAuth(registry)
    auth.load()
    stale = auth.read()  # begun before both
    device = next(d for _, d in registry.active() if (d.role, d.window) == ("counter", 1))
    old_token, old = registry.open_session(device.id, hall.clerk(1), 1)
    auth.add_session(old_token, old)
    auth.end_session(old)
    token, new = registry.open_session(device.id, hall.clerk(1), 1)
    auth.add_session(token, new)
    auth.apply(*stale)
    scope = {"type": "http", "headers": [(b"authorization", f"Bearer {counter_token(1)}".encode()),
                                         (b"x-staff-session", token.encode())]}
    assert auth.authorise(scope, "window", 1).session == new
    ended = {**scope, "headers": [scope["headers"][0], (b"x-staff-session", old_token.encode())]}
    with pytest.raises(Exception, match="log in first"):
        auth.authorise(ended, "window", 1)
    auth.apply(*auth.read())  # and a fresh read agrees
    assert auth.authorise(scope, "window", 1).session == new
    node.dispose()
