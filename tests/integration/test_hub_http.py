"""The hub over real HTTP and WebSocket on loopback: auth, errors, simultaneous calls, the
event stream's replay and live push, and a display that reconnects and catches up."""

from __future__ import annotations

import queue
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.domain.ids import new_id
from counter_app.hub.client import SESSION_HEADER, HubAuthError, HubClient
from counter_app.hub.server import HubHandle, start_hub_in_thread
from counter_app.services.node import NodeDatabase
from counter_app.services.queue import QueueSettings
from tests.integration.queue_fixtures import (
    TEST_PASSWORD,
    TOKEN,
    Hall,
    HallClient,
    clerk_no,
    counter_token,
    hall_database,
    hub_settings,
)

#: No scheduled end-of-day reset: a hub started after 23:00 (branch time) would otherwise clear
#: the day at start and write event 1 itself, and these tests count events from 1.
NO_RESET = QueueSettings(reset_enabled=False)


@pytest.fixture(params=[True, False], ids=["fast-path", "fastapi-only"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[HubHandle, Hall, NodeDatabase]]:
    """The hub as served (queue commands on the fast path), and the bare FastAPI app: the
    same answers either way."""
    node, hall = hall_database(tmp_path)
    handle = start_hub_in_thread(node, hub_settings(), queue_settings=NO_RESET, fast_path=request.param)
    yield handle, hall, node
    handle.stop()
    node.dispose()


@pytest.fixture
def client(hub: tuple[HubHandle, Hall, NodeDatabase]) -> Iterator[HallClient]:
    with HallClient(hub[0].url, hub[1]) as c:
        yield c


def test_every_request_needs_the_token_and_a_refused_one_changes_nothing(
        hub: tuple[HubHandle, Hall, NodeDatabase], client: HubClient) -> None:
    handle, hall, _ = hub
    client.issue_ticket("A")
    before = client.state()
    for headers in ({}, {"Authorization": "Bearer wrong-token-123"}, {"Authorization": TOKEN}):
        assert httpx.post(f"{handle.url}/v1/tickets", json={"service": "A"}, headers=headers).status_code == 401
        assert httpx.post(f"{handle.url}/v1/windows/1/open", json={"clerk_id": hall.clerk(1)},
                          headers=headers).status_code == 401
        assert httpx.post(f"{handle.url}/v1/day/reset", json={"clerk_id": hall.manager},
                          headers=headers).status_code == 401
        assert httpx.get(f"{handle.url}/v1/state", headers=headers).status_code == 401
        assert httpx.post(f"{handle.url}/v1/tickets", content=b"not json", headers=headers).status_code == 401
    with HubClient(handle.url, "wrong-token-123") as stranger, pytest.raises(HubAuthError):
        stranger.issue_ticket("A")
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{handle.url.replace('http', 'ws')}/v1/stream?after=0&token=wrong-token-123")
    assert refused.value.response.status_code == 401
    after = client.state()
    assert after["seq"] == before["seq"] and after["waiting"] == before["waiting"]
    assert [w["state"] for w in after["windows"]] == ["closed"] * 8
    with connect(f"{handle.url.replace('http', 'ws')}/v1/stream?after=0&token={TOKEN}") as ws:
        assert '"kind":"issued"' in str(ws.recv(timeout=5))


def test_openapi_describes_every_command(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    document = httpx.get(f"{hub[0].url}/openapi.json").json()
    paths = set(document["paths"])
    for path in ("/v1/tickets", "/v1/state", "/v1/events", "/v1/waiting-counts", "/v1/day/reset",
                 "/v1/tickets/{ticket}/cancel"):
        assert path in paths
    for command in ("open", "pause", "resume", "close", "call-next", "recall", "start", "finish", "no-show", "hold",
                    "recycle", "call-back", "call-specific", "transfer"):
        assert f"/v1/windows/{{window}}/{command}" in paths
    assert {"OpAnswer", "ErrorBody", "State"} <= set(document["components"]["schemas"])


def test_errors_name_the_field_and_rule_or_say_why_refused(hub: tuple[HubHandle, Hall, NodeDatabase],
                                                           client: HubClient) -> None:
    handle, hall, _ = hub
    with pytest.raises(InvalidInput) as bad:
        client.issue_ticket("Z")
    assert (bad.value.field, bad.value.rule) == ("service", "no service with letter Z at this branch")
    answer = httpx.post(f"{handle.url}/v1/tickets", json={"service": "A", "priority": "vip"},
                        headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 422 and answer.json()["field"] == "priority"
    answer = httpx.post(f"{handle.url}/v1/windows/1/call-next", json={"clerk_id": ""},
                        headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 422 and answer.json()["field"] == "clerk_id"
    with pytest.raises(NotAllowed, match="window 1 is closed"):
        client.call_next(1, hall.clerk(1))
    client.as_clerk(2, hall.clerk(2))
    answer = httpx.post(f"{handle.url}/v1/windows/2/recall", json={"clerk_id": hall.clerk(2)},
                        headers={"Authorization": f"Bearer {TOKEN}", "X-Staff-Session": client.sessions[2]})
    assert answer.status_code == 409 and "closed" in answer.json()["message"]
    with pytest.raises(InvalidInput) as bad:
        client.transfer(1, hall.clerk(1))
    assert bad.value.field == "to_window"


def test_a_counter_day_over_http(hub: tuple[HubHandle, Hall, NodeDatabase], client: HubClient) -> None:
    _, hall, _ = hub
    clerk = hall.clerk(1)
    issued = client.issue_ticket("A", "green", "elderly")
    assert issued["ticket"]["number"] == "A001" and issued["waiting_ahead"] == 0 and issued["seq"] == 1
    client.issue_ticket("C")
    assert client.open_window(1, clerk)["window"]["state"] == "open"
    called = client.call_next(1, clerk)
    assert called["ticket"]["number"] == "A001" and called["window"]["current"]["number"] == "A001"
    assert client.recall(1, clerk)["ticket"]["recall_count"] == 1
    assert client.start_service(1, clerk)["ticket"]["state"] == "serving"
    assert client.hold(1, clerk)["ticket"]["state"] == "held"
    assert client.call_next(1, clerk)["ticket"]["number"] == "C001"
    assert client.transfer(1, clerk, to_service="D")["ticket"]["queue_service"] == "D"
    assert client.call_back(1, clerk, "A001")["ticket"]["state"] == "called"
    assert client.finish(1, clerk)["window"]["current"] is None
    assert client.waiting_counts() == {"A": 0, "B": 0, "C": 0, "D": 1}
    assert client.ticket("C001")["state"] == "transferred"
    assert client.pause_window(1, clerk)["window"]["state"] == "paused"
    assert client.resume_window(1, clerk)["window"]["state"] == "open"
    assert client.call_specific(1, clerk, "C001")["ticket"]["number"] == "C001"
    assert client.no_show(1, clerk)["ticket"]["state"] == "no_show"
    assert client.recycle(1, clerk, "C001")["ticket"]["state"] == "waiting"
    assert client.cancel("C001", clerk)["ticket"]["state"] == "cancelled"
    assert client.close_window(1, clerk)["window"]["state"] == "closed"
    state = client.state()
    assert state["windows"][0]["state"] == "closed" and state["services"][0]["issued_today"] == 1
    events = client.events(after=0)
    assert [e["seq"] for e in events["events"]] == list(range(1, state["seq"] + 1)) and events["last_seq"] == state["seq"]
    assert client.end_of_day_reset(hall.manager)["cleared"] == 0
    assert client.health()["status"] == "ok"


def test_two_counters_calling_at_the_same_instant_never_get_the_same_ticket(
        hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle, hall, _ = hub
    setup = HallClient(handle.url, hall)
    counters = {window: HubClient(handle.url, counter_token(window)) for window in range(1, 9)}
    for window, counter in counters.items():  # each counter PC with its own credential and clerk
        counter.login(clerk_no(window), TEST_PASSWORD, window)
        counter.open_window(window, hall.clerk(window))
    for _ in range(60):
        setup.issue_ticket("A")  # every window serves A except 7 and 8 first ... all reach A or not at all
    got: "queue.Queue[tuple[int, str | None]]" = queue.Queue()
    for _ in range(5):
        barrier = threading.Barrier(8)

        def press(window: int) -> None:
            barrier.wait()
            ticket = counters[window].call_next(window, hall.clerk(window))["ticket"]
            got.put((window, ticket["number"] if ticket else None))

        threads = [threading.Thread(target=press, args=(w,)) for w in range(1, 9)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    numbers = [number for _, number in list(got.queue) if number is not None]
    assert len(numbers) == len(set(numbers)) >= 30
    current = [w["current"]["number"] for w in setup.state()["windows"] if w["current"]]
    assert len(current) == len(set(current))
    setup.close()
    for counter in counters.values():
        counter.close()


def test_stream_replays_then_pushes_live(hub: tuple[HubHandle, Hall, NodeDatabase], client: HubClient) -> None:
    _, hall, _ = hub
    client.issue_ticket("A")
    client.issue_ticket("B")
    with client.stream(after=1) as stream:
        assert stream.get(timeout=5)["number"] == "B001"  # replayed from the log
        assert stream.connected.wait(5)
        client.open_window(5, hall.clerk(5))
        call = client.call_next(5, hall.clerk(5))
        live = [stream.get(timeout=5), stream.get(timeout=5)]
        assert [e["kind"] for e in live] == ["window_opened", "called"]
        assert live[1]["seq"] == call["seq"] and live[1]["window"] == 5 and live[1]["number"] == "B001"


def test_a_display_that_reconnects_gets_exactly_the_calls_it_missed(hub: tuple[HubHandle, Hall, NodeDatabase],
                                                                    client: HubClient) -> None:
    _, hall, _ = hub
    for _ in range(12):
        client.issue_ticket("A")
    for window in (1, 2):
        client.open_window(window, hall.clerk(window))
    display = client.stream(after=client.state()["seq"]).start()
    assert display.connected.wait(5)
    first = client.call_next(1, hall.clerk(1))
    assert display.get(timeout=5)["seq"] == first["seq"]
    display.stop()  # the display PC restarts; meanwhile the hall goes on calling
    missed = [event for n in range(6) for event in client.call_next(1 + n % 2, hall.clerk(1 + n % 2))["events"]]
    assert display.last_seq == first["seq"]
    resumed = client.stream(after=display.last_seq).start()
    caught_up = [resumed.get(timeout=5) for _ in missed]
    with pytest.raises(queue.Empty):
        resumed.get(timeout=0.3)
    resumed.stop()
    assert [e["seq"] for e in caught_up] == [e["seq"] for e in missed] == list(
        range(first["seq"] + 1, first["seq"] + 1 + len(missed)))
    assert [(e["kind"], e["number"], e["window"]) for e in caught_up] == [
        (e["kind"], e["number"], e["window"]) for e in missed]


def test_stream_survives_a_hub_restart_on_the_same_database(tmp_path: Path) -> None:
    node, hall = hall_database(tmp_path)
    first = start_hub_in_thread(node, hub_settings(), queue_settings=NO_RESET)
    client = HallClient(first.url, hall)
    client.issue_ticket("A")
    stream = client.stream(after=0).start()
    assert stream.get(timeout=5)["seq"] == 1
    first.stop()
    second = start_hub_in_thread(node, hub_settings(), queue_settings=NO_RESET, port=first.port)
    try:
        client.issue_ticket("A")
        event = stream.get(timeout=10)
        assert (event["seq"], event["number"]) == (2, "A002") and stream.connections >= 2
    finally:
        stream.stop()
        client.close()
        second.stop()
        node.dispose()


def test_the_loop_writer_batches_and_isolates_a_broken_operation(tmp_path: Path) -> None:
    import asyncio

    from counter_app.hub.writer import LoopWriter
    from counter_app.services.queue import QueueService

    node, hall = hall_database(tmp_path)
    queue_service = QueueService(node.sessions, "B001", node_id=node.node_id)

    def broken() -> None:
        queue_service._run(lambda tx: 1 / 0)

    async def scenario() -> list[object]:
        writer = LoopWriter(queue_service, max_batch=64)
        try:
            return await asyncio.gather(
                writer.submit(queue_service.issue_ticket, "B"), writer.submit(broken),
                writer.submit(queue_service.issue_ticket, "B"), writer.submit(queue_service.open_window, 1, "nobody"),
                return_exceptions=True)
        finally:
            writer.close()

    first, failed, second, refused = asyncio.run(scenario())
    assert isinstance(failed, ZeroDivisionError) and isinstance(refused, InvalidInput)
    assert (first.ticket.number, second.ticket.number) == ("B001", "B002")  # type: ignore[attr-defined]
    assert [e.seq for e in queue_service.events_since(0)] == [1, 2]
    node.dispose()


def test_an_operation_after_the_writer_closed_fails_and_leaves_nothing_held(tmp_path: Path) -> None:
    """Once the hub's writer has closed (the hub stopping) an operation fails at once, nothing of it
    is written, and its connection goes back: closing the queue does not wait for it."""
    import asyncio
    import time

    from counter_app.hub.writer import LoopWriter
    from counter_app.services.queue import QueueService

    node, hall = hall_database(tmp_path)
    queue_service = QueueService(node.sessions, "B001", node_id=node.node_id)

    async def scenario() -> object:
        writer = LoopWriter(queue_service, max_batch=8)
        await writer.submit(queue_service.issue_ticket, "B")
        writer.close()
        try:
            return await asyncio.wait_for(writer.submit(queue_service.issue_ticket, "B"), 5.0)
        except RuntimeError as error:
            return error

    assert isinstance(asyncio.run(scenario()), RuntimeError)
    began = time.monotonic()
    queue_service.close()
    assert time.monotonic() - began < 1.0
    assert [e.seq for e in queue_service.events_since(0)] == [1]
    node.dispose()


def test_stream_frames_are_arrays_of_events_in_order(hub: tuple[HubHandle, Hall, NodeDatabase],
                                                      client: HubClient) -> None:
    import json

    handle, hall, _ = hub
    for letter in "ABC":
        client.issue_ticket(letter)
    with connect(f"{handle.url.replace('http', 'ws')}/v1/stream?after=1",
                 additional_headers={"Authorization": f"Bearer {TOKEN}"}) as ws:
        replayed = json.loads(ws.recv(timeout=5))
        assert [(e["seq"], e["number"]) for e in replayed] == [(2, "B001"), (3, "C001")]
        client.open_window(4, hall.clerk(4))
        client.call_next(4, hall.clerk(4))
        live = []
        while len(live) < 2:
            live.extend(json.loads(ws.recv(timeout=5)))
        assert [(e["seq"], e["kind"]) for e in live] == [(4, "window_opened"), (5, "called")]


def test_a_display_ahead_of_a_replaced_hub_log_starts_over(tmp_path: Path) -> None:
    old_node, hall = hall_database(tmp_path / "old")
    old = start_hub_in_thread(old_node, hub_settings(), queue_settings=NO_RESET)
    client = HallClient(old.url, hall)
    for _ in range(3):
        client.issue_ticket("A")
    resets: list[int] = []
    stream = client.stream(after=0, on_reset=lambda: resets.append(1)).start()
    assert [stream.get(timeout=5)["seq"] for _ in range(3)] == [1, 2, 3]
    old.stop()
    old_node.dispose()
    new_node, _ = hall_database(tmp_path / "new")  # the hub PC was reinstalled: a fresh log
    new = start_hub_in_thread(new_node, hub_settings(), queue_settings=NO_RESET, port=old.port)
    try:
        client.issue_ticket("C")
        event = stream.get(timeout=10)
        assert (event["seq"], event["number"]) == (1, "C001") and resets == [1] and stream.resets == 1
    finally:
        stream.stop()
        client.close()
        new.stop()
        new_node.dispose()


def reinstalled(folder: Path) -> tuple[NodeDatabase, Hall]:
    """A fresh hub database with an identity of its own (the fixture's template shares one)."""
    node, hall = hall_database(folder)
    node.dispose()
    connection = sqlite3.connect(folder / "counter_app.sqlite3")
    with connection:
        connection.execute("UPDATE node_identity SET node_id = ?", (new_id(),))
    connection.close()
    return hall_database_reopen(folder), hall


def hall_database_reopen(folder: Path) -> NodeDatabase:
    from counter_app.core.paths import DataPaths
    from counter_app.services.node import open_node_database

    return open_node_database(DataPaths(folder), hub_settings())


def test_a_display_notices_a_new_hub_log_even_when_it_is_longer(tmp_path: Path) -> None:
    old_node, hall = hall_database(tmp_path / "old")
    old = start_hub_in_thread(old_node, hub_settings(), queue_settings=NO_RESET)
    with HallClient(old.url, hall) as client:
        client.issue_ticket("A")
        stream = client.stream(after=0).start()
        assert stream.get(timeout=5)["number"] == "A001"
        old.stop()
        old_node.dispose()
        new_node, _ = reinstalled(tmp_path / "new")
        new = start_hub_in_thread(new_node, hub_settings(), queue_settings=NO_RESET, port=old.port)
        try:
            numbers = [client.issue_ticket("B")["ticket"]["number"] for _ in range(3)]
            got = [stream.get(timeout=10)["number"] for _ in range(3)]
            assert got == numbers == ["B001", "B002", "B003"] and stream.resets == 1
        finally:
            stream.stop()
            new.stop()
            new_node.dispose()


def test_odd_input_is_answered_422_never_500(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    """Seen in a hall: a superscript as window number and an event sequence past 64 bits answered
    500 with a traceback; the FastAPI path answered a body it could not decode 400 {detail}."""
    handle, hall, _ = hub
    auth = {"Authorization": f"Bearer {TOKEN}"}
    clerk = {"clerk_id": hall.clerk(1)}
    for window in ("¹²³⁴", "½", "0", "1000", "x", "-1", "٣x", "9" * 5000):
        answer = httpx.post(f"{handle.url}/v1/windows/{window}/open", json=clerk, headers=auth)
        assert answer.status_code == 422, (window, answer.text)
        assert answer.json()["field"] == "window" and answer.json()["message"]
    with HallClient(handle.url, hall) as client:  # the clerks of windows 1 and 3 logged in at the hub
        for number in (1, 3):
            client.as_clerk(number, hall.clerk(number))
        sessions = dict(client.sessions)
    for window in ("１", "¹", "١", "³"):  # full-width, superscript, Arabic-Indic digits: windows 1 and 3 (NFKC)
        number = 3 if window == "³" else 1
        answer = httpx.post(f"{handle.url}/v1/windows/{window}/pause", json={"clerk_id": hall.clerk(number)},
                            headers={**auth, SESSION_HEADER: sessions[number]})
        assert answer.status_code == 409, (window, answer.text)  # a closed window: refused, not malformed
    for after in (2**63, 2**64, 10**30):
        answer = httpx.get(f"{handle.url}/v1/events", params={"after": after}, headers=auth)
        assert answer.status_code == 422 and answer.json()["field"] == "after", answer.text
    assert httpx.get(f"{handle.url}/v1/events", params={"after": 2**63 - 1}, headers=auth).json()["events"] == []
    for path in ("/v1/day/reset", "/v1/tickets", "/v1/windows/1/open", "/v1/tickets/A001/cancel"):
        answer = httpx.post(f"{handle.url}{path}", content=b'\xff\xfe{"clerk_id', headers={
            **auth, "content-type": "application/json"})
        assert answer.status_code == 422, (path, answer.text)
        assert set(answer.json()) == {"code", "message", "params", "field", "rule"}


def test_bodies_are_capped_on_every_path(hub: tuple[HubHandle, Hall, NodeDatabase]) -> None:
    handle, hall, _ = hub
    auth = {"Authorization": f"Bearer {TOKEN}", "content-type": "application/json"}
    big = b'{"clerk_id": "' + b"x" * 200_000 + b'"}'
    for path in ("/v1/day/reset", "/v1/tickets", "/v1/windows/1/open", "/v1/tickets/A001/cancel"):
        answer = httpx.post(f"{handle.url}{path}", content=big, headers=auth)
        assert answer.status_code == 413, (path, answer.status_code)
        assert answer.json()["message"]

        def chunks():  # type: ignore[no-untyped-def]
            for _ in range(100):
                yield b" " * 4096  # no content-length: chunked, counted as it arrives

        assert httpx.post(f"{handle.url}{path}", content=chunks(), headers=auth).status_code == 413, path
    without = httpx.post(f"{handle.url}/v1/day/reset", content=big, headers={"content-type": "application/json"})
    assert without.status_code == 401  # the token is checked before the body is read
    with HallClient(handle.url, hall) as client:
        client.as_clerk(None, hall.manager)
        session = client.sessions[None]
    assert httpx.post(f"{handle.url}/v1/day/reset", json={"clerk_id": hall.manager},
                      headers={"Authorization": f"Bearer {TOKEN}", SESSION_HEADER: session}).status_code == 200
