"""One REST endpoint per queue command, plus the state snapshot and the event log."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Annotated, Any, Callable

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BeforeValidator

from counter_app.hub import auth
from counter_app.hub.auth import Caller
from counter_app.hub.schemas import (
    events_out,
    issue_out,
    json_response,
    op_out,
    plain,
    reset_out,
    state_out,
    ticket_op_out,
)
from counter_app.hub.limits import MAX_SEQ, fold_digits
from counter_app.protocol import (
    ClerkIn,
    ErrorBody,
    EventsPage,
    ForceCloseIn,
    Health,
    IssueAnswer,
    IssueIn,
    OpAnswer,
    RecycleIn,
    ResetAnswer,
    ResetIn,
    State,
    Ticket,
    TicketAnswer,
    TicketClerkIn,
    TransferIn,
)
from counter_app.services.queue import QueueService

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "missing or wrong device token, or no staff session"},
    403: {"model": ErrorBody, "description": "this device or session may not do this"},
    409: {"model": ErrorBody, "description": "refused in the current state"},
    422: {"model": ErrorBody, "description": "invalid input: the field and the rule it broke"},
}

router = APIRouter(prefix="/v1", responses=ERRORS)

# typed digits in any width (NFKC) are read as on the fast path
WindowNumber = Annotated[int, BeforeValidator(fold_digits), Path(ge=1, le=999, description="window number")]


def _hub(request: Request) -> Any:
    return request.app.state.hub


def _queue(request: Request) -> QueueService:
    return request.app.state.hub.queue


def authorise(request: Request, operation: str, window: int | None = None) -> Caller:
    """The caller, if its device (and staff session) may do ``operation``; see ``hub.auth``."""
    return request.app.state.hub.auth.authorise(request.scope, operation, window)


def authorise_own_window(request: Request, operation: str, window: int | None) -> Caller:
    """:func:`authorise`, and a device of one window acts only for that window (a report that
    names no window, or a device of none, such as a manager's, passes)."""
    caller = authorise(request, operation)
    if caller.device.window is not None and window is not None and window != caller.device.window:
        raise auth.Denied(403, "window", f"this {caller.device.role} device acts only for window {caller.device.window}")
    return caller


def clerk_of(caller: Caller, body: Any) -> str:
    """The clerk a command acts as: the session's. A clerk_id in the body must be the same."""
    given = getattr(body, "clerk_id", None)
    if given is not None and given != caller.clerk_id:
        raise auth.Denied(403, "clerk_id", "clerk_id is not the clerk of this staff session")
    return caller.clerk_id


@router.get("/health", response_model=Health, tags=["hub"])
async def health(request: Request) -> dict[str, Any]:
    authorise(request, auth.HEALTH)
    hub = _hub(request)
    return {"status": "ok", "seq": hub.broadcaster.last_seq, "branch_code": hub.settings.branch.code,
            "stream_clients": hub.broadcaster.subscriber_count, "committed_batches": hub.queue.committed_batches,
            "committed_operations": hub.queue.committed_operations}


@router.post("/tickets", response_model=IssueAnswer, tags=["kiosk"], summary="Take a ticket (取号)")
async def issue_ticket(request: Request, body: IssueIn) -> Response:
    authorise(request, auth.ISSUE)
    return json_response(await run_issue(_hub(request), body))


async def run_issue(hub: Any, body: IssueIn) -> dict[str, Any]:
    return issue_out(await hub.write(hub.queue.issue_ticket, body.service, body.priority, body.priority_reason))


@router.get("/tickets/{ticket}", response_model=Ticket, tags=["kiosk"])
async def get_ticket(request: Request, ticket: str) -> Response:
    authorise(request, auth.READ_TICKET)
    return json_response(plain(await _hub(request).read(_queue(request).ticket, ticket)))


@router.post("/tickets/{ticket}/cancel", response_model=TicketAnswer, tags=["counter"])
async def cancel_ticket(request: Request, ticket: str, body: ClerkIn) -> Response:
    caller = authorise(request, auth.CANCEL)
    result = await _hub(request).write(_queue(request).cancel, ticket, clerk_of(caller, body))
    return json_response(ticket_op_out(result))


@dataclass(frozen=True)
class WindowCommand:
    """``POST /v1/windows/{window}/<path>``: which queue operation, which body, which arguments.
    The routes below and the server's fast path (``fastpath``) are both made from this table."""

    operation: str
    body: type[ClerkIn]
    args: Callable[[Any, str], tuple[Any, ...]]  # (body, the session's clerk id) -> arguments
    summary: str


def _clerk(body: ClerkIn, clerk: str) -> tuple[Any, ...]:
    return (clerk,)


WINDOW_COMMANDS: dict[str, WindowCommand] = {
    "open": WindowCommand("open_window", ClerkIn, _clerk, "Open the window under the logged-in clerk"),
    "pause": WindowCommand("pause_window", ClerkIn, _clerk, "Pause the window (暂停服务)"),
    "resume": WindowCommand("resume_window", ClerkIn, _clerk, "Resume after a pause"),
    "close": WindowCommand("close_window", ClerkIn, _clerk, "Close the window (refused while a ticket is open)"),
    "force-close": WindowCommand("force_close_window", ForceCloseIn, lambda b, c: (c, b.reason),
                                 "A manager closes a window left open by another clerk, saying why; a ticket "
                                 "still open there is held for that window"),
    "call-next": WindowCommand("call_next", ClerkIn, _clerk, "Call the next ticket (叫号)"),
    "recall": WindowCommand("recall", ClerkIn, _clerk, "Recall the called ticket (重呼), capped"),
    "start": WindowCommand("start_service", ClerkIn, _clerk, "Start serving the called customer"),
    "finish": WindowCommand("finish", ClerkIn, _clerk, "Finish the current ticket"),
    "no-show": WindowCommand("no_show", ClerkIn, _clerk, "The called customer did not come (过号)"),
    "hold": WindowCommand("hold", ClerkIn, _clerk, "Hold the current ticket to call it back later today (挂起)"),
    "recycle": WindowCommand("recycle", RecycleIn, lambda b, c: (c, b.ticket),
                             "Put the called ticket, or a no-show of today, back in the queue"),
    "call-back": WindowCommand("call_back", TicketClerkIn, lambda b, c: (c, b.ticket),
                               "Call a held ticket back (回呼)"),
    "call-specific": WindowCommand("call_specific", TicketClerkIn, lambda b, c: (c, b.ticket),
                                   "Call one ticket from the waiting list"),
    "transfer": WindowCommand("transfer", TransferIn, lambda b, c: (c, b.to_service, b.to_window),
                              "Transfer the current ticket to another service or window (转移), keeping its "
                              "arrival time"),
}


def window_call(hub: Any, window: int, command: WindowCommand, body: Any, caller: Caller) -> tuple[Any, tuple[Any, ...]]:
    """The queue operation of a window command and its arguments."""
    return getattr(hub.queue, command.operation), (window, *command.args(body, clerk_of(caller, body)))


async def run_window_command(hub: Any, window: int, command: WindowCommand, body: Any, caller: Caller) -> dict[str, Any]:
    operation, args = window_call(hub, window, command, body, caller)
    return op_out(await hub.write(operation, *args))


def operation_of(path: str) -> str:
    """What a window command is to the authorisation: a manager's force-close may target any
    window; every other command only the window of the caller's staff session."""
    return auth.FORCE_CLOSE if path == "force-close" else auth.WINDOW


def _add_window_route(path: str, command: WindowCommand) -> None:
    async def endpoint(request: Request, body: Any, window: WindowNumber) -> Response:
        caller = authorise(request, operation_of(path), window)
        return json_response(await run_window_command(_hub(request), window, command, body, caller))

    endpoint.__name__ = command.operation
    endpoint.__signature__ = inspect.signature(endpoint).replace(parameters=[  # type: ignore[attr-defined]
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=command.body),
        inspect.Parameter("window", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=WindowNumber),
    ])
    router.add_api_route(f"/windows/{{window}}/{path}", endpoint, methods=["POST"], response_model=OpAnswer,
                         tags=["counter"], summary=command.summary, name=command.operation)


for _path, _command in WINDOW_COMMANDS.items():
    _add_window_route(_path, _command)


@router.post("/day/reset", response_model=ResetAnswer, tags=["manager"],
             summary="End-of-day reset (清号): clear every open ticket")
async def end_of_day_reset(request: Request, body: ResetIn) -> Response:
    caller = authorise(request, auth.RESET)
    result = await _hub(request).write(_queue(request).end_of_day_reset, clerk_of(caller, body))
    return json_response(reset_out(result))


@router.get("/waiting-counts", response_model=dict[str, int], tags=["display"])
async def waiting_counts(request: Request) -> dict[str, int]:
    authorise(request, auth.READ_COUNTS)
    return await _hub(request).read(_queue(request).waiting_counts)


@router.get("/state", response_model=State, tags=["display"], summary="Everything, as of event `seq`")
async def state(request: Request) -> Response:
    authorise(request, auth.READ_STATE)
    return json_response(state_out(await _hub(request).read(_queue(request).snapshot)))


@router.get("/events", response_model=EventsPage, tags=["display"], summary="The event log after a sequence")
async def events(request: Request, after: int = Query(0, ge=0, le=MAX_SEQ),
                 limit: int = Query(1000, ge=1, le=5000)) -> Response:
    authorise(request, auth.READ_STATE)
    hub = _hub(request)
    last = hub.broadcaster.last_seq
    found = await hub.read(hub.queue.events_since, after, limit)
    return json_response(events_out(found, max(last, found[-1].seq if found else 0)))
