"""The branch hub's HTTP and WebSocket API over the queue service.

Every ``/v1`` request carries its device's own token (``Authorization: Bearer <token>``; the
WebSocket may pass ``?token=`` instead), issued by this hub (``counter-app hub-admin
device-add``); without an enrolled, unrevoked one the answer is 401 and nothing runs. What a
device and a staff session may do is decided in ``hub.auth`` (403 otherwise). Errors have one
shape, ``{code, message, params}`` (plus ``field`` for bad input): refusals are 409, bad input
422 (:mod:`counter_app.hub.wire`, shared with the command fast path)."""

from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager
from datetime import date
from typing import Any, AsyncIterator, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from counter_app.core.config import Settings, options_from_table
from counter_app.domain.errors import InvalidInput, UserError
from counter_app.hub.auth import REFRESH_SECONDS, Denied, HubAuth
from counter_app.hub.application_routes import application_router
from counter_app.hub.bill_routes import bill_router
from counter_app.hub.walk_in_routes import walk_in_router
from counter_app.hub.broadcast import EventBroadcaster
from counter_app.hub.limits import BodyLimit
from counter_app.hub.routes import router
from counter_app.hub.session_routes import session_router
from counter_app.hub.stream import stream_router
from counter_app.hub.wire import INTERNAL, encode, error_answer, validation_error
from counter_app.hub.writer import LoopWriter
from counter_app.services.auth import AuthService
from counter_app.services.devices import DeviceRegistry
from counter_app.services.node import NodeDatabase
from counter_app.services.branch_policy import read_policy, read_policy_at_start
from counter_app.services.quality import QualityService, rating_policy
from counter_app.services.queue import QueueService, QueueSettings

log = logging.getLogger(__name__)

RESET_CHECK_SECONDS = 30.0


class _DenialLogFilter(logging.Filter):
    """uvicorn's sans-I/O WebSocket protocol logs an error after a correct 401 denial response
    (it does not count the denial as a finished handshake); that line is noise here."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != "ASGI callable returned without completing handshake."


logging.getLogger("uvicorn.error").addFilter(_DenialLogFilter())


class DeviceGuard:
    """Pure ASGI middleware: every ``/v1`` request must come from an enrolled device, checked
    before anything else runs (the routes then ask ``hub.auth`` what that device may do)."""

    def __init__(self, app: ASGIApp, auth: HubAuth) -> None:
        self.app = app
        self.auth = auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not scope["path"].startswith("/v1"):
            await self.app(scope, receive, send)
            return
        try:
            self.auth.authenticate(scope)
        except Denied as denied:
            await deny(scope, send, denied)
            return
        await self.app(scope, receive, send)


async def deny(scope: Scope, send: Send, denied: Denied) -> None:
    """Answer a refused request or WebSocket handshake with the refusal's status and reason."""
    body = encode(denied.body())
    headers = [(b"content-type", b"application/json")]
    if denied.status == 401:
        headers.append((b"www-authenticate", b"Bearer"))
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": denied.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
    elif "websocket.http.response" in scope.get("extensions", {}):
        await send({"type": "websocket.http.response.start", "status": denied.status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
    else:
        await send({"type": "websocket.close", "code": 4000 + denied.status})


class Hub:
    """What the routes share: the queue service, its write path and the broadcaster."""

    def __init__(self, node: NodeDatabase, settings: Settings, queue: QueueService) -> None:
        self.node = node
        self.settings = settings
        self.queue = queue
        self.writer = LoopWriter(queue, queue.settings.max_batch)
        self.broadcaster = EventBroadcaster()
        self.devices = DeviceRegistry(node)
        self.auth = HubAuth(self.devices)
        self.staff_auth = AuthService(node)
        quality = QualityService(node, settings, read_policy_at_start(rating_policy, settings, node.sessions))
        self.ratings, self.offline_ratings = quality.ratings, quality.offline

    async def write(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A queue operation, run on the event loop and committed with its neighbours."""
        return await self.writer.submit(operation, *args, **kwargs)

    async def read(self, query: Callable[..., Any], *args: Any) -> Any:
        """A read of the queue, on a worker thread (its own deferred transaction)."""
        return await run_in_threadpool(query, *args)


def create_hub_app(node_db: NodeDatabase, settings: Settings, queue_settings: QueueSettings | None = None,
                   *, reset_check_seconds: float = RESET_CHECK_SECONDS, follow_policy: bool = False) -> FastAPI:
    """The hub's ASGI application over an open node database. ``follow_policy``: the ``[queue]``
    table is taken again on each new business day, head office's values in force that day over the
    installation's (``queue_settings`` then hold until the first check, seconds after the start; without
    them the day's table is read at once)."""
    def queue_on(day: date) -> QueueSettings:
        return read_policy(lambda s: options_from_table(QueueSettings, s, "queue"), settings, node_db.sessions, day)

    if follow_policy and queue_settings is None:  # the day's table from the start, not the defaults
        queue_settings = read_policy_at_start(lambda s: options_from_table(QueueSettings, s, "queue"), settings,
                                              node_db.sessions)
    queue = QueueService(node_db.sessions, settings.branch.code, queue_settings, node_id=node_db.node_id,
                         policy_on=queue_on if follow_policy else None)
    hub = Hub(node_db, settings, queue)

    async def refresh_auth() -> None:
        """What ``hub-admin`` changed in the database (enrolments, revocations) takes effect here."""
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            try:
                hub.auth.apply(*await run_in_threadpool(hub.auth.read))
            except Exception:
                log.exception("reading the enrolled devices failed")

    async def reset_timer() -> None:
        while True:
            try:
                await hub.read(queue.follow_policy)  # head office's [queue] of a new business day
                due = await hub.read(queue.due_reset)
                if due is not None:
                    result = await hub.write(queue.end_of_day_reset, through=due[0], scheduled=due[1])
                    log.info("queue reset through %s: %d tickets cleared", result.business_date, result.cleared)
                await run_in_threadpool(hub.ratings.expire_due)
            except Exception:
                log.exception("end-of-day reset check failed")
            await asyncio.sleep(reset_check_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        hub.broadcaster.bind(asyncio.get_running_loop(), await run_in_threadpool(queue.last_seq))
        await run_in_threadpool(hub.auth.load)
        refresher = asyncio.create_task(refresh_auth())
        queue.add_listener(hub.broadcaster.publish_threadsafe)
        timer = asyncio.create_task(reset_timer())
        log.info("hub serving branch %s", settings.branch.code)
        try:
            yield
        finally:
            timer.cancel()
            refresher.cancel()
            queue.remove_listener(hub.broadcaster.publish_threadsafe)
            hub.broadcaster.unbind()
            await run_in_threadpool(hub.writer.close)

    app = FastAPI(title="counter_app branch hub", version="1", lifespan=lifespan,
                  description="Queue authority of one service hall: REST commands and a WebSocket event stream.")
    app.state.hub = hub
    app.include_router(router)
    app.include_router(session_router)
    app.include_router(bill_router)
    app.include_router(walk_in_router)
    app.include_router(stream_router)
    app.include_router(application_router)  # last: no route the hall uses every second is matched after it
    app.add_middleware(BodyLimit)  # inside the device check: a stranger's body is never read
    app.add_middleware(DeviceGuard, auth=hub.auth)

    @app.exception_handler(Denied)
    async def denied(request: Request, error: Denied) -> Response:
        headers = {"www-authenticate": "Bearer"} if error.status == 401 else None
        return JSONResponse(error.body(), status_code=error.status, headers=headers)

    async def user_error(request: Request, error: Exception) -> Response:
        status, body = error_answer(error) or (500, INTERNAL)
        return Response(encode(body), status_code=status, media_type="application/json")

    async def bad_request(request: Request, error: Exception) -> Response:
        errors = list(error.errors()) if isinstance(error, RequestValidationError) else []
        return await user_error(request, validation_error(errors))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 400:  # a body FastAPI could not decode: bad input like any other
            return await user_error(request, InvalidInput("body", str(error.detail), code="request_invalid",
                                                          detail=str(error.detail)))
        return JSONResponse({"code": "http", "message": str(error.detail), "params": {}},
                            status_code=error.status_code, headers=error.headers)

    app.add_exception_handler(UserError, user_error)
    app.add_exception_handler(RequestValidationError, bad_request)

    return app
