"""Head office's HTTP API (SYNC_CONTRACT.md): health, enrolment, hello and push.

Stateless: every request reads and writes PostgreSQL only, so any number of ``counter-app hq``
processes may serve one database. One log line per request, JSON, with a correlation id."""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import timedelta
from typing import Any, Callable, Mapping

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from counter_app import __version__
from counter_app.core import syncwire
from counter_app.domain.timeutil import utcnow
from counter_app.hq.auth import authenticate, forget_old_nonces
from counter_app.hq.database import HQDatabase
from counter_app.hq.enrolment import redeem
from counter_app.hq.errors import HQError, upgrade_required
from counter_app.hq.events import parse_hello, parse_json, parse_push, too_large
from counter_app.hq.ingest import RaceLost, apply_batch, hq_max_seq
from counter_app.hq.models import SyncNode
from counter_app.hq.refdata.serve import pull_page, snapshot_page

log = logging.getLogger("counter_app.hq.requests")

CORRELATION_HEADER = "X-Correlation-Id"
_RACE_RETRIES = 3
#: a node's last contact and lag are written at most this often by pushes (one row update less per batch)
CONTACT_PRECISION = timedelta(seconds=10)


def _log(fields: dict[str, Any]) -> None:
    log.info(json.dumps(fields, ensure_ascii=False, sort_keys=True, default=str))


class _Handlers:
    """The blocking work of each endpoint, run in the thread pool."""

    def __init__(self, db: HQDatabase) -> None:
        self.engine = db.engine

    def enrol(self, body: bytes, cid: str) -> dict[str, Any]:
        answer = redeem(self.engine, parse_json(body))
        _log({"op": "enrol", "cid": cid, "node": answer["node_id"], "branch": answer["branch_code"],
              "terminal": answer["terminal_code"], "incarnation": answer["incarnation"]})
        return answer

    def hello(self, method: str, path: str, headers: Mapping[str, str], body: bytes, cid: str) -> dict[str, Any]:
        now = utcnow()
        with self.engine.begin() as connection:
            caller = authenticate(connection, method, path, headers, body, now)
            data = parse_hello(body)
            if data["node_id"] != caller.node_id:
                raise HQError(403, "node_mismatch", "node_id differs from the signing node", node_id=caller.node_id)
            if data["schema_version"] not in syncwire.ACCEPTED_SCHEMA_VERSIONS:
                raise upgrade_required()
            held = hq_max_seq(connection, caller.node_id)
            connection.execute(update(SyncNode).where(SyncNode.node_id == caller.node_id).values(
                last_seen_at=now, app_version=data["app_version"], reported_acked=data.get("acked", {})))
            forget_old_nonces(connection, now)
        behind = {ch: n for ch, n in data.get("acked", {}).items() if n > held.get(ch, 0)}
        _log({"op": "hello", "cid": cid, "node": caller.node_id, "hq_max_seq": held, "hq_behind": behind})
        return {"server_time": now.isoformat(), "status": "ok", "hq_max_seq": held,
                "max_batch_events": syncwire.MAX_BATCH_EVENTS, "max_batch_bytes": syncwire.MAX_BATCH_BYTES}

    def push(self, method: str, path: str, headers: Mapping[str, str], body: bytes, cid: str) -> dict[str, Any]:
        began = time.perf_counter()
        for attempt in range(_RACE_RETRIES):
            now = utcnow()
            try:
                with self.engine.begin() as connection:
                    caller = authenticate(connection, method, path, headers, body, now)
                    data = parse_push(body)
                    outcome = apply_batch(connection, caller, data, now)
                    if caller.last_seen_at is None or now - caller.last_seen_at >= CONTACT_PRECISION:
                        connection.execute(update(SyncNode).where(SyncNode.node_id == caller.node_id).values(
                            last_seen_at=now, **({"last_lag_seconds": outcome.lag_seconds}
                                                 if outcome.lag_seconds is not None else {})))
                break  # committed: only now is the answer given (G6)
            except RaceLost:
                if attempt == _RACE_RETRIES - 1:
                    raise HQError(503, "busy", "another worker is storing the same events; retry") from None
        _log({"op": "push", "cid": cid, "node": caller.node_id, "events": len(data["events"]), **outcome.counts,
              "ms": round((time.perf_counter() - began) * 1000, 1)})
        return {"results": outcome.results}

    def reference(self, which: str, method: str, path: str, headers: Mapping[str, str], body: bytes, cid: str) -> str:
        """A pull or snapshot page of reference data for the signing node's branch."""
        began, now = time.perf_counter(), utcnow()
        with self.engine.begin() as connection:  # the nonce is spent even if the page is refused
            caller = authenticate(connection, method, path, headers, body, now)
        data = parse_json(body)
        answer = (pull_page if which == "pull" else snapshot_page)(self.engine, caller.branch_code, data)
        _log({"op": which, "cid": cid, "node": caller.node_id, "stream": data.get("stream"), "bytes": len(answer),
              "ms": round((time.perf_counter() - began) * 1000, 1)})
        return answer


def create_hq_app(db: HQDatabase) -> FastAPI:
    app = FastAPI(title="counter_app head office", version=__version__, docs_url=None, redoc_url=None)
    handlers = _Handlers(db)

    @app.middleware("http")
    async def protocol_gate(request: Request, call_next: Callable[[Request], Any]) -> Any:
        cid = request.headers.get(CORRELATION_HEADER) or uuid.uuid4().hex
        request.state.cid = cid[:64]
        if request.url.path.startswith("/v1/"):
            version = request.headers.get(syncwire.H_PROTOCOL, "")
            if not version.isdigit() or int(version) not in syncwire.ACCEPTED_PROTOCOLS:
                error = upgrade_required()
                _log({"op": "refused", "cid": cid, "path": request.url.path, "code": error.code})
                return JSONResponse(error.body(), status_code=error.status, headers={CORRELATION_HEADER: cid})
        response = await call_next(request)
        response.headers[CORRELATION_HEADER] = request.state.cid
        return response

    @app.exception_handler(HQError)
    async def refused(request: Request, error: HQError) -> JSONResponse:
        _log({"op": "refused", "cid": getattr(request.state, "cid", "-"), "path": request.url.path,
              "node": request.headers.get(syncwire.H_NODE), "code": error.code, "status": error.status})
        return JSONResponse(error.body(), status_code=error.status)

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, error: OperationalError) -> JSONResponse:
        log.error("database unavailable during %s: %s", request.url.path, error.orig)
        return JSONResponse({"code": "database_unavailable", "message": "head office's database is unreachable; retry",
                             "params": {}}, status_code=503)

    @app.get("/health")
    async def health() -> JSONResponse:
        ok = await run_in_threadpool(db.ping)
        return JSONResponse({"status": "ok" if ok else "degraded", "database": "ok" if ok else "unreachable"},
                            status_code=200 if ok else 503)

    @app.post("/v1/enrol")
    async def enrol(request: Request) -> dict[str, Any]:
        return await run_in_threadpool(handlers.enrol, await request.body(), request.state.cid)

    @app.post("/v1/sync/hello")
    async def hello(request: Request) -> dict[str, Any]:
        return await run_in_threadpool(handlers.hello, request.method, request.url.path, request.headers,
                                       await request.body(), request.state.cid)

    @app.post("/v1/sync/push")
    async def push(request: Request) -> dict[str, Any]:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > 4 * syncwire.MAX_BATCH_BYTES:  # refuse before reading it
            raise too_large()
        return await run_in_threadpool(handlers.push, request.method, request.url.path, request.headers,
                                       await request.body(), request.state.cid)

    @app.post("/v1/sync/pull")
    async def pull(request: Request) -> Response:
        answer = await run_in_threadpool(handlers.reference, "pull", request.method, request.url.path, request.headers,
                                         await request.body(), request.state.cid)
        return Response(answer, media_type="application/json")

    @app.post("/v1/sync/snapshot")
    async def snapshot(request: Request) -> Response:
        answer = await run_in_threadpool(handlers.reference, "snapshot", request.method, request.url.path,
                                         request.headers, await request.body(), request.state.cid)
        return Response(answer, media_type="application/json")

    return app
