"""What the hub accepts before any route runs: request bodies up to :data:`MAX_BODY` bytes, window
numbers from 1 to 999 (typed digits in any width: NFKC), event sequences that fit SQLite's 64-bit
integers. Shared by the FastAPI routes and the command fast path, so both answer alike: 413 for a
body too large, 422 ``{message, field, rule}`` for anything malformed, never 500."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from counter_app.domain.errors import InvalidInput
from counter_app.domain.typed import is_ascii_digits, typed_number

MAX_BODY = 64 * 1024
#: The largest event sequence SQLite can store (a signed 64-bit integer).
MAX_SEQ = 2**63 - 1
WINDOW_RULE = "a window number from 1 to 999"
TOO_LARGE = {"code": "request_too_large", "message": f"request body too large (at most {MAX_BODY // 1024} KiB)",
             "params": {"kib": MAX_BODY // 1024}}


def fold_digits(value: Any) -> Any:
    """Typed digits in any width (full-width, superscript, other scripts) as ASCII; else as given."""
    if isinstance(value, str):
        folded = typed_number(value)
        return folded if is_ascii_digits(folded) else value
    return value


def window_number(text: str) -> int:
    if text.isascii() and text.isdigit() and len(text) <= 3 and text.strip("0"):  # plain digits, as typed_number leaves them
        return int(text)
    value = typed_number(text)
    if not is_ascii_digits(value) or len(value) > 3 or not 1 <= int(value) <= 999:
        raise InvalidInput("window", WINDOW_RULE, code="whole_number_range", min=1, max=999)
    return int(value)


async def read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None as soon as it passes :data:`MAX_BODY`."""
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


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def answer_too_large(send: Send) -> None:
    body = json.dumps(TOO_LARGE).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Pure ASGI middleware: an HTTP request body is read up to :data:`MAX_BODY` bytes before the
    app sees it (413 beyond, whether declared by Content-Length or streamed), then replayed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        body = None if declared is not None and declared > MAX_BODY else await read_body(receive)
        if body is None:
            await answer_too_large(send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
