"""The queue commands without the framework: an ASGI layer in front of the FastAPI app that
answers ``POST /v1/tickets`` and ``POST /v1/windows/{window}/<command>`` itself.

Under a full hall these few commands are nearly all the traffic, and FastAPI's middleware,
routing and dependency machinery cost as much CPU as the queue operation. This layer asks
the same authorisation function (``hub.auth``), validates the same pydantic models, runs the same
code (``routes``' command table) and answers through the same error shape and encoder
(:mod:`counter_app.hub.wire`); anything else, and every request when the app
is served without this layer, goes to FastAPI, which also keeps describing these routes in
``/openapi.json``."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from counter_app.hub import auth
from counter_app.hub.limits import MAX_BODY, answer_too_large, read_body, window_number
from counter_app.hub.routes import WINDOW_COMMANDS, operation_of, run_issue, run_window_command
from counter_app.hub.wire import INTERNAL, error_answer, send_json
from counter_app.protocol import IssueIn

log = logging.getLogger(__name__)

__all__ = ["MAX_BODY", "CommandFastPath"]
_WINDOW_PATH = re.compile(r"/v1/windows/([^/]+)/([a-z-]+)")


class CommandFastPath:
    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.hub = app.state.hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path == "/v1/tickets":
            command = None
            window_text = match_name = ""
        else:
            match = _WINDOW_PATH.fullmatch(path)
            match_name = match.group(2) if match else ""
            command = WINDOW_COMMANDS.get(match_name)
            if command is None:
                await self.app(scope, receive, send)
                return
            window_text = match.group(1)  # type: ignore[union-attr]
        try:
            self.hub.auth.authenticate(scope)
        except auth.Denied as denied:
            await send_json(send, denied.status, denied.body(), [(b"www-authenticate", b"Bearer")])
            return
        body = await read_body(receive)
        if body is None:
            await answer_too_large(send)
            return
        try:
            if command is None:  # validated, then authorised, as FastAPI's routes do
                issue = IssueIn.model_validate_json(body)
                self.hub.auth.authorise(scope, auth.ISSUE)
                answer = await run_issue(self.hub, issue)
            else:
                window = window_number(window_text)
                given = command.body.model_validate_json(body)
                caller = self.hub.auth.authorise(scope, operation_of(match_name), window)
                answer = await run_window_command(self.hub, window, command, given, caller)
        except auth.Denied as denied:
            await send_json(send, denied.status, denied.body())
        except Exception as error:
            known = error_answer(error)
            if known is None:
                log.exception("queue command %s failed", path)
                known = (500, INTERNAL)
            await send_json(send, *known)
        else:
            await send_json(send, 200, answer)
