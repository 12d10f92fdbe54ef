"""Bills paid at the branch's windows (counters with their own databases), see
:mod:`counter_app.protocol.bills`: ``POST /v1/bills/check`` before a payment, ``POST
/v1/bills/paid`` after it (idempotent by payment id), ``GET /v1/bills/incidents`` for the
double payments seen. Counter and manager devices only; a counter reports for its own window."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from counter_app.hub import auth
from counter_app.hub.routes import ERRORS, authorise_own_window
from counter_app.hub.schemas import json_response
from counter_app.protocol.bills import (
    ACCEPTED_BILLS_PROTOCOLS,
    BILLS_PROTOCOL_HEADER,
    BillConflict,
    BillsCheckAnswer,
    BillsCheckIn,
    BillsPaidAnswer,
    BillsPaidIn,
)
from counter_app.services.billing import bill_registry

bill_router = APIRouter(prefix="/v1/bills", responses=ERRORS, tags=["counter"])
UPGRADE = {"code": "upgrade_required", "message": "this counter speaks another version of the bills protocol: "
           "upgrade it (it keeps working on its own data meanwhile)", "params": {}, "field": "protocol",
           "rule": "version"}


def _checked(request: Request, window: int | None) -> Any:
    authorise_own_window(request, auth.BILLS, window)
    return request.app.state.hub


def _version_refused(request: Request) -> Response | None:
    given = request.headers.get(BILLS_PROTOCOL_HEADER, "")
    if not given.isdigit() or int(given) not in ACCEPTED_BILLS_PROTOCOLS:
        return json_response(UPGRADE, 426)
    return None


@bill_router.post("/check", response_model=BillsCheckAnswer,
                  summary="Which of these bills another window has settled (ask before a payment)")
async def check_bills(request: Request, body: BillsCheckIn) -> Response:
    hub = _checked(request, None)
    refused = _version_refused(request)
    if refused is not None:
        return refused
    answer = await run_in_threadpool(bill_registry.paid_elsewhere, hub.node.sessions, body)
    return json_response(answer.model_dump())


@bill_router.post("/paid", response_model=BillsPaidAnswer,
                  summary="A payment's bills (after its commit; the same payment id again changes nothing)")
async def bills_paid(request: Request, body: BillsPaidIn) -> Response:
    hub = _checked(request, body.window)
    refused = _version_refused(request)
    if refused is not None:
        return refused
    answer = await run_in_threadpool(bill_registry.record_paid, hub.node.sessions, body)
    return json_response(answer.model_dump())


@bill_router.get("/incidents", response_model=list[BillConflict], summary="Bills settled twice (double payments)")
async def bill_incidents(request: Request) -> Response:
    hub = _checked(request, None)
    return json_response([c.model_dump() for c in await run_in_threadpool(bill_registry.incidents, hub.node.sessions)])
