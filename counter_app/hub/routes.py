"""One REST endpoint per queue command, plus the state snapshot and the event log."""

from __future__ import annotations

from typing import Any, Callable

from fastapi import APIRouter, Path, Query, Request, Response

from counter_app.hub.schemas import (
    ClerkIn,
    ErrorOut,
    EventsOut,
    HealthOut,
    IssueIn,
    IssueOut,
    OpOut,
    RecycleIn,
    ResetIn,
    ResetOut,
    StateOut,
    TicketClerkIn,
    TicketOpOut,
    TicketOut,
    TransferIn,
    events_out,
    json_response,
    issue_out,
    op_out,
    plain,
    reset_out,
    state_out,
    ticket_op_out,
)
from counter_app.services.queue import QueueService

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "missing or wrong device token"},
    409: {"model": ErrorOut, "description": "refused in the current state"},
    422: {"model": ErrorOut, "description": "invalid input: the field and the rule it broke"},
}

router = APIRouter(prefix="/v1", responses=ERRORS)

WindowNumber = Path(ge=1, le=999, description="window number")


def _hub(request: Request) -> Any:
    return request.app.state.hub


def _queue(request: Request) -> QueueService:
    return request.app.state.hub.queue


@router.get("/health", response_model=HealthOut, tags=["hub"])
async def health(request: Request) -> dict[str, Any]:
    hub = _hub(request)
    return {"status": "ok", "seq": hub.broadcaster.last_seq, "branch_code": hub.settings.branch.code,
            "stream_clients": hub.broadcaster.subscriber_count, "committed_batches": hub.queue.committed_batches,
            "committed_operations": hub.queue.committed_operations}


@router.post("/tickets", response_model=IssueOut, tags=["kiosk"], summary="Take a ticket (取号)")
async def issue_ticket(request: Request, body: IssueIn) -> Response:
    queue = _queue(request)
    result = await _hub(request).write(queue.issue_ticket, body.service, body.priority, body.priority_reason)
    return json_response(issue_out(result))


@router.get("/tickets/{ticket}", response_model=TicketOut, tags=["kiosk"])
async def get_ticket(request: Request, ticket: str) -> Response:
    return json_response(plain(await _hub(request).read(_queue(request).ticket, ticket)))


@router.post("/tickets/{ticket}/cancel", response_model=TicketOpOut, tags=["counter"])
async def cancel_ticket(request: Request, ticket: str, body: ClerkIn) -> Response:
    result = await _hub(request).write(_queue(request).cancel, ticket, body.clerk_id)
    return json_response(ticket_op_out(result))


def _window_command(name: str, path: str, summary: str) -> None:
    async def command(request: Request, body: ClerkIn, window: int = WindowNumber) -> Response:
        operation: Callable[[int, str], Any] = getattr(_queue(request), name)
        return json_response(op_out(await _hub(request).write(operation, window, body.clerk_id)))

    command.__name__ = name
    router.add_api_route(f"/windows/{{window}}/{path}", command, methods=["POST"], response_model=OpOut,
                         tags=["counter"], summary=summary, name=name)


for _name, _path, _summary in (
    ("open_window", "open", "Open the window under the logged-in clerk"),
    ("pause_window", "pause", "Pause the window (暂停服务)"),
    ("resume_window", "resume", "Resume after a pause"),
    ("close_window", "close", "Close the window (refused while a ticket is open)"),
    ("call_next", "call-next", "Call the next ticket (叫号)"),
    ("recall", "recall", "Recall the called ticket (重呼), capped"),
    ("start_service", "start", "Start serving the called customer"),
    ("finish", "finish", "Finish the current ticket"),
    ("no_show", "no-show", "The called customer did not come (过号)"),
    ("hold", "hold", "Hold the current ticket to call it back later today (挂起)"),
):
    _window_command(_name, _path, _summary)


@router.post("/windows/{window}/recycle", response_model=OpOut, tags=["counter"],
             summary="Put the called ticket, or a no-show of today, back in the queue")
async def recycle(request: Request, body: RecycleIn, window: int = WindowNumber) -> Response:
    result = await _hub(request).write(_queue(request).recycle, window, body.clerk_id, body.ticket)
    return json_response(op_out(result))


@router.post("/windows/{window}/call-back", response_model=OpOut, tags=["counter"],
             summary="Call a held ticket back (回呼)")
async def call_back(request: Request, body: TicketClerkIn, window: int = WindowNumber) -> Response:
    result = await _hub(request).write(_queue(request).call_back, window, body.clerk_id, body.ticket)
    return json_response(op_out(result))


@router.post("/windows/{window}/call-specific", response_model=OpOut, tags=["counter"],
             summary="Call one ticket from the waiting list")
async def call_specific(request: Request, body: TicketClerkIn, window: int = WindowNumber) -> Response:
    result = await _hub(request).write(_queue(request).call_specific, window, body.clerk_id, body.ticket)
    return json_response(op_out(result))


@router.post("/windows/{window}/transfer", response_model=OpOut, tags=["counter"],
             summary="Transfer the current ticket to another service or window (转移), keeping its arrival time")
async def transfer(request: Request, body: TransferIn, window: int = WindowNumber) -> Response:
    queue = _queue(request)
    result = await _hub(request).write(queue.transfer, window, body.clerk_id, body.to_service, body.to_window)
    return json_response(op_out(result))


@router.post("/day/reset", response_model=ResetOut, tags=["manager"],
             summary="End-of-day reset (清号): clear every open ticket")
async def end_of_day_reset(request: Request, body: ResetIn) -> Response:
    result = await _hub(request).write(_queue(request).end_of_day_reset, body.clerk_id)
    return json_response(reset_out(result))


@router.get("/waiting-counts", response_model=dict[str, int], tags=["display"])
async def waiting_counts(request: Request) -> dict[str, int]:
    return await _hub(request).read(_queue(request).waiting_counts)


@router.get("/state", response_model=StateOut, tags=["display"], summary="Everything, as of event `seq`")
async def state(request: Request) -> Response:
    return json_response(state_out(await _hub(request).read(_queue(request).snapshot)))


@router.get("/events", response_model=EventsOut, tags=["display"], summary="The event log after a sequence")
async def events(request: Request, after: int = Query(0, ge=0), limit: int = Query(1000, ge=1, le=5000)) -> Response:
    hub = _hub(request)
    last = hub.broadcaster.last_seq
    found = await hub.read(hub.queue.events_since, after, limit)
    return json_response(events_out(found, max(last, found[-1].seq if found else 0)))
