"""The queue commands without the framework: ``POST /v1/tickets`` and
``POST /v1/windows/{window}/<command>`` answered by the hub itself.

Under a full hall these few commands are nearly all the traffic, and FastAPI's middleware,
routing and dependency machinery cost as much CPU as the queue operation. This module asks
the same authorisation function (``hub.auth``), validates the same pydantic models, runs the same
code (``routes``' command table) and answers through the same error shape and encoder
(:mod:`counter_app.hub.wire`); anything else, and every request when the app is served without
it, goes to FastAPI, which also keeps describing these routes in ``/openapi.json``.

Two front ends share it: :class:`CommandFastPath`, an ASGI layer in front of the FastAPI app,
and the HTTP protocol of :mod:`counter_app.hub.protocol`, which answers these commands straight
from the parser's callbacks (no ASGI messages, no task) and hands everything else to uvicorn."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Callable, NamedTuple

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from counter_app.hub import auth
from counter_app.hub.limits import MAX_BODY, TOO_LARGE, read_body, window_number
from counter_app.hub.routes import WINDOW_COMMANDS, WindowCommand, operation_of, window_call
from counter_app.hub.schemas import issue_out, op_out
from counter_app.hub.wire import INTERNAL, error_answer, send_json
from counter_app.protocol import IssueIn

log = logging.getLogger(__name__)

__all__ = ["MAX_BODY", "CommandFastPath", "Hot", "Answer", "begin", "hot_route", "outcome"]
_WINDOW_PATH = re.compile(r"/v1/windows/([^/]+)/([a-z-]+)")
_BEARER = [(b"www-authenticate", b"Bearer")]


class Hot(NamedTuple):
    """A request this module answers: a window command (``command``), or a ticket to issue (None)."""

    path: str
    command: WindowCommand | None
    name: str
    window_text: str


class Answer(NamedTuple):
    status: int
    data: Any
    headers: list[tuple[bytes, bytes]] | None = None


Started = tuple["asyncio.Future[Any]", Callable[[Any], Any]]  # the operation's future, how to shape its result


def hot_route(method: str, path: str) -> Hot | None:
    """The command a request is, if it is one this module answers."""
    if method != "POST":
        return None
    if path == "/v1/tickets":
        return Hot(path, None, "", "")
    match = _WINDOW_PATH.fullmatch(path)
    command = WINDOW_COMMANDS.get(match.group(2)) if match else None
    if command is None:
        return None
    return Hot(path, command, match.group(2), match.group(1))  # type: ignore[union-attr]


def begin(hub: Any, scope: Scope, hot: Hot, body: bytes | None) -> Answer | Started:
    """Check, validate and authorise a command (in FastAPI's order), then hand its operation to
    the writer. Either the answer at once (a refusal) or the operation's future and how to
    shape its result; ``body`` None: it was larger than :data:`MAX_BODY`."""
    try:
        hub.auth.authenticate(scope)
    except auth.Denied as denied:
        return Answer(denied.status, denied.body(), _BEARER)
    if body is None:
        return Answer(413, TOO_LARGE)
    try:
        if hot.command is None:  # validated, then authorised, as FastAPI's routes do
            issue = IssueIn.model_validate_json(body)
            hub.auth.authorise(scope, auth.ISSUE)
            return hub.writer.enqueue(hub.queue.issue_ticket, issue.service, issue.priority,
                                      issue.priority_reason), issue_out
        window = window_number(hot.window_text)
        given = hot.command.body.model_validate_json(body)
        caller = hub.auth.authorise(scope, operation_of(hot.name), window)
        operation, args = window_call(hub, window, hot.command, given, caller)
        return hub.writer.enqueue(operation, *args), op_out
    except Exception as error:
        return _refused(hot, error)


def outcome(hot: Hot, future: asyncio.Future[Any], shape: Callable[[Any], Any]) -> Answer:
    """The answer to a command whose operation ended (committed, or failed)."""
    try:
        return Answer(200, shape(future.result()))
    except Exception as error:
        return _refused(hot, error)


def _refused(hot: Hot, error: BaseException) -> Answer:
    if isinstance(error, auth.Denied):
        return Answer(error.status, error.body())
    known = error_answer(error)
    if known is None:
        log.error("queue command %s failed", hot.path, exc_info=error)
        known = (500, INTERNAL)
    return Answer(*known)


class CommandFastPath:
    """The commands as an ASGI layer in front of the FastAPI app."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.hub = app.state.hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hot = hot_route(scope["method"], scope["path"]) if scope["type"] == "http" else None
        if hot is None:
            await self.app(scope, receive, send)
            return
        try:
            self.hub.auth.authenticate(scope)
        except auth.Denied:
            body = None
        else:
            body = await read_body(receive)
        started = begin(self.hub, scope, hot, body)
        if not isinstance(started, Answer):
            future, shape = started
            try:
                await future
            except Exception:  # outcome() reads it
                pass
            started = outcome(hot, future, shape)
        await send_json(send, *started)
