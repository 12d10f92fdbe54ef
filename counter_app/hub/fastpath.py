"""The queue commands without the framework: an ASGI layer in front of the FastAPI app that
answers ``POST /v1/tickets`` and ``POST /v1/windows/{window}/<command>`` itself.

Under a full hall these few commands are nearly all the traffic, and FastAPI's middleware,
routing and dependency machinery cost as much CPU as the queue operation. This layer asks
the same authorisation function (``hub.auth``), validates the same pydantic models, runs the same code (``routes``' command
table) and answers the same JSON and errors; anything else, and every request when the app
is served without this layer, goes to FastAPI, which also keeps describing these routes in
``/openapi.json``."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from fastapi import FastAPI
from pydantic import ValidationError
from starlette.types import Receive, Scope, Send

from counter_app.domain.errors import InvalidInput, NotAllowed
from counter_app.hub import auth
from counter_app.hub.limits import MAX_BODY, answer_too_large, read_body, window_number
from counter_app.hub.routes import WINDOW_COMMANDS, run_issue, run_window_command
from counter_app.hub.schemas import IssueIn
from counter_app.persistence.database import DatabaseUnavailable

log = logging.getLogger(__name__)

__all__ = ["MAX_BODY", "CommandFastPath"]
_WINDOW_PATH = re.compile(r"/v1/windows/([^/]+)/([a-z-]+)")
_JSON = [(b"content-type", b"application/json")]


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
            window_text = ""
        else:
            match = _WINDOW_PATH.fullmatch(path)
            command = WINDOW_COMMANDS.get(match.group(2)) if match else None
            if command is None:
                await self.app(scope, receive, send)
                return
            window_text = match.group(1)  # type: ignore[union-attr]
        try:
            self.hub.auth.authenticate(scope)
        except auth.Denied as denied:
            await _answer(send, denied.status, denied.body(), [(b"www-authenticate", b"Bearer")])
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
                caller = self.hub.auth.authorise(scope, auth.WINDOW, window)
                answer = await run_window_command(self.hub, window, command, given, caller)
        except auth.Denied as denied:
            await _answer(send, denied.status, denied.body())
        except ValidationError as error:
            await _answer(send, 422, _validation(error))
        except InvalidInput as error:
            await _answer(send, 422, {"message": str(error), "field": error.field, "rule": error.rule})
        except NotAllowed as error:
            await _answer(send, 409, {"message": str(error)})
        except DatabaseUnavailable as error:
            await _answer(send, 503, {"message": str(error)})
        except Exception:
            log.exception("queue command %s failed", path)
            await _answer(send, 500, {"message": "internal error"})
        else:
            await _answer(send, 200, answer)


def _validation(error: ValidationError) -> dict[str, Any]:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    return {"message": f"{field}: {first['msg']}", "field": field, "rule": first["msg"]}


def _iso(value: Any) -> str:
    return value.isoformat()


async def _answer(send: Send, status: int, data: Any, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=_iso).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [*_JSON, (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})
