"""The queue commands without the framework: an ASGI layer in front of the FastAPI app that
answers ``POST /v1/tickets`` and ``POST /v1/windows/{window}/<command>`` itself.

Under a full hall these few commands are nearly all the traffic, and FastAPI's middleware,
routing and dependency machinery cost as much CPU as the queue operation. This layer calls
the same device check, validates the same pydantic models, runs the same code (``routes``'
command table) and answers through the same error shape and encoder (:mod:`counter_app.hub.wire`); anything else, and every request when the app
is served without this layer, goes to FastAPI, which also keeps describing these routes in
``/openapi.json``."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from counter_app.domain.errors import InvalidInput
from counter_app.hub.routes import WINDOW_COMMANDS, run_issue, run_window_command
from counter_app.hub.wire import INTERNAL, UNAUTHORISED, authorised, error_answer, send_json
from counter_app.protocol import IssueIn

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
_WINDOW_PATH = re.compile(r"/v1/windows/([^/]+)/([a-z-]+)")


class CommandFastPath:
    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.hub = app.state.hub
        self.token = self.hub.settings.hub.token.encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path == "/v1/tickets":
            command = None
            window_text = ""
        else:
            match = _WINDOW_PATH.fullmatch(path)
            command = WINDOW_COMMANDS.get(match.group(2)) if match else None
            if command is None:
                await self.app(scope, receive, send)
                return
            window_text = match.group(1)  # type: ignore[union-attr]
        if not authorised(scope, self.token):
            await send_json(send, 401, UNAUTHORISED, [(b"www-authenticate", b"Bearer")])
            return
        body = await _read_body(receive)
        if body is None:
            await send_json(send, 413, {"code": "request_too_large", "message": "request body too large", "params": {}})
            return
        try:
            if command is None:
                answer = await run_issue(self.hub, IssueIn.model_validate_json(body))
            else:
                window = _window_number(window_text)
                answer = await run_window_command(self.hub, window, command, command.body.model_validate_json(body))
        except Exception as error:
            known = error_answer(error)
            if known is None:
                log.exception("queue command %s failed", path)
                known = (500, INTERNAL)
            await send_json(send, *known)
        else:
            await send_json(send, 200, answer)


def _window_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 999:
        raise InvalidInput("window", "a window number from 1 to 999", code="whole_number_range", min=1, max=999)
    return int(text)


async def _read_body(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)
