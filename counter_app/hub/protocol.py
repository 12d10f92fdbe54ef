"""The hub's HTTP/1.1 protocol: uvicorn's (httptools), answering the queue commands of
:mod:`counter_app.hub.fastpath` straight from the parser's callbacks.

Through ASGI a command costs a task, an event, a dict per message and two socket writes, as
much CPU as the queue operation. Here the parser's callbacks collect the request, the writer
gets the operation at once (:meth:`LoopWriter.enqueue`), and the commit's callback writes the
whole answer with one ``write``. Every other request (and a command that asks
``Expect: 100-continue`` or an upgrade) goes through uvicorn to the app as before, on the
same port.

Answers stay in request order on a connection (HTTP/1.1 pipelining): a command takes the
connection's ``cycle`` slot as uvicorn's own requests do, so a request that arrives behind it
waits in uvicorn's pipeline, and a command behind another request waits there too and starts
when that one is answered. A client that goes away before its answer does not undo the
operation (it was committed); the answer is dropped."""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from counter_app.hub.fastpath import MAX_BODY, Answer, Hot, begin, hot_route, outcome
from counter_app.hub.wire import encode

_JSON = b"content-type: application/json\r\n"
_CLOSE = b"connection: close\r\n"


class _Noop:
    def set(self) -> None:  # uvicorn's protocol sets its cycle's event on disconnect
        pass


class CommandCycle:
    """One command on a connection, in the place of uvicorn's request-response cycle (the
    attributes its protocol reads and sets: ``response_complete``, ``disconnected``,
    ``keep_alive``, ``message_event``, ``run_asgi`` for its pipeline)."""

    message_event = _Noop()

    def __init__(self, protocol: "CommandProtocol", hot: Hot, scope: Any, keep_alive: bool) -> None:
        self.protocol = protocol
        self.hot = hot
        self.scope = scope
        self.keep_alive = keep_alive
        self.chunks: list[bytes] = []
        self.size = 0
        self.received = False  # the whole body is in
        self.turn = False  # no earlier answer is still to come on the connection
        self.response_complete = False
        self.disconnected = False

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size <= MAX_BODY:
            self.chunks.append(chunk)

    def body_complete(self) -> None:
        self.received = True
        if self.turn:
            self.start()

    def take_turn(self) -> None:
        self.turn = True
        if self.received:
            self.start()

    async def run_asgi(self, app: Any) -> None:
        """Its turn, after the request before it on the connection was answered (uvicorn's pipeline)."""
        self.take_turn()

    def start(self) -> None:
        body = b"".join(self.chunks) if self.size <= MAX_BODY else None
        started = begin(self.protocol.hub, self.scope, self.hot, body)
        if isinstance(started, Answer):
            self.answer(started)
            return
        future, shape = started
        future.add_done_callback(lambda done: self.answer(outcome(self.hot, done, shape)))

    def answer(self, answer: Answer) -> None:
        self.response_complete = True
        protocol = self.protocol
        if self.disconnected or protocol.transport.is_closing():
            return
        body = encode(answer.data)
        head = [STATUS_LINE[answer.status], _JSON, b"content-length: %d\r\n" % len(body)]
        for name, value in [*protocol.server_state.default_headers, *(answer.headers or ())]:
            head += (name, b": ", value, b"\r\n")
        if not self.keep_alive:
            head.append(_CLOSE)
        head += (b"\r\n", body)
        protocol.transport.write(b"".join(head))
        if not self.keep_alive:
            protocol.transport.close()
        protocol.on_response_complete()


class CommandProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the commands answered by :class:`CommandCycle`. Made
    per hub by :func:`command_protocol` (uvicorn builds protocols from a class)."""

    hub: Any = None

    def on_headers_complete(self) -> None:
        parser = self.parser
        hot = None
        if not self.expect_100_continue and not parser.should_upgrade() and b"%" not in self.url:
            hot = hot_route(parser.get_method().decode("ascii"), self.url.partition(b"?")[0].decode("latin-1"))
        if hot is None:
            super().on_headers_complete()
            return
        version = parser.get_http_version()
        self.scope["method"], self.scope["path"] = "POST", hot.path
        if version != "1.1":
            self.scope["http_version"] = version
        existing = self.cycle
        cycle = CommandCycle(self, hot, self.scope, version != "1.0" and parser.should_keep_alive())
        self.cycle = cycle  # type: ignore[assignment]
        if existing is None or existing.response_complete:
            cycle.turn = True
        else:  # behind an answer still to come: uvicorn's pipeline starts it after that one
            self.flow.pause_reading()
            self.pipeline.appendleft((cycle, None))  # type: ignore[arg-type]

    def on_body(self, body: bytes) -> None:
        if isinstance(self.cycle, CommandCycle):
            self.cycle.add(body)
        else:
            super().on_body(body)

    def on_message_complete(self) -> None:
        if isinstance(self.cycle, CommandCycle):
            self.cycle.body_complete()
        else:
            super().on_message_complete()


def command_protocol(hub: Any) -> type[CommandProtocol]:
    """The protocol class uvicorn is to use for ``hub`` (``uvicorn.Config(http=...)``)."""
    return type("HubCommandProtocol", (CommandProtocol,), {"hub": hub})


__all__ = ["CommandCycle", "CommandProtocol", "command_protocol"]
