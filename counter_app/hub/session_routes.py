"""Staff sessions and ratings at the hub.

``POST /v1/sessions``: a clerk logs in at the hub from a counter device, for its window; the
hub checks the password hash, the lock-out and writes the audit (``AuthService``), and answers
a session token that window commands carry in ``X-Staff-Session``. ``DELETE
/v1/sessions/current`` logs out.

``/v1/windows/{window}/ratings``: only the enrolled evaluator device of that window may ask for
and give the rating of a ticket the hub's own queue finished there (``RatingDesk.request_at_hub``:
the hub's ticket row and its ``done`` event are the evidence, never what the caller says). An
answer the evaluator took while the hub was down is the counter's rating; ``…/at-counter`` closes
the hub's request without one (``services.quality.offline``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from counter_app.domain.staff_rules import LoginRefused, Role
from counter_app.hub import auth
from counter_app.hub.routes import ERRORS, authorise
from counter_app.hub.schemas import json_response
from counter_app.services.auth import StaffSession
from counter_app.services.quality import RatingNotice, RatingRequestView

session_router = APIRouter(prefix="/v1", responses=ERRORS)

WindowNumber = Path(ge=1, le=999, description="window number")


class SessionIn(BaseModel):
    staff_no: str = Field(min_length=1, max_length=20)
    password: str = Field(min_length=1, max_length=200)
    window: int | None = Field(None, ge=1, le=999, description="the counter device's window")


class PasswordChangeIn(SessionIn):
    new_password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    session: str = Field(description="the staff-session token, for X-Staff-Session; shown once")
    staff_id: str
    staff_no: str
    name: str
    role: str
    window: int | None
    logged_in_at: datetime


class RefusedLoginOut(BaseModel):
    message: str
    field: str
    rule: str
    reason: Literal["wrong", "locked", "disabled", "must_change"]
    locked_until: datetime | None
    tries_left: int | None


class RatingAskIn(BaseModel):
    ticket: str = Field(min_length=1, max_length=36, description="the id of the ticket just finished")
    kind: Literal["screen", "pad"] = "screen"


class RatingAnswerIn(BaseModel):
    level: int = Field(description="1 (非常不满意) to 5 (非常满意)")
    reasons: list[str] = Field(default_factory=list, max_length=10)
    kind: Literal["screen", "pad"] = "screen"


class RatingDeclineIn(BaseModel):
    kind: Literal["screen", "pad"] = "screen"


class RatingAtCounterIn(BaseModel):
    rating_id: str = Field(min_length=1, max_length=36, description="the rating recorded at the counter")
    kind: Literal["screen", "pad"] = "screen"


class RatingAtCounterOut(BaseModel):
    state: Literal["at_counter"]


def _hub(request: Request) -> Any:
    return request.app.state.hub


@session_router.post("/sessions", response_model=SessionOut, tags=["counter"],
                     responses={401: {"model": RefusedLoginOut, "description": "login refused"}},
                     summary="Log in at the hub (staff number and password), for this counter's window")
async def open_session(request: Request, body: SessionIn) -> Response:
    caller = authorise(request, auth.SESSION_OPEN, body.window)
    hub = _hub(request)
    return await _opened(request, caller, body, hub.staff_auth.login, body.staff_no, body.password, body.window,
                         caller.device.name)


@session_router.post("/sessions/password", response_model=SessionOut, tags=["counter"],
                     responses={401: {"model": RefusedLoginOut, "description": "login refused"}},
                     summary="Set a new password (the current one with it) and log in: a first password, or one "
                             "reset at head office, is changed before anything else")
async def change_password(request: Request, body: PasswordChangeIn) -> Response:
    caller = authorise(request, auth.SESSION_OPEN, body.window)
    hub = _hub(request)
    return await _opened(request, caller, body, hub.staff_auth.change_password, body.staff_no, body.password,
                         body.new_password, body.window, caller.device.name)


async def _opened(request: Request, caller: Any, body: SessionIn, check: Any, *args: Any) -> Response:
    """The staff session after ``check`` (a login or a password change) let him in."""
    hub = _hub(request)
    try:
        staff = await run_in_threadpool(check, *args)
    except LoginRefused as error:
        return json_response({"message": str(error), "field": "password", "rule": "login", "reason": error.reason,
                              "locked_until": error.locked_until, "tries_left": error.tries_left}, 401)
    if body.window is not None and "counter" not in staff.opens:
        raise auth.Denied(403, "staff_no", f"a {staff.role.value} does not work at a window")
    token, view = await run_in_threadpool(hub.devices.open_session, caller.device.id, staff.staff_id, body.window)
    hub.auth.add_session(token, view)
    return json_response({"session": token, "staff_id": view.staff_id, "staff_no": view.staff_no, "name": view.name,
                          "role": view.role, "window": view.window, "logged_in_at": staff.logged_in_at})


@session_router.delete("/sessions/current", status_code=204, tags=["counter"], summary="Log out")
async def end_session(request: Request) -> Response:
    caller = authorise(request, auth.SESSION_END)
    hub = _hub(request)
    assert caller.session is not None
    hub.auth.end_session(caller.session)
    await run_in_threadpool(hub.devices.end_session, caller.session.id, "logout")
    who = caller.session
    await run_in_threadpool(hub.staff_auth.logout, StaffSession(who.staff_id, who.staff_no, who.name, Role(who.role),
                                                                who.window, who.started_at))
    return Response(status_code=204)


def _device(kind: str, window: int) -> str:
    """The evaluator device as the hub knows it: its kind and the window of its credential."""
    return f"{kind}:W{window:02d}"


def _request_out(view: RatingRequestView | None) -> dict[str, Any] | None:
    return None if view is None else asdict(view)


@session_router.post("/windows/{window}/ratings", response_model=RatingRequestView, tags=["evaluator"],
                     summary="Ask for the rating of a ticket the hub finished at this window")
async def ask_rating(request: Request, body: RatingAskIn, window: int = WindowNumber) -> Response:
    authorise(request, auth.RATE, window)
    hub = _hub(request)
    view = await run_in_threadpool(hub.ratings.request_at_hub, body.ticket, window, _device(body.kind, window))
    return json_response(_request_out(view))


@session_router.get("/windows/{window}/ratings/pending", response_model=RatingRequestView | None, tags=["evaluator"],
                    summary="The rating this window's evaluator should show now")
async def pending_rating(request: Request, window: int = WindowNumber) -> Response:
    authorise(request, auth.RATE, window)
    hub = _hub(request)
    return json_response(_request_out(await run_in_threadpool(hub.ratings.pending, window)))


@session_router.post("/windows/{window}/ratings/{request_id}/answer", response_model=RatingNotice,
                     tags=["evaluator"], summary="The customer's answer")
async def answer_rating(request: Request, body: RatingAnswerIn, request_id: str, window: int = WindowNumber) -> Response:
    authorise(request, auth.RATE, window)
    hub = _hub(request)
    result = await run_in_threadpool(hub.ratings.submit, request_id, body.level, tuple(body.reasons),
                                     _device(body.kind, window))
    return json_response(asdict(result.notice))


@session_router.post("/windows/{window}/ratings/{request_id}/decline", response_model=RatingNotice,
                     tags=["evaluator"], summary="No answer: recorded as not rated")
async def decline_rating(request: Request, body: RatingDeclineIn, request_id: str,
                         window: int = WindowNumber) -> Response:
    authorise(request, auth.RATE, window)
    hub = _hub(request)
    result = await run_in_threadpool(hub.ratings.decline, request_id, _device(body.kind, window))
    return json_response(asdict(result.notice))


@session_router.post("/windows/{window}/ratings/{request_id}/at-counter", response_model=RatingAtCounterOut,
                     tags=["evaluator"], summary="Answered at the counter while the hub was down: no rating here")
async def rated_at_counter(request: Request, body: RatingAtCounterIn, request_id: str,
                           window: int = WindowNumber) -> Response:
    authorise(request, auth.RATE, window)
    hub = _hub(request)
    state = await run_in_threadpool(hub.offline_ratings.answered_at_counter, request_id,
                                    _device(body.kind, window), body.rating_id)
    return json_response({"state": state})
