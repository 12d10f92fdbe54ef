"""Connection applications seen at every window (:mod:`counter_app.protocol.applications`):
``POST /v1/applications/copies`` — the counter that took an application reports its current
picture (idempotent: a copy no newer than the hub's changes nothing); ``POST
/v1/applications/find`` — a window's lookup of the other windows' applications; ``POST
/v1/applications/actions`` — documents handed in at a window that does not keep the application
(idempotent by action id), ``GET /v1/applications/actions?owner=T01`` — what waits for that
counter, ``POST /v1/applications/actions/{id}/done`` — the owner has recorded (or refused) it.
Counter and manager devices only; a counter reports only the applications of its own window."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from counter_app.hub import auth
from counter_app.hub.routes import ERRORS, authorise, authorise_own_window
from counter_app.hub.schemas import json_response
from counter_app.protocol.applications import (
    ActionDone, ActionRecorded, ApplicationCopyAnswer, ApplicationCopyIn, ApplicationFindAnswer, ApplicationFindIn,
    DocumentsHandedIn, PendingActions,
)
from counter_app.services.applications import branch_registry

application_router = APIRouter(prefix="/v1/applications", responses=ERRORS, tags=["counter"])


def _for_own_window(request: Request, window: int | None) -> Any:
    authorise_own_window(request, auth.APPLICATIONS, window)
    return request.app.state.hub


@application_router.post("/copies", response_model=ApplicationCopyAnswer,
                         summary="An application's current picture from the counter that took it")
async def application_copy(request: Request, body: ApplicationCopyIn) -> Response:
    hub = _for_own_window(request, body.window)
    answer = await run_in_threadpool(branch_registry.record_copy, hub.node.sessions, body)
    return json_response(answer.model_dump())


@application_router.post("/find", response_model=ApplicationFindAnswer,
                         summary="Applications other windows took, by number, ID number / credit code or mobile")
async def find_applications(request: Request, body: ApplicationFindIn) -> Response:
    authorise(request, auth.APPLICATIONS)
    hub = request.app.state.hub
    answer = await run_in_threadpool(branch_registry.find, hub.node.sessions, body)
    return json_response(answer.model_dump(mode="json"))


@application_router.post("/actions", response_model=ActionRecorded,
                         summary="Documents handed in at a window that does not keep the application")
async def hand_in_elsewhere(request: Request, body: DocumentsHandedIn) -> Response:
    hub = _for_own_window(request, body.window)
    answer = await run_in_threadpool(branch_registry.record_action, hub.node.sessions, body)
    return json_response(answer.model_dump())


@application_router.get("/actions", response_model=PendingActions,
                        summary="What waits for the counter that keeps these applications")
async def actions_waiting(request: Request, owner: str) -> Response:
    authorise(request, auth.APPLICATIONS)
    hub = request.app.state.hub
    answer = await run_in_threadpool(branch_registry.pending_actions, hub.node.sessions, owner)
    return json_response(answer.model_dump(mode="json"))


@application_router.post("/actions/{action_id}/done", response_model=ActionRecorded,
                         summary="The owner recorded (or refused) an action")
async def action_done(request: Request, action_id: str, body: ActionDone) -> Response:
    authorise(request, auth.APPLICATIONS)
    hub = request.app.state.hub
    changed = await run_in_threadpool(branch_registry.action_done, hub.node.sessions, action_id, body)
    return json_response({"recorded": changed})
