"""Services done at the branch's windows while the hub was down (counters with their own
databases), see :mod:`counter_app.protocol.walk_ins`: ``POST /v1/walk-ins`` (idempotent by
record id), so the branch manager's statistics at the hub count them; ``POST
/v1/walk-ins/rated-ticket`` (before the counter tells the hub its finish of a ticket it finished
at the window): its customer was asked to rate it there, so the hub opens no rating of it.
Counter and manager devices only; a counter reports for its own window."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from counter_app.hub import auth
from counter_app.hub.routes import ERRORS, authorise_own_window
from counter_app.hub.schemas import json_response
from counter_app.protocol.walk_ins import RatedTicketAnswer, RatedTicketIn, WalkInsAnswer, WalkInsIn
from counter_app.services.stats import walk_ins

walk_in_router = APIRouter(prefix="/v1/walk-ins", responses=ERRORS, tags=["counter"])


@walk_in_router.post("", response_model=WalkInsAnswer,
                     summary="Services a window did without a ticket (the same record id again changes nothing)")
async def walk_ins_done(request: Request, body: WalkInsIn) -> Response:
    window = authorise_own_window(request, auth.BILLS, body.window).device.window
    hub = request.app.state.hub
    answer = await run_in_threadpool(walk_ins.record, hub.node.engine, body, window)
    return json_response(answer.model_dump())


@walk_in_router.post("/rated-ticket", response_model=RatedTicketAnswer,
                     summary="A ticket finished at the window while the hub was down was rated there (once)")
async def ticket_rated_at_counter(request: Request, body: RatedTicketIn) -> Response:
    authorise_own_window(request, auth.BILLS, body.window)
    hub = request.app.state.hub
    state = await run_in_threadpool(hub.offline_ratings.ticket_rated_at_counter, body.ticket_id, body.window,
                                    body.request_id)
    return json_response(RatedTicketAnswer(state=state).model_dump())
