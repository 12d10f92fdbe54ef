"""Every route of the hub answers exactly what its protocol model says, on both request paths.

A real hub on loopback runs a whole small day through every ``/v1`` route; each real answer is
decoded with its model from :mod:`counter_app.protocol` and must carry exactly the model's
fields (no more, no fewer, at every depth), and every error has the one error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from fastapi.routing import APIRoute
from pydantic import BaseModel, TypeAdapter

from counter_app.hub.routes import router
from counter_app.hub.server import HubHandle, start_hub_in_thread
from counter_app.protocol import (
    ErrorBody,
    EventKind,
    EventsPage,
    Health,
    IssueAnswer,
    OpAnswer,
    ResetAnswer,
    State,
    Ticket,
    TicketAnswer,
)
from counter_app.hub.client import SESSION_HEADER
from tests.integration.queue_fixtures import (
    DISPLAY_TOKEN,
    KIOSK_TOKEN,
    TOKEN,
    Hall,
    HallClient,
    hall_database,
    hub_settings,
)


@pytest.fixture(params=[True, False], ids=["fast-path", "fastapi-only"])
def hub(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[HubHandle, Hall]]:
    node, hall = hall_database(tmp_path)
    handle = start_hub_in_thread(node, hub_settings(), fast_path=request.param)
    yield handle, hall
    handle.stop()
    node.dispose()


def exact(model: BaseModel, raw: Any, where: str = "answer") -> None:
    """``raw`` has exactly the fields of ``model`` (optional ones may be left out), recursively."""
    assert isinstance(raw, dict), where
    fields = type(model).model_fields
    required = {name for name, info in fields.items() if info.is_required()}
    assert required <= set(raw) <= set(fields), f"{where}: {sorted(set(raw) ^ set(fields))}"
    for name in set(fields) & set(raw):
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            exact(value, raw[name], f"{where}.{name}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    exact(item, raw[name][index], f"{where}.{name}[{index}]")


class Day:
    """Sends requests, each as the device (and staff session) that would send it, checks each
    answer against its model and remembers the routes used."""

    def __init__(self, url: str, hall: Hall) -> None:
        self.http = httpx.Client(base_url=url, timeout=10)
        self.used: set[tuple[str, str]] = set()
        with HallClient(url, hall) as console:  # the clerks of windows 1 and 2 and the manager log in at the hub
            console.as_clerk(1, hall.clerk(1))
            console.as_clerk(2, hall.clerk(2))
            console.as_clerk(None, hall.manager)
            sessions = dict(console.sessions)
        self.callers = {
            "kiosk": {"Authorization": f"Bearer {KIOSK_TOKEN}"},
            "display": {"Authorization": f"Bearer {DISPLAY_TOKEN}"},
            **{who: {"Authorization": f"Bearer {TOKEN}", SESSION_HEADER: sessions[window]}
               for who, window in (("w1", 1), ("w2", 2), ("boss", None))},
        }

    def __call__(self, method: str, route: str, model: type[BaseModel] | TypeAdapter[Any], *, status: int = 200,
                 body: dict[str, Any] | None = None, by: str = "display", **path: Any) -> Any:
        self.used.add((method, route))
        answer = self.http.request(method, route.format(**path), json=body, headers=self.callers[by])
        assert answer.status_code == status, answer.text
        if status != 200:
            exact(ErrorBody.model_validate_json(answer.content), answer.json())
            return ErrorBody.model_validate_json(answer.content)
        if isinstance(model, TypeAdapter):
            return model.validate_json(answer.content)
        decoded = model.model_validate_json(answer.content)
        exact(decoded, answer.json())
        return decoded


@pytest.fixture
def day(hub: tuple[HubHandle, Hall]) -> Iterator[Day]:
    checked = Day(hub[0].url, hub[1])
    yield checked
    checked.http.close()


def test_every_route_answers_its_model(hub: tuple[HubHandle, Hall], day: Day) -> None:
    handle, hall = hub
    one, two, boss = {"clerk_id": hall.clerk(1)}, {"clerk_id": hall.clerk(2)}, {"clerk_id": hall.manager}
    issued = [day("POST", "/v1/tickets", IssueAnswer, body={"service": "A"}, by="kiosk") for _ in range(5)]
    assert issued[0].events[0].kind is EventKind.ISSUED
    assert day("GET", "/v1/tickets/{ticket}", Ticket, ticket=issued[0].ticket.number).id == issued[0].ticket.id
    for command in ("open", "pause", "resume", "call-next", "recall", "start", "finish", "call-next", "no-show"):
        result = day("POST", "/v1/windows/{window}/" + command, OpAnswer, body=one, window=1, by="w1")
    assert result.events[-1].kind is EventKind.NO_SHOW
    day("POST", "/v1/windows/{window}/recycle", OpAnswer, body={**one, "ticket": result.ticket.number}, window=1, by="w1")
    held = day("POST", "/v1/windows/{window}/call-next", OpAnswer, body=one, window=1, by="w1")
    day("POST", "/v1/windows/{window}/hold", OpAnswer, body=one, window=1, by="w1")
    back = day("POST", "/v1/windows/{window}/call-back", OpAnswer, body={**one, "ticket": held.ticket.number}, window=1, by="w1")
    assert back.events[-1].kind is EventKind.CALLED_BACK
    day("POST", "/v1/windows/{window}/open", OpAnswer, body=two, window=2, by="w2")
    moved = day("POST", "/v1/windows/{window}/transfer", OpAnswer, body={**one, "to_window": 2}, window=1, by="w1")
    assert moved.events[-1].kind is EventKind.TRANSFERRED
    closed = day("POST", "/v1/windows/{window}/force-close", OpAnswer, body={**boss, "reason": "PC died"}, window=2,
                 by="boss")  # the manager's console closes window 2, left open by its clerk
    assert closed.window.state == "closed"
    waiting = day("GET", "/v1/state", State).waiting
    day("POST", "/v1/windows/{window}/call-specific", OpAnswer, body={**one, "ticket": waiting[-1].number}, window=1, by="w1")
    day("POST", "/v1/windows/{window}/finish", OpAnswer, body=one, window=1, by="w1")
    day("POST", "/v1/windows/{window}/close", OpAnswer, body=one, window=1, by="w1")
    state = day("GET", "/v1/state", State)
    cancelled = day("POST", "/v1/tickets/{ticket}/cancel", TicketAnswer, body=one, ticket=state.waiting[0].id, by="w1")
    assert cancelled.events[-1].kind is EventKind.CANCELLED
    counts = day("GET", "/v1/waiting-counts", TypeAdapter(dict[str, int]))
    assert all(isinstance(n, int) for n in counts.values())
    page = day("GET", "/v1/events", EventsPage)
    assert {event.kind for event in page.events} >= {EventKind.ISSUED, EventKind.CALLED, EventKind.WINDOW_OPENED}
    day("GET", "/v1/health", Health)
    reset = day("POST", "/v1/day/reset", ResetAnswer, body=boss, by="boss")
    assert reset.cleared >= 1
    # the error shape: refused, bad input from the service and from the request model
    refused = day("POST", "/v1/windows/{window}/call-next", ErrorBody, status=409, body=one, window=1, by="w1")
    assert (refused.code, refused.params) == ("window_closed", {"n": 1}) and refused.field is None
    bad = day("POST", "/v1/tickets", ErrorBody, status=422, body={"service": "Z"}, by="kiosk")
    assert (bad.code, bad.field, bad.params) == ("service_not_here", "service", {"service": "Z"})
    malformed = day("POST", "/v1/tickets", ErrorBody, status=422, body={"service": "A", "priority": "vip"}, by="kiosk")
    assert (malformed.code, malformed.field) == ("request_invalid", "priority")
    unknown = day("POST", "/v1/windows/{window}/open", ErrorBody, status=422, body=one, window=1000, by="w1")
    assert unknown.field == "window"
    denied = httpx.post(f"{handle.url}/v1/tickets", json={"service": "A"})
    assert denied.status_code == 401 and ErrorBody.model_validate_json(denied.content).code == "hub_auth"
    # every /v1 route of the app was exercised (the stream is a WebSocket: test_hub_http)
    routes = {(method, route.path) for route in router.routes if isinstance(route, APIRoute) for method in route.methods}
    assert len(routes) == 23 and routes <= day.used, sorted(routes - day.used)
