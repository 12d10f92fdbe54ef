"""What both of the hub's request paths (FastAPI's routes and the command fast path) share:
the device check, the one error shape and the JSON encoding. Neither path has its own.

Errors go out as ``{code, message, params}`` (and ``field``, ``rule`` for bad input): 422 bad
input, 409 refused, 401 no or wrong credentials, 503 database unavailable. The client rebuilds
the typed error from code and params (:func:`counter_app.domain.errors.from_wire`)."""

from __future__ import annotations

import hmac
import logging
from datetime import date, datetime
from enum import Enum
from typing import Any
from urllib.parse import parse_qs

import orjson
from pydantic import BaseModel, ValidationError
from starlette.types import Scope, Send

from counter_app.domain.errors import InvalidInput, NotAllowed, UserError
from counter_app.persistence.database import DatabaseUnavailable

log = logging.getLogger(__name__)

UNAUTHORISED = {"code": "hub_auth", "message": "missing or wrong device token", "params": {}}
INTERNAL = {"code": "internal", "message": "internal error", "params": {}}
JSON_HEADERS = [(b"content-type", b"application/json")]


def presented_token(scope: Scope) -> bytes | None:
    """The bearer token of a request (a WebSocket may pass ``?token=`` instead)."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            return value[7:].strip()
    if scope["type"] == "websocket":
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if query.get("token"):
            return query["token"][0].encode("utf-8")
    return None


def authorised(scope: Scope, token: bytes) -> bool:
    """Whether the request carries this hub's device credential: the one check of both paths."""
    presented = presented_token(scope)
    return presented is not None and hmac.compare_digest(presented, token)


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def encode(data: Any) -> bytes:
    """An answer as compact UTF-8 JSON, dates and times ISO 8601 as :meth:`datetime.isoformat`
    writes them. orjson takes a fifth of the json module's time on the hub's hot path; this is
    for answers only: the outbox's canonical text, whose digest head office checks, stays
    ``models.base.dumps``."""
    return orjson.dumps(data, default=_default, option=_OPTIONS)


def validation_error(errors: list[dict[str, Any]]) -> InvalidInput:
    """pydantic's first complaint about a request as bad input naming the field."""
    first = errors[0] if errors else {"loc": ("body",), "msg": "invalid request"}
    field = ".".join(str(part) for part in first["loc"] if part not in ("body", "query", "path")) or "request"
    return InvalidInput(field, first["msg"], code="request_invalid", detail=first["msg"])


def error_answer(error: BaseException) -> tuple[int, dict[str, Any]] | None:
    """The status and body for an error a request ended with; ``None`` for a bug (500)."""
    if isinstance(error, ValidationError):
        error = validation_error(list(error.errors()))
    if isinstance(error, InvalidInput):
        return 422, error.to_wire()
    if isinstance(error, NotAllowed):
        return 409, error.to_wire()
    if isinstance(error, DatabaseUnavailable):
        return 503, error.to_wire()
    if isinstance(error, UserError):
        return 409, error.to_wire()
    return None


async def send_json(send: Send, status: int, data: Any, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """A whole JSON answer over raw ASGI."""
    body = encode(data)
    await send({"type": "http.response.start", "status": status,
                "headers": [*JSON_HEADERS, (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})
