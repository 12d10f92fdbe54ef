"""The head-office console's HTTP API, under ``/v1/console``: an operator logs in for a bearer
session, then lists nodes, issues enrolment codes, resolves quarantined events and edits
reference data. Every act is audited with the operator's id (:func:`operators.record`).

Errors answer in the one shape (``{code, message, params}``, ``field`` and ``rule`` for bad input):
422 bad input, 409 refused, 401 no or ended session / refused login, 503 database down. The words
of each code are in :mod:`counter_app.core.messages` (``hq``)."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from counter_app.domain.errors import InvalidInput, NotAllowed, UserError
from counter_app.domain.timeutil import utcnow
from counter_app.hq.admin_args import ROLES
from counter_app.hq.console_catalog import add_catalog_routes
from counter_app.hq.console_reference import add_reference_routes
from counter_app.hq.database import HQDatabase
from counter_app.hq.enrolment import issue_code, list_nodes, revoke
from counter_app.hq.errors import ConsoleSessionEnded, HQError
from counter_app.hq.models import InboundEvent, SyncNode
from counter_app.hq.operators import Operator, login, logout, recent_audit, record, session_operator
from counter_app.hq.quarantine import incidents, list_quarantine, reapply, reject

log = logging.getLogger("counter_app.hq.console")

PREFIX = "/v1/console"
_BRANCH_CODE = r"[A-Z][A-Z0-9]{1,9}"


class LoginBody(BaseModel):
    name: str = Field(max_length=40)
    password: str = Field(max_length=200)


class CodeBody(BaseModel):
    branch: str = Field(max_length=10)
    role: str
    window: int | None = None
    days: int = 7


class ResolveBody(BaseModel):
    reason: str = Field(max_length=500)


class RevokeBody(BaseModel):
    reason: str = Field(max_length=500)


def error_answer(error: UserError) -> tuple[int, dict[str, Any]]:
    if isinstance(error, ConsoleSessionEnded) or error.code.startswith("hq_login_"):
        return 401, error.to_wire()
    return (422 if isinstance(error, InvalidInput) else 409), error.to_wire()


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else ""


def check_code_request(body: CodeBody) -> None:
    """Bad input of an enrolment code, in words the console can show (before head office's own checks)."""
    if not re.fullmatch(_BRANCH_CODE, body.branch or ""):
        raise InvalidInput("branch", "2-10 capital letters and digits", code="branch_code_form")
    if body.role not in ROLES:
        raise InvalidInput("role", "one of " + ", ".join(ROLES), code="one_of", choices=", ".join(ROLES))
    if body.role == "hub" and body.window not in (None, 1):
        raise InvalidInput("window", "no window for a hub", code="hq_hub_no_window")
    if body.role in ("counter", "evaluator") and body.window is None:
        raise InvalidInput("window", "the window number", code="hq_window_required", role=body.role)
    if body.window is not None and not 1 <= body.window <= 99:
        raise InvalidInput("window", "1 to 99", code="whole_number_range", min=1, max=99)
    if not 1 <= body.days <= 90:
        raise InvalidInput("days", "1 to 90", code="whole_number_range", min=1, max=90)


def _quarantined_event(engine: Engine, event_id: str) -> None:
    with engine.connect() as connection:
        status = connection.scalar(select(InboundEvent.apply_status).where(InboundEvent.event_id == event_id))
    if status is None:
        raise InvalidInput("event_id", "an event head office holds", code="hq_event_unknown")
    if status != "quarantined":
        raise NotAllowed(f"event is {status}", code="hq_event_resolved", status=status)


def _reason(text: str) -> str:
    if not text.strip():
        raise InvalidInput("reason", "say why", code="hq_reason_required")
    return text.strip()


class Console:
    """The blocking work of each endpoint (FastAPI runs plain ``def`` routes in its thread pool)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def operator(self, request: Request) -> Operator:
        with self.engine.begin() as connection:
            return session_operator(connection, bearer(request))

    def audit(self, operator: Operator, action: str, **fields: Any) -> None:
        """After an act that commits on its own (codes, quarantine, revocation: their functions open
        their own transaction); reference edits are audited inside theirs (console_reference)."""
        with self.engine.begin() as connection:
            record(connection, operator, action, **fields)
        log.info("console %s by %s %s", action, operator.name, fields.get("entity_id", ""))

    def nodes(self) -> list[dict[str, Any]]:
        rows = []
        for n in list_nodes(self.engine):
            rows.append({
                "node_id": n.node_id, "branch_code": n.branch_code, "terminal_code": n.terminal_code,
                "incarnation": n.incarnation, "role": n.role, "status": n.status, "hostname": n.hostname,
                "last_seen_at": n.last_seen_at, "lag_seconds": n.lag_seconds, "events": n.events, "gaps": n.gaps,
                "quarantined": n.quarantined,
                # reported by the branch (syncops); None until that is merged or reported
                "pending": getattr(n, "pending", None),
                "oldest_unsent_payment_at": getattr(n, "oldest_unsent_payment_at", None),
                "reported_at": getattr(n, "reported_at", None)})
        return rows

    def issue(self, operator: Operator, body: CodeBody) -> dict[str, Any]:
        check_code_request(body)
        issued = issue_code(self.engine, body.branch, body.role, body.window, body.days)
        self.audit(operator, "enrol_code_issued", entity="terminal", entity_id=f"{issued.branch_code}/{issued.terminal_code}",
                   role=issued.role, window=issued.window, expires_at=issued.expires_at.isoformat())
        return {"code": issued.code, "branch_code": issued.branch_code, "terminal_code": issued.terminal_code,
                "role": issued.role, "window": issued.window, "expires_at": issued.expires_at}

    def resolve(self, operator: Operator, event_id: str, action: str, body: ResolveBody) -> dict[str, Any]:
        reason = _reason(body.reason)
        _quarantined_event(self.engine, event_id)
        try:
            if action == "reapply":
                reapply(self.engine, event_id, reason, by=operator.name)
            else:
                reject(self.engine, event_id, reason, by=operator.name)
        except HQError as error:
            if error.code == "invalid_input":  # resolved by someone else in between
                _quarantined_event(self.engine, event_id)
            raise NotAllowed(error.message, code="hq_reapply_refused", why=error.code) from None
        status = "applied" if action == "reapply" else "rejected"
        self.audit(operator, f"event_{status}", entity="event", entity_id=event_id, reason=reason)
        return {"event_id": event_id, "status": status}

    def revoke(self, operator: Operator, node_id: str, body: RevokeBody) -> dict[str, Any]:
        reason = _reason(body.reason)
        with self.engine.connect() as connection:
            if connection.scalar(select(SyncNode.node_id).where(SyncNode.node_id == node_id)) is None:
                raise InvalidInput("node_id", "a node head office holds", code="hq_node_unknown")
        revoke(self.engine, node_id, f"{reason} ({operator.name})")
        self.audit(operator, "node_revoked", entity="node", entity_id=node_id, reason=reason)
        return {"node_id": node_id, "status": "revoked"}


def _listing(rows: list[Any]) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in rows]


def console_router(db: HQDatabase) -> APIRouter:
    console = Console(db.engine)
    router = APIRouter(prefix=PREFIX)

    @router.post("/login")
    def do_login(body: LoginBody, request: Request) -> dict[str, Any]:
        done = login(console.engine, body.name, body.password, client=request.client.host if request.client else "")
        return {"token": done.token, "operator": {"id": done.operator.id, "name": done.operator.name},
                "expires_at": done.expires_at}

    @router.post("/logout")
    def do_logout(request: Request) -> dict[str, Any]:
        logout(console.engine, bearer(request))
        return {"status": "ok"}

    @router.get("/me")
    def me(request: Request) -> dict[str, Any]:
        who = console.operator(request)
        return {"id": who.id, "name": who.name, "server_time": utcnow()}

    @router.get("/nodes")
    def nodes(request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return console.nodes()

    @router.post("/nodes/{node_id}/revoke")
    def revoke_node(node_id: str, body: RevokeBody, request: Request) -> dict[str, Any]:
        return console.revoke(console.operator(request), node_id, body)

    @router.post("/enrol-codes")
    def enrol_code(body: CodeBody, request: Request) -> dict[str, Any]:
        return console.issue(console.operator(request), body)

    @router.get("/quarantine")
    def quarantine(request: Request, node: str | None = None) -> list[dict[str, Any]]:
        console.operator(request)
        return [q.__dict__ for q in list_quarantine(console.engine, node)]

    @router.post("/quarantine/{event_id}/{action}")
    def resolve(event_id: str, action: str, body: ResolveBody, request: Request) -> dict[str, Any]:
        if action not in ("reapply", "reject"):
            raise InvalidInput("action", "reapply or reject", code="one_of", choices="reapply, reject")
        return console.resolve(console.operator(request), event_id, action, body)

    @router.get("/incidents")
    def incident_list(request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return _listing(incidents(console.engine))

    @router.get("/audit")
    def audit_list(request: Request) -> list[dict[str, Any]]:
        console.operator(request)
        return _listing(recent_audit(console.engine))

    add_reference_routes(router, console)  # tariffs, holidays, staff: through head office's publisher
    add_catalog_routes(router, console)  # services, windows, policy tables, new staff members
    return router


def install_console(app: FastAPI, db: HQDatabase) -> None:
    """Mount the console's routes on head office's app, with its error answers."""
    app.include_router(console_router(db))

    @app.exception_handler(UserError)
    async def refused(request: Request, error: UserError) -> JSONResponse:
        status, body = error_answer(error)
        log.info("console refused %s %s: %s", request.url.path, error.code, error)
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
        first = (error.errors() or [{"loc": ("body",), "msg": "invalid request"}])[0]
        field = ".".join(str(p) for p in first["loc"] if p not in ("body", "query", "path")) or "request"
        wrong = InvalidInput(field, str(first["msg"]), code="request_invalid", detail=str(first["msg"]))
        return JSONResponse(wrong.to_wire(), status_code=422)
